//! The canonical written form of each kind of value, in one place for both sides.
//!
//! Operators type with Japanese input methods, which produce full-width letters and digits
//! (`ＰＨＮ－１２３`), ideographic spaces and several look-alike dashes (`‐ ‑ ‒ – — ― − ー ｰ －`).
//! Every identifier the system stores or looks up passes the function for its kind here, so the
//! same licence, e-mail address or code is the same value however it was typed. The server
//! applies them to every request body ([`crate::Validate::normalize`]) and the client to what
//! it sends.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is one of the dashes people type for a hyphen (after NFKC): hyphens,
/// figure/en/em dashes, the horizontal bar, the minus sign and the prolonged sound marks.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' | '\u{FE63}'
    )
}

/// NFKC with every dash written `-`, trimmed: the base of every identifier.
fn ascii_form(text: &str) -> String {
    text.nfkc()
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A code of digits such as a prefecture or municipality code (`１３` is `13`).
pub fn code(text: &str) -> String {
    ascii_form(text)
}

/// A login id: NFKC (`ｙｏｋｏｈａｍａ` is `yokohama`), trimmed, lower case.
pub fn login(text: &str) -> String {
    text.nfkc().collect::<String>().trim().to_lowercase()
}

/// An e-mail address: NFKC (full-width `＠` and letters become ASCII), trimmed, with the
/// domain in lower case (the part before `@` is the mailbox owner's and keeps its case).
pub fn email(text: &str) -> String {
    let text: String = text.nfkc().collect::<String>().trim().to_string();
    match text.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_lowercase()),
        None => text,
    }
}

/// A phone number as stored: ASCII digits with every kind of dash written `-`, trimmed.
pub fn phone(text: &str) -> String {
    ascii_form(text)
}

/// The digits of a phone number written with dashes, spaces or brackets; `None` when
/// anything else is in it.
pub fn phone_digits(text: &str) -> Option<String> {
    let mut digits = String::new();
    for c in text.nfkc() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '(' | ')' => {}
            c if is_dash(c) => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// A licence number: ASCII letters in upper case, digits, dashes written `-`, no spaces
/// (`ｐｈｎ－１２３ ４` is `PHN-1234`), so one licence is one value however it was typed.
pub fn licence_number(text: &str) -> String {
    ascii_form(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A postal code: `〒１６０－０００４` and `1600004` are both `160-0004`; anything that is
/// not seven digits is returned in its ASCII form for the validator to refuse.
pub fn postal_code(text: &str) -> String {
    let ascii = ascii_form(text.trim_start_matches('〒'));
    let digits: String = ascii.chars().filter(char::is_ascii_digit).collect();
    let only_digits_and_dash = ascii.chars().all(|c| c.is_ascii_digit() || c == '-');
    if digits.len() == 7 && only_digits_and_dash {
        format!("{}-{}", &digits[..3], &digits[3..])
    } else {
        ascii
    }
}

/// A number typed as text (`１５` is `15`): NFKC, trimmed, digit grouping commas removed.
pub fn number(text: &str) -> String {
    text.nfkc()
        .filter(|c| *c != ',')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The digits of something typed as a code (registration codes: `１２３ー４５６ー７８９０`,
/// `123‐456‐7890`, `123 456 7890`); `None` when other characters are present.
pub fn code_digits(text: &str) -> Option<String> {
    let mut digits = String::new();
    for c in text.nfkc() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' => {}
            c if is_dash(c) => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// Characters no field may hold: control characters other than tab and line breaks, and
/// the Unicode non-characters U+FFFE and U+FFFF. (Whether a field takes tabs or line breaks
/// is that field's rule.)
pub fn forbidden_character(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_typed_in_full_width_are_ascii() {
        assert_eq!(login(" ＹｏｋｏＨａｍａ１ "), "yokohama1");
        assert_eq!(
            email(" Ｈａｎａｋｏ＠Ｅｘａｍｐｌｅ．ＪＰ"),
            "Hanako@example.jp"
        );
        assert_eq!(phone(" ０９０ー１２３４ー９９９９ "), "090-1234-9999");
        assert_eq!(phone("03−1234―5678"), "03-1234-5678");
        assert_eq!(licence_number("ｐｈｎ－１２３ ４"), "PHN-1234");
        assert_eq!(licence_number("PHN‐1234"), "PHN-1234");
        assert_eq!(postal_code("〒１６０－０００４"), "160-0004");
        assert_eq!(postal_code("1600004"), "160-0004");
        assert_eq!(postal_code("16０ｰ０００"), "160-000");
        assert_eq!(number(" １５ "), "15");
        assert_eq!(number("１５").parse::<u16>(), Ok(15));
        assert_eq!(number("１,０００"), "1000");
    }

    #[test]
    fn every_dash_people_type_separates_a_code() {
        for dash in ['-', '‐', '‑', '‒', '–', '—', '―', '−', 'ー', 'ｰ', '－'] {
            let typed = format!("１２３{dash}４５６{dash}７８９０");
            assert_eq!(code_digits(&typed).as_deref(), Some("1234567890"), "{dash}");
        }
        assert_eq!(code_digits("123 456　7890").as_deref(), Some("1234567890"));
        assert_eq!(code_digits("123-abc"), None);
        assert_eq!(
            phone_digits("(03) 1234－5678").as_deref(),
            Some("0312345678")
        );
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(forbidden_character("a\u{0}b"), Some('\u{0}'));
        assert_eq!(forbidden_character("a\u{85}b"), Some('\u{85}'));
        assert_eq!(forbidden_character("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_character("line\r\nbreak\tand tab"), None);
        assert_eq!(forbidden_character("渡邊　ｻｸﾗ"), None);
    }
}
