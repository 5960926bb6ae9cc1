//! Text measured in terminal columns exactly as ratatui draws it: by grapheme, with ratatui's
//! own cell width ([`CellWidth`]), so full-width (Japanese) characters take two columns,
//! combining marks none, and the half-width sound marks `ﾞ` `ﾟ` one each, as terminals show
//! them. Never `len()`, and truncation and wrapping never split a grapheme.

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::Span;

/// The graphemes of `s` that ratatui draws, in order: split as ratatui splits them, without
/// those holding control characters (which it skips).
pub fn graphemes(s: &str) -> Vec<&str> {
    let span = Span::raw(s);
    let base = s.as_ptr() as usize;
    span.styled_graphemes(Style::default())
        .filter_map(|g| {
            // `Span::raw` borrows `s`, so every grapheme is a slice of it.
            let start = (g.symbol.as_ptr() as usize).checked_sub(base)?;
            s.get(start..start + g.symbol.len())
        })
        .collect()
}

/// Columns one grapheme (or one character, as a `&str`) takes when ratatui draws it; zero for
/// control characters, which it does not draw.
pub fn cell_width(grapheme: &str) -> usize {
    if grapheme.contains(char::is_control) {
        0
    } else {
        usize::from(grapheme.cell_width())
    }
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    graphemes(s).into_iter().map(cell_width).sum()
}

/// Cuts `s` to at most `max` columns, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in graphemes(s) {
        let w = cell_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `w` columns.
pub fn fit(s: &str, w: usize) -> String {
    let mut t = truncate(s, w);
    let tw = width(&t);
    t.extend(std::iter::repeat_n(' ', w.saturating_sub(tw)));
    t
}

/// Replaces control characters (from the network) so they cannot move the cursor or change
/// the terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// As [`clean`], keeping line breaks (CR LF and CR read as LF) for text that may hold several
/// lines, such as notes: [`wrap`] then puts each on a line of its own.
pub fn clean_lines(s: &str) -> String {
    ouen_shared::text::normalize_line_breaks(s)
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Splits `s` into lines of at most `w` columns (by grapheme).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for g in graphemes(para) {
            let gw = cell_width(g);
            if used + gw > w && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push_str(g);
            used += gw;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::text::Line;
    use ratatui::Terminal;

    /// Draws each of `rows` on a line of its own, as the screens do, and returns the buffer.
    fn draw(rows: &[String]) -> ratatui::buffer::Buffer {
        let mut terminal = Terminal::new(TestBackend::new(30, rows.len() as u16)).unwrap();
        terminal
            .draw(|frame| {
                for (y, row) in rows.iter().enumerate() {
                    let area = ratatui::layout::Rect::new(0, y as u16, 30, 1);
                    frame.render_widget(Line::from(row.as_str()), area);
                }
            })
            .unwrap();
        terminal.backend().buffer().clone()
    }

    /// The column of the first `|` drawn on row `y`.
    fn bar_column(buffer: &ratatui::buffer::Buffer, y: u16) -> Option<u16> {
        (0..buffer.area.width).find(|&x| buffer[(x, y)].symbol() == "|")
    }

    #[test]
    fn full_width_is_two_columns() {
        assert_eq!(width("東京都"), 6);
        assert_eq!(width("ﾄｳｷｮｳ"), 5);
        assert_eq!(truncate("八王子市保健所", 7), "八王子…");
        assert_eq!(width(&truncate("八王子市保健所", 8)), 7);
        assert_eq!(fit("渋谷区", 8), "渋谷区  ");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(truncate("東", 1), "…");
    }

    #[test]
    fn half_width_sound_marks_take_a_column_each() {
        assert_eq!(width("ﾊﾞﾝﾄﾞｳ"), 6);
        assert_eq!(graphemes("ﾊﾞﾝﾄﾞｳ"), vec!["ﾊﾞ", "ﾝ", "ﾄﾞ", "ｳ"]);
        assert_eq!(cell_width("ﾊﾞ"), 2);
        assert_eq!(cell_width("ﾟ"), 1);
        assert_eq!(cell_width("\u{7}"), 0);
        assert_eq!(truncate("ﾊﾞﾝﾄﾞｳ", 4), "ﾊﾞﾝ…");
        assert_eq!(truncate("ﾊﾞﾝﾄﾞｳ", 3), "ﾊﾞ…");
        assert_eq!(fit("ﾊﾞﾝﾄﾞｳ", 8), "ﾊﾞﾝﾄﾞｳ  ");
        assert_eq!(wrap("ﾊﾞﾝﾄﾞｳ", 3), vec!["ﾊﾞﾝ", "ﾄﾞｳ"]);
    }

    #[test]
    fn padded_cells_line_up_when_drawn() {
        let names = [
            "ﾊﾞﾝﾄﾞｳ ﾀﾛｳ",
            "坂東太郎",
            "Bando Taro",
            "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ",
            "ﾊﾞﾝﾄﾞｳｻﾝﾊﾞﾝﾄﾞｳｻﾝ",
        ];
        let rows: Vec<String> = names.iter().map(|n| format!("{}|", fit(n, 12))).collect();
        let buffer = draw(&rows);
        for (y, name) in names.iter().enumerate() {
            assert_eq!(bar_column(&buffer, y as u16), Some(12), "{name}");
        }
    }

    #[test]
    fn width_is_what_ratatui_draws() {
        let samples = [
            "ﾊﾞﾝﾄﾞｳ",
            "ﾊﾟﾋﾟﾌﾟ",
            "東京都",
            "ｶﾀｶﾅ",
            "カ\u{3099}",
            "e\u{301}te\u{301}",
            "café",
            "👍🏽",
            "渡邊　ｻｸﾗ",
            "a\u{200B}b",
        ];
        let rows: Vec<String> = samples.iter().map(|s| format!("{s}|")).collect();
        let buffer = draw(&rows);
        for (y, s) in samples.iter().enumerate() {
            assert_eq!(
                bar_column(&buffer, y as u16),
                Some(width(s) as u16),
                "{s:?}"
            );
        }
    }

    #[test]
    fn wraps_by_width() {
        assert_eq!(wrap("東京都八王子市", 6), vec!["東京都", "八王子", "市"]);
    }
}
