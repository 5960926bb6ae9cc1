//! The `:` command line of the application: what it reaches, running a line, its keys
//! (history, completion), and the message for a tab digit with no tab.

use super::commands::{self, Run, Scope};
use super::App;
use crate::app::{TabSpec, ViewCommand};
use crate::i18n::T;
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// The message for a tab digit past the tabs this account sees.
    pub(super) fn no_such_tab(&self, n: usize) -> String {
        let shown: Vec<String> = self
            .tabs
            .iter()
            .enumerate()
            .map(|(i, (spec, _))| format!("{} {}", i + 1, spec.title.get(self.lang)))
            .collect();
        format!(
            "{} {n}: {}",
            T::NoSuchTab.get(self.lang),
            shown.join(self.lang.pick("、", ", "))
        )
    }

    /// Runs `f` with what the command line can reach.
    fn with_scope<R>(&self, f: impl FnOnce(&Scope) -> R) -> R {
        let tabs: Vec<&'static TabSpec> = self.tabs.iter().map(|(s, _)| *s).collect();
        let view_commands: Vec<(usize, &'static ViewCommand)> = self
            .tabs
            .iter()
            .enumerate()
            .flat_map(|(i, (_, v))| v.commands().iter().map(move |c| (i, c)))
            .collect();
        f(&Scope {
            tabs: &tabs,
            view_commands: &view_commands,
            planned: self.registry.planned,
            active: self.active,
        })
    }

    fn run_command_line(&mut self, text: &str) {
        self.history.push(text);
        match self.with_scope(|scope| commands::run(text, scope, self.lang)) {
            Ok(Run::Actions(actions)) => self.queue.extend(actions),
            Ok(Run::View { tab, name, args }) => {
                self.active = tab;
                let ctx = ctx!(self);
                if let Some((_, view)) = self.tabs.get_mut(tab) {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let actions = view.command(name, &args, &ctx).unwrap_or_default();
                    self.queue.extend(actions);
                }
            }
            Err(msg) => self.status = Some((msg, true)),
        }
    }

    pub(super) fn on_cmdline_key(&mut self, key: KeyEvent) {
        let Some(cl) = &self.cmdline else { return };
        let typed = cl.input.value();
        match key.code {
            KeyCode::Esc => {
                self.history.reset();
                self.cmdline = None;
            }
            KeyCode::Enter => {
                self.cmdline = None;
                self.run_command_line(&typed);
            }
            KeyCode::Up | KeyCode::Down => {
                let line = if key.code == KeyCode::Up {
                    self.history.older().map(str::to_string)
                } else {
                    self.history.newer().map(str::to_string)
                };
                if let Some(cl) = &mut self.cmdline {
                    match line {
                        Some(l) => cl.input.set_value(&l),
                        None if key.code == KeyCode::Down => cl.input.set_value(""),
                        None => {}
                    }
                    cl.completions.clear();
                }
            }
            KeyCode::Tab => {
                let options = self.with_scope(|scope| commands::complete(&typed, scope));
                if let Some(cl) = &mut self.cmdline {
                    if let Some(p) = commands::common_prefix(&options) {
                        // One choice is done (a space follows), unless it is a folder.
                        let done = options.len() == 1 && !p.ends_with('/');
                        cl.input.set_value(&if done { format!("{p} ") } else { p });
                    }
                    cl.completions = options;
                }
            }
            KeyCode::Backspace if typed.is_empty() => self.cmdline = None,
            _ => {
                self.history.reset();
                if let Some(cl) = &mut self.cmdline {
                    cl.input.key(key);
                }
                let typed = self
                    .cmdline
                    .as_ref()
                    .map(|c| c.input.value())
                    .unwrap_or_default();
                let options = self.with_scope(|scope| commands::complete(&typed, scope));
                if let Some(cl) = &mut self.cmdline {
                    cl.completions = options;
                }
            }
        }
    }
}
