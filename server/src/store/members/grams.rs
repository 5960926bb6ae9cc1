//! The entries of the free-text index, computed in Rust for imports.
//!
//! The database keeps the index itself for every other write: on SQLite a trigger fills
//! `member_search_grams` (migration 0003), on PostgreSQL a trigger fills `members.search_grams`
//! with the SQL function `member_search_grams` (migration 0007). An import computes the same
//! grams here instead, which is much cheaper in bulk: SQLite gets them sorted for the whole
//! import (so its index is walked once), PostgreSQL as the column's value. [`search_grams`]
//! must give exactly what the SQL gives; the tests compare them on both backends.

use std::fmt;

/// One entry of the index: a character, or two neighbouring characters of one line.
///
/// Ordered as the UTF-8 bytes of its text (SQLite's `BINARY`, PostgreSQL's `"C"`): code points
/// compare as their UTF-8 encodings do, and a character alone comes before the pairs it
/// starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gram(char, Option<char>);

impl fmt::Display for Gram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        match self.1 {
            Some(second) => write!(f, "{second}"),
            None => Ok(()),
        }
    }
}

/// The grams of a member's search text (`members.search_fold`): every character and every
/// pair of neighbouring characters on each line, distinct and in order.
///
/// As the SQL does: lines are split at LF only; SQLite's `length()` stops at a NUL, so the
/// text does too (PostgreSQL text holds none). SQLite's trigger reads at most 40000
/// positions, more than the longest search text (2200 characters, at most 39600 once folded).
pub fn search_grams(search_fold: &str) -> Vec<Gram> {
    let text = search_fold.split('\0').next().unwrap_or("");
    let mut grams = Vec::with_capacity(2 * text.len());
    for line in text.split('\n') {
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            grams.push(Gram(c, None));
            if let Some(&next) = chars.peek() {
                grams.push(Gram(c, Some(next)));
            }
        }
    }
    grams.sort_unstable();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grams: &[Gram]) -> Vec<String> {
        grams.iter().map(Gram::to_string).collect()
    }

    #[test]
    fn characters_and_pairs_of_each_line_distinct_in_byte_order() {
        assert_eq!(
            texts(&search_grams("山田\nab\naaa")),
            ["a", "aa", "ab", "b", "山", "山田", "田"]
        );
        assert!(search_grams("").is_empty());
        assert!(search_grams("\n\n").is_empty());
        assert_eq!(texts(&search_grams("a\0b")), ["a"]);
        let mut sorted = texts(&search_grams("ｚé山𠮷田\u{7f}z1"));
        let order = sorted.clone();
        sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        assert_eq!(order, sorted);
    }
}
