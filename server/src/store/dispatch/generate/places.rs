//! Who sends the generated requests and where the members go: each prefecture, its health
//! centres, and the cities with a health centre of their own (保健所設置市・特別区), each with an
//! operator account that the requests, asks and report decisions name. Organisations and
//! accounts already there (from an earlier run) are used again; missing ones are added.

use crate::error::ApiError;
use crate::reference::Reference;
use crate::store::{in_write, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::prefecture::PREFECTURES;
use ouen_shared::text::fold;
use std::collections::BTreeMap;

/// A requesting organisation: its id, its operator account and its health centres.
#[derive(Debug, Clone)]
pub(super) struct Requester {
    pub(super) organisation_id: i64,
    pub(super) account_id: i64,
    /// `(id, name)` of the health centres it sends people to.
    pub(super) centres: Vec<(i64, String)>,
}

/// The requesters of one prefecture: the prefecture itself, then its cities.
#[derive(Debug, Clone)]
pub(super) struct Places {
    pub(super) prefecture: Requester,
    pub(super) cities: Vec<Requester>,
}

/// What a prefecture of `approved` members is given: cities first (the first cities or
/// wards of the list, which starts with the capital or the largest), then the prefecture's
/// own health centres, named after municipalities spread through the list.
fn layout(
    reference: &Reference,
    code: &str,
    approved: usize,
) -> (Vec<(String, String)>, Vec<String>) {
    let all = reference.search(Some(code), None, None);
    let city_count = (1 + approved / 4000).min(4);
    let cities: Vec<(String, String)> = all
        .iter()
        .filter(|m| m.city_or_ward)
        .take(city_count)
        .map(|m| (m.code.clone(), m.name.clone()))
        .collect();
    let rest: Vec<&str> = all
        .iter()
        .filter(|m| !cities.iter().any(|c| c.0 == m.code))
        .map(|m| m.name.as_str())
        .collect();
    let centre_count = (2 + approved / 1500).min(8).min(rest.len().max(1));
    let mut centres: Vec<String> = Vec::new();
    for i in 0..centre_count {
        let Some(name) = rest.get(i * rest.len() / centre_count) else {
            continue;
        };
        let stem = name
            .strip_suffix(['市', '区', '町', '村'])
            .filter(|s| !s.is_empty())
            .unwrap_or(name);
        let centre = format!("{stem}保健所");
        if !centres.contains(&centre) {
            centres.push(centre);
        }
    }
    if centres.is_empty() {
        centres.push("県保健所".into());
    }
    (cities, centres)
}

type OrgRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
);

impl Store {
    /// The requesters of every prefecture in `approved` (approved members per prefecture
    /// code), created where missing.
    pub(super) async fn generated_places(
        &self,
        reference: &Reference,
        approved: &BTreeMap<String, usize>,
        at: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Places>, ApiError> {
        let organisations: Vec<OrgRow> = on_read!(self, db => sqlx::query_as(
            "SELECT id, kind, prefecture_code, municipality_code, parent_id, name FROM organisations \
             WHERE kind IN ('prefecture', 'city', 'health_centre') ORDER BY id",
        ).fetch_all(db).await?);
        let accounts: Vec<(String, i64)> = on_read!(self, db => sqlx::query_as(
            "SELECT login, id FROM accounts WHERE login LIKE 'generated-%'",
        ).fetch_all(db).await?);
        let accounts: BTreeMap<String, i64> = accounts.into_iter().collect();
        let find = |kind: &str, test: &dyn Fn(&OrgRow) -> bool| {
            organisations
                .iter()
                .find(|o| o.1 == kind && test(o))
                .map(|o| o.0)
        };

        let places = in_write!(self, tx => {
            let mut places = BTreeMap::new();
            for p in PREFECTURES.iter().filter(|p| approved.contains_key(p.code)) {
                let count = approved.get(p.code).copied().unwrap_or(0);
                let Some(prefecture_id) = find("prefecture", &|o| o.2.as_deref() == Some(p.code)) else {
                    continue;
                };
                let (city_list, centre_names) = layout(reference, p.code, count);
                // One organisation: found, or added.
                macro_rules! organisation {
                    ($kind:expr, $name:expr, $municipality:expr, $parent:expr) => {{
                        let (kind, name, municipality, parent): (&str, &str, Option<&str>, i64) =
                            ($kind, $name, $municipality, $parent);
                        let found = match municipality {
                            Some(code) => organisations.iter().find(|o| o.3.as_deref() == Some(code)).map(|o| o.0),
                            None => find(kind, &|o| o.4 == Some(parent) && o.5 == name),
                        };
                        match found {
                            Some(id) => id,
                            None => sqlx::query_scalar::<_, i64>(
                                "INSERT INTO organisations (kind, name, name_fold, prefecture_code, municipality_code, parent_id, created_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                            )
                            .bind(kind)
                            .bind(name)
                            .bind(fold(name))
                            .bind(p.code)
                            .bind(municipality)
                            .bind(parent)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await?,
                        }
                    }};
                }
                // The operator account of a requester: found by its login, or added disabled
                // (it names who acted in the generated history; nobody signs in with it).
                macro_rules! operator {
                    ($login:expr, $role:expr, $organisation:expr, $name:expr) => {{
                        let (login, role, organisation, name): (String, &str, i64, String) =
                            ($login, $role, $organisation, $name);
                        match accounts.get(&login) {
                            Some(id) => *id,
                            None => sqlx::query_scalar::<_, i64>(
                                "INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, disabled_at, password_changed_at, created_at) \
                                 VALUES ($1, $2, $3, $4, $5, '!', $6, $6, $6) RETURNING id",
                            )
                            .bind(login.as_str())
                            .bind(name.as_str())
                            .bind(fold(&format!("{login} {name}")))
                            .bind(role)
                            .bind(organisation)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await?,
                        }
                    }};
                }
                let mut centres = Vec::new();
                for name in &centre_names {
                    centres.push((organisation!("health_centre", name, None, prefecture_id), name.clone()));
                }
                let account_id = operator!(
                    format!("generated-pref-{}", p.code),
                    "prefecture",
                    prefecture_id,
                    format!("{} 担当（生成データ）", p.name)
                );
                let mut cities = Vec::new();
                for (code, name) in &city_list {
                    let city_id = organisation!("city", name, Some(code.as_str()), prefecture_id);
                    let centre = format!("{name}保健所");
                    let centre_id = organisation!("health_centre", &centre, None, city_id);
                    let account_id = operator!(
                        format!("generated-city-{code}"),
                        "city",
                        city_id,
                        format!("{name} 担当（生成データ）")
                    );
                    cities.push(Requester { organisation_id: city_id, account_id, centres: vec![(centre_id, centre)] });
                }
                places.insert(
                    p.code.to_string(),
                    Places {
                        prefecture: Requester { organisation_id: prefecture_id, account_id, centres },
                        cities,
                    },
                );
            }
            places
        });
        Ok(places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_prefecture_has_more_cities_and_health_centres() {
        let reference = Reference::load();
        let (cities, centres) = layout(&reference, "13", 9_000);
        assert_eq!(cities.len(), 3);
        assert_eq!(cities[0].1, "千代田区");
        assert_eq!(centres.len(), 8);
        assert!(centres.iter().all(|c| c.ends_with("保健所")));
        let (cities, centres) = layout(&reference, "31", 400);
        assert_eq!((cities.len(), centres.len()), (1, 2));
        assert_eq!(cities[0].1, "鳥取市");
    }
}
