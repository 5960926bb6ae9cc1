//! Reading a date as people type it, one rule for every date field.
//!
//! Accepted, in either width and with spaces (also U+3000) around it:
//!
//! - Gregorian: `2001-04-01`, `2001/4/1`, `2001.4.1`, `20010401`, `2001年4月1日`;
//! - Japanese eras by letter or name, `R8.4.1`, `r8/4/1`, `令和8年4月1日`, `令和元年5月1日`,
//!   `H13.4.1`, `平成13年4月1日`, and likewise S/昭和, T/大正, M/明治 (also the one-character
//!   era signs such as `㍻`).
//!
//! A date that does not exist (`2026-02-30`) or that lies outside its era (`平成31年5月1日`
//! is already 令和, `令和1年4月30日` still 平成) is refused.

use crate::normalize::is_dash;
use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// Text that is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadDate;

/// A Japanese era: its letter, its name and its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Era {
    letter: char,
    name: &'static str,
    start: (i32, u32, u32),
}

/// The eras from 明治 on, oldest first. 明治 is counted from 1868 (its first year) and
/// starts on the first day of that year in the old calendar, 1868-01-25.
const ERAS: [Era; 5] = [
    Era {
        letter: 'M',
        name: "明治",
        start: (1868, 1, 25),
    },
    Era {
        letter: 'T',
        name: "大正",
        start: (1912, 7, 30),
    },
    Era {
        letter: 'S',
        name: "昭和",
        start: (1926, 12, 25),
    },
    Era {
        letter: 'H',
        name: "平成",
        start: (1989, 1, 8),
    },
    Era {
        letter: 'R',
        name: "令和",
        start: (2019, 5, 1),
    },
];

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("era start dates are valid")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// Digits: their value and how many were written.
    Number(u32, usize),
    /// `-`, `/` or `.` between the parts.
    Separator,
    /// 年, 月, 日.
    Year,
    Month,
    Day,
    /// 元 (元年, the first year of an era).
    First,
    Era(usize),
}

fn tokens(text: &str) -> Result<Vec<Token>, BadDate> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            let mut value: u32 = 0;
            while i < chars.len() && chars[i].is_ascii_digit() {
                let digit = chars[i].to_digit(10).unwrap_or(0);
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(digit))
                    .ok_or(BadDate)?;
                i += 1;
            }
            out.push(Token::Number(value, i - start));
            continue;
        }
        let token = match c {
            '/' | '.' => Token::Separator,
            c if is_dash(c) => Token::Separator,
            '年' => Token::Year,
            '月' => Token::Month,
            '日' => Token::Day,
            '元' => Token::First,
            c => {
                let upper = c.to_ascii_uppercase();
                if let Some(e) = ERAS.iter().position(|e| e.letter == upper) {
                    Token::Era(e)
                } else if let Some(e) = ERAS.iter().position(|e| {
                    let mut name = e.name.chars();
                    name.next() == Some(c) && name.next() == chars.get(i + 1).copied()
                }) {
                    i += 1;
                    Token::Era(e)
                } else {
                    return Err(BadDate);
                }
            }
        };
        out.push(token);
        i += 1;
    }
    Ok(out)
}

/// Reads a date as typed (see the module documentation); `Ok(None)` when there is nothing
/// but spaces.
pub fn parse(text: &str) -> Result<Option<NaiveDate>, BadDate> {
    let text: String = text.nfkc().collect();
    let tokens = tokens(&text)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    use Token::*;
    let (era, rest) = match tokens.split_first() {
        Some((Era(e), rest)) => (Some(*e), rest),
        _ => (None, &tokens[..]),
    };
    // The year as written, then month and day.
    let (year, month, day) = match rest {
        [Number(n, 8)] if era.is_none() => (*n / 10_000, *n / 100 % 100, *n % 100),
        [y, Separator, Number(m, ml), Separator, Number(d, dl)]
        | [y, Year, Number(m, ml), Month, Number(d, dl)]
        | [y, Year, Number(m, ml), Month, Number(d, dl), Day]
            if *ml <= 2 && *dl <= 2 =>
        {
            let year = match (y, era) {
                (Number(n, 4), None) => *n,
                (Number(n, 1 | 2), Some(_)) => *n,
                (First, Some(_)) => 1,
                _ => return Err(BadDate),
            };
            (year, *m, *d)
        }
        _ => return Err(BadDate),
    };
    match era {
        None if year == 0 => Err(BadDate),
        None => NaiveDate::from_ymd_opt(year as i32, month, day)
            .map(Some)
            .ok_or(BadDate),
        Some(e) => {
            let start = ymd(ERAS[e].start);
            if year == 0 {
                return Err(BadDate);
            }
            let date = NaiveDate::from_ymd_opt(start.year() + year as i32 - 1, month, day)
                .ok_or(BadDate)?;
            let before_next = ERAS.get(e + 1).is_none_or(|next| date < ymd(next.start));
            if date >= start && before_next {
                Ok(Some(date))
            } else {
                Err(BadDate)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Result<Option<NaiveDate>, BadDate> {
        Ok(NaiveDate::from_ymd_opt(y, m, day))
    }

    #[test]
    fn gregorian_spellings() {
        for typed in [
            "2001-04-01",
            "2001/4/1",
            "2001.4.1",
            "20010401",
            "2001年4月1日",
            "2001年4月1",
            "２００１／４／１",
            "２００１．０４．０１",
            "２００１－０４－０１",
            "２００１年４月１日",
            "２００１０４０１",
            " 2001-04-01 ",
            "\u{3000}2001/4/1\u{3000}",
            "2001 年 4 月 1 日",
            "2001ー4ー1",
        ] {
            assert_eq!(parse(typed), d(2001, 4, 1), "{typed:?}");
        }
    }

    #[test]
    fn japanese_eras() {
        for typed in [
            "R8.4.1",
            "R8/4/1",
            "r8.4.1",
            "Ｒ８．４．１",
            "ｒ８／４／１",
            "R08-04-01",
            "令和8年4月1日",
            "令和８年４月１日",
            "令和8.4.1",
            "㋿8年4月1日",
            "\u{3000}令和 8年 4月 1日 ",
        ] {
            assert_eq!(parse(typed), d(2026, 4, 1), "{typed:?}");
        }
        assert_eq!(parse("令和元年5月1日"), d(2019, 5, 1));
        assert_eq!(parse("R1.5.1"), d(2019, 5, 1));
        assert_eq!(parse("H13.4.1"), d(2001, 4, 1));
        assert_eq!(parse("h13.4.1"), d(2001, 4, 1));
        assert_eq!(parse("平成13年4月1日"), d(2001, 4, 1));
        assert_eq!(parse("㍻13年4月1日"), d(2001, 4, 1));
        assert_eq!(parse("平成元年1月8日"), d(1989, 1, 8));
        assert_eq!(parse("平成31年4月30日"), d(2019, 4, 30));
        assert_eq!(parse("S64.1.7"), d(1989, 1, 7));
        assert_eq!(parse("昭和50年10月10日"), d(1975, 10, 10));
        assert_eq!(parse("s50/10/10"), d(1975, 10, 10));
        assert_eq!(parse("昭和元年12月25日"), d(1926, 12, 25));
        assert_eq!(parse("T1.7.30"), d(1912, 7, 30));
        assert_eq!(parse("大正15年12月24日"), d(1926, 12, 24));
        assert_eq!(parse("t5.5.5"), d(1916, 5, 5));
        assert_eq!(parse("M1.1.25"), d(1868, 1, 25));
        assert_eq!(parse("明治45年7月29日"), d(1912, 7, 29));
        assert_eq!(parse("m33.3.3"), d(1900, 3, 3));
    }

    #[test]
    fn dates_outside_their_era_are_refused() {
        for typed in [
            "平成31年5月1日",
            "H31.5.1",
            "令和1年4月30日",
            "R1.4.30",
            "令和元年4月30日",
            "平成元年1月7日",
            "昭和64年1月8日",
            "S1.12.24",
            "大正15年12月25日",
            "T1.7.29",
            "明治45年7月30日",
            "M1.1.24",
            "令和0年5月1日",
        ] {
            assert_eq!(parse(typed), Err(BadDate), "{typed:?}");
        }
    }

    #[test]
    fn impossible_or_unreadable_text_is_refused() {
        for typed in [
            "2026-02-30",
            "2026/13/1",
            "2025年2月29日",
            "20260230",
            "来週",
            "2026-05",
            "2026-05-01-02",
            "26-5-1",
            "2026 5 1",
            "2026050",
            "元年5月1日",
            "令和",
            "R",
            "X8.4.1",
            "R8.4.1.",
            "R20260501",
            "令和8年4月",
            "2026年5月1日日",
            "99999999999999999999",
            "2026-005-01",
            "0000-01-01",
        ] {
            assert_eq!(parse(typed), Err(BadDate), "{typed:?}");
        }
        assert_eq!(parse("2024年2月29日"), d(2024, 2, 29));
    }

    #[test]
    fn nothing_typed_is_no_date() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("  \u{3000} "), Ok(None));
    }
}
