//! The client's `config.toml`: in the platform configuration directory, or wherever
//! `OUEN_CONFIG` points. Every setting is optional.

use crate::keymap::KeySpecs;
use color_eyre::eyre::{eyre, Result};
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

    /// Parses the text of a configuration file.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
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
            eyre!(
                "configuration file {}{place} is invalid: {}\n(fix the file, or point OUEN_CONFIG at another one)",
                path.display(),
                e.message()
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
