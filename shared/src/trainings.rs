//! Trainings (研修): the words of a training, its applications and its honoraria, and the
//! certificate-number scheme (修了証番号) a training issues its numbers in.

use crate::lang::Lang;
use crate::role::labelled_enum;

labelled_enum! {
    /// Whose training it is: the admin's national one, or a prefecture's own (shown to its
    /// roster only).
    TrainingKind {
        National = "national", "国研修", "National";
        Prefecture = "prefecture", "都道府県独自研修", "Prefecture's own";
    }
}

labelled_enum! {
    /// Where a training stands.
    TrainingStatus {
        Draft = "draft", "下書き", "Draft";
        Published = "published", "募集中", "Open";
        /// Applications closed; participants being decided.
        Closed = "closed", "募集締切", "Applications closed";
        Held = "held", "実施済", "Held";
        Completed = "completed", "修了処理済", "Completed";
        /// Called off; the applicants are told.
        Cancelled = "cancelled", "中止", "Cancelled";
    }
}

labelled_enum! {
    /// How a training is delivered.
    Delivery {
        ELearning = "e_learning", "eラーニング", "E-learning";
        OnSite = "on_site", "集合研修", "On site";
        OnlineLive = "online_live", "オンライン（ライブ）", "Online, live";
    }
}

labelled_enum! {
    /// What completing a training takes.
    CompletionRule {
        AllSessions = "all_sessions", "全日程の受講", "Every session attended";
        Test = "test", "修了テストの合格", "The test passed";
        AllSessionsAndTest = "all_sessions_and_test", "全日程の受講と修了テストの合格", "Every session and the test";
    }
}

labelled_enum! {
    /// How a training's honorarium (謝金) is counted.
    HonorariumRule {
        None = "none", "なし", "None";
        PerParticipant = "per_participant", "受講者1人あたり", "Per participant";
        PerSession = "per_session", "1日程あたり", "Per session attended";
    }
}

labelled_enum! {
    /// A member's application to a training, as the organiser decides it.
    ApplicationStatus {
        Applied = "applied", "申込", "Applied";
        Approved = "approved", "受講決定", "Approved";
        Waitlisted = "waitlisted", "補欠", "Waitlisted";
        Rejected = "rejected", "見送り", "Rejected";
        Withdrawn = "withdrawn", "辞退", "Withdrawn";
    }
}

labelled_enum! {
    /// Where an honorarium payment stands.
    PaymentStatus {
        Due = "due", "未払", "Due";
        Paid = "paid", "支払済", "Paid";
        Waived = "waived", "辞退・不要", "Waived";
    }
}

labelled_enum! {
    /// How an honorarium was paid.
    PaymentMethod {
        BankTransfer = "bank_transfer", "銀行振込", "Bank transfer";
        Cash = "cash", "現金", "Cash";
        Other = "other", "その他", "Other";
    }
}

/// The longest certificate number a scheme may make.
pub const MAX_CERTIFICATE_CHARS: usize = 60;

/// A certificate-number scheme: text around one sequence marker, `{seq}` (the number as it
/// is) or `{seq:N}` (zero-padded to N digits, 1 to 8): `R8-東京-{seq:4}` numbers
/// `R8-東京-0001`, `R8-東京-0002`, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateScheme {
    before: String,
    width: usize,
    after: String,
}

/// Why a scheme cannot number certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeProblem {
    /// No `{seq}` marker, or more than one.
    NoSequence,
    /// A `{seq:N}` whose N is not 1 to 8.
    BadWidth,
    TooLong,
}

impl CertificateScheme {
    /// Reads a scheme (trimmed).
    pub fn parse(text: &str) -> Result<CertificateScheme, SchemeProblem> {
        let text = text.trim();
        if text.chars().count() > MAX_CERTIFICATE_CHARS {
            return Err(SchemeProblem::TooLong);
        }
        let start = text.find("{seq").ok_or(SchemeProblem::NoSequence)?;
        let rest = &text[start..];
        let end = rest.find('}').ok_or(SchemeProblem::NoSequence)? + start;
        let marker = &text[start + 4..end];
        let width = match marker {
            "" => 0,
            _ => match marker.strip_prefix(':').map(str::parse::<usize>) {
                Some(Ok(n)) if (1..=8).contains(&n) => n,
                _ => return Err(SchemeProblem::BadWidth),
            },
        };
        let (before, after) = (&text[..start], &text[end + 1..]);
        if before.contains("{seq") || after.contains("{seq") {
            return Err(SchemeProblem::NoSequence);
        }
        Ok(CertificateScheme {
            before: before.to_string(),
            width,
            after: after.to_string(),
        })
    }

    /// The certificate number of sequence number `seq` (from 1).
    pub fn number(&self, seq: u64) -> String {
        format!(
            "{}{:0width$}{}",
            self.before,
            seq,
            self.after,
            width = self.width
        )
    }
}

impl SchemeProblem {
    /// What to tell the organiser, in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            SchemeProblem::NoSequence => lang.pick(
                "連番の位置を {seq} または {seq:4} のように1か所入れてください",
                "put the sequence in once, as {seq} or {seq:4}",
            ),
            SchemeProblem::BadWidth => lang.pick(
                "連番の桁数は1から8までです（例 {seq:4}）",
                "the sequence takes 1 to 8 digits (e.g. {seq:4})",
            ),
            SchemeProblem::TooLong => lang.pick(
                "修了証番号は60文字以内にしてください",
                "a certificate number has at most 60 characters",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_numbers_in_sequence_padded_as_asked() {
        let s = CertificateScheme::parse(" R8-東京-{seq:4} ").unwrap();
        assert_eq!(s.number(1), "R8-東京-0001");
        assert_eq!(s.number(12345), "R8-東京-12345");
        let plain = CertificateScheme::parse("IHEAT{seq}号").unwrap();
        assert_eq!(plain.number(30), "IHEAT30号");
    }

    #[test]
    fn a_scheme_needs_exactly_one_sequence_of_a_sensible_width() {
        use SchemeProblem::*;
        for (text, problem) in [
            ("R8-東京-0001", NoSequence),
            ("{seq}-{seq}", NoSequence),
            ("R8-{seq", NoSequence),
            ("R8-{seq:0}", BadWidth),
            ("R8-{seq:9}", BadWidth),
            ("R8-{seq:x}", BadWidth),
            ("R8-{sequence}", BadWidth),
        ] {
            assert_eq!(CertificateScheme::parse(text), Err(problem), "{text}");
        }
        let long = format!("{}{{seq}}", "長".repeat(60));
        assert_eq!(CertificateScheme::parse(&long), Err(TooLong));
    }
}
