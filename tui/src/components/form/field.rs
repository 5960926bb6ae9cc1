//! The fields of a form and what submitting it does.

use crate::action::Action;
use crate::api::Request;
use crate::components::picker::PickSource;
use crate::i18n::T;
use crate::widgets::input::Input;
use ouen_shared::api::Decision;

/// What the form does when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// The admin issues a prefecture account.
    NewPrefectureAccount,
    /// A prefecture issues an account to a city or special ward inside it.
    NewCityAccount {
        prefecture: Option<String>,
    },
    /// A prefecture or city registers a health centre; (organisation id, name) it may belong to.
    NewHealthCentre {
        parents: Vec<(String, String)>,
    },
    RenameCentre {
        id: i64,
    },
    OwnPassword,
    /// The roster's filter panel: applied in the client, nothing is sent.
    RosterFilter {
        /// The caller's prefecture, which the municipality list starts from.
        prefecture: Option<String>,
    },
    /// A decision that needs a reason (reject, suspend, withdraw).
    Decide {
        id: i64,
        prefecture: String,
        decision: Decision,
    },
    EditNotes {
        id: i64,
    },
    /// A member edits its own profile, with this many licence slots.
    EditProfile {
        licences: usize,
    },
    /// A member offers to help a prefecture, with this many periods.
    Offer {
        periods: usize,
    },
    /// A prefecture enters a professional it manages itself; `managing` is its own prefecture,
    /// `None` for the admin, who chooses one.
    NewProfessional {
        managing: Option<String>,
    },
    /// An applicant registers with the talent bank (from the login screen).
    Register {
        terms_version: String,
        terms_url: String,
    },
}

/// What a valid form does when submitted.
pub enum Submit {
    Send(Box<Request>),
    /// Acts in the client only (e.g. applies a filter).
    Local(Vec<Action>),
}

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
