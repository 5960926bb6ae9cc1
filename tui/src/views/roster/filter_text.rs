//! A roster filter in words (`職種=看護師  状態=審査中 …`), as the roster's filter line shows it
//! and as a bulk mail names its recipients.

use super::places::Places;
use crate::i18n::T;
use crate::ui::picker::CodeList;
use crate::widgets::text::clean;
use ouen_shared::api::MemberFilter;
use ouen_shared::Lang;

/// The filters in force, in words; the search text too when `with_search` (the roster shows it
/// on its own line). Municipalities are named once `places` knows them.
pub fn filter_words(f: &MemberFilter, places: &Places, with_search: bool, lang: Lang) -> String {
    let mut parts = Vec::new();
    let mut put = |label: T, value: String| {
        parts.push(format!("{}={value}", label.get(lang)));
    };
    if let Some(q) = f.q.as_deref().filter(|q| with_search && !q.is_empty()) {
        put(T::SearchWord, format!("「{}」", clean(q)));
    }
    if let Some(v) = &f.profession {
        put(T::ColProfessions, CodeList::Professions.labels(v, lang));
    }
    if let Some(v) = &f.prefecture {
        put(T::FilterPrefecture, CodeList::Prefectures.labels(v, lang));
    }
    if let Some(v) = &f.municipality {
        put(
            T::FilterMunicipality,
            places.name(v).map_or_else(|| clean(v), str::to_string),
        );
    }
    if let Some(v) = &f.status {
        put(T::ColStatus, CodeList::Statuses.labels(v, lang));
    }
    if let Some(v) = &f.experience {
        put(
            T::FieldExperienceFields,
            CodeList::ExperienceFields.labels(v, lang),
        );
    }
    if let Some(v) = &f.language {
        put(T::FieldLanguages, CodeList::Languages.labels(v, lang));
    }
    match (f.available_from, f.available_to) {
        (Some(a), Some(b)) => put(T::Availability, format!("{a}〜{b}")),
        (Some(a), None) | (None, Some(a)) => put(T::Availability, a.to_string()),
        (None, None) => {}
    }
    if let Some(w) = f.way {
        put(T::FilterWay, w.label(lang).to_string());
    }
    if let Some(t) = &f.training {
        put(T::FilterTraining, clean(t));
    }
    if let Some(d) = f.dispatched_since {
        put(T::FilterDispatchedSince, d.to_string());
    }
    if f.never_dispatched == Some(true) {
        parts.push(T::FilterNeverDispatched.get(lang).to_string());
    }
    if f.recheck == Some(true) {
        parts.push(T::FilterRecheck.get(lang).to_string());
    }
    match f.managed {
        Some(true) => parts.push(T::ManagedOnly.get(lang).to_string()),
        Some(false) => parts.push(T::ApplicantsOnly.get(lang).to_string()),
        None => {}
    }
    parts.join("  ")
}
