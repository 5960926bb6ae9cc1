//! Reference data shipped with the server: the municipalities of Japan (local-government codes
//! as of 2023-04-01, from the Ministry of Internal Affairs list, CC0).

use ouen_shared::api::Municipality;
use ouen_shared::text::fold;

const CITY_CODES: &str = include_str!("../data/citycode.csv");

/// Every municipality, with a folded search key.
pub struct Reference {
    municipalities: Vec<(Municipality, String)>,
}

impl Reference {
    /// Parses the embedded list.
    pub fn load() -> Reference {
        let text = CITY_CODES.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let mut municipalities = Vec::new();
        for record in reader.records().flatten() {
            let (Some(code), Some(name), Some(kana)) =
                (record.get(0), record.get(2), record.get(4))
            else {
                continue;
            };
            if name.is_empty() || code.len() != 6 {
                continue;
            }
            let prefecture_code = code[..2].to_string();
            let city_or_ward =
                name.ends_with('市') || (prefecture_code == "13" && name.ends_with('区'));
            let key = fold(&format!("{name}{kana}{code}"));
            municipalities.push((
                Municipality {
                    code: code.to_string(),
                    prefecture_code,
                    name: name.to_string(),
                    kana: kana.to_string(),
                    city_or_ward,
                },
                key,
            ));
        }
        Reference { municipalities }
    }

    /// The municipality with this code.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities
            .iter()
            .map(|(m, _)| m)
            .find(|m| m.code == code)
    }

    /// Municipalities filtered by prefecture, kind and folded free text.
    pub fn search(
        &self,
        prefecture: Option<&str>,
        query: Option<&str>,
        city_or_ward: Option<bool>,
    ) -> Vec<Municipality> {
        let needle = query.map(fold).unwrap_or_default();
        self.municipalities
            .iter()
            .filter(|(m, _)| prefecture.is_none_or(|p| m.prefecture_code == p))
            .filter(|(m, _)| city_or_ward.is_none_or(|c| m.city_or_ward == c))
            .filter(|(_, key)| key.contains(&needle))
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// How many municipalities are known.
    pub fn len(&self) -> usize {
        self.municipalities.len()
    }

    /// Whether the list is empty (it never is once loaded).
    pub fn is_empty(&self) -> bool {
        self.municipalities.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_municipality_with_valid_check_digits() {
        let reference = Reference::load();
        assert_eq!(reference.len(), 1741);
        for (m, _) in &reference.municipalities {
            assert!(
                ouen_shared::municipality::check_digit_ok(&m.code),
                "{}",
                m.code
            );
        }
        let chiyoda = reference.municipality("131016").map(|m| m.name.as_str());
        assert_eq!(chiyoda, Some("千代田区"));
        let hits = reference.search(Some("13"), Some("ｼﾌﾞﾔ"), None);
        assert_eq!(
            hits.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            vec!["渋谷区"]
        );
        assert!(reference
            .search(Some("13"), None, Some(true))
            .iter()
            .any(|m| m.name == "八王子市"));
        assert!(!reference
            .search(Some("13"), None, Some(true))
            .iter()
            .any(|m| m.name == "瑞穂町"));
    }
}
