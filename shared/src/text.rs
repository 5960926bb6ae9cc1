//! Japanese-aware text folding for search: full-width and half-width forms, hiragana and
//! katakana, upper and lower case, and old and new forms of characters common in names fold
//! to one key, so `ﾀﾅｶ`, `たなか` and `タナカ` match each other and `高橋` matches `髙橋`.

use unicode_normalization::UnicodeNormalization;

/// Old, variant or rare forms common in Japanese names, mapped to their everyday form.
const VARIANTS: &[(char, char)] = &[
    ('髙', '高'),
    ('﨑', '崎'),
    ('嵜', '崎'),
    ('碕', '崎'),
    ('邊', '辺'),
    ('邉', '辺'),
    ('齋', '斎'),
    ('齊', '斎'),
    ('濱', '浜'),
    ('濵', '浜'),
    ('澤', '沢'),
    ('嶋', '島'),
    ('嶌', '島'),
    ('廣', '広'),
    ('櫻', '桜'),
    ('國', '国'),
    ('瀨', '瀬'),
    ('德', '徳'),
    ('惠', '恵'),
    ('藪', '薮'),
    ('槇', '槙'),
    ('冨', '富'),
    ('﨔', '欅'),
    ('龍', '竜'),
    ('眞', '真'),
    ('實', '実'),
    ('來', '来'),
    ('髮', '髪'),
    ('舘', '館'),
    ('栁', '柳'),
];

/// Folds text to its search key: NFKC (full-width ASCII and half-width kana to their usual
/// forms, voiced marks joined), lower case, katakana to hiragana, variant kanji to their common
/// form, and white space (including the ideographic space) removed.
pub fn fold(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Katakana ァ..ヶ sit exactly 0x60 above hiragana ぁ..ゖ.
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            '\u{30FD}' => 'ゝ',
            '\u{30FE}' => 'ゞ',
            _ => VARIANTS
                .iter()
                .find(|(from, _)| *from == c)
                .map(|(_, to)| *to)
                .unwrap_or(c),
        })
        .collect()
}

/// Whether `haystack` contains `needle` once both are folded.
pub fn folded_contains(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

/// Line breaks as stored: CR LF (Windows, Excel) and lone CR become LF.
pub fn normalize_line_breaks(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Escapes `%`, `_` and `\` for a SQL `LIKE … ESCAPE '\'` pattern.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_and_width_fold_together() {
        assert_eq!(fold("ﾀﾅｶ"), "たなか");
        assert_eq!(fold("タナカ"), "たなか");
        assert_eq!(fold("たなか"), "たなか");
        assert_eq!(fold("ｶﾞｸ"), fold("ガク"));
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("田中　太郎"), "田中太郎");
    }

    #[test]
    fn variant_kanji_fold_together() {
        assert_eq!(fold("髙橋"), fold("高橋"));
        assert_eq!(fold("山﨑"), fold("山崎"));
        assert_eq!(fold("渡邊"), fold("渡辺"));
        assert_eq!(fold("渡邉"), fold("渡辺"));
        assert!(folded_contains("髙橋 花子", "高橋"));
        assert!(!folded_contains("佐藤", "高橋"));
    }

    #[test]
    fn line_breaks_are_stored_as_lf() {
        assert_eq!(normalize_line_breaks("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize_line_breaks("\r\n\r\n"), "\n\n");
    }

    #[test]
    fn like_escaping() {
        assert_eq!(escape_like("100%_a\\"), "100\\%\\_a\\\\");
    }
}
