//! The demo roster: applicants registered through the public API, each prefecture's
//! decisions, a licence changed after approval, and Tokyo's own professionals.

use super::{err, login, DEMO_PASSWORD, PREFECTURES};
use crate::api::Client;
use chrono::NaiveDate;
use color_eyre::eyre::Result;
use ouen_shared::api::{
    Availability, CreateMemberRequest, Decision, DecisionRequest, Licence, Profile,
    RegistrationRequest, SupportOffer, UpdateProfileRequest,
};
use ouen_shared::endpoints::{CreateMember, Decide, Register, UpdateMyProfile};
use ouen_shared::roster::{ExperienceField as F, HelpWay, Language as L};
use ouen_shared::{Lang, Profession as P};

/// What a prefecture decides about an applicant in the demo.
#[derive(Clone, Copy)]
enum Outcome {
    /// Left waiting in the vetting queue.
    Wait,
    Approve,
    Reject(&'static str),
    /// Approved, then suspended.
    Suspend(&'static str),
    /// Approved; then the member changes a licence, so the prefecture must check it again.
    Recheck,
}

use Outcome::*;

/// An applicant: name, kana, e-mail name, professions, home municipality, years, fields,
/// languages, and what each prefecture it applies to decides.
struct Applicant {
    name: &'static str,
    kana: &'static str,
    mail: &'static str,
    professions: &'static [P],
    home: &'static str,
    years: u16,
    fields: &'static [F],
    languages: &'static [L],
    offers: &'static [(&'static str, Outcome)],
}

/// One row of the table below.
#[allow(clippy::too_many_arguments)] // a table row, read column by column
const fn a(
    name: &'static str,
    kana: &'static str,
    mail: &'static str,
    professions: &'static [P],
    home: &'static str,
    years: u16,
    fields: &'static [F],
    languages: &'static [L],
    offers: &'static [(&'static str, Outcome)],
) -> Applicant {
    Applicant {
        name,
        kana,
        mail,
        professions,
        home,
        years,
        fields,
        languages,
        offers,
    }
}

/// The demo's applicants. Old and variant characters (髙, 﨑, 邊, 齋) are found by their
/// everyday forms; kana are found by half-width kana (ｽｽﾞｷ).
#[rustfmt::skip]
const APPLICANTS: &[Applicant] = &[
    a("髙橋 美咲", "たかはし みさき", "misaki.takahashi", &[P::Nurse, P::PublicHealthNurse], "132012", 14, &[F::PublicHealth, F::InfectionControl], &[L::Japanese, L::English], &[("13", Approve)]),
    a("山﨑 健太", "やまさき けんた", "kenta.yamasaki", &[P::Doctor], "131130", 9, &[F::Emergency, F::InfectionControl], &[L::Japanese, L::English], &[("13", Wait)]),
    a("鈴木 花子", "すずき はなこ", "hanako.suzuki", &[P::PublicHealthNurse], "131016", 21, &[F::PublicHealth, F::Epidemiology, F::MaternalChild], &[L::Japanese], &[("13", Approve), ("14", Wait)]),
    a("鈴木 一郎", "すずき いちろう", "ichiro.suzuki", &[P::RegisteredDietitian], "132012", 3, &[F::ElderlyCare], &[L::Japanese], &[( "13", Reject("免許証の写しと申請内容（免許番号）が一致しませんでした。"), )]),
    a("渡邊 直樹", "わたなべ なおき", "naoki.watanabe", &[P::Pharmacist], "141003", 12, &[F::InfectionControl], &[L::Japanese, L::Chinese], &[("13", Wait), ("14", Approve)]),
    a("佐々木 由美", "ささき ゆみ", "yumi.sasaki", &[P::Midwife], "131121", 17, &[F::MaternalChild], &[L::Japanese], &[("13", Suspend("本人より長期療養のため一時休止の申出"))]),
    a("齋藤 翼", "さいとう つばさ", "tsubasa.saito", &[P::Paramedic], "132021", 8, &[F::Emergency, F::Disaster], &[L::Japanese], &[("13", Approve)]),
    a("伊藤 真由美", "いとう まゆみ", "mayumi.ito", &[P::Nurse], "132047", 25, &[F::Icu, F::InfectionControl], &[L::Japanese, L::SignLanguage], &[("13", Approve)]),
    a("中村 大輔", "なかむら だいすけ", "daisuke.nakamura", &[P::Doctor], "131032", 19, &[F::PublicHealth, F::Epidemiology], &[L::Japanese, L::English], &[("13", Approve)]),
    a("小林 さくら", "こばやし さくら", "sakura.kobayashi", &[P::PublicHealthNurse], "132063", 6, &[F::PublicHealth, F::MentalHealth], &[L::Japanese], &[("13", Wait)]),
    a("加藤 恵", "かとう めぐみ", "megumi.kato", &[P::AssistantNurse], "132098", 11, &[F::ElderlyCare, F::HomeCare], &[L::Japanese], &[("13", Approve)]),
    a("吉田 誠", "よしだ まこと", "makoto.yoshida", &[P::ClinicalLaboratoryTechnician], "131041", 13, &[F::InfectionControl], &[L::Japanese, L::English], &[("13", Approve)]),
    a("山田 優子", "ヤマダ ユウコ", "yuko.yamada", &[P::Nurse], "131024", 4, &[F::HomeCare], &[L::Japanese, L::Vietnamese], &[("13", Wait)]),
    a("佐藤 健", "さとう けん", "ken.sato", &[P::Dentist], "131016", 22, &[F::Disaster], &[L::Japanese], &[("13", Approve)]),
    a("松本 亜希子", "まつもと あきこ", "akiko.matsumoto", &[P::PublicHealthNurse], "271004", 16, &[F::PublicHealth, F::Epidemiology], &[L::Japanese, L::Korean], &[("27", Approve), ("13", Wait)]),
    a("井上 拓海", "いのうえ たくみ", "takumi.inoue", &[P::Clerical], "131130", 7, &[F::Administration], &[L::Japanese, L::English, L::Portuguese], &[("13", Approve)]),
    a("木村 綾", "きむら あや", "aya.kimura", &[P::Nurse], "131121", 1, &[], &[L::Japanese], &[( "13", Reject("実務経験が募集要件（3年以上）に満たないため。"), )]),
    a("林 陽介", "はやし ようすけ", "yosuke.hayashi", &[P::RadiologicalTechnologist], "132012", 10, &[F::Emergency], &[L::Japanese], &[("13", Approve)]),
    a("清水 千尋", "しみず ちひろ", "chihiro.shimizu", &[P::Midwife, P::Nurse], "141305", 15, &[F::MaternalChild, F::Disaster], &[L::Japanese, L::Tagalog], &[("14", Approve), ("13", Approve)]),
    a("山口 直子", "やまぐち なおこ", "naoko.yamaguchi", &[P::PublicHealthNurse], "271403", 20, &[F::PublicHealth], &[L::Japanese], &[("27", Wait)]),
    a("森 大樹", "もり だいき", "daiki.mori", &[P::Doctor], "011002", 12, &[F::Icu, F::Emergency], &[L::Japanese, L::Russian], &[("01", Approve)]),
    a("池田 美穂", "いけだ みほ", "miho.ikeda", &[P::Nurse], "401005", 9, &[F::InfectionControl], &[L::Japanese, L::Chinese], &[("40", Wait)]),
    a("橋本 聡", "はしもと さとし", "satoshi.hashimoto", &[P::Pharmacist], "132047", 18, &[F::PublicHealth], &[L::Japanese], &[("13", Wait)]),
    a("阿部 由紀", "あべ ゆき", "yuki.abe", &[P::RegisteredDietitian], "131041", 8, &[F::SchoolHealth, F::MaternalChild], &[L::Japanese], &[("13", Approve)]),
    a("石川 浩二", "いしかわ こうじ", "koji.ishikawa", &[P::ClinicalEngineer], "142018", 14, &[F::Icu], &[L::Japanese], &[("14", Wait)]),
    a("前田 香織", "まえだ かおり", "kaori.maeda", &[P::PublicHealthNurse], "132021", 12, &[F::PublicHealth, F::OccupationalHealth], &[L::Japanese, L::English], &[("13", Approve)]),
    a("藤田 隆", "ふじた たかし", "takashi.fujita", &[P::Nurse], "112011", 30, &[F::Icu, F::Emergency, F::Disaster], &[L::Japanese], &[("13", Approve)]),
    a("岡田 玲奈", "おかだ れな", "rena.okada", &[P::Nurse], "122041", 5, &[F::InfectionControl], &[L::Japanese, L::Nepali], &[("13", Wait)]),
    a("比嘉 翔", "ひが しょう", "sho.higa", &[P::Nurse], "472018", 10, &[F::Disaster], &[L::Japanese, L::English], &[("47", Approve)]),
    a("長谷川 誠一", "はせがわ せいいち", "seiichi.hasegawa", &[P::Doctor], "131032", 27, &[F::PublicHealth, F::InfectionControl], &[L::Japanese, L::French], &[("13", Recheck)]),
    a("宮﨑 葵", "みやざき あおい", "aoi.miyazaki", &[P::PublicHealthNurse], "131024", 3, &[F::MentalHealth], &[L::Japanese], &[("13", Wait)]),
    a("髙木 蓮", "タカギ レン", "ren.takagi", &[P::Nurse], "132063", 6, &[F::HomeCare, F::ElderlyCare], &[L::Japanese, L::Spanish], &[("13", Approve)]),
];

/// Professionals the Tokyo prefecture manages itself (retired public-health nurses and the
/// like), entered directly: (name, kana, profession, home, years).
const MANAGED: &[(&str, &str, P, &str, u16)] = &[
    (
        "渡辺 和子",
        "わたなべ かずこ",
        P::PublicHealthNurse,
        "132012",
        38,
    ),
    ("近藤 茂", "こんどう しげる", P::Doctor, "131016", 41),
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A profile with details that vary by the applicant's place in the list.
fn profile(i: usize, p: &Applicant) -> Profile {
    let n = i as u32;
    Profile {
        name: p.name.into(),
        name_kana: p.kana.into(),
        birth_date: Some(day(
            1960 + (i as i32 * 7) % 35,
            1 + n % 12,
            1 + (n * 5) % 28,
        )),
        email: format!("{}@example.jp", p.mail),
        phone: format!("090-{:04}-{:04}", 1000 + n * 37, 2000 + n * 113),
        prefecture_code: p.home[..2].into(),
        municipality_code: p.home.into(),
        street: format!("{}-{}-{}", 1 + n % 5, 1 + n % 20, 1 + n % 9),
        licences: p
            .professions
            .iter()
            .enumerate()
            .map(|(j, prof)| Licence {
                profession: *prof,
                number: format!("{}", 300_000 + n * 1_013 + j as u32 * 7),
                licensed_on: day(2025 - i32::from(p.years), 4, 1 + j as u32),
            })
            .collect(),
        experience_years: p.years,
        experience_fields: p.fields.to_vec(),
        languages: p.languages.to_vec(),
    }
}

fn availability(i: usize) -> Vec<Availability> {
    let ways = match i % 4 {
        0 => vec![HelpWay::OnSite, HelpWay::Phone],
        1 => vec![HelpWay::Remote, HelpWay::Phone],
        2 => vec![HelpWay::OnSite],
        _ => vec![HelpWay::OnSite, HelpWay::Remote, HelpWay::Phone],
    };
    let mut periods = vec![Availability {
        from: day(2026, 4, 1),
        to: day(2027, 3, 31),
        ways,
    }];
    if i.is_multiple_of(5) {
        periods[0].to = day(2026, 9, 30);
        periods.push(Availability {
            from: day(2027, 1, 1),
            to: day(2027, 12, 31),
            ways: vec![HelpWay::Phone],
        });
    }
    periods
}

async fn client_for(base: &str, login_name: &str) -> Result<Client> {
    let c = Client::new(base, Lang::Ja);
    login(&c, login_name).await?;
    Ok(c)
}

/// Fills the roster through the API: applications, decisions, a licence changed after
/// approval, and the prefecture's own professionals.
pub(super) async fn seed_roster(base: &str) -> Result<()> {
    // Everyone applies at once (registration is public).
    let mut jobs = Vec::new();
    for (i, p) in APPLICANTS.iter().enumerate() {
        let c = Client::new(base, Lang::Ja);
        let req = RegistrationRequest {
            profile: profile(i, p),
            password: DEMO_PASSWORD.into(),
            offers: p
                .offers
                .iter()
                .map(|(code, _)| SupportOffer {
                    prefecture_code: (*code).into(),
                    availability: availability(i),
                })
                .collect(),
            terms_version: "2026-04".into(),
        };
        jobs.push(tokio::spawn(async move { c.call(&Register(req)).await }));
    }
    let mut ids = Vec::new();
    for j in jobs {
        ids.push(j.await?.map_err(err)?.member_id);
    }

    // Each prefecture decides on its applicants.
    let mut deciders = std::collections::HashMap::new();
    for (code, login_name, _) in PREFECTURES {
        deciders.insert(*code, client_for(base, login_name).await?);
    }
    let decide = |c: &Client, id: i64, code: &str, decision: Decision, reason: Option<&str>| {
        let c = c.clone();
        let req = Decide {
            id,
            prefecture: code.into(),
            body: DecisionRequest {
                decision,
                reason: reason.map(str::to_string),
            },
        };
        async move { c.call(&req).await.map_err(err) }
    };
    let mut recheck = Vec::new();
    for (p, id) in APPLICANTS.iter().zip(&ids) {
        for (code, outcome) in p.offers {
            let Some(c) = deciders.get(code) else {
                continue;
            };
            match outcome {
                Wait => {}
                Approve => {
                    decide(c, *id, code, Decision::Approve, None).await?;
                }
                Reject(why) => {
                    decide(c, *id, code, Decision::Reject, Some(why)).await?;
                }
                Suspend(why) => {
                    decide(c, *id, code, Decision::Approve, None).await?;
                    decide(c, *id, code, Decision::Suspend, Some(why)).await?;
                }
                Recheck => {
                    decide(c, *id, code, Decision::Approve, None).await?;
                    recheck.push(p);
                }
            }
        }
    }

    // A member renews a licence after approval: the prefecture must check it again.
    for p in recheck {
        let i = APPLICANTS
            .iter()
            .position(|x| std::ptr::eq(x, p))
            .unwrap_or(0);
        let c = client_for(base, &format!("{}@example.jp", p.mail)).await?;
        let mut profile = profile(i, p);
        for l in &mut profile.licences {
            l.number = format!("{}-R", l.number);
        }
        c.call(&UpdateMyProfile(UpdateProfileRequest { profile }))
            .await
            .map_err(err)?;
    }

    // Tokyo enters the professionals it manages itself.
    if let Some(tokyo) = deciders.get("13") {
        for (i, (name, kana, profession, home, years)) in MANAGED.iter().enumerate() {
            let req = CreateMemberRequest {
                profile: Profile {
                    name: (*name).into(),
                    name_kana: (*kana).into(),
                    birth_date: Some(day(1955 + i as i32 * 3, 5, 10)),
                    email: String::new(),
                    phone: format!("042-{:03}-{:04}", 600 + i, 1234 + i),
                    prefecture_code: home[..2].into(),
                    municipality_code: (*home).into(),
                    street: String::new(),
                    licences: vec![Licence {
                        profession: *profession,
                        number: format!("{}", 100_100 + i),
                        licensed_on: day(1980 + i as i32, 4, 1),
                    }],
                    experience_years: *years,
                    experience_fields: vec![F::PublicHealth, F::Epidemiology],
                    languages: vec![L::Japanese],
                },
                prefecture_code: None,
                availability: availability(i + 2),
                notes: "都の退職職員。感染拡大時の積極的疫学調査に協力可。".into(),
            };
            tokyo.call(&CreateMember(req)).await.map_err(err)?;
        }
    }
    Ok(())
}

/// The logins of the applicants Tokyo approved (they answer the demo's dispatch request).
pub(super) fn tokyo_member_logins() -> Vec<String> {
    APPLICANTS
        .iter()
        .filter(|p| {
            p.offers
                .iter()
                .any(|(code, o)| *code == "13" && matches!(o, Approve | Recheck))
        })
        .map(|p| format!("{}@example.jp", p.mail))
        .collect()
}
