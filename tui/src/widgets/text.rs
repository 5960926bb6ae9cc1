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

/// Characters a line may not start with (行頭禁則): closing brackets and quotes, punctuation,
/// the prolonged sound mark, small kana and iteration marks, in full and half width.
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ー'
            | '〜'
            | '‼'
            | '⁇'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '〙'
            | '〗'
            | '］'
            | '｝'
            | '’'
            | '”'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '\u{31F0}'
            ..='\u{31FF}'
                | '々'
                | '〻'
                | 'ゝ'
                | 'ゞ'
                | 'ヽ'
                | 'ヾ'
                | '゛'
                | '゜'
                | 'ｧ'
                | 'ｨ'
                | 'ｩ'
                | 'ｪ'
                | 'ｫ'
                | 'ｬ'
                | 'ｭ'
                | 'ｮ'
                | 'ｯ'
                | 'ｰ'
                | '､'
                | '｡'
                | '｣'
                | '･'
                | 'ﾞ'
                | 'ﾟ'
                | ')'
                | ']'
                | '}'
                | ','
                | '.'
                | ':'
                | ';'
                | '!'
                | '?'
    )
}

/// Characters a line may not end with (行末禁則): opening brackets and quotes.
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '《'
            | '〘'
            | '〖'
            | '［'
            | '｛'
            | '‘'
            | '“'
            | '｢'
            | '('
            | '['
            | '{'
    )
}

/// Part of a word that is not broken: ASCII other than spaces (words, numbers, dates,
/// addresses, URLs) and the letters and digits of other alphabets written in half width.
fn in_word(c: char) -> bool {
    c.is_ascii_graphic() || (c.is_alphanumeric() && (c as u32) < 0x1100)
}

/// One grapheme of a paragraph being wrapped, with what the line-breaking rules need of it.
struct Piece<'a> {
    text: &'a str,
    width: usize,
    space: bool,
    word: bool,
    no_start: bool,
    no_end: bool,
}

impl<'a> Piece<'a> {
    fn new(text: &'a str) -> Piece<'a> {
        let first = text.chars().next().unwrap_or(' ');
        let last = text.chars().last().unwrap_or(' ');
        Piece {
            text,
            width: cell_width(text),
            space: text.chars().all(char::is_whitespace),
            word: in_word(first),
            no_start: no_line_start(first),
            no_end: no_line_end(last),
        }
    }
}

/// Whether a line may start at `pieces[at]` after `pieces[from..at]`: never at a space (the
/// line then starts after it), never inside a word, never before closing punctuation or small
/// kana, never after an opening bracket.
fn may_break(pieces: &[Piece], from: usize, at: usize) -> bool {
    let (Some(next), Some(before)) = (pieces.get(at), at.checked_sub(1).map(|i| &pieces[i])) else {
        return false;
    };
    if next.space || next.no_start {
        return false;
    }
    if !before.space {
        return !(before.no_end || (before.word && next.word));
    }
    // After spaces, the line ends with the last thing that is not a space.
    pieces[from..at]
        .iter()
        .rev()
        .find(|p| !p.space)
        .is_some_and(|p| !p.no_end)
}

fn join(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text).collect()
}

/// `pieces[from..to]` without the spaces at its end.
fn trimmed(pieces: &[Piece], from: usize, to: usize) -> usize {
    let mut to = to;
    while to > from && pieces[to - 1].space {
        to -= 1;
    }
    to
}

/// Splits `s` into lines of at most `w` columns, keeping its own line breaks and following
/// the Japanese line-breaking rules (禁則処理): no line starts with closing punctuation or a
/// small kana and none ends with an opening bracket; Latin words, numbers, dates, e-mail
/// addresses and URLs stay whole unless longer than a line; spaces where a line breaks are
/// dropped. When the rules leave no place to break, the line is cut where it is full (a single
/// character wider than `w` then stands alone on its line).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let pieces: Vec<Piece> = graphemes(para).into_iter().map(Piece::new).collect();
        let n = pieces.len();
        if n == 0 {
            lines.push(String::new());
            continue;
        }
        let mut start = 0;
        while start < n {
            // The last place the rules allow a break that leaves the line within `w`, and the
            // end of that line's text without its trailing spaces.
            let mut best = None;
            let mut used = 0;
            let mut i = start;
            while i < n {
                let ink_end = trimmed(&pieces, start, i);
                if ink_end > start && may_break(&pieces, start, i) {
                    best = Some((ink_end, i));
                }
                let p = &pieces[i];
                if !p.space && used + p.width > w {
                    break;
                }
                used += p.width;
                i += 1;
            }
            let (end, next) = if i == n {
                let end = if used > w {
                    trimmed(&pieces, start, n)
                } else {
                    n
                };
                (end, n)
            } else if let Some(found) = best {
                found
            } else {
                // Nowhere to break by the rules: cut where the line is full.
                let mut end = start;
                let mut used = 0;
                while end < n && used + pieces[end].width <= w {
                    used += pieces[end].width;
                    end += 1;
                }
                let end = end.max(start + 1);
                (trimmed(&pieces, start, end).max(start + 1), end)
            };
            lines.push(join(&pieces[start..end]));
            start = next;
            while start < n && pieces[start].space {
                start += 1;
            }
        }
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
        assert_eq!(wrap("一行目\n\n三行目", 10), vec!["一行目", "", "三行目"]);
        assert_eq!(wrap("", 10), vec![""]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation_or_small_kana() {
        assert_eq!(wrap("あいうえお。", 10), vec!["あいうえ", "お。"]);
        assert_eq!(wrap("あいうえ）", 8), vec!["あいう", "え）"]);
        assert_eq!(wrap("あいうえ」、", 10), vec!["あいう", "え」、"]);
        assert_eq!(wrap("あきゃく", 4), vec!["あ", "きゃ", "く"]);
        assert_eq!(wrap("あいコーヒー", 6), vec!["あい", "コー", "ヒー"]);
        assert_eq!(wrap("ｱｲｳｴｯｸｽ", 4), vec!["ｱｲｳ", "ｴｯｸｽ"]);
        assert_eq!(wrap("ｱｲｳｴ｡", 4), vec!["ｱｲｳ", "ｴ｡"]);
        assert_eq!(wrap("東京都で.", 8), vec!["東京都", "で."]);
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        assert_eq!(wrap("あいう（えお）", 8), vec!["あいう", "（えお）"]);
        assert_eq!(wrap("あいう「えお」", 8), vec!["あいう", "「えお」"]);
        assert_eq!(wrap("abc (def)", 5), vec!["abc", "(def)"]);
    }

    #[test]
    fn latin_words_addresses_and_dates_stay_whole() {
        assert_eq!(
            wrap("the quick brown fox", 10),
            vec!["the quick", "brown fox"]
        );
        assert_eq!(
            wrap("お問い合わせ hanako@example.jp まで", 22),
            vec!["お問い合わせ", "hanako@example.jp まで"]
        );
        assert_eq!(
            wrap("連絡はhanako@example.jpへ", 20),
            vec!["連絡は", "hanako@example.jpへ"]
        );
        assert_eq!(
            wrap("次回 2026-05-01 に面談", 12),
            vec!["次回", "2026-05-01", "に面談"]
        );
        assert_eq!(
            wrap("面談は2026-05-01。", 14),
            vec!["面談は", "2026-05-01。"]
        );
    }

    #[test]
    fn a_url_longer_than_the_line_is_cut_by_width() {
        let url = "https://example.jp/roster/members/12345?tab=profile";
        let lines = wrap(&format!("詳細: {url}"), 20);
        assert_eq!(lines[0], "詳細:");
        assert_eq!(lines[1..].concat(), url);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines[1], &url[..20]);
    }

    #[test]
    fn rules_that_cannot_be_kept_fall_back_to_cutting() {
        assert_eq!(wrap("。。。。。。", 4), vec!["。。", "。。", "。。"]);
        assert_eq!(wrap("（（（（", 4), vec!["（（", "（（"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("東京", 1), vec!["東", "京"]);
        assert_eq!(wrap("a  b", 1), vec!["a", "b"]);
    }

    #[test]
    fn wrapping_keeps_every_character_and_every_line_within_width() {
        let texts = [
            "東京都八王子市（はちおうじし）の保健所。連絡は hanako@example.jp へ、2026-05-01 までに。",
            "ﾊﾞﾝﾄﾞｳ ﾀﾛｳ、ｷｬｯｼｭﾚｽ｡「ｶｯｺ」",
            "the quick brown fox jumps over https://example.jp/a/very/long/path?q=1",
            "」」」」」（（（（ っっっっ   ーーーー",
            "   indented\n\nafter a blank line",
        ];
        for text in texts {
            for w in 1..30 {
                let lines = wrap(text, w);
                for line in &lines {
                    assert!(
                        width(line) <= w.max(2),
                        "{text:?} at {w}: {line:?} in {lines:?}"
                    );
                }
                let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
                let typed: String = text.chars().filter(|c| *c != ' ' && *c != '\n').collect();
                assert_eq!(kept, typed, "{text:?} at {w}");
                assert!(lines.len() >= text.split('\n').count(), "{text:?} at {w}");
            }
        }
    }
}
