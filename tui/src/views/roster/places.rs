//! Municipality names for the list's home column, learnt from the reference lists: one list
//! per prefecture on the page, asked for once.

use super::RosterView;
use crate::app::net::Answer;
use crate::app::Ctx;
use crate::widgets::text::clean;
use ouen_shared::endpoints::ListMunicipalities;
use ouen_shared::prefecture::prefecture;
use ouen_shared::Lang;
use std::collections::HashMap;

/// A prefecture's name in the language (the code when unknown).
pub fn prefecture_name(code: &str, lang: Lang) -> String {
    prefecture(code)
        .map(|p| p.label(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// A prefecture's name without 都・府・県 (北海道 stays whole), for narrow columns.
pub fn prefecture_short(code: &str, lang: Lang) -> String {
    match (prefecture(code), lang) {
        (Some(p), Lang::Ja) if p.name != "北海道" => {
            p.name.trim_end_matches(['都', '府', '県']).to_string()
        }
        (Some(p), _) => p.label(lang).to_string(),
        (None, _) => code.to_string(),
    }
}

/// Municipality names by code, learnt as the lists arrive.
#[derive(Debug, Default, Clone)]
pub struct Places {
    names: HashMap<String, String>,
    /// Prefectures whose lists were asked for.
    pub asked: Vec<String>,
}

impl Places {
    pub fn learn(&mut self, list: &[ouen_shared::api::Municipality]) {
        for m in list {
            self.names.insert(m.code.clone(), clean(&m.name));
        }
    }

    /// A municipality's name, once known.
    pub fn name(&self, municipality_code: &str) -> Option<&str> {
        self.names.get(municipality_code).map(String::as_str)
    }

    /// `八王子市` when the prefecture is the caller's own, else `東京都八王子市`.
    pub fn home_from(
        &self,
        own: Option<&str>,
        prefecture_code: &str,
        municipality_code: &str,
        lang: Lang,
    ) -> String {
        match self.names.get(municipality_code) {
            Some(n) if own == Some(prefecture_code) => n.clone(),
            _ => self.home(prefecture_code, municipality_code, lang),
        }
    }

    /// `東京都八王子市` (the code stands in until the name is known).
    pub fn home(&self, prefecture_code: &str, municipality_code: &str, lang: Lang) -> String {
        let pref = prefecture_name(prefecture_code, lang);
        match self.names.get(municipality_code) {
            Some(n) => match lang {
                Lang::Ja => format!("{pref}{n}"),
                Lang::En => format!("{n}, {pref}"),
            },
            None => format!("{pref} {municipality_code}"),
        }
    }
}

impl RosterView {
    /// Names for the home municipalities on the page, one reference list per prefecture.
    pub(super) fn ask_places(&mut self, ctx: &Ctx) {
        let mut wanted: Vec<String> = self
            .items
            .iter()
            .map(|s| s.prefecture_code.clone())
            .collect();
        wanted.sort();
        wanted.dedup();
        for p in wanted {
            if !self.places.asked.contains(&p) {
                self.places.asked.push(p.clone());
                self.place_reqs.push(ctx.net.call(ListMunicipalities {
                    prefecture: Some(p),
                    q: String::new(),
                    cities_only: false,
                }));
            }
        }
    }

    /// Takes a reference list it asked for; `false` when the request is not one of those.
    pub(super) fn places_answer(&mut self, answer: &mut Answer) -> bool {
        let Some(i) = self.place_reqs.iter().position(|r| r.id() == answer.id) else {
            return false;
        };
        let pending = self.place_reqs.remove(i);
        if let Some(Ok(list)) = pending.claim(answer) {
            self.places.learn(&list);
        }
        true
    }
}
