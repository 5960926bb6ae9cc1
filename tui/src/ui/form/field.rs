//! The fields of a form.

use crate::i18n::T;
use crate::ui::picker::PickSource;
use crate::widgets::input::Input;

/// One field.
pub struct Field {
    /// The request field it fills (matches the server's field errors).
    pub key: &'static str,
    pub label: T,
    pub input: Input,
    /// Chosen from a list instead of typed.
    pub pick: Option<PickSource>,
    /// The chosen (value, label).
    pub picked: Option<(String, String)>,
    /// Repeated fields (the second licence, …) are numbered in their group ("期間2 開始日").
    pub number: Option<(T, usize)>,
    /// Show the chosen value's code beside its label (prefectures, municipalities).
    pub show_code: bool,
    /// A municipality list limited to the prefecture chosen in this other field.
    pub follows: Option<&'static str>,
}

impl Field {
    pub fn text(key: &'static str, label: T) -> Field {
        Field {
            key,
            label,
            input: Input::new(false),
            pick: None,
            picked: None,
            number: None,
            show_code: false,
            follows: None,
        }
    }
    /// A date typed as `2026-05-01` (also `2026/5/1`, `20260501`, full-width digits).
    pub fn date(key: &'static str, label: T) -> Field {
        let mut f = Field::text(key, label);
        f.input.set_placeholder("YYYY-MM-DD");
        f
    }
    pub fn numbered(mut self, group: T, n: usize) -> Field {
        self.number = Some((group, n));
        self
    }
    pub fn with_code(mut self) -> Field {
        self.show_code = true;
        self
    }
    pub fn following(mut self, field: &'static str) -> Field {
        self.follows = Some(field);
        self
    }
    /// The label as shown, with its number.
    pub fn label_text(&self, lang: ouen_shared::Lang) -> String {
        match self.number {
            Some((group, n)) => format!("{}{n} {}", group.get(lang), self.label.get(lang)),
            None => self.label.get(lang).to_string(),
        }
    }
    pub fn secret(key: &'static str, label: T) -> Field {
        Field {
            input: Input::new(true),
            ..Field::text(key, label)
        }
    }
    pub fn pick(key: &'static str, label: T, source: PickSource) -> Field {
        Field {
            pick: Some(source),
            ..Field::text(key, label)
        }
    }
}
