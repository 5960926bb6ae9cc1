//! Vocabulary of the talent bank: membership statuses, ways of helping, fields of experience,
//! languages, and registration codes.

use crate::role::labelled_enum;
use crate::Lang;

labelled_enum! {
    /// Where a member stands with one prefecture.
    MembershipStatus {
        /// Applied, waiting for the prefecture's check.
        Applied = "applied", "審査中", "Applied";
        /// On the prefecture's roster, ready for dispatch.
        Approved = "approved", "承認済", "Approved";
        /// Not accepted; the reason is recorded.
        Rejected = "rejected", "不承認", "Rejected";
        /// Temporarily off the roster.
        Suspended = "suspended", "一時停止", "Suspended";
        /// Left this prefecture's roster (or the bank).
        Withdrawn = "withdrawn", "辞退", "Withdrawn";
    }
}

labelled_enum! {
    /// How a member can help.
    HelpWay {
        OnSite = "on_site", "現地派遣", "On site";
        Remote = "remote", "在宅（リモート）", "Remote";
        Phone = "phone", "電話対応", "Phone";
    }
}

labelled_enum! {
    /// A field of professional experience.
    ExperienceField {
        PublicHealth = "public_health", "公衆衛生", "Public health";
        InfectionControl = "infection_control", "感染症対策", "Infection control";
        Epidemiology = "epidemiology", "積極的疫学調査", "Epidemiological investigation";
        Icu = "icu", "集中治療（ICU）", "Intensive care (ICU)";
        Emergency = "emergency", "救急医療", "Emergency medicine";
        HomeCare = "home_care", "在宅医療・訪問看護", "Home care";
        MaternalChild = "maternal_child", "母子保健", "Maternal and child health";
        MentalHealth = "mental_health", "精神保健", "Mental health";
        ElderlyCare = "elderly_care", "高齢者保健・介護", "Elderly care";
        Disaster = "disaster", "災害医療・災害支援", "Disaster medicine";
        OccupationalHealth = "occupational_health", "産業保健", "Occupational health";
        SchoolHealth = "school_health", "学校保健", "School health";
        Administration = "administration", "行政事務", "Public administration";
    }
}

labelled_enum! {
    /// A language a member can work in.
    Language {
        Japanese = "ja", "日本語", "Japanese";
        English = "en", "英語", "English";
        Chinese = "zh", "中国語", "Chinese";
        Korean = "ko", "韓国語", "Korean";
        Portuguese = "pt", "ポルトガル語", "Portuguese";
        Spanish = "es", "スペイン語", "Spanish";
        Vietnamese = "vi", "ベトナム語", "Vietnamese";
        Tagalog = "tl", "タガログ語", "Tagalog";
        Nepali = "ne", "ネパール語", "Nepali";
        Indonesian = "id", "インドネシア語", "Indonesian";
        Thai = "th", "タイ語", "Thai";
        Burmese = "my", "ミャンマー語", "Burmese";
        French = "fr", "フランス語", "French";
        Russian = "ru", "ロシア語", "Russian";
        SignLanguage = "jsl", "手話", "Japanese Sign Language";
    }
}

/// The Damm algorithm's quasigroup table: one check digit that catches every single-digit
/// error and every swap of two neighbouring digits, the two usual mistakes over the phone.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

fn damm(digits: &str) -> u8 {
    digits.bytes().fold(0, |interim, b| {
        DAMM[usize::from(interim)][usize::from(b - b'0')]
    })
}

/// A registration code (登録コード): ten digits, the last a Damm check digit, written
/// `123-456-7890` so it reads like a phone number. Stored as the bare ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrationCode(String);

impl RegistrationCode {
    /// The code for nine random digits (`seed` below one billion; larger values wrap).
    pub fn from_seed(seed: u64) -> Self {
        let body = format!("{:09}", seed % 1_000_000_000);
        let check = damm(&body);
        RegistrationCode(format!("{body}{check}"))
    }

    /// Reads a code as typed or heard: full-width digits, hyphens and spaces are allowed.
    /// `None` when it is not ten digits or the check digit does not match.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = normalize_code_input(text)?;
        (digits.len() == 10 && damm(&digits) == 0).then_some(RegistrationCode(digits))
    }

    /// The ten digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The display form `123-456-7890`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl std::fmt::Display for RegistrationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// The digits of something typed as a code (full-width digits, hyphens and spaces dropped);
/// `None` when other characters are present.
pub fn normalize_code_input(text: &str) -> Option<String> {
    crate::normalize::code_digits(text)
}

/// Labels of a list of codes, joined for display (`看護師、保健師`).
pub fn join_labels<T: Copy>(items: &[T], label: impl Fn(T) -> &'static str, lang: Lang) -> String {
    let separator = lang.pick("、", ", ");
    items
        .iter()
        .map(|i| label(*i))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_and_read_back() {
        let code = RegistrationCode::from_seed(572_301_948);
        assert_eq!(code.digits().len(), 10);
        let shown = code.display();
        assert_eq!(shown.len(), 12);
        assert_eq!(RegistrationCode::parse(&shown), Some(code.clone()));
        // Typed in full width with spaces, as an input method leaves it.
        let wide: String = shown
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                '-' => ' ',
                other => other,
            })
            .collect();
        assert_eq!(RegistrationCode::parse(&wide), Some(code));
    }

    #[test]
    fn every_single_error_and_neighbour_swap_is_caught() {
        for seed in [0u64, 1, 123_456_789, 999_999_999, 572_301_948] {
            let digits = RegistrationCode::from_seed(seed).digits().to_string();
            let bytes = digits.as_bytes();
            for i in 0..10 {
                for d in b'0'..=b'9' {
                    if d != bytes[i] {
                        let mut wrong = bytes.to_vec();
                        wrong[i] = d;
                        let wrong = String::from_utf8(wrong).unwrap();
                        assert_eq!(RegistrationCode::parse(&wrong), None, "{wrong}");
                    }
                }
                if i < 9 && bytes[i] != bytes[i + 1] {
                    let mut swapped = bytes.to_vec();
                    swapped.swap(i, i + 1);
                    let swapped = String::from_utf8(swapped).unwrap();
                    assert_eq!(RegistrationCode::parse(&swapped), None, "{swapped}");
                }
            }
        }
    }

    #[test]
    fn other_text_is_not_a_code() {
        assert_eq!(RegistrationCode::parse("12345"), None);
        assert_eq!(RegistrationCode::parse("abc-def-ghij"), None);
        assert_eq!(RegistrationCode::parse(""), None);
    }
}
