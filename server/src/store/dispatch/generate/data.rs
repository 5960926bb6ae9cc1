//! The tables generated requests draw from: duties, who a slot is for, notes and reasons.

use ouen_shared::dispatch::Duty;
use ouen_shared::Profession;

/// Duties a request asks for, with weights (`Other` is added apart).
pub(super) const DUTIES: &[(Duty, u32)] = &[
    (Duty::ActiveInvestigation, 30),
    (Duty::HealthObservation, 30),
    (Duty::PhoneConsultation, 20),
    (Duty::SpecimenCollection, 10),
    (Duty::DataEntry, 10),
];

/// What an `other` duty is.
pub(super) const OTHER_DUTIES: &[&str] = &[
    "ワクチン接種会場の受付・案内",
    "宿泊療養施設の健康管理",
    "避難所の巡回健康相談",
];

/// Who a request's slots are for: anyone, or one of these professions.
pub(super) const SLOT_PROFESSIONS: &[&[Profession]] = &[
    &[],
    &[],
    &[],
    &[],
    &[Profession::PublicHealthNurse, Profession::Nurse],
    &[Profession::PublicHealthNurse, Profession::Nurse],
    &[Profession::PublicHealthNurse, Profession::Nurse],
    &[Profession::PublicHealthNurse],
    &[Profession::PublicHealthNurse],
    &[Profession::Doctor, Profession::Nurse],
];

pub(super) const REQUEST_NOTES: &[&str] = &[
    "初日は8時15分までに保健所2階の事務室へお越しください。",
    "動きやすい服装でお願いします。昼食は各自でご用意ください。",
    "公共交通機関でお越しください。駐車場はありません。",
    "電話対応が中心です。ヘッドセットは保健所で用意します。",
];

pub(super) const CANCEL_REASONS: &[&str] = &[
    "感染者数が減少し、応援の必要がなくなったため",
    "所内の体制で対応できる見込みとなったため",
    "会場の都合により事業を延期するため",
];

pub(super) const DECLINE_REASONS: &[&str] = &[
    "本業の勤務と重なったため",
    "家族の体調不良のため",
    "体調不良のため",
];

pub(super) const RETURN_COMMENTS: &[&str] = &[
    "休憩時間を確認して修正してください。",
    "件数の記入漏れがあります。",
    "終了時刻が勤務表と異なります。確認をお願いします。",
];

pub(super) const REPORT_NOTES: &[&str] = &[
    "特記事項なし。",
    "午後から電話が集中した。",
    "引継ぎ事項は所内の担当者へ伝達済み。",
];

/// How many of a duty a member does in a day: the lowest and highest count.
pub(super) fn duty_counts(duty: Duty) -> (i64, i64) {
    match duty {
        Duty::ActiveInvestigation => (2, 15),
        Duty::HealthObservation => (10, 60),
        Duty::PhoneConsultation => (15, 50),
        Duty::SpecimenCollection => (10, 80),
        Duty::DataEntry => (20, 150),
        _ => (0, 10),
    }
}
