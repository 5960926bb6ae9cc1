//! Serde's complaints, turned into field issues worded in both languages.
//!
//! Serde and chrono describe a problem in English text; the caller must instead get a stable
//! code and a message in its own language. The text is read only to pick the kind of problem.

use ouen_shared::{FieldIssue, Problem};

/// The issue for serde's `message` about `field` (a body path such as `profile.name`, or a
/// query parameter).
pub fn issue(field: &str, message: &str) -> FieldIssue {
    let quoted = message.split('`').nth(1).unwrap_or("");
    if message.starts_with("missing field") {
        return FieldIssue::new(join(field, quoted), Problem::Required);
    }
    if message.starts_with("unknown field") {
        // The path already ends at the unknown key.
        let named = if field.ends_with(quoted) {
            field.to_string()
        } else {
            join(field, quoted)
        };
        return FieldIssue::new(named, Problem::UnknownField);
    }
    let field = if field.is_empty() { "body" } else { field };
    if message.starts_with("unknown variant") {
        return FieldIssue::new(field, Problem::UnknownValue);
    }
    let (ja, en) = expected(message);
    FieldIssue::new(field, Problem::WrongType { ja, en })
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// What the value should have been, from the wording of serde's or chrono's message: the
/// words after "expected" when there are any, else the whole message.
fn expected(message: &str) -> (&'static str, &'static str) {
    let text = message.split("expected ").nth(1).unwrap_or(message);
    let about = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if about(&[
        "input contains invalid characters",
        "premature end of input",
        "input is out of range",
        "trailing input",
        "input is not enough",
        "impossible",
        "date",
    ]) {
        ("実在する日付を YYYY-MM-DD で", "a real date as YYYY-MM-DD")
    } else if about(&["`true` or `false`", "a boolean", "bool"]) {
        ("true または false", "true or false")
    } else if about(&[
        "invalid digit",
        "number too large",
        "number too small",
        "integer",
        "u16",
        "u32",
        "u64",
        "i64",
        "i32",
        "cannot parse",
    ]) {
        ("半角の整数", "a whole number")
    } else if about(&["a string", "string"]) {
        ("文字列", "a string")
    } else if about(&["a sequence", "sequence"]) {
        ("リスト", "a list")
    } else if about(&["struct", "map"]) {
        ("オブジェクト", "an object")
    } else {
        ("値を確認してください", "a value of the documented type")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_wording_becomes_a_problem_kind() {
        assert_eq!(issue("", "missing field `login`").field, "login");
        assert_eq!(
            issue("a", "unknown field `b`, expected one of").field,
            "a.b"
        );
        assert_eq!(
            issue("role", "unknown variant `root`, expected one of").problem,
            Problem::UnknownValue
        );
        let date = issue("available_from", "input is out of range").problem;
        assert_eq!(
            date,
            Problem::WrongType {
                ja: "実在する日付を YYYY-MM-DD で",
                en: "a real date as YYYY-MM-DD"
            }
        );
        let number = issue("page", "invalid digit found in string").problem;
        assert!(matches!(
            number,
            Problem::WrongType {
                en: "a whole number",
                ..
            }
        ));
        let flag = issue("recheck", "provided string was not `true` or `false`").problem;
        assert!(matches!(
            flag,
            Problem::WrongType {
                en: "true or false",
                ..
            }
        ));
        let text = issue("login", "invalid type: integer `5`, expected a string").problem;
        assert!(matches!(text, Problem::WrongType { en: "a string", .. }));
    }
}
