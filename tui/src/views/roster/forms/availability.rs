//! When and how a member can help a prefecture: numbered periods, each with its ways.

use super::codes;
use super::reader::Reader;
use super::RosterForm;
use crate::app::net::Call;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use crate::ui::picker::{CodeList, PickSource};
use ouen_shared::api::{Availability, OfferRequest};
use ouen_shared::endpoints::SetOffer;
use ouen_shared::roster::HelpWay;
use ouen_shared::Validate as _;
use ouen_shared::{FieldIssue, Lang, Problem};

/// Period slots of the availability form, named as `OfferRequest` names them.
macro_rules! period_keys {
    ($($i:literal)+) => {
        [$([
            concat!("availability[", $i, "].from"),
            concat!("availability[", $i, "].to"),
            concat!("availability[", $i, "].ways"),
        ],)+]
    };
}
pub(super) const PERIOD_KEYS: [[&str; 3]; 5] = period_keys!(0 1 2 3 4);

/// The most periods the availability form offers.
pub const MAX_PERIODS: usize = PERIOD_KEYS.len();

/// The availability form's fields: the prefecture, then `periods` numbered periods.
pub(super) fn fields(periods: usize) -> (T, Vec<Field>) {
    let mut f = vec![Field::pick(
        "prefecture_code",
        T::FieldPrefecture,
        PickSource::Prefectures,
    )
    .with_code()];
    for (i, [from, to, ways]) in PERIOD_KEYS.iter().take(periods).enumerate() {
        let n = i + 1;
        f.push(Field::date(from, T::FieldPeriodFrom).numbered(T::GroupPeriod, n));
        f.push(Field::date(to, T::FieldPeriodTo).numbered(T::GroupPeriod, n));
        f.push(codes(ways, T::FilterWay, CodeList::HelpWays, true).numbered(T::GroupPeriod, n));
    }
    (T::OfferTitle, f)
}

/// The periods typed into the first `periods` slots; slots left empty are skipped.
pub(super) fn read_periods(form: &Form, r: &mut Reader, periods: usize) -> Vec<Availability> {
    let mut availability = Vec::new();
    for [from, to, ways] in PERIOD_KEYS.iter().take(periods) {
        if [from, to, ways]
            .iter()
            .all(|k| form.value(k).trim().is_empty())
        {
            continue;
        }
        let f = r.required_date(form, from);
        let t = r.required_date(form, to);
        let w = r.list(form, ways, HelpWay::from_code);
        if w.is_empty() {
            r.issues.push(FieldIssue::new(*ways, Problem::Required));
        }
        if let (Some(from), Some(to)) = (f, t) {
            availability.push(Availability { from, to, ways: w });
        }
    }
    availability
}

/// The prefecture and at least one period.
pub(super) fn submission(form: &Form, periods: usize) -> Result<Submit, Vec<FieldIssue>> {
    let mut r = Reader::default();
    let availability = read_periods(form, &mut r, periods);
    let prefecture = form.value("prefecture_code");
    if prefecture.is_empty() {
        r.issues
            .push(FieldIssue::new("prefecture_code", Problem::Required));
    }
    if availability.is_empty()
        && r.issues
            .iter()
            .all(|i| !i.field.starts_with("availability"))
    {
        r.issues
            .push(FieldIssue::new(PERIOD_KEYS[0][0], Problem::Required));
    }
    let mut body = OfferRequest { availability };
    body.normalize();
    r.finish(&body)
        .map(|()| Submit::Send(Call::new(SetOffer { prefecture, body })))
}

/// The availability form for a prefecture (its periods filled in, and one empty to add one).
pub fn offer_form(prefecture: Option<&str>, current: &[Availability], lang: Lang) -> Form {
    let periods = (current.len() + 1).clamp(2, MAX_PERIODS);
    let mut form = Form::new(RosterForm::Offer { periods });
    if let Some(p) = prefecture.and_then(ouen_shared::prefecture::prefecture) {
        form = form.with_pick("prefecture_code", p.code, p.label(lang));
    }
    for (a, [from, to, ways]) in current.iter().zip(PERIOD_KEYS.iter()) {
        let codes: Vec<&str> = a.ways.iter().map(|w| w.code()).collect();
        let v = codes.join(",");
        form = form
            .with_value(from, &a.from.to_string())
            .with_value(to, &a.to.to_string())
            .with_pick(ways, &v, &CodeList::HelpWays.labels(&v, lang));
    }
    if prefecture.is_some() {
        form = form.focus_on(PERIOD_KEYS[0][0]);
    }
    form
}
