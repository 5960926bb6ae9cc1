//! The `:` command line: commands, their completion, and what they do.

use crate::action::{Action, ViewEvent};
use crate::i18n::T;
use crate::tabs::{TabSpec, PLANNED, TABS};
use ouen_shared::api::CsvEncoding;
use ouen_shared::Lang;
use std::path::PathBuf;

/// A command of the command line (for the help and completion).
pub struct CommandDef {
    pub name: &'static str,
    pub usage: &'static str,
    pub description: T,
}

pub const COMMANDS: &[CommandDef] = &[
    CommandDef {
        name: "quit",
        usage: "quit  (:q)",
        description: T::CmdLineQuit,
    },
    CommandDef {
        name: "logout",
        usage: "logout",
        description: T::CmdLineLogout,
    },
    CommandDef {
        name: "lang",
        usage: "lang ja|en",
        description: T::CmdLineLang,
    },
    CommandDef {
        name: "help",
        usage: "help",
        description: T::CmdLineHelp,
    },
    CommandDef {
        name: "refresh",
        usage: "refresh",
        description: T::CmdLineRefresh,
    },
    CommandDef {
        name: "password",
        usage: "password",
        description: T::CmdLinePassword,
    },
    CommandDef {
        name: "organisation",
        usage: "organisation  (:org)",
        description: T::CmdLineTab,
    },
    CommandDef {
        name: "roster",
        usage: "roster",
        description: T::CmdLineTab,
    },
    CommandDef {
        name: "import",
        usage: "import FILE.csv [PREF]",
        description: T::CmdLineImport,
    },
    CommandDef {
        name: "export",
        usage: "export FILE.csv [cp932]",
        description: T::CmdLineExport,
    },
];

/// `~/` at the start of a path is the home directory.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Every word that can follow `:` for the tabs shown.
fn words(tabs: &[&TabSpec]) -> Vec<String> {
    // Tabs are offered only to the roles that see them.
    let mut w: Vec<String> = COMMANDS
        .iter()
        .filter(|c| !TABS.iter().any(|t| t.command == c.name))
        .map(|c| c.name.to_string())
        .collect();
    for t in tabs {
        w.push(t.command.to_string());
    }
    w.sort();
    w
}

/// Completions of the text typed so far (without the `:`).
pub fn complete(input: &str, tabs: &[&TabSpec]) -> Vec<String> {
    let trimmed = input.trim_start();
    if let Some(arg) = trimmed.strip_prefix("lang ") {
        return ["ja", "en"]
            .iter()
            .filter(|l| l.starts_with(arg.trim()))
            .map(|l| format!("lang {l}"))
            .collect();
    }
    if trimmed.contains(' ') {
        return Vec::new();
    }
    words(tabs)
        .into_iter()
        .filter(|w| w.starts_with(trimmed))
        .collect()
}

/// The longest common prefix of the completions (what Tab fills in).
pub fn common_prefix(options: &[String]) -> Option<String> {
    let first = options.first()?;
    let mut end = first.len();
    for o in &options[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(o.chars())
                .find(|((_, a), b)| a != b)
                .map_or(end.min(o.len()), |((i, _), _)| i),
        );
    }
    Some(first[..end].to_string())
}

/// What a command line does; `Err` is a message for the status line.
pub fn run(input: &str, tabs: &[&TabSpec], lang: Lang) -> Result<Vec<Action>, String> {
    let mut parts = input.split_whitespace();
    let Some(word) = parts.next() else {
        return Ok(Vec::new());
    };
    let arg = parts.next();
    // Import and export happen in the roster: it comes to the front.
    let roster = |event: ViewEvent| match tabs.iter().position(|t| t.command == "roster") {
        Some(i) => Ok(vec![Action::SwitchTab(i), Action::View(event)]),
        None => Err(T::NotAllowedHere.get(lang).to_string()),
    };
    match word {
        "import" => match arg {
            Some(path) => roster(ViewEvent::Import {
                path: expand_home(path),
                prefecture: parts.next().map(str::to_string),
            }),
            None => Err(format!(
                "{}: import FILE.csv [PREF]",
                T::UnknownCommand.get(lang)
            )),
        },
        "export" => match (arg, parts.next()) {
            (Some(path), enc) => {
                let encoding = match enc.map(str::to_ascii_lowercase).as_deref() {
                    None | Some("utf8" | "utf-8") => CsvEncoding::Utf8,
                    Some("cp932" | "sjis" | "shift_jis") => CsvEncoding::Cp932,
                    Some(_) => {
                        return Err(format!(
                            "{}: export FILE.csv [cp932]",
                            T::UnknownCommand.get(lang)
                        ))
                    }
                };
                roster(ViewEvent::Export {
                    path: expand_home(path),
                    encoding,
                })
            }
            (None, _) => Err(format!(
                "{}: export FILE.csv [cp932]",
                T::UnknownCommand.get(lang)
            )),
        },
        "q" | "quit" => Ok(vec![Action::Quit]),
        "q!" | "quit!" => Ok(vec![Action::ForceQuit]),
        "logout" => Ok(vec![Action::Logout]),
        "help" | "h" => Ok(vec![Action::OpenHelp]),
        "refresh" | "reload" => Ok(vec![Action::Refresh]),
        "password" | "passwd" => Ok(vec![Action::OwnPassword]),
        "lang" => match arg.and_then(Lang::parse) {
            Some(l) => Ok(vec![Action::SetLang(l)]),
            None => Err(format!("{}: lang ja|en", T::UnknownCommand.get(lang))),
        },
        other => {
            if let Some(i) = tabs
                .iter()
                .position(|t| t.command == other || t.aliases.contains(&other))
            {
                return Ok(vec![Action::SwitchTab(i)]);
            }
            if let Some((_, title)) = PLANNED.iter().find(|(n, _)| *n == other) {
                return Err(format!(
                    "{}: {}",
                    T::NotYetAvailable.get(lang),
                    title.get(lang)
                ));
            }
            Err(format!("{}: {other}", T::UnknownCommand.get(lang)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabs::TABS;

    #[test]
    fn completes_commands_and_tabs() {
        let tabs: Vec<&TabSpec> = TABS.iter().collect();
        assert_eq!(complete("lo", &tabs), vec!["logout"]);
        assert_eq!(complete("lang e", &tabs), vec!["lang en"]);
        assert_eq!(complete("org", &tabs), vec!["organisation"]);
        assert_eq!(
            common_prefix(&["refresh".into(), "reload".into()]).as_deref(),
            Some("re")
        );
        assert!(run("dispatch", &tabs, Lang::En).is_err());
        assert!(run("nonsense", &tabs, Lang::En).is_err());
        assert!(matches!(
            run("roster", &tabs, Lang::En).as_deref(),
            Ok([Action::SwitchTab(1)])
        ));
        assert!(matches!(
            run("export out.csv cp932", &tabs, Lang::En).as_deref(),
            Ok([
                Action::SwitchTab(1),
                Action::View(ViewEvent::Export {
                    encoding: CsvEncoding::Cp932,
                    ..
                })
            ])
        ));
        assert!(run("export out.csv latin1", &tabs, Lang::En).is_err());
        // Without the roster (institutions, partners) there is nothing to import into.
        let org_only: Vec<&TabSpec> = TABS.iter().take(1).collect();
        assert!(run("import members.csv", &org_only, Lang::En).is_err());
        assert!(matches!(
            run("org", &tabs, Lang::En).as_deref(),
            Ok([Action::SwitchTab(0)])
        ));
    }
}
