//! The filter panel: every filter of the list but the search text, applied in the client.

use super::codes;
use super::reader::Reader;
use super::RosterForm;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use crate::ui::picker::{CodeList, PickSource};
use crate::views::roster::RosterMsg;
use chrono::NaiveDate;
use ouen_shared::api::MemberFilter;
use ouen_shared::roster::HelpWay;
use ouen_shared::{FieldIssue, Lang, Problem};

/// The panel's title and fields; municipalities start from the caller's `prefecture`.
pub fn fields(prefecture: &Option<String>) -> (T, Vec<Field>) {
    (
        T::FilterPanelTitle,
        vec![
            codes("profession", T::ColProfessions, CodeList::Professions, true),
            codes(
                "prefecture",
                T::FilterPrefecture,
                CodeList::Prefectures,
                true,
            ),
            Field::pick(
                "municipality",
                T::FilterMunicipality,
                PickSource::Municipalities {
                    prefecture: prefecture.clone(),
                    cities_only: false,
                },
            )
            .with_code(),
            codes("status", T::ColStatus, CodeList::Statuses, true),
            codes(
                "experience",
                T::FieldExperienceFields,
                CodeList::ExperienceFields,
                true,
            ),
            codes("language", T::FieldLanguages, CodeList::Languages, true),
            Field::date("available_from", T::FilterAvailableFrom),
            Field::date("available_to", T::FilterAvailableTo),
            codes("way", T::FilterWay, CodeList::HelpWays, false),
            Field::text("training", T::FilterTraining),
            Field::date("dispatched_since", T::FilterDispatchedSince),
            Field::pick(
                "never_dispatched",
                T::FilterNeverDispatched,
                PickSource::Cycle(CodeList::YesOnly),
            ),
            Field::pick(
                "recheck",
                T::FilterRecheck,
                PickSource::Cycle(CodeList::YesOnly),
            ),
            Field::pick(
                "managed",
                T::FilterManaged,
                PickSource::Cycle(CodeList::Managed),
            ),
        ],
    )
}

/// The filter read from the panel, applied by the view (nothing is sent from here).
pub(super) fn submission(form: &Form) -> Result<Submit, Vec<FieldIssue>> {
    let filter = read_filter(form)?;
    Ok(Submit::Local(vec![
        Action::ClosePopup,
        Action::message(RosterMsg::Filter(Box::new(filter))),
    ]))
}

/// The filter the panel's fields say (the search text aside), or the fields it cannot read.
pub fn read_filter(form: &Form) -> Result<MemberFilter, Vec<FieldIssue>> {
    let trimmed = |key: &str| form.value(key).trim().to_string();
    let mut r = Reader::default();
    let flag = |key: &str| form.optional(key).and_then(|v| v.parse::<bool>().ok());
    let filter = MemberFilter {
        q: None,
        profession: form.optional("profession"),
        prefecture: form.optional("prefecture"),
        municipality: form.optional("municipality"),
        status: form.optional("status"),
        experience: form.optional("experience"),
        language: form.optional("language"),
        available_from: r.date(form, "available_from"),
        available_to: r.date(form, "available_to"),
        way: form.optional("way").and_then(|w| HelpWay::from_code(&w)),
        training: Some(trimmed("training")).filter(|t| !t.is_empty()),
        dispatched_since: r.date(form, "dispatched_since"),
        never_dispatched: flag("never_dispatched"),
        recheck: flag("recheck"),
        managed: flag("managed"),
    };
    if let (Some(from), Some(to)) = (filter.available_from, filter.available_to) {
        if to < from {
            r.issues.push(FieldIssue::new(
                "available_to",
                Problem::NotAllowed {
                    ja: "終了日は開始日以降にしてください。",
                    en: "The end date must not be before the start date.",
                },
            ));
        }
    }
    if !r.issues.is_empty() {
        return Err(r.issues);
    }
    Ok(filter)
}

/// The filter panel, filled in with the filter in force.
pub fn filter_form(filter: &MemberFilter, prefecture: Option<String>, lang: Lang) -> Form {
    filled(
        Form::new(RosterForm::RosterFilter { prefecture }),
        filter,
        lang,
    )
}

/// A form with the panel's fields (whatever it is for), filled in with `filter`.
pub fn filled(mut form: Form, filter: &MemberFilter, lang: Lang) -> Form {
    let set_codes = |form: Form, key: &str, value: &Option<String>, list: CodeList| match value {
        Some(v) if !v.is_empty() => form.with_pick(key, v, &list.labels(v, lang)),
        _ => form,
    };
    form = set_codes(
        form,
        "profession",
        &filter.profession,
        CodeList::Professions,
    );
    form = set_codes(
        form,
        "prefecture",
        &filter.prefecture,
        CodeList::Prefectures,
    );
    form = set_codes(form, "status", &filter.status, CodeList::Statuses);
    form = set_codes(
        form,
        "experience",
        &filter.experience,
        CodeList::ExperienceFields,
    );
    form = set_codes(form, "language", &filter.language, CodeList::Languages);
    if let Some(m) = &filter.municipality {
        form = form.with_pick("municipality", m, m);
    }
    if let Some(w) = filter.way {
        form = form.with_pick("way", w.code(), w.label(lang));
    }
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    form = form
        .with_value("available_from", &date(filter.available_from))
        .with_value("available_to", &date(filter.available_to))
        .with_value("dispatched_since", &date(filter.dispatched_since))
        .with_value("training", filter.training.as_deref().unwrap_or(""));
    let flag = |form: Form, key: &str, value: Option<bool>, list: CodeList| match value {
        Some(b) => {
            let code = b.to_string();
            let label = list.labels(&code, lang);
            form.with_pick(key, &code, &label)
        }
        None => form,
    };
    form = flag(
        form,
        "never_dispatched",
        filter.never_dispatched,
        CodeList::YesOnly,
    );
    form = flag(form, "recheck", filter.recheck, CodeList::YesOnly);
    flag(form, "managed", filter.managed, CodeList::Managed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_panel_reads_back_what_it_was_given() {
        let filter = MemberFilter {
            profession: Some("nurse,doctor".into()),
            status: Some("applied".into()),
            available_from: NaiveDate::from_ymd_opt(2026, 6, 1),
            never_dispatched: Some(true),
            managed: Some(false),
            training: Some("感染症".into()),
            ..Default::default()
        };
        let form = filter_form(&filter, Some("13".into()), Lang::Ja);
        let Ok(Submit::Local(actions)) = form.submission() else {
            panic!("a local submission");
        };
        let Some(Action::Message(msg)) = actions.get(1) else {
            panic!("the filter message");
        };
        let Some(RosterMsg::Filter(read)) = msg.downcast_ref::<RosterMsg>() else {
            panic!("the filter message");
        };
        assert_eq!(**read, filter);
    }

    #[test]
    fn bad_dates_are_named_by_field() {
        let form = Form::new(RosterForm::RosterFilter { prefecture: None })
            .with_value("available_from", "2026-13-01")
            .with_value("available_to", "2026-01-01")
            .with_value("dispatched_since", "x");
        let Err(issues) = form.submission() else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["available_from", "dispatched_since"]);
    }
}
