//! Input validation shared by the server (authoritative) and the client (early feedback).

use crate::{FieldError, Lang};

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// Passwords need at least 10 characters with letters and digits.
    WeakPassword,
    /// Only the listed characters are allowed (a description in both languages).
    Format {
        ja: &'static str,
        en: &'static str,
    },
    UnknownValue,
    CheckDigit,
    UnknownPrefecture,
    UnknownMunicipality,
    /// The value lies outside what the caller may manage.
    OutsideScope,
    /// The value is already taken.
    Taken,
    /// The request did not have the right type of value here (what was expected, in both
    /// languages).
    WrongType {
        ja: &'static str,
        en: &'static str,
    },
    /// A character no field may hold (a control character), with its code point.
    ControlCharacter {
        character: char,
    },
    /// A field the API does not know.
    UnknownField,
    /// The range or combination of values is not allowed.
    NotAllowed {
        ja: &'static str,
        en: &'static str,
    },
    /// A record holds a character the requested encoding cannot write.
    Unencodable {
        /// The record, as the user knows it (line, code, name).
        record: String,
        character: char,
        encoding: &'static str,
    },
}

impl Problem {
    /// The stable code sent to clients.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooShort { .. } => "too_short",
            Problem::TooLong { .. } => "too_long",
            Problem::WeakPassword => "weak_password",
            Problem::Format { .. } => "format",
            Problem::UnknownValue => "unknown_value",
            Problem::CheckDigit => "check_digit",
            Problem::UnknownPrefecture => "unknown_prefecture",
            Problem::UnknownMunicipality => "unknown_municipality",
            Problem::OutsideScope => "outside_scope",
            Problem::Taken => "taken",
            Problem::WrongType { .. } => "wrong_type",
            Problem::ControlCharacter { .. } => "control_character",
            Problem::UnknownField => "unknown_field",
            Problem::NotAllowed { .. } => "not_allowed",
            Problem::Unencodable { .. } => "unencodable",
        }
    }

    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Required, Lang::Ja) => "入力してください。".into(),
            (Problem::Required, Lang::En) => "This field is required.".into(),
            (Problem::TooShort { min }, Lang::Ja) => format!("{min}文字以上で入力してください。"),
            (Problem::TooShort { min }, Lang::En) => format!("Use at least {min} characters."),
            (Problem::TooLong { max }, Lang::Ja) => format!("{max}文字以内で入力してください。"),
            (Problem::TooLong { max }, Lang::En) => format!("Use at most {max} characters."),
            (Problem::WeakPassword, Lang::Ja) => {
                "パスワードは10文字以上で、英字と数字の両方を含めてください。".into()
            }
            (Problem::WeakPassword, Lang::En) => {
                "Passwords need at least 10 characters, with both letters and digits.".into()
            }
            (Problem::Format { ja, .. }, Lang::Ja) => format!("形式が正しくありません（{ja}）。"),
            (Problem::Format { en, .. }, Lang::En) => format!("Wrong format ({en})."),
            (Problem::UnknownValue, Lang::Ja) => "選択できない値です。".into(),
            (Problem::UnknownValue, Lang::En) => "This value is not one of the choices.".into(),
            (Problem::CheckDigit, Lang::Ja) => {
                "検査数字が一致しません。番号を確認してください。".into()
            }
            (Problem::CheckDigit, Lang::En) => {
                "The check digit does not match; check the number.".into()
            }
            (Problem::UnknownPrefecture, Lang::Ja) => {
                "都道府県コードが正しくありません（01〜47）。".into()
            }
            (Problem::UnknownPrefecture, Lang::En) => "Unknown prefecture code (01–47).".into(),
            (Problem::UnknownMunicipality, Lang::Ja) => "該当する市区町村がありません。".into(),
            (Problem::UnknownMunicipality, Lang::En) => "No municipality has this code.".into(),
            (Problem::OutsideScope, Lang::Ja) => "管轄外のため指定できません。".into(),
            (Problem::OutsideScope, Lang::En) => "This is outside the area you manage.".into(),
            (Problem::Taken, Lang::Ja) => "既に使われています。".into(),
            (Problem::Taken, Lang::En) => "This is already taken.".into(),
            (Problem::WrongType { ja, .. }, Lang::Ja) => {
                format!("値が正しくありません（{ja}）。")
            }
            (Problem::WrongType { en, .. }, Lang::En) => {
                format!("Wrong kind of value (expected {en}).")
            }
            (Problem::ControlCharacter { character }, Lang::Ja) => format!(
                "使えない制御文字 (U+{:04X}) が含まれています。",
                u32::from(*character)
            ),
            (Problem::ControlCharacter { character }, Lang::En) => format!(
                "Contains a control character (U+{:04X}) that is not allowed.",
                u32::from(*character)
            ),
            (Problem::UnknownField, Lang::Ja) => "不明な項目です。".into(),
            (Problem::UnknownField, Lang::En) => "Unknown field.".into(),
            (Problem::NotAllowed { ja, .. }, Lang::Ja) => (*ja).to_string(),
            (Problem::NotAllowed { en, .. }, Lang::En) => (*en).to_string(),
            (
                Problem::Unencodable {
                    record,
                    character,
                    encoding,
                },
                Lang::Ja,
            ) => format!(
                "{record} の「{character}」(U+{:04X}) は{encoding}で書き出せません。UTF-8で書き出すか、表記を確認してください。",
                u32::from(*character)
            ),
            (
                Problem::Unencodable {
                    record,
                    character,
                    encoding,
                },
                Lang::En,
            ) => format!(
                "{record}: “{character}” (U+{:04X}) cannot be written in {encoding}. Export as UTF-8, or check the spelling.",
                u32::from(*character)
            ),
        }
    }
}

/// A problem attached to a named field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub problem: Problem,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldIssue {
            field: field.into(),
            problem,
        }
    }

    /// Renders the issue for the wire in the given language.
    pub fn to_field_error(&self, lang: Lang) -> FieldError {
        FieldError {
            field: self.field.clone(),
            code: self.problem.code().to_string(),
            message: self.problem.message(lang),
        }
    }
}

/// Something that can check itself before it is sent or stored.
pub trait Validate {
    /// Rewrites identifiers into their canonical form ([`crate::normalize`]) before checking;
    /// the server calls it on every request body.
    fn normalize(&mut self) {}

    /// Every problem found, field by field; empty when the value is valid.
    fn problems(&self) -> Vec<FieldIssue>;

    /// `Ok` when there are no problems.
    fn validate(&self) -> Result<(), Vec<FieldIssue>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Collects field issues with small helpers for the common rules.
#[derive(Debug, Default)]
pub struct Checker {
    issues: Vec<FieldIssue>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an issue.
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.issues.push(FieldIssue::new(field, problem));
    }

    /// A required text of `min..=max` characters (counted as characters, not bytes) once trimmed.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let refused = |c: char| c.is_control();
        let problem = Problem::Format {
            ja: "制御文字は使えません",
            en: "no control characters",
        };
        self.bounded_text(field, value, min, max, refused, problem);
    }

    /// A text of `min..=max` characters that may hold line breaks (notes), checked as
    /// [`normalize_line_breaks`](crate::text::normalize_line_breaks) stores it: CR LF and CR
    /// count as one LF; every other control character (tab, NUL, escape …) is refused.
    pub fn multiline_text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let value = crate::text::normalize_line_breaks(value);
        let refused = |c: char| c.is_control() && c != '\n';
        let problem = Problem::Format {
            ja: "改行以外の制御文字は使えません",
            en: "no control characters other than line breaks",
        };
        self.bounded_text(field, &value, min, max, refused, problem);
    }

    /// The length rules of a text, then `problem` when it holds a `refused` character.
    fn bounded_text(
        &mut self,
        field: &str,
        value: &str,
        min: usize,
        max: usize,
        refused: impl Fn(char) -> bool,
        problem: Problem,
    ) {
        let n = value.trim().chars().count();
        if n == 0 && min > 0 {
            self.add(field, Problem::Required);
        } else if n < min {
            self.add(field, Problem::TooShort { min });
        } else if n > max {
            self.add(field, Problem::TooLong { max });
        } else if value.chars().any(refused) {
            self.add(field, problem);
        }
    }

    /// A login id: 3–64 characters of ASCII letters, digits, `.`, `_`, `-`, `+` and `@` (so an
    /// e-mail address can serve as a member's login).
    /// Full-width letters and digits typed with an input method are accepted: the value is
    /// checked as [`normalize_login`] leaves it.
    pub fn login(&mut self, field: &str, value: &str) {
        let value = normalize_login(value);
        let value = value.as_str();
        let n = value.chars().count();
        if n == 0 {
            self.add(field, Problem::Required);
        } else if n < 3 {
            self.add(field, Problem::TooShort { min: 3 });
        } else if n > 64 {
            self.add(field, Problem::TooLong { max: 64 });
        } else if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@'))
        {
            self.add(
                field,
                Problem::Format {
                    ja: "半角英数字と . _ - + @ のみ",
                    en: "ASCII letters, digits and . _ - + @ only",
                },
            );
        }
    }

    /// A password of at least 10 characters with letters and digits (at most 256).
    pub fn password(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.chars().count() > 256 {
            self.add(field, Problem::TooLong { max: 256 });
        } else if !password_is_strong(value) {
            self.add(field, Problem::WeakPassword);
        }
    }

    /// A two-digit prefecture code.
    pub fn prefecture(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if crate::prefecture::prefecture(value).is_none() {
            self.add(field, Problem::UnknownPrefecture);
        }
    }

    /// A six-digit local-government code with its check digit (existence is the server's check).
    pub fn municipality_code(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.len() != 6 || !value.chars().all(|c| c.is_ascii_digit()) {
            self.add(
                field,
                Problem::Format {
                    ja: "半角数字6桁",
                    en: "six digits",
                },
            );
        } else if !crate::municipality::check_digit_ok(value) {
            self.add(field, Problem::CheckDigit);
        }
    }

    /// An e-mail address: one `@` with text on both sides and a dot in the domain, no spaces.
    pub fn email(&mut self, field: &str, value: &str) {
        let value = value.trim();
        let shape_ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.chars().count() > 254 {
            self.add(field, Problem::TooLong { max: 254 });
        } else if !shape_ok || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.add(
                field,
                Problem::Format {
                    ja: "例: hanako@example.jp",
                    en: "e.g. hanako@example.jp",
                },
            );
        }
    }

    /// A Japanese phone number: 10 or 11 digits once hyphens, spaces and brackets are dropped
    /// (full-width digits are accepted).
    pub fn phone(&mut self, field: &str, value: &str) {
        let digits = phone_digits(value);
        if value.trim().is_empty() {
            self.add(field, Problem::Required);
        } else if !matches!(digits.as_deref(), Some(d) if (10..=11).contains(&d.len()) && d.starts_with('0'))
        {
            self.add(
                field,
                Problem::Format {
                    ja: "0から始まる10〜11桁の数字。例: 03-1234-5678",
                    en: "10 or 11 digits starting with 0, e.g. 03-1234-5678",
                },
            );
        }
    }

    /// Whether any issue has been recorded for `field` or below it (`field.…`).
    pub fn has(&self, field: &str) -> bool {
        self.issues.iter().any(|i| {
            i.field == field
                || i.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }

    /// Ends the checks.
    pub fn finish(self) -> Vec<FieldIssue> {
        self.issues
    }
}

/// The canonical form of a login id (see [`crate::normalize::login`]). Every place that
/// stores or looks up a login uses it.
pub fn normalize_login(login: &str) -> String {
    crate::normalize::login(login)
}

/// The digits of a phone number (see [`crate::normalize::phone_digits`]).
pub fn phone_digits(value: &str) -> Option<String> {
    crate::normalize::phone_digits(value)
}

/// A phone number as stored (see [`crate::normalize::phone`]).
pub fn normalize_phone(value: &str) -> String {
    crate::normalize::phone(value)
}

/// At least 10 characters, with at least one letter and one digit.
pub fn password_is_strong(password: &str) -> bool {
    password.chars().count() >= 10
        && password.chars().any(char::is_alphabetic)
        && password.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_logins_fold_to_ascii() {
        assert_eq!(normalize_login(" ＹｏｋｏＨａｍａ１ "), "yokohama1");
        let mut c = Checker::new();
        c.login("login", "ｙｏｋｏｈａｍａ");
        assert!(c.finish().is_empty());
        let mut c = Checker::new();
        c.login("login", "横浜市");
        assert_eq!(c.finish()[0].problem.code(), "format");
    }

    #[test]
    fn phones_typed_in_full_width_are_stored_in_ascii() {
        assert_eq!(
            normalize_phone(" ０９０ー１２３４ー９９９９ "),
            "090-1234-9999"
        );
        assert_eq!(normalize_phone("03-1234-5678"), "03-1234-5678");
    }

    #[test]
    fn multiline_text_keeps_line_breaks_and_refuses_other_controls() {
        let mut c = Checker::new();
        c.multiline_text("a", "夜勤可\r\n土日のみ\r車あり\n", 0, 2000);
        // 2000 characters with CR LF line breaks: CR LF counts as one character.
        c.multiline_text("b", &"あ\r\n".repeat(1000), 0, 2000);
        assert!(c.finish().is_empty());
        for bad in ["a\tb", "a\u{0}b", "a\u{1b}[31mb", "a\u{7f}", "a\u{85}b"] {
            let mut c = Checker::new();
            c.multiline_text("notes", bad, 0, 2000);
            let issues = c.finish();
            assert_eq!(issues.len(), 1, "{bad:?}");
            assert_eq!(issues[0].field, "notes");
        }
        let mut c = Checker::new();
        c.multiline_text("notes", &"あ\n".repeat(1001), 0, 2000);
        assert_eq!(c.finish().len(), 1, "too long");
    }

    #[test]
    fn password_rules() {
        assert!(password_is_strong("abcdefghi1"));
        assert!(!password_is_strong("abcdefghij"));
        assert!(!password_is_strong("1234567890"));
        assert!(!password_is_strong("abc123"));
    }

    #[test]
    fn checker_collects_every_field() {
        let mut c = Checker::new();
        c.login("login", "a");
        c.password("password", "short");
        c.text("display_name", "", 1, 100);
        c.municipality_code("municipality_code", "131017");
        c.prefecture("prefecture_code", "99");
        let codes: Vec<_> = c
            .finish()
            .iter()
            .map(|i| (i.field.clone(), i.problem.code()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("login".to_string(), "too_short"),
                ("password".to_string(), "weak_password"),
                ("display_name".to_string(), "required"),
                ("municipality_code".to_string(), "check_digit"),
                ("prefecture_code".to_string(), "unknown_prefecture"),
            ]
        );
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let p = Problem::TooShort { min: 3 };
        assert!(p.message(Lang::Ja).contains('3'));
        assert!(p.message(Lang::En).contains("at least 3"));
    }
}
