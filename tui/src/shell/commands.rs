//! The `:` command line: the application's commands, the tabs, the commands of the views
//! shown, their completion (file paths included) and what they do.

use crate::app::{Action, TabSpec, ViewCommand};
use crate::i18n::T;
use ouen_shared::Lang;
use std::path::{Path, PathBuf};

/// A command of the command line (for the help and completion).
pub struct CommandDef {
    pub name: &'static str,
    pub usage: &'static str,
    pub description: T,
}

/// The application's own commands (views add theirs, tabs open with their names).
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
];

/// What the command line can reach: the tabs shown, the commands of their views, and the
/// tabs still to come.
pub struct Scope<'a> {
    pub tabs: &'a [&'static TabSpec],
    /// (tab index, command) for every view command.
    pub view_commands: &'a [(usize, &'static ViewCommand)],
    pub planned: &'a [(&'static str, T)],
    /// The tab in front: its own command wins when several views have one of that name
    /// (`:export` exports what is on screen).
    pub active: usize,
}

impl Scope<'_> {
    fn view_command(&self, name: &str) -> Option<(usize, &'static ViewCommand)> {
        let named = || self.view_commands.iter().filter(|(_, c)| c.name == name);
        named()
            .find(|(tab, _)| *tab == self.active)
            .or_else(|| named().next())
            .copied()
    }
}

/// What running a command line leads to.
pub enum Run {
    Actions(Vec<Action>),
    /// A view's command: its tab comes to the front and the view runs it.
    View {
        tab: usize,
        name: &'static str,
        args: Vec<String>,
    },
}

/// `~/` at the start of a path is the home directory.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Every word that can follow `:`.
fn words(scope: &Scope) -> Vec<String> {
    let mut w: Vec<String> = COMMANDS.iter().map(|c| c.name.to_string()).collect();
    // Tabs and their commands are offered only to the roles that see them.
    w.extend(scope.tabs.iter().map(|t| t.command.to_string()));
    w.extend(scope.view_commands.iter().map(|(_, c)| c.name.to_string()));
    w.sort();
    w.dedup();
    w
}

/// Completions of the text typed so far (without the `:`).
pub fn complete(input: &str, scope: &Scope) -> Vec<String> {
    let trimmed = input.trim_start();
    if let Some(arg) = trimmed.strip_prefix("lang ") {
        return ["ja", "en"]
            .iter()
            .filter(|l| l.starts_with(arg.trim()))
            .map(|l| format!("lang {l}"))
            .collect();
    }
    if let Some((word, arg)) = trimmed.split_once(' ') {
        let arg = arg.trim_start();
        return match scope.view_command(word) {
            Some((_, c)) if c.takes_path && !arg.contains(' ') => complete_path(arg)
                .into_iter()
                .map(|p| format!("{word} {p}"))
                .collect(),
            _ => Vec::new(),
        };
    }
    words(scope)
        .into_iter()
        .filter(|w| w.starts_with(trimmed))
        .collect()
}

/// Paths that start with `typed`, folders ending in `/` (sorted, hidden files only when asked
/// for with a leading dot).
pub fn complete_path(typed: &str) -> Vec<String> {
    let (dir_part, name_part) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !name.starts_with(name_part)
                || (name.starts_with('.') && !name_part.starts_with('.'))
            {
                return None;
            }
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir()) || is_dir_link(&e.path());
            Some(format!("{dir_part}{name}{}", if is_dir { "/" } else { "" }))
        })
        .collect();
    out.sort();
    out
}

fn is_dir_link(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
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
pub fn run(input: &str, scope: &Scope, lang: Lang) -> Result<Run, String> {
    let mut parts = input.split_whitespace();
    let Some(word) = parts.next() else {
        return Ok(Run::Actions(Vec::new()));
    };
    let arg = parts.clone().next();
    let actions = |a: Action| Ok(Run::Actions(vec![a]));
    match word {
        "q" | "quit" => actions(Action::Quit),
        "q!" | "quit!" => actions(Action::ForceQuit),
        "logout" => actions(Action::Logout),
        "help" | "h" => actions(Action::OpenHelp),
        "refresh" | "reload" => actions(Action::Refresh),
        "password" | "passwd" => actions(Action::OwnPassword),
        "lang" => match arg.and_then(Lang::parse) {
            Some(l) => actions(Action::SetLang(l)),
            None => Err(format!("{}: :lang ja|en", T::Usage.get(lang))),
        },
        other => {
            if let Some(i) = scope
                .tabs
                .iter()
                .position(|t| t.command == other || t.aliases.contains(&other))
            {
                return actions(Action::SwitchTab(i));
            }
            if let Some((tab, c)) = scope.view_command(other) {
                let args = parts
                    .enumerate()
                    .map(|(i, a)| {
                        if i == 0 && c.takes_path {
                            expand_home(a).display().to_string()
                        } else {
                            a.to_string()
                        }
                    })
                    .collect();
                return Ok(Run::View {
                    tab,
                    name: c.name,
                    args,
                });
            }
            if let Some((_, title)) = scope.planned.iter().find(|(n, _)| *n == other) {
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

/// The command lines typed before, newest last, walked with Up and Down.
#[derive(Default)]
pub struct History {
    lines: Vec<String>,
    /// Where Up and Down are (an index into `lines`), while walking.
    at: Option<usize>,
}

impl History {
    /// How many lines are kept.
    const KEEP: usize = 100;

    pub fn push(&mut self, line: &str) {
        self.at = None;
        let line = line.trim();
        if line.is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > Self::KEEP {
            self.lines.remove(0);
        }
    }

    /// The line before the one shown.
    pub fn older(&mut self) -> Option<&str> {
        let at = match self.at {
            None => self.lines.len().checked_sub(1)?,
            Some(i) => i.saturating_sub(1),
        };
        self.at = Some(at);
        self.lines.get(at).map(String::as_str)
    }

    /// The line after the one shown; `None` past the newest (an empty line).
    pub fn newer(&mut self) -> Option<&str> {
        let at = self.at? + 1;
        if at >= self.lines.len() {
            self.at = None;
            return None;
        }
        self.at = Some(at);
        self.lines.get(at).map(String::as_str)
    }

    /// Walking ends (the line was edited or the command line closed).
    pub fn reset(&mut self) {
        self.at = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabs::{PLANNED, TABS};

    fn scope_of<'a>(
        tabs: &'a [&'static TabSpec],
        cmds: &'a [(usize, &'static ViewCommand)],
    ) -> Scope<'a> {
        Scope {
            tabs,
            view_commands: cmds,
            planned: PLANNED,
            active: 0,
        }
    }

    const EXPORT: ViewCommand = ViewCommand {
        name: "export",
        args: "FILE.csv [cp932]",
        about: T::CmdLineExport,
        takes_path: true,
    };

    #[test]
    fn completes_commands_tabs_and_view_commands() {
        let tabs: Vec<&TabSpec> = TABS.iter().collect();
        let cmds = [(0, &EXPORT)];
        let scope = scope_of(&tabs, &cmds);
        assert_eq!(complete("lo", &scope), vec!["logout"]);
        assert_eq!(complete("lang e", &scope), vec!["lang en"]);
        assert_eq!(complete("org", &scope), vec!["organisation"]);
        assert_eq!(complete("exp", &scope), vec!["export"]);
        assert_eq!(
            common_prefix(&["refresh".into(), "reload".into()]).as_deref(),
            Some("re")
        );
        // A view not built yet is refused by name.
        assert!(run("trainings", &scope, Lang::En).is_err());
        assert!(run("nonsense", &scope, Lang::En).is_err());
        assert!(matches!(
            run("organisation", &scope, Lang::En),
            Ok(Run::Actions(a)) if matches!(a.as_slice(), [Action::SwitchTab(6)])
        ));
        assert!(matches!(
            run("reports", &scope, Lang::En),
            Ok(Run::Actions(a)) if matches!(a.as_slice(), [Action::SwitchTab(3)])
        ));
        assert!(matches!(
            run("inbox", &scope, Lang::En),
            Ok(Run::Actions(a)) if matches!(a.as_slice(), [Action::SwitchTab(5)])
        ));
        let Ok(Run::View { tab: 0, name, args }) = run("export out.csv cp932", &scope, Lang::En)
        else {
            panic!("a view command");
        };
        assert_eq!(
            (name, args.as_slice()),
            ("export", &["out.csv".to_string(), "cp932".to_string()][..])
        );
        // Two views with a command of one name: the one in front runs it.
        let both = [(0, &EXPORT), (3, &EXPORT)];
        let mut scope = scope_of(&tabs, &both);
        assert!(matches!(
            run("export a.csv", &scope, Lang::En),
            Ok(Run::View { tab: 0, .. })
        ));
        scope.active = 3;
        assert!(matches!(
            run("export a.csv", &scope, Lang::En),
            Ok(Run::View { tab: 3, .. })
        ));
        scope.active = 4;
        assert!(matches!(
            run("export a.csv", &scope, Lang::En),
            Ok(Run::View { tab: 0, .. })
        ));
        // Without the view that has the command, it is unknown.
        let org_only: Vec<&TabSpec> = TABS.iter().skip(1).collect();
        assert!(run("export members.csv", &scope_of(&org_only, &[]), Lang::En).is_err());
    }

    #[test]
    fn completes_file_paths_for_commands_that_take_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("members-2026.csv"), "").expect("file");
        std::fs::write(dir.path().join("members-2025.csv"), "").expect("file");
        std::fs::create_dir(dir.path().join("old")).expect("dir");
        let base = format!("{}/", dir.path().display());
        let tabs: Vec<&TabSpec> = TABS.iter().collect();
        let cmds = [(0, &EXPORT)];
        let scope = scope_of(&tabs, &cmds);
        let got = complete(&format!("export {base}mem"), &scope);
        assert_eq!(
            got,
            vec![
                format!("export {base}members-2025.csv"),
                format!("export {base}members-2026.csv")
            ]
        );
        assert_eq!(
            common_prefix(&got),
            Some(format!("export {base}members-202"))
        );
        assert_eq!(
            complete(&format!("export {base}o"), &scope),
            vec![format!("export {base}old/")]
        );
        // A command without a path argument completes nothing after its name.
        assert!(complete("help x", &scope).is_empty());
    }

    #[test]
    fn history_walks_back_and_forth() {
        let mut h = History::default();
        assert_eq!(h.older(), None);
        h.push("roster");
        h.push("export a.csv");
        h.push("export a.csv");
        assert_eq!(h.older(), Some("export a.csv"));
        assert_eq!(h.older(), Some("roster"));
        assert_eq!(h.older(), Some("roster"));
        assert_eq!(h.newer(), Some("export a.csv"));
        assert_eq!(h.newer(), None);
    }
}
