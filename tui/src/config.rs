//! The client's `config.toml`: in the platform configuration directory, or wherever
//! `OUEN_CONFIG` points. Every setting is optional.

use crate::keymap::KeySpecs;
use color_eyre::eyre::{eyre, Result};
use ouen_shared::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The server used when neither the command line nor the configuration names one.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

/// Client settings, as read from the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Base URL of the ouen server.
    pub server: Option<String>,
    /// `ja` or `en`; when absent, the locale (`LC_ALL`, `LANG`) decides.
    pub lang: Option<String>,
    /// `default` (16 indexed colours) or `mono`.
    pub theme: Option<String>,
    /// Mouse support (the wheel scrolls). Off by default so the terminal's own selection keeps
    /// working.
    pub mouse: bool,
    /// Key bindings: action name = "key" or ["key", "key"].
    pub keys: BTreeMap<String, KeySpecs>,
}

/// Where the configuration lives: `OUEN_CONFIG`, else `config.toml` in the platform
/// configuration directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OUEN_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

pub(crate) fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("jp", "ouen", "ouen")
}

impl Config {
    /// Reads the configuration; a missing file is the defaults, a broken one an error naming
    /// the file, line and column.
    pub fn load() -> Result<(Config, Option<PathBuf>)> {
        let Some(path) = config_path() else {
            return Ok((Config::default(), None));
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((Config::parse(&text, &path)?, Some(path))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Config::default(), None)),
            Err(e) => Err(eyre!("cannot read {}: {e}", path.display())),
        }
    }

    /// Parses the text of a configuration file; a problem is told in the locale's language.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        Config::parse_in(text, path, crate::i18n::lang_from_env())
    }

    /// As [`Config::parse`], telling a problem in `lang`.
    pub fn parse_in(text: &str, path: &Path, lang: Lang) -> Result<Config> {
        toml::from_str::<Config>(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            let (what, fix) = match lang {
                Lang::Ja => (
                    "設定ファイル",
                    "（ファイルを直すか、OUEN_CONFIG で別のファイルを指定してください）",
                ),
                Lang::En => (
                    "configuration file",
                    "(fix the file, or point OUEN_CONFIG at another one)",
                ),
            };
            eyre!(
                "{what} {}{place}: {}\n{fix}",
                path.display(),
                explain(e.message(), lang)
            )
        })
    }

    /// Warnings about values that are read but not understood.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(l) = &self.lang {
            if ouen_shared::Lang::parse(l).is_none() {
                w.push(format!("lang = \"{l}\" is not ja or en (ignored)"));
            }
        }
        if let Some(t) = &self.theme {
            if t != "default" && t != "mono" {
                w.push(format!("theme = \"{t}\" is not default or mono (ignored)"));
            }
        }
        w
    }
}

/// A parser's message in words for the operator: the kind of value the setting needs and what
/// was written; messages not recognised are passed on as they are.
fn explain(message: &str, lang: Lang) -> String {
    let kind = |serde_name: &str| -> String {
        let (ja, en) = match serde_name.trim() {
            "a boolean" => ("true か false", "true or false"),
            "a string" => ("\"…\" で囲んだ文字列", "a string in \"…\""),
            "string or list of strings" => (
                "文字列か文字列の並び（例: \"x\" や [\"x\", \"y\"]）",
                "a string or a list of strings (e.g. \"x\" or [\"x\", \"y\"])",
            ),
            "a map" | "struct Config" => ("表（[keys] など）", "a table (such as [keys])"),
            other => return other.to_string(),
        };
        lang.pick(ja, en).to_string()
    };
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return match lang {
                Lang::Ja => format!(
                    "値の種類が違います。{}で書いてください（書かれているのは {found}）",
                    kind(expected)
                ),
                Lang::En => format!(
                    "wrong kind of value: write {} (found {found})",
                    kind(expected)
                ),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, known) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return match lang {
            Lang::Ja => format!("知らない設定項目 {field} です（使える項目: {known}）"),
            Lang::En => format!("unknown setting {field} (known: {known})"),
        };
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_file_names_path_and_line() {
        let err = Config::parse(
            "server = \"http://x\"\nlang = ja\n",
            Path::new("/etc/c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("/etc/c.toml:2:"), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_told_in_words() {
        let err = Config::parse_in("mouse = \"yes\"\n", Path::new("c.toml"), Lang::Ja)
            .unwrap_err()
            .to_string();
        assert!(err.contains("true か false"), "{err}");
        assert!(!err.contains("invalid type"), "{err}");
        let err = Config::parse_in("mouse = \"yes\"\n", Path::new("c.toml"), Lang::En)
            .unwrap_err()
            .to_string();
        assert!(err.contains("write true or false"), "{err}");
        let err = Config::parse_in("colour = \"x\"\n", Path::new("c.toml"), Lang::Ja)
            .unwrap_err()
            .to_string();
        assert!(err.contains("知らない設定項目 `colour`"), "{err}");
    }

    #[test]
    fn reads_keys() {
        let c = Config::parse(
            "lang = \"en\"\nmouse = true\n[keys]\nquit = \"Q\"\nhelp = [\"?\", \"F1\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(c.mouse);
        assert_eq!(c.keys.len(), 2);
    }
}
