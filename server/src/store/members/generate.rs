//! A realistic synthetic roster for load tests and benchmarks: members spread over the 47
//! prefectures by population, living in real municipalities, with common Japanese names (old
//! character forms included), weighted professions and licences, experience, languages,
//! memberships with their history and availability, trainings and dispatches.
//!
//! The same seed and day give the same roster. Rows are written with multi-row `INSERT`s in a
//! few large transactions; the per-record API paths would take hours for a national roster.

use super::{join_codes, kana_key, search_text};
use crate::error::ApiError;
use crate::reference::Reference;
use crate::scope::RequestMeta;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, Arg, Sql};
use crate::store::{in_write, on_read, BackendKind, Store};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ouen_shared::text::fold;
use ouen_shared::{ExperienceField, Language, MembershipStatus, Profession, RegistrationCode};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

/// What to generate.
#[derive(Debug, Clone)]
pub struct RosterSpec {
    /// How many members.
    pub members: usize,
    /// The random seed: the same seed and day give the same roster.
    pub seed: u64,
    /// The day the roster is generated "on": histories end before it, availability is around it.
    pub today: NaiveDate,
    /// The version of the member terms applicants accepted.
    pub terms_version: String,
}

/// How many rows a generation wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratedRoster {
    pub members: usize,
    pub memberships: usize,
    pub licences: usize,
    pub tags: usize,
    pub events: usize,
    pub availability: usize,
    pub trainings: usize,
}

/// Members written per transaction.
const MEMBERS_PER_TRANSACTION: usize = 10_000;

/// Bound parameters per statement. PostgreSQL allows 65535 and plans a long `VALUES` list
/// quickly. SQLite allows 32766, but preparing a statement takes time quadratic in its
/// parameters (about five seconds at 30000), so it gets short statements, which its statement
/// cache then reuses.
fn max_args(kind: BackendKind) -> usize {
    match kind {
        BackendKind::Sqlite => 1_000,
        BackendKind::Postgres => 30_000,
    }
}

/// Population of each prefecture in thousands (2020 census), in code order.
const POPULATION: [u32; 47] = [
    5225, 1238, 1211, 2302, 960, 1068, 1833, 2867, 1933, 1939, 7345, 6284, 14048, 9237, 2201, 1035,
    1133, 767, 810, 2048, 1979, 3633, 7542, 1770, 1414, 2578, 8838, 5465, 1324, 923, 553, 671,
    1888, 2800, 1342, 720, 950, 1335, 692, 5135, 811, 1312, 1738, 1124, 1070, 1588, 1467,
];

/// Prefectures sharing a border (or a bridge or a short ferry), in code order.
const NEIGHBOURS: [&[u8]; 47] = [
    &[2],
    &[1, 3, 5],
    &[2, 4, 5],
    &[3, 5, 6, 7],
    &[2, 3, 4, 6],
    &[4, 5, 7, 15],
    &[4, 6, 8, 9, 10, 15],
    &[7, 9, 11, 12],
    &[7, 8, 10, 11],
    &[7, 9, 11, 15, 20],
    &[8, 9, 10, 12, 13, 19, 20],
    &[8, 11, 13],
    &[11, 12, 14, 19],
    &[13, 19, 22],
    &[6, 7, 10, 16, 20],
    &[15, 17, 20, 21],
    &[16, 18, 21],
    &[17, 21, 25, 26],
    &[11, 13, 14, 20, 22],
    &[10, 11, 15, 16, 19, 21, 22, 23],
    &[16, 17, 18, 20, 23, 24, 25],
    &[14, 19, 20, 23],
    &[20, 21, 22, 24],
    &[21, 23, 25, 26, 29, 30],
    &[18, 21, 24, 26],
    &[18, 24, 25, 27, 28, 29],
    &[26, 28, 29, 30],
    &[26, 27, 31, 33, 36],
    &[24, 26, 27, 30],
    &[24, 27, 29],
    &[28, 32, 33, 34],
    &[31, 34, 35],
    &[28, 31, 34, 37],
    &[31, 32, 33, 35, 38],
    &[32, 34, 40],
    &[28, 37, 38, 39],
    &[33, 36, 38],
    &[34, 36, 37, 39],
    &[36, 38],
    &[35, 41, 43, 44],
    &[40, 42],
    &[41],
    &[40, 44, 45, 46],
    &[40, 43, 45],
    &[43, 44, 46],
    &[43, 45, 47],
    &[46],
];

/// Common surnames: written form, reading, romanisation, weight (about per 10,000 people).
/// Old and variant forms (髙橋, 山﨑, 渡邊 …) carry part of the weight of the everyday form, so
/// searching for the everyday form must fold them.
const SURNAMES: &[(&str, &str, &str, u32)] = &[
    ("佐藤", "さとう", "sato", 150),
    ("鈴木", "すずき", "suzuki", 145),
    ("高橋", "たかはし", "takahashi", 96),
    ("髙橋", "たかはし", "takahashi", 17),
    ("田中", "たなか", "tanaka", 107),
    ("伊藤", "いとう", "ito", 86),
    ("渡辺", "わたなべ", "watanabe", 68),
    ("渡邊", "わたなべ", "watanabe", 9),
    ("渡邉", "わたなべ", "watanabe", 8),
    ("山本", "やまもと", "yamamoto", 83),
    ("中村", "なかむら", "nakamura", 83),
    ("小林", "こばやし", "kobayashi", 81),
    ("加藤", "かとう", "kato", 71),
    ("吉田", "よしだ", "yoshida", 67),
    ("山田", "やまだ", "yamada", 66),
    ("佐々木", "ささき", "sasaki", 55),
    ("山口", "やまぐち", "yamaguchi", 52),
    ("松本", "まつもと", "matsumoto", 50),
    ("井上", "いのうえ", "inoue", 48),
    ("木村", "きむら", "kimura", 46),
    ("林", "はやし", "hayashi", 43),
    ("斎藤", "さいとう", "saito", 30),
    ("齋藤", "さいとう", "saito", 8),
    ("齊藤", "さいとう", "saito", 4),
    ("斉藤", "さいとう", "saito", 25),
    ("清水", "しみず", "shimizu", 41),
    ("山崎", "やまざき", "yamazaki", 33),
    ("山﨑", "やまざき", "yamazaki", 6),
    ("森", "もり", "mori", 37),
    ("池田", "いけだ", "ikeda", 35),
    ("橋本", "はしもと", "hashimoto", 35),
    ("阿部", "あべ", "abe", 35),
    ("石川", "いしかわ", "ishikawa", 34),
    ("山下", "やました", "yamashita", 34),
    ("中島", "なかじま", "nakajima", 29),
    ("中嶋", "なかじま", "nakajima", 4),
    ("石井", "いしい", "ishii", 32),
    ("小川", "おがわ", "ogawa", 32),
    ("前田", "まえだ", "maeda", 31),
    ("岡田", "おかだ", "okada", 31),
    ("長谷川", "はせがわ", "hasegawa", 30),
    ("藤田", "ふじた", "fujita", 30),
    ("後藤", "ごとう", "goto", 30),
    ("近藤", "こんどう", "kondo", 29),
    ("村上", "むらかみ", "murakami", 28),
    ("遠藤", "えんどう", "endo", 26),
    ("青木", "あおき", "aoki", 26),
    ("坂本", "さかもと", "sakamoto", 26),
    ("福田", "ふくだ", "fukuda", 25),
    ("太田", "おおた", "ota", 25),
    ("西村", "にしむら", "nishimura", 24),
    ("藤井", "ふじい", "fujii", 24),
    ("金子", "かねこ", "kaneko", 23),
    ("岡本", "おかもと", "okamoto", 23),
    ("藤原", "ふじわら", "fujiwara", 23),
    ("中野", "なかの", "nakano", 22),
    ("三浦", "みうら", "miura", 22),
    ("原田", "はらだ", "harada", 22),
    ("中川", "なかがわ", "nakagawa", 21),
    ("松田", "まつだ", "matsuda", 21),
    ("竹内", "たけうち", "takeuchi", 21),
    ("小野", "おの", "ono", 21),
    ("田村", "たむら", "tamura", 21),
    ("中山", "なかやま", "nakayama", 20),
    ("和田", "わだ", "wada", 20),
    ("石田", "いしだ", "ishida", 20),
    ("森田", "もりた", "morita", 19),
    ("上田", "うえだ", "ueda", 19),
    ("原", "はら", "hara", 19),
    ("内田", "うちだ", "uchida", 19),
    ("柴田", "しばた", "shibata", 19),
    ("酒井", "さかい", "sakai", 19),
    ("宮崎", "みやざき", "miyazaki", 17),
    ("宮﨑", "みやざき", "miyazaki", 2),
    ("横山", "よこやま", "yokoyama", 18),
    ("高木", "たかぎ", "takagi", 18),
    ("安藤", "あんどう", "ando", 18),
    ("宮本", "みやもと", "miyamoto", 18),
    ("大野", "おおの", "ono", 18),
    ("小島", "こじま", "kojima", 17),
    ("谷口", "たにぐち", "taniguchi", 17),
    ("工藤", "くどう", "kudo", 17),
    ("高田", "たかだ", "takada", 17),
    ("丸山", "まるやま", "maruyama", 17),
    ("増田", "ますだ", "masuda", 16),
    ("今井", "いまい", "imai", 16),
    ("高野", "たかの", "takano", 16),
    ("桜井", "さくらい", "sakurai", 12),
    ("櫻井", "さくらい", "sakurai", 3),
    ("菅原", "すがわら", "sugawara", 15),
    ("大塚", "おおつか", "otsuka", 15),
    ("千葉", "ちば", "chiba", 15),
    ("村田", "むらた", "murata", 15),
    ("平野", "ひらの", "hirano", 15),
    ("小山", "こやま", "koyama", 15),
    ("松井", "まつい", "matsui", 15),
    ("岩崎", "いわさき", "iwasaki", 14),
    ("野口", "のぐち", "noguchi", 14),
    ("浜田", "はまだ", "hamada", 11),
    ("濱田", "はまだ", "hamada", 3),
    ("島田", "しまだ", "shimada", 11),
    ("嶋田", "しまだ", "shimada", 3),
    ("広瀬", "ひろせ", "hirose", 8),
    ("廣瀬", "ひろせ", "hirose", 2),
    ("沢田", "さわだ", "sawada", 8),
    ("澤田", "さわだ", "sawada", 3),
    ("富田", "とみた", "tomita", 9),
    ("冨田", "とみた", "tomita", 3),
    ("比嘉", "ひが", "higa", 5),
    ("金城", "きんじょう", "kinjo", 4),
];

/// Given names: written form, reading, romanisation, weight.
const WOMEN: &[(&str, &str, &str, u32)] = &[
    ("陽子", "ようこ", "yoko", 10),
    ("恵子", "けいこ", "keiko", 9),
    ("惠子", "けいこ", "keiko", 1),
    ("京子", "きょうこ", "kyoko", 8),
    ("幸子", "さちこ", "sachiko", 7),
    ("久美子", "くみこ", "kumiko", 8),
    ("由美子", "ゆみこ", "yumiko", 8),
    ("真由美", "まゆみ", "mayumi", 8),
    ("裕子", "ゆうこ", "yuko", 9),
    ("優子", "ゆうこ", "yuko", 7),
    ("智子", "ともこ", "tomoko", 9),
    ("直美", "なおみ", "naomi", 8),
    ("美穂", "みほ", "miho", 7),
    ("愛", "あい", "ai", 6),
    ("恵", "めぐみ", "megumi", 7),
    ("明美", "あけみ", "akemi", 6),
    ("香織", "かおり", "kaori", 7),
    ("麻衣", "まい", "mai", 5),
    ("舞", "まい", "mai", 5),
    ("彩", "あや", "aya", 5),
    ("美咲", "みさき", "misaki", 6),
    ("花子", "はなこ", "hanako", 3),
    ("由佳", "ゆか", "yuka", 6),
    ("千尋", "ちひろ", "chihiro", 5),
    ("奈々", "なな", "nana", 4),
    ("沙織", "さおり", "saori", 6),
    ("純子", "じゅんこ", "junko", 7),
    ("真理子", "まりこ", "mariko", 6),
    ("眞理子", "まりこ", "mariko", 1),
    ("早苗", "さなえ", "sanae", 4),
    ("里美", "さとみ", "satomi", 5),
    ("理恵", "りえ", "rie", 5),
    ("綾香", "あやか", "ayaka", 4),
    ("亜希子", "あきこ", "akiko", 5),
    ("千夏", "ちなつ", "chinatsu", 3),
    ("結衣", "ゆい", "yui", 3),
];

const MEN: &[(&str, &str, &str, u32)] = &[
    ("浩", "ひろし", "hiroshi", 8),
    ("誠", "まこと", "makoto", 8),
    ("健一", "けんいち", "kenichi", 7),
    ("隆", "たかし", "takashi", 7),
    ("大輔", "だいすけ", "daisuke", 8),
    ("拓也", "たくや", "takuya", 7),
    ("翔太", "しょうた", "shota", 5),
    ("直樹", "なおき", "naoki", 7),
    ("和也", "かずや", "kazuya", 6),
    ("哲也", "てつや", "tetsuya", 6),
    ("修", "おさむ", "osamu", 5),
    ("剛", "つよし", "tsuyoshi", 5),
    ("健太", "けんた", "kenta", 6),
    ("雄一", "ゆういち", "yuichi", 5),
    ("亮", "りょう", "ryo", 5),
    ("聡", "さとし", "satoshi", 6),
    ("康弘", "やすひろ", "yasuhiro", 4),
    ("博之", "ひろゆき", "hiroyuki", 5),
    ("一郎", "いちろう", "ichiro", 3),
    ("太郎", "たろう", "taro", 3),
    ("達也", "たつや", "tatsuya", 5),
    ("実", "みのる", "minoru", 3),
    ("實", "みのる", "minoru", 1),
    ("龍之介", "りゅうのすけ", "ryunosuke", 1),
    ("悠斗", "ゆうと", "yuto", 2),
];

/// Professions of the talent bank with their weight and share of women.
const PROFESSIONS: &[(Profession, u32, f64)] = &[
    (Profession::PublicHealthNurse, 300, 0.97),
    (Profession::Nurse, 330, 0.92),
    (Profession::Doctor, 80, 0.25),
    (Profession::Midwife, 50, 1.0),
    (Profession::Pharmacist, 60, 0.6),
    (Profession::RegisteredDietitian, 50, 0.9),
    (Profession::AssistantNurse, 30, 0.9),
    (Profession::Dentist, 10, 0.3),
    (Profession::ClinicalLaboratoryTechnician, 20, 0.6),
    (Profession::RadiologicalTechnologist, 10, 0.3),
    (Profession::ClinicalEngineer, 5, 0.3),
    (Profession::Paramedic, 5, 0.1),
    (Profession::Clerical, 50, 0.6),
];

/// Fields of experience likely for a profession, with weights.
fn experience_choices(p: Profession) -> &'static [(ExperienceField, u32)] {
    use ExperienceField as E;
    match p {
        Profession::PublicHealthNurse => &[
            (E::PublicHealth, 10),
            (E::Epidemiology, 5),
            (E::InfectionControl, 4),
            (E::MaternalChild, 4),
            (E::MentalHealth, 3),
            (E::ElderlyCare, 3),
            (E::Disaster, 2),
            (E::OccupationalHealth, 2),
            (E::SchoolHealth, 1),
        ],
        Profession::Nurse | Profession::AssistantNurse => &[
            (E::Icu, 4),
            (E::Emergency, 4),
            (E::InfectionControl, 4),
            (E::HomeCare, 4),
            (E::ElderlyCare, 4),
            (E::MentalHealth, 2),
            (E::MaternalChild, 1),
            (E::Disaster, 1),
        ],
        Profession::Doctor | Profession::Dentist => &[
            (E::InfectionControl, 4),
            (E::Emergency, 4),
            (E::Icu, 3),
            (E::PublicHealth, 3),
            (E::Epidemiology, 2),
            (E::Disaster, 2),
            (E::HomeCare, 1),
        ],
        Profession::Midwife => &[(E::MaternalChild, 10), (E::HomeCare, 1)],
        Profession::Pharmacist => &[
            (E::InfectionControl, 4),
            (E::PublicHealth, 3),
            (E::HomeCare, 2),
            (E::Disaster, 1),
        ],
        Profession::RegisteredDietitian => &[
            (E::PublicHealth, 4),
            (E::ElderlyCare, 3),
            (E::MaternalChild, 3),
            (E::SchoolHealth, 2),
        ],
        Profession::Clerical => &[(E::Administration, 10), (E::PublicHealth, 2)],
        _ => &[
            (E::InfectionControl, 3),
            (E::Emergency, 3),
            (E::Disaster, 2),
            (E::Icu, 1),
        ],
    }
}

/// Languages besides Japanese, with the share of members who work in them.
const OTHER_LANGUAGES: &[(Language, f64)] = &[
    (Language::English, 0.12),
    (Language::Chinese, 0.025),
    (Language::Korean, 0.015),
    (Language::SignLanguage, 0.01),
    (Language::Portuguese, 0.005),
    (Language::Spanish, 0.005),
    (Language::Vietnamese, 0.005),
    (Language::Tagalog, 0.004),
    (Language::French, 0.004),
    (Language::Nepali, 0.002),
    (Language::Indonesian, 0.002),
    (Language::Thai, 0.002),
    (Language::Burmese, 0.001),
    (Language::Russian, 0.002),
];

const TOWNS: &[&str] = &[
    "本町",
    "中央",
    "栄町",
    "緑町",
    "旭町",
    "幸町",
    "東町",
    "西町",
    "南町",
    "北町",
    "昭和町",
    "大手町",
    "駅前",
    "新町",
    "桜木町",
    "若葉",
    "朝日町",
    "錦町",
    "宮前",
    "春日",
];

const NOTES: &[&str] = &[
    "夜間・休日の対応可。",
    "英語での電話対応可。",
    "車の運転可（普通免許）。",
    "保健所勤務経験あり（10年）。",
    "育児中のため平日日中のみ。",
    "感染症病棟での勤務経験あり。",
    "手話での対応可。",
    "介護中のため遠方への派遣は不可。",
];

const REJECTIONS: &[&str] = &[
    "免許の確認ができませんでした。",
    "提出書類に不備があります。",
    "活動地域が当県の募集対象外です。",
];

const SUSPENSIONS: &[&str] = &[
    "長期の海外滞在のため一時停止。",
    "本人の申出による休止（育児）。",
    "連絡がつかないため一時停止。",
];

const WITHDRAWALS: &[&str] = &["本人の申出（転居のため）。", "本人の申出（業務多忙）。"];

/// Training titles; `{}` is the Reiwa year of the fiscal year.
const TRAININGS: &[&str] = &[
    "IHEAT基礎研修（令和{}年度）",
    "IHEAT実践研修 積極的疫学調査（令和{}年度）",
    "IHEAT実践研修 健康観察・電話相談（令和{}年度）",
    "感染症対策研修 個人防護具の着脱（令和{}年度）",
    "DHEAT基礎編研修（令和{}年度）",
    "保健所業務体験研修（令和{}年度）",
];

/// A step in a membership's history: when, to which status, why, by whom.
type Event = (
    DateTime<Utc>,
    MembershipStatus,
    Option<String>,
    Option<String>,
);

/// A prefecture's municipalities `(code, name)` and the odds of living in each.
type Places = (Vec<(String, String)>, WeightedIndex<u32>);

/// A membership before its ids are known.
struct PlannedMembership {
    prefecture_code: String,
    status: MembershipStatus,
    managed: bool,
    recheck_needed: bool,
    reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    events: Vec<Event>,
    availability: Vec<(NaiveDate, NaiveDate, bool, bool, bool)>,
}

/// A member before its id is known.
struct PlannedMember {
    registration_code: Option<String>,
    managed_by: Option<String>,
    name: String,
    name_kana: String,
    birth_date: NaiveDate,
    email: String,
    phone: String,
    prefecture_code: String,
    municipality_code: String,
    municipality_name: String,
    street: String,
    licences: Vec<(Profession, String, NaiveDate)>,
    experience_years: i64,
    experience_fields: Vec<ExperienceField>,
    languages: Vec<Language>,
    notes: String,
    last_dispatch_on: Option<NaiveDate>,
    terms: Option<(String, DateTime<Utc>)>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    memberships: Vec<PlannedMembership>,
    trainings: Vec<(String, NaiveDate, Option<String>)>,
}

/// Draws members one after another from one seeded generator.
struct Planner<'a> {
    rng: StdRng,
    spec: &'a RosterSpec,
    /// The end of the generated history: midnight UTC of `today`.
    now: DateTime<Utc>,
    prefectures: WeightedIndex<u32>,
    /// Per prefecture (index = code - 1): municipalities `(code, name)` and their weights.
    municipalities: Vec<Places>,
    surnames: WeightedIndex<u32>,
    women: WeightedIndex<u32>,
    men: WeightedIndex<u32>,
    professions: WeightedIndex<u32>,
    codes: HashSet<String>,
    /// `(profession code, number)` of every licence on record: a licence belongs to one person.
    licences: HashSet<(String, String)>,
    serial: usize,
}

fn weights<T>(items: &[T], weight: impl Fn(&T) -> u32) -> WeightedIndex<u32> {
    WeightedIndex::new(items.iter().map(weight)).expect("non-empty positive weights")
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

impl<'a> Planner<'a> {
    fn new(
        reference: &Reference,
        spec: &'a RosterSpec,
        taken_codes: HashSet<String>,
        taken_licences: HashSet<(String, String)>,
    ) -> Self {
        let municipalities = ouen_shared::prefecture::PREFECTURES
            .iter()
            .map(|p| {
                let list: Vec<(String, String, u32)> = reference
                    .search(Some(p.code), None, None)
                    .into_iter()
                    .map(|m| {
                        // Cities and Tokyo's wards hold most people; towns more than villages.
                        let weight = if m.city_or_ward {
                            6
                        } else if m.name.ends_with('町') {
                            2
                        } else {
                            1
                        };
                        (m.code, m.name, weight)
                    })
                    .collect();
                let index = weights(&list, |m| m.2);
                (list.into_iter().map(|(c, n, _)| (c, n)).collect(), index)
            })
            .collect();
        Planner {
            rng: StdRng::seed_from_u64(spec.seed),
            spec,
            now: midnight(spec.today),
            prefectures: weights(&POPULATION, |p| *p),
            municipalities,
            surnames: weights(SURNAMES, |s| s.3),
            women: weights(WOMEN, |s| s.3),
            men: weights(MEN, |s| s.3),
            professions: weights(PROFESSIONS, |p| p.1),
            codes: taken_codes,
            licences: taken_licences,
            serial: 0,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// An instant `min_days..=max_days` after `from`, during office hours, never after `now`.
    fn later(&mut self, from: DateTime<Utc>, min_days: i64, max_days: i64) -> DateTime<Utc> {
        let days = self.rng.gen_range(min_days..=max_days.max(min_days));
        let seconds = self.rng.gen_range(0..8 * 3600);
        let at = from + Duration::days(days) + Duration::seconds(seconds);
        if at >= self.now {
            let room = (self.now - from).num_seconds().max(2);
            from + Duration::seconds(self.rng.gen_range(1..room))
        } else {
            at
        }
    }

    fn registration_code(&mut self) -> String {
        loop {
            let code = RegistrationCode::from_seed(self.rng.gen::<u64>())
                .digits()
                .to_string();
            if self.codes.insert(code.clone()) {
                return code;
            }
        }
    }

    /// A licence number not on record for the profession: seven digits for nurses, six for
    /// the others.
    fn licence_number(&mut self, profession: Profession) -> String {
        loop {
            let number = match profession {
                Profession::Nurse | Profession::AssistantNurse => {
                    format!("{:07}", self.rng.gen_range(1..10_000_000))
                }
                _ => format!("{:06}", self.rng.gen_range(1..1_000_000)),
            };
            if self
                .licences
                .insert((profession.code().to_string(), number.clone()))
            {
                return number;
            }
        }
    }

    fn neighbour(&mut self, code: &str, not: &[String]) -> Option<String> {
        let index = code.parse::<usize>().ok()?.checked_sub(1)?;
        let options: Vec<String> = NEIGHBOURS
            .get(index)?
            .iter()
            .map(|n| format!("{n:02}"))
            .filter(|n| !not.contains(n))
            .collect();
        if options.is_empty() {
            None
        } else {
            Some(options[self.rng.gen_range(0..options.len())].clone())
        }
    }

    fn member(&mut self) -> PlannedMember {
        self.serial += 1;
        let today = self.spec.today;
        let home = self.prefectures.sample(&mut self.rng);
        let prefecture_code = format!("{:02}", home + 1);
        let (list, index) = &self.municipalities[home];
        let (municipality_code, municipality_name) = list[index.sample(&mut self.rng)].clone();

        // Profession first: it decides sex, age at licence and experience.
        let (profession, _, women_share) = PROFESSIONS[self.professions.sample(&mut self.rng)];
        let woman = self.chance(women_share);
        let surname = SURNAMES[self.surnames.sample(&mut self.rng)];
        let given = if woman {
            WOMEN[self.women.sample(&mut self.rng)]
        } else {
            MEN[self.men.sample(&mut self.rng)]
        };
        let name = format!("{} {}", surname.0, given.0);
        let hiragana = format!("{} {}", surname.1, given.1);
        // Most write the reading in hiragana, some in katakana as on paper forms.
        let name_kana = if self.chance(0.3) {
            hiragana
                .chars()
                .map(|c| match c {
                    'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
                    _ => c,
                })
                .collect()
        } else {
            hiragana
        };
        let age: i64 = match self.rng.gen_range(0..100) {
            0..=14 => self.rng.gen_range(23..30),
            15..=64 => self.rng.gen_range(30..55),
            65..=89 => self.rng.gen_range(55..66),
            _ => self.rng.gen_range(66..76),
        };
        let birth_date = today - Duration::days(age * 365 + self.rng.gen_range(0..365));
        let licence_age = match profession {
            Profession::Doctor | Profession::Dentist => self.rng.gen_range(24..28),
            Profession::Clerical => self.rng.gen_range(20..30),
            _ => self.rng.gen_range(21..25),
        };
        let licensed_year = birth_date.year() + licence_age;
        let licensed_on = NaiveDate::from_ymd_opt(
            licensed_year,
            self.rng.gen_range(3..6),
            self.rng.gen_range(1..29),
        )
        .filter(|d| *d < today)
        .unwrap_or(today - Duration::days(30));
        let mut licences = vec![(profession, self.licence_number(profession), licensed_on)];
        // Public-health nurses and midwives are registered nurses as well.
        if matches!(
            profession,
            Profession::PublicHealthNurse | Profession::Midwife
        ) && self.chance(0.95)
        {
            licences.push((
                Profession::Nurse,
                self.licence_number(Profession::Nurse),
                licensed_on,
            ));
        } else if profession == Profession::Nurse && self.chance(0.03) {
            licences.push((
                Profession::PublicHealthNurse,
                self.licence_number(Profession::PublicHealthNurse),
                licensed_on + Duration::days(self.rng.gen_range(365..3650)),
            ));
        }
        licences.retain(|l| l.2 < today);
        let career = i64::from(today.year() - licensed_on.year()).max(0);
        let experience_years = (career - self.rng.gen_range(0..=(career / 4).max(0))).clamp(0, 80);

        let choices = experience_choices(profession);
        let field_index = weights(choices, |c| c.1);
        let mut experience_fields = Vec::new();
        for _ in 0..self.rng.gen_range(1..=3) {
            let field = choices[field_index.sample(&mut self.rng)].0;
            if !experience_fields.contains(&field) {
                experience_fields.push(field);
            }
        }
        let mut languages = Vec::new();
        if self.chance(0.995) {
            languages.push(Language::Japanese);
        }
        for (language, share) in OTHER_LANGUAGES {
            if self.chance(*share) {
                languages.push(*language);
            }
        }
        if languages.is_empty() {
            languages.push(Language::English);
        }

        let managed = self.chance(0.08);
        let email = if managed && self.chance(0.3) {
            String::new()
        } else {
            let domain = ["example.jp", "example.com", "example.ne.jp"][self.rng.gen_range(0..3)];
            format!("{}.{}.{}@{domain}", given.2, surname.2, self.serial)
        };
        let phone = if managed && email.is_empty() && self.chance(0.5) {
            String::new()
        } else {
            format!(
                "{}-{:04}-{:04}",
                ["090", "080", "070"][self.rng.gen_range(0..3)],
                self.rng.gen_range(0..10_000),
                self.rng.gen_range(0..10_000)
            )
        };
        let street = format!(
            "{}{}丁目{}番{}号",
            TOWNS[self.rng.gen_range(0..TOWNS.len())],
            self.rng.gen_range(1..=6),
            self.rng.gen_range(1..=30),
            self.rng.gen_range(1..=20)
        );
        let notes = if self.chance(0.05) {
            NOTES[self.rng.gen_range(0..NOTES.len())].to_string()
        } else {
            String::new()
        };

        // Memberships: the home prefecture first (a few live across a border), then
        // neighbours. Applicants still waiting registered recently.
        let history_days = 6 * 365 + 180;
        let mut codes: Vec<String> = Vec::new();
        let count = if managed {
            1
        } else {
            match self.rng.gen_range(0..100) {
                0..=74 => 1,
                75..=94 => 2,
                _ => 3,
            }
        };
        let first = if !managed && self.chance(0.05) {
            self.neighbour(&prefecture_code, &[])
                .unwrap_or_else(|| prefecture_code.clone())
        } else {
            prefecture_code.clone()
        };
        codes.push(first);
        while codes.len() < count {
            let last = codes[codes.len() - 1].clone();
            match self.neighbour(&last, &codes) {
                Some(n) => codes.push(n),
                None => break,
            }
        }
        let statuses: Vec<MembershipStatus> = codes
            .iter()
            .enumerate()
            .map(|(i, _)| {
                use MembershipStatus as S;
                if managed {
                    return S::Approved;
                }
                let roll = self.rng.gen_range(0..100);
                if i == 0 {
                    match roll {
                        0..=75 => S::Approved,
                        76..=87 => S::Applied,
                        88..=90 => S::Rejected,
                        91..=93 => S::Suspended,
                        _ => S::Withdrawn,
                    }
                } else {
                    match roll {
                        0..=54 => S::Approved,
                        55..=84 => S::Applied,
                        85..=89 => S::Rejected,
                        _ => S::Withdrawn,
                    }
                }
            })
            .collect();
        let created_at = if statuses[0] == MembershipStatus::Applied {
            self.later(self.now - Duration::days(120), 0, 119)
        } else {
            self.later(self.now - Duration::days(history_days), 0, history_days - 3)
        };
        let applicant_login = (!email.is_empty()).then(|| email.clone());
        let mut memberships = Vec::new();
        let mut registration_code = None;
        let mut first_approval: Option<DateTime<Utc>> = None;
        for (i, (code, status)) in codes.iter().zip(statuses).enumerate() {
            let prefecture_login = format!("pref{code}-iheat");
            let since = if i == 0 {
                created_at
            } else if status == MembershipStatus::Applied {
                let days_ago = (self.now - created_at).num_days().clamp(1, 120);
                self.later(self.now - Duration::days(days_ago), 0, days_ago - 1)
            } else {
                self.later(created_at, 0, 900)
            };
            let mut events = Vec::new();
            let mut reason = None;
            if managed {
                events.push((since, status, None, Some(prefecture_login.clone())));
                first_approval = Some(since);
            } else {
                use MembershipStatus as S;
                events.push((since, S::Applied, None, applicant_login.clone()));
                let decided = self.later(since, 2, 45);
                match status {
                    S::Applied => {}
                    S::Approved | S::Suspended => {
                        events.push((decided, S::Approved, None, Some(prefecture_login.clone())));
                        first_approval = Some(first_approval.map_or(decided, |f| f.min(decided)));
                        if status == S::Suspended {
                            let r = SUSPENSIONS[self.rng.gen_range(0..SUSPENSIONS.len())];
                            let at = self.later(decided, 30, 700);
                            events.push((at, status, Some(r.into()), Some(prefecture_login)));
                            reason = Some(r.to_string());
                        }
                    }
                    S::Rejected => {
                        let r = REJECTIONS[self.rng.gen_range(0..REJECTIONS.len())];
                        events.push((decided, status, Some(r.into()), Some(prefecture_login)));
                        reason = Some(r.to_string());
                    }
                    S::Withdrawn => {
                        let mut at = decided;
                        if self.chance(0.7) {
                            events.push((at, S::Approved, None, Some(prefecture_login.clone())));
                            first_approval = Some(first_approval.map_or(at, |f| f.min(at)));
                            at = self.later(at, 30, 900);
                        }
                        let r = if self.chance(0.8) {
                            Some(WITHDRAWALS[self.rng.gen_range(0..WITHDRAWALS.len())].to_string())
                        } else {
                            None
                        };
                        // The member withdraws; the prefecture records it on the member's word.
                        events.push((at, status, r.clone(), Some(prefecture_login)));
                        reason = r;
                    }
                }
            }
            let updated_at = events.last().map_or(since, |e| e.0);
            let periods = if managed && self.chance(0.2) {
                0
            } else {
                match self.rng.gen_range(0..100) {
                    0..=69 => 1,
                    70..=94 => 2,
                    _ => 3,
                }
            };
            let availability = (0..periods).map(|_| self.period()).collect();
            let recheck_needed = matches!(
                status,
                MembershipStatus::Applied
                    | MembershipStatus::Approved
                    | MembershipStatus::Suspended
            ) && self.chance(0.015);
            memberships.push(PlannedMembership {
                prefecture_code: code.clone(),
                status,
                managed,
                recheck_needed,
                reason,
                created_at: since,
                updated_at,
                events,
                availability,
            });
        }
        if first_approval.is_some() {
            registration_code = Some(self.registration_code());
        }
        let updated_at = memberships
            .iter()
            .map(|m| m.updated_at)
            .max()
            .unwrap_or(created_at)
            .max(created_at);
        let last_dispatch_on = match first_approval {
            Some(approved) if self.chance(0.12) => {
                let from = approved.date_naive();
                let span = (today - from).num_days().max(1);
                Some(from + Duration::days(self.rng.gen_range(0..span)))
            }
            _ => None,
        };
        let trainings = self.trainings(created_at, first_approval.is_some());
        PlannedMember {
            registration_code,
            managed_by: managed.then(|| prefecture_code.clone()),
            name,
            name_kana,
            birth_date,
            email,
            phone,
            prefecture_code,
            municipality_code,
            municipality_name,
            street,
            licences,
            experience_years,
            experience_fields,
            languages,
            notes,
            last_dispatch_on,
            terms: (!managed).then(|| (self.spec.terms_version.clone(), created_at)),
            created_at,
            updated_at,
            memberships,
            trainings,
        }
    }

    /// A period of availability with at least one way of helping: the fiscal year, a window
    /// around today, or one already over.
    fn period(&mut self) -> (NaiveDate, NaiveDate, bool, bool, bool) {
        let today = self.spec.today;
        let fiscal_year = if today.month() >= 4 {
            today.year()
        } else {
            today.year() - 1
        };
        let (from, to) = match self.rng.gen_range(0..100) {
            0..=44 => (
                NaiveDate::from_ymd_opt(fiscal_year, 4, 1).unwrap_or(today),
                NaiveDate::from_ymd_opt(fiscal_year + 1, 3, 31).unwrap_or(today),
            ),
            45..=89 => {
                let from = today - Duration::days(self.rng.gen_range(-60..180));
                (from, from + Duration::days(self.rng.gen_range(14..365)))
            }
            _ => {
                let to = today - Duration::days(self.rng.gen_range(1..400));
                (to - Duration::days(self.rng.gen_range(7..180)), to)
            }
        };
        let mut ways = (self.chance(0.65), self.chance(0.45), self.chance(0.55));
        if !(ways.0 || ways.1 || ways.2) {
            ways.0 = true;
        }
        (from, to, ways.0, ways.1, ways.2)
    }

    fn trainings(
        &mut self,
        created_at: DateTime<Utc>,
        approved: bool,
    ) -> Vec<(String, NaiveDate, Option<String>)> {
        let share = if approved { 0.55 } else { 0.15 };
        if !self.chance(share) {
            return Vec::new();
        }
        let mut out: Vec<(String, NaiveDate, Option<String>)> = Vec::new();
        for _ in 0..self.rng.gen_range(1..=3) {
            let on = self.later(created_at, 1, 1500).date_naive();
            let fiscal_year = if on.month() >= 4 {
                on.year()
            } else {
                on.year() - 1
            };
            let title = TRAININGS[self.rng.gen_range(0..TRAININGS.len())]
                .replace("{}", &(fiscal_year - 2018).to_string());
            if out.iter().any(|t| t.0 == title) {
                continue;
            }
            let certificate = self
                .chance(0.7)
                .then(|| format!("IH-{fiscal_year}-{:05}", self.rng.gen_range(1..100_000)));
            out.push((title, on, certificate));
        }
        out
    }
}

/// The rows of one transaction, ids assigned.
#[derive(Default)]
struct Rows {
    members: Vec<Vec<Arg>>,
    licences: Vec<Vec<Arg>>,
    tags: Vec<Vec<Arg>>,
    memberships: Vec<Vec<Arg>>,
    events: Vec<Vec<Arg>>,
    availability: Vec<Vec<Arg>>,
    trainings: Vec<Vec<Arg>>,
}

impl Rows {
    fn of(planned: &[PlannedMember], member_base: i64, membership_base: i64) -> Rows {
        let mut rows = Rows::default();
        let mut membership_id = membership_base;
        for (i, m) in planned.iter().enumerate() {
            let id = member_base + 1 + i as i64;
            let professions: Vec<Profession> = m.licences.iter().map(|l| l.0).collect();
            rows.members.push(vec![
                id.into(),
                m.registration_code.clone().into(),
                m.managed_by.clone().into(),
                m.name.as_str().into(),
                m.name_kana.as_str().into(),
                kana_key(&m.name_kana).into(),
                Some(m.birth_date).into(),
                m.email.as_str().into(),
                m.phone.as_str().into(),
                m.prefecture_code.as_str().into(),
                m.municipality_code.as_str().into(),
                m.municipality_name.as_str().into(),
                m.street.as_str().into(),
                join_codes(&professions, |x| x.code()).into(),
                m.experience_years.into(),
                join_codes(&m.experience_fields, |x| x.code()).into(),
                join_codes(&m.languages, |x| x.code()).into(),
                m.notes.as_str().into(),
                search_text(
                    &m.name,
                    &m.name_kana,
                    m.registration_code.as_deref(),
                    &m.notes,
                )
                .into(),
                m.last_dispatch_on.into(),
                m.terms.as_ref().map(|t| t.0.clone()).into(),
                m.terms.as_ref().map(|t| t.1).into(),
                m.created_at.into(),
                m.updated_at.into(),
            ]);
            for (profession, number, on) in &m.licences {
                rows.licences.push(vec![
                    id.into(),
                    profession.code().into(),
                    number.as_str().into(),
                    (*on).into(),
                ]);
            }
            for field in &m.experience_fields {
                rows.tags
                    .push(vec![id.into(), "experience".into(), field.code().into()]);
            }
            for language in &m.languages {
                rows.tags
                    .push(vec![id.into(), "language".into(), language.code().into()]);
            }
            for ms in &m.memberships {
                membership_id += 1;
                rows.memberships.push(vec![
                    membership_id.into(),
                    id.into(),
                    ms.prefecture_code.as_str().into(),
                    ms.status.code().into(),
                    ms.managed.into(),
                    ms.recheck_needed.into(),
                    ms.reason.clone().into(),
                    ms.created_at.into(),
                    ms.updated_at.into(),
                ]);
                for (at, status, reason, actor) in &ms.events {
                    rows.events.push(vec![
                        membership_id.into(),
                        (*at).into(),
                        status.code().into(),
                        reason.clone().into(),
                        actor.clone().into(),
                    ]);
                }
                for (from, to, on_site, remote, phone) in &ms.availability {
                    rows.availability.push(vec![
                        membership_id.into(),
                        (*from).into(),
                        (*to).into(),
                        (*on_site).into(),
                        (*remote).into(),
                        (*phone).into(),
                    ]);
                }
            }
            for (title, on, certificate) in &m.trainings {
                rows.trainings.push(vec![
                    id.into(),
                    title.as_str().into(),
                    fold(title).into(),
                    (*on).into(),
                    certificate.clone().into(),
                ]);
            }
        }
        rows
    }

    /// The statements inserting every row, each under the bound-parameter limit.
    fn statements(&self, max_args: usize) -> Vec<Sql> {
        let tables: [(&str, &[Vec<Arg>]); 7] = [
            (
                "INSERT INTO members (id, registration_code, managed_by, name, name_kana, kana_fold, birth_date, \
                 email, phone, prefecture_code, municipality_code, municipality_name, street, professions, \
                 experience_years, experience_fields, languages, notes, search_fold, last_dispatch_on, \
                 terms_version, terms_accepted_at, created_at, updated_at) VALUES ",
                &self.members,
            ),
            (
                "INSERT INTO member_licences (member_id, profession, number, licensed_on) VALUES ",
                &self.licences,
            ),
            (
                "INSERT INTO member_tags (member_id, kind, code) VALUES ",
                &self.tags,
            ),
            (
                "INSERT INTO memberships (id, member_id, prefecture_code, status, managed, recheck_needed, \
                 reason, created_at, updated_at) VALUES ",
                &self.memberships,
            ),
            (
                "INSERT INTO membership_events (membership_id, at, status, reason, actor_login) VALUES ",
                &self.events,
            ),
            (
                "INSERT INTO availability (membership_id, from_date, to_date, on_site, remote, phone) VALUES ",
                &self.availability,
            ),
            (
                "INSERT INTO member_trainings (member_id, title, title_fold, completed_on, certificate_number) VALUES ",
                &self.trainings,
            ),
        ];
        let mut out = Vec::new();
        for (head, rows) in tables {
            let Some(width) = rows.first().map(Vec::len) else {
                continue;
            };
            for chunk in rows.chunks((max_args / width).max(1)) {
                let mut sql = Sql::new(head);
                for (i, row) in chunk.iter().enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.list(row);
                }
                out.push(sql);
            }
        }
        out
    }

    fn count(&self, into: &mut GeneratedRoster) {
        into.members += self.members.len();
        into.memberships += self.memberships.len();
        into.licences += self.licences.len();
        into.tags += self.tags.len();
        into.events += self.events.len();
        into.availability += self.availability.len();
        into.trainings += self.trainings.len();
    }
}

impl Store {
    /// Adds `spec.members` generated members to the roster (next to any already there) and
    /// answers how many rows were written. Registration codes and licences never repeat one on record.
    pub async fn generate_roster(
        &self,
        reference: &Reference,
        spec: &RosterSpec,
    ) -> Result<GeneratedRoster, ApiError> {
        let (codes, licences): (Vec<String>, Vec<(String, String)>) = on_read!(self, db => (
            sqlx::query_scalar("SELECT registration_code FROM members WHERE registration_code IS NOT NULL")
                .fetch_all(db)
                .await?,
            sqlx::query_as("SELECT profession, number FROM member_licences WHERE number <> ''")
                .fetch_all(db)
                .await?,
        ));
        let mut planner = Planner::new(
            reference,
            spec,
            codes.into_iter().collect(),
            licences.into_iter().collect(),
        );
        let postgres = self.kind() == BackendKind::Postgres;
        let mut written = GeneratedRoster::default();
        let mut left = spec.members;
        while left > 0 {
            let n = left.min(MEMBERS_PER_TRANSACTION);
            left -= n;
            let planned: Vec<PlannedMember> = (0..n).map(|_| planner.member()).collect();
            let rows = in_write!(self, tx => {
                // Ids are assigned here, so members and memberships can be referenced without
                // reading every id back; on PostgreSQL the lock keeps other writers out until
                // the identity sequences are moved past them.
                if postgres {
                    sqlx::query("LOCK TABLE members, memberships IN EXCLUSIVE MODE")
                        .execute(&mut *tx)
                        .await?;
                }
                let member_base: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM members")
                    .fetch_one(&mut *tx)
                    .await?;
                let membership_base: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM memberships")
                    .fetch_one(&mut *tx)
                    .await?;
                let rows = Rows::of(&planned, member_base, membership_base);
                for statement in rows.statements(max_args(self.kind())) {
                    execute!(tx, statement);
                }
                if postgres {
                    for table in ["members", "memberships"] {
                        sqlx::query(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        ))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                rows
            });
            rows.count(&mut written);
        }
        // What autovacuum would do after a bulk load, at once: statistics for the planner,
        // the visibility map for index-only scans, pending GIN entries merged. SQLite keeps no
        // statistics unless asked, and a server never asks, so it is left as it runs.
        if let crate::store::Backend::Postgres(pool) = &self.backend {
            sqlx::raw_sql(
                "VACUUM (ANALYZE) members, member_licences, member_tags, memberships, \
                 membership_events, availability, member_trainings",
            )
            .execute(pool)
            .await?;
        }
        let entry = NewEntry::anonymous(&RequestMeta::default(), "member.generate", "member", None)
            .detail(serde_json::json!({
                "members": written.members,
                "memberships": written.memberships,
                "seed": spec.seed,
                "today": spec.today,
            }));
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Actor;
    use ouen_shared::api::{MemberFilter, PageQuery};
    use ouen_shared::{HelpWay, Role};

    fn actor(role: Role, prefecture: Option<&str>) -> Actor {
        Actor {
            account_id: 1,
            login: "generator-test".into(),
            display_name: "test".into(),
            role,
            organisation_id: 1,
            organisation_name: "test".into(),
            organisation_kind: role.org_kind(),
            prefecture_code: prefecture.map(str::to_string),
            session_token_hash: String::new(),
            session_expires_at: Utc::now(),
            request: RequestMeta::default(),
        }
    }

    fn spec(members: usize, seed: u64) -> RosterSpec {
        RosterSpec {
            members,
            seed,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            terms_version: "2026-04".into(),
        }
    }

    async fn open_store(dir: &tempfile::TempDir, name: &str) -> Store {
        Store::connect(&format!("sqlite://{}", dir.path().join(name).display()))
            .await
            .expect("store")
    }

    async fn count(store: &Store, sql: &str) -> i64 {
        on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.expect(sql))
    }

    #[tokio::test]
    async fn a_small_roster_is_realistic_searchable_and_repeatable() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = open_store(&dir, "a.db").await;
        let reference = Reference::load();
        let written = store
            .generate_roster(&reference, &spec(500, 7))
            .await
            .expect("generate");
        assert_eq!(written.members, 500);
        assert!(written.memberships >= 500 && written.memberships <= 1500);
        assert!(written.licences >= 500 && written.events >= written.memberships);
        assert_eq!(count(&store, "SELECT COUNT(*) FROM members").await, 500);
        let memberships = count(&store, "SELECT COUNT(*) FROM memberships").await;
        assert_eq!(memberships as usize, written.memberships);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM availability").await as usize,
            written.availability
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM member_trainings").await as usize,
            written.trainings
        );
        let tokyo = count(
            &store,
            "SELECT COUNT(*) FROM members WHERE prefecture_code = '13'",
        )
        .await;
        let tottori = count(
            &store,
            "SELECT COUNT(*) FROM members WHERE prefecture_code = '31'",
        )
        .await;
        assert!(
            tokyo > 4 * tottori.max(1),
            "東京都 {tokyo}, 鳥取県 {tottori}"
        );

        let rows: Vec<(String, String, String, Option<String>)> = on_read!(store, db => sqlx::query_as(
            "SELECT prefecture_code, municipality_code, name, registration_code FROM members")
            .fetch_all(db).await.expect("members"));
        let mut codes = HashSet::new();
        for (prefecture, municipality, _, code) in &rows {
            assert_eq!(
                reference
                    .municipality(municipality)
                    .map(|m| m.prefecture_code.as_str()),
                Some(prefecture.as_str())
            );
            if let Some(code) = code {
                assert!(RegistrationCode::parse(code).is_some(), "{code}");
                assert!(codes.insert(code.clone()), "{code} repeated");
            }
        }
        assert!(
            codes.len() > 300,
            "most members were approved once: {}",
            codes.len()
        );

        // A prefecture's search finds its generated members, by katakana too.
        let members_of_tokyo = count(
            &store,
            "SELECT COUNT(DISTINCT member_id) FROM memberships WHERE prefecture_code = '13'",
        )
        .await;
        let tokyo_actor = actor(Role::Prefecture, Some("13"));
        let page = PageQuery {
            per_page: Some(500),
            ..PageQuery::default()
        };
        let all = store
            .list_members(&tokyo_actor, &MemberFilter::default(), &page)
            .await
            .expect("list");
        assert_eq!(all.total, members_of_tokyo);
        assert!(all.total > 0);
        let first = &all.items[0];
        let katakana: String = kana_key(&first.name_kana)
            .chars()
            .take(2)
            .map(|c| char::from_u32(c as u32 + 0x60).unwrap_or(c))
            .collect();
        let found = store
            .list_members(
                &tokyo_actor,
                &MemberFilter {
                    q: Some(katakana),
                    ..MemberFilter::default()
                },
                &page,
            )
            .await
            .expect("search");
        assert!(found.items.iter().any(|m| m.id == first.id));

        // An old character form is found by its everyday form.
        let variant = rows
            .iter()
            .map(|r| &r.2)
            .find(|name| fold(name) != name.replace(' ', ""))
            .expect("some name with an old form");
        let surname = variant.split(' ').next().unwrap_or_default();
        let everyday = fold(surname);
        assert_ne!(surname, everyday);
        let admin = actor(Role::Admin, None);
        let found = store
            .list_members(
                &admin,
                &MemberFilter {
                    q: Some(everyday),
                    ..MemberFilter::default()
                },
                &page,
            )
            .await
            .expect("search");
        assert!(found.items.iter().any(|m| &m.name == variant), "{variant}");

        // The same seed on the same day gives the same roster.
        let again = open_store(&dir, "b.db").await;
        again
            .generate_roster(&reference, &spec(500, 7))
            .await
            .expect("generate again");
        let digest = "SELECT name || name_kana || municipality_code || professions || COALESCE(registration_code, '') FROM members ORDER BY id";
        let first_run: Vec<String> =
            on_read!(store, db => sqlx::query_scalar(digest).fetch_all(db).await.expect("digest"));
        let second_run: Vec<String> =
            on_read!(again, db => sqlx::query_scalar(digest).fetch_all(db).await.expect("digest"));
        assert_eq!(first_run, second_run);
    }

    /// Members the store lists for `filter`, every page in order, with the total.
    async fn listed(
        store: &Store,
        actor: &Actor,
        filter: &MemberFilter,
        sort: Option<&str>,
        descending: bool,
        per_page: u32,
    ) -> (i64, Vec<i64>) {
        let mut ids = Vec::new();
        let mut total = 0;
        for page in 1.. {
            let query = PageQuery {
                page: Some(page),
                per_page: Some(per_page),
                sort: sort.map(str::to_string),
                order: descending.then_some(ouen_shared::api::SortOrder::Desc),
            };
            let answer = store
                .list_members(actor, filter, &query)
                .await
                .expect("list");
            total = answer.total;
            if answer.items.is_empty() {
                break;
            }
            ids.extend(answer.items.iter().map(|m| m.id));
        }
        (total, ids)
    }

    async fn plain(store: &Store, sql: &str) -> Vec<i64> {
        on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_all(db).await.expect(sql))
    }

    async fn withdraw_long_ago(store: &Store, ids: &[i64]) -> Result<(), ApiError> {
        let mut sql = Sql::new("UPDATE members SET withdrawn_at = ");
        sql.arg(midnight(
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        ))
        .push(" WHERE id IN ")
        .list(ids);
        in_write!(store, tx => { execute!(tx, sql); });
        Ok(())
    }

    /// Every way a list is read (counted from memberships or from members, walked in kana
    /// order or gathered, the first page or a later one) gives what a plain scan gives, old
    /// character forms, anonymised members and every scope included.
    async fn searches_agree_with_a_plain_scan(store: Store) {
        let reference = Reference::load();
        store
            .generate_roster(&reference, &spec(2_600, 11))
            .await
            .expect("generate");
        let live = "m.anonymised_at IS NULL";
        let in_tokyo = "EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13')";
        // Some members leave long ago and are anonymised: a Tokyo one and a 高橋.
        let mut gone = plain(
            &store,
            &format!("SELECT m.id FROM members m WHERE {in_tokyo} ORDER BY m.id LIMIT 3"),
        )
        .await;
        gone.extend(plain(&store, "SELECT m.id FROM members m WHERE m.name LIKE '%高橋%' OR m.name LIKE '%髙橋%' ORDER BY m.id LIMIT 2").await);
        withdraw_long_ago(&store, &gone).await.expect("withdraw");
        let anonymised = store
            .anonymise_withdrawn(Duration::days(365), Utc::now())
            .await
            .expect("anonymise");
        assert_eq!(anonymised, gone.len());

        let admin = actor(Role::Admin, None);
        let tokyo = actor(Role::Prefecture, Some("13"));
        let city = actor(Role::City, Some("13"));
        let by_kana = "ORDER BY m.kana_fold, m.id";
        let filter = MemberFilter::default;
        let cases: Vec<(&str, &Actor, MemberFilter, String)> = vec![
            ("national roster", &admin, filter(), format!("{live} {by_kana}")),
            ("東京都 roster", &tokyo, filter(), format!("{live} AND {in_tokyo} {by_kana}")),
            (
                "東京都 vetting queue",
                &tokyo,
                MemberFilter { status: Some("applied".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'applied') {by_kana}"),
            ),
            (
                "city, available on site",
                &city,
                MemberFilter {
                    available_from: NaiveDate::from_ymd_opt(2026, 12, 1),
                    available_to: NaiveDate::from_ymd_opt(2026, 12, 14),
                    way: Some(HelpWay::OnSite),
                    ..filter()
                },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x JOIN availability a ON a.membership_id = x.id \
                         WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'approved' \
                         AND a.from_date <= '2026-12-01' AND a.to_date >= '2026-12-14' AND a.on_site = TRUE) {by_kana}"),
            ),
            (
                "admin, one prefecture approved",
                &admin,
                MemberFilter { prefecture: Some("13".into()), status: Some("approved".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'approved') {by_kana}"),
            ),
            (
                "admin, two prefectures",
                &admin,
                MemberFilter { prefecture: Some("13,14".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code IN ('13', '14')) {by_kana}"),
            ),
            (
                // More matches than come back with the count: later pages are read apart.
                "Japanese speakers",
                &admin,
                MemberFilter { language: Some("ja".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'language' AND t.code = 'ja') {by_kana}"),
            ),
            (
                "surname 高橋",
                &admin,
                MemberFilter { q: Some("高橋".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%高橋%' {by_kana}"),
            ),
            (
                "one character",
                &admin,
                MemberFilter { q: Some("林".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%林%' {by_kana}"),
            ),
            (
                "katakana",
                &admin,
                MemberFilter { q: Some("タカハシ".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%たかはし%' {by_kana}"),
            ),
            (
                "digits of codes",
                &admin,
                MemberFilter { q: Some("１２３".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%123%' {by_kana}"),
            ),
            (
                "東京都 nurses ﾀﾅｶ",
                &tokyo,
                MemberFilter { q: Some("ﾀﾅｶ".into()), profession: Some("nurse".into()), ..filter() },
                format!("{live} AND {in_tokyo} AND m.search_fold LIKE '%たなか%' \
                         AND EXISTS (SELECT 1 FROM member_licences l WHERE l.member_id = m.id AND l.profession = 'nurse') {by_kana}"),
            ),
            (
                "PHN, epidemiology, English",
                &admin,
                MemberFilter {
                    profession: Some("public_health_nurse".into()),
                    experience: Some("epidemiology".into()),
                    language: Some("en".into()),
                    ..filter()
                },
                format!("{live} AND EXISTS (SELECT 1 FROM member_licences l WHERE l.member_id = m.id AND l.profession = 'public_health_nurse') \
                         AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'experience' AND t.code = 'epidemiology') \
                         AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'language' AND t.code = 'en') {by_kana}"),
            ),
            (
                "東京都 trained, never dispatched",
                &tokyo,
                MemberFilter { training: Some("ＩＨＥＡＴ基礎".into()), never_dispatched: Some(true), ..filter() },
                format!("{live} AND {in_tokyo} AND m.last_dispatch_on IS NULL \
                         AND EXISTS (SELECT 1 FROM member_trainings t WHERE t.member_id = m.id AND t.title_fold LIKE '%iheat基礎%') {by_kana}"),
            ),
        ];
        for (name, actor, filter, condition) in &cases {
            let expected = plain(
                &store,
                &format!("SELECT m.id FROM members m WHERE {condition}"),
            )
            .await;
            assert!(!expected.is_empty(), "{name}: nothing to compare");
            for per_page in [11, 50] {
                let (total, ids) = listed(&store, actor, filter, None, false, per_page).await;
                assert_eq!(
                    total,
                    expected.len() as i64,
                    "{name}, {per_page} a page: total"
                );
                assert_eq!(ids, expected, "{name}, {per_page} a page");
            }
        }
        for (sort, order) in [
            ("name", "m.name DESC, m.id DESC"),
            (
                "code",
                "(m.registration_code IS NULL), m.registration_code DESC, m.id DESC",
            ),
        ] {
            for (name, actor, filter, condition) in &cases[..3] {
                let condition = condition.replace(by_kana, &format!("ORDER BY {order}"));
                let expected = plain(
                    &store,
                    &format!("SELECT m.id FROM members m WHERE {condition}"),
                )
                .await;
                let (_, ids) = listed(&store, actor, filter, Some(sort), true, 50).await;
                assert_eq!(ids, expected, "{name} by {sort}");
            }
        }
    }

    #[tokio::test]
    async fn searches_agree_with_a_plain_scan_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary directory");
        searches_agree_with_a_plain_scan(open_store(&dir, "c.db").await).await;
    }

    /// Runs on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server, in a database of its own.
    #[tokio::test]
    async fn searches_agree_with_a_plain_scan_on_postgres() {
        use sqlx::Connection;
        let Some(base) = std::env::var("OUEN_TEST_DATABASE_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
        else {
            return;
        };
        let name = format!("ouen_t_{:016x}", rand::random::<u64>());
        let mut server = sqlx::PgConnection::connect(&base).await.expect("server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut server)
            .await
            .expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        let store = Store::connect(&format!("{prefix}/{name}"))
            .await
            .expect("store");
        searches_agree_with_a_plain_scan(store.clone()).await;
        store.close().await;
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut server)
            .await
            .expect("drop database");
    }
}
