//! Text measured in terminal columns: full-width (Japanese) characters take two, combining
//! marks none. Never `len()`, and truncation never splits a character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
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
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
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

/// Splits `s` into lines of at most `w` columns (by character).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in para.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > w && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn wraps_by_width() {
        assert_eq!(wrap("東京都八王子市", 6), vec!["東京都", "八王子", "市"]);
    }
}
