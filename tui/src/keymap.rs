//! Key bindings: every command has a name (used in `config.toml`), a description (used by the
//! generated help) and default keys. Bindings can be changed in the `[keys]` table.

use crate::i18n::T;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// Where a command applies; the help groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Global,
    List,
    Organisation,
    Roster,
    Profile,
    Inbox,
    Dispatch,
    MyDispatch,
    Shifts,
    Reports,
    Utilisation,
    Form,
}

impl Section {
    /// Every section, in the order the help shows them.
    pub const ALL: &'static [Section] = &[
        Section::Global,
        Section::List,
        Section::Organisation,
        Section::Roster,
        Section::Profile,
        Section::Inbox,
        Section::Dispatch,
        Section::MyDispatch,
        Section::Shifts,
        Section::Reports,
        Section::Utilisation,
        Section::Form,
    ];

    pub fn title(self) -> T {
        match self {
            Section::Global => T::SectionGlobal,
            Section::List => T::SectionList,
            Section::Organisation => T::SectionOrg,
            Section::Roster => T::SectionRoster,
            Section::Profile => T::SectionProfile,
            Section::Inbox => T::SectionInbox,
            Section::Dispatch => T::SectionDispatchKeys,
            Section::MyDispatch => T::SectionMyDispatch,
            Section::Shifts => T::SectionShifts,
            Section::Reports => T::SectionReports,
            Section::Utilisation => T::SectionUtilisation,
            Section::Form => T::SectionForm,
        }
    }

    /// Sections whose bindings hold in every view (the others belong to one view).
    pub fn everywhere(self) -> bool {
        matches!(self, Section::Global | Section::List | Section::Form)
    }
}

macro_rules! commands {
    ($($cmd:ident = $name:literal, $section:ident, $desc:ident, [$($key:literal),*];)+) => {
        /// Something a key can do in normal mode.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command { $($cmd,)+ }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$cmd,)+];

            /// The name used in the configuration file.
            pub fn name(self) -> &'static str {
                match self { $(Command::$cmd => $name,)+ }
            }

            pub fn from_name(name: &str) -> Option<Command> {
                match name { $($name => Some(Command::$cmd),)+ _ => None }
            }

            pub fn section(self) -> Section {
                match self { $(Command::$cmd => Section::$section,)+ }
            }

            /// The description shown in the help.
            pub fn description(self) -> T {
                match self { $(Command::$cmd => T::$desc,)+ }
            }

            fn default_keys(self) -> &'static [&'static str] {
                match self { $(Command::$cmd => &[$($key),*],)+ }
            }
        }
    };
}

commands! {
    Quit = "quit", Global, CmdQuit, ["q"];
    ForceQuit = "force_quit", Global, CmdForceQuit, ["Ctrl-c"];
    NextTab = "next_tab", Global, CmdNextTab, ["Tab"];
    PrevTab = "prev_tab", Global, CmdPrevTab, ["BackTab"];
    Tab1 = "tab_1", Global, CmdTab, ["1"];
    Tab2 = "tab_2", Global, CmdTab, ["2"];
    Tab3 = "tab_3", Global, CmdTab, ["3"];
    Tab4 = "tab_4", Global, CmdTab, ["4"];
    Tab5 = "tab_5", Global, CmdTab, ["5"];
    Tab6 = "tab_6", Global, CmdTab, ["6"];
    Tab7 = "tab_7", Global, CmdTab, ["7"];
    Tab8 = "tab_8", Global, CmdTab, ["8"];
    Tab9 = "tab_9", Global, CmdTab, ["9"];
    Help = "help", Global, CmdHelp, ["?", "F1"];
    CommandLine = "command_line", Global, CmdCommand, [":"];
    Refresh = "refresh", Global, CmdRefresh, ["r", "Ctrl-r"];
    OwnPassword = "own_password", Global, CmdOwnPassword, ["P"];
    Back = "back", Global, CmdBack, ["Esc"];
    Down = "down", List, CmdDown, ["j", "Down"];
    Up = "up", List, CmdUp, ["k", "Up"];
    Top = "top", List, CmdTop, ["g", "Home"];
    Bottom = "bottom", List, CmdBottom, ["G", "End"];
    PageDown = "page_down", List, CmdPageDown, ["Ctrl-d", "PageDown"];
    PageUp = "page_up", List, CmdPageUp, ["Ctrl-u", "PageUp"];
    Open = "open", List, CmdOpen, ["Enter"];
    Filter = "filter", List, CmdFilter, ["/"];
    Copy = "copy", List, CmdCopy, ["y"];
    NextPane = "next_pane", Organisation, CmdNextPane, ["l", "Right"];
    PrevPane = "prev_pane", Organisation, CmdPrevPane, ["h", "Left"];
    New = "new", Organisation, CmdNew, ["n"];
    ToggleDisabled = "toggle_disabled", Organisation, CmdToggleDisabled, ["d"];
    ResetPassword = "reset_password", Organisation, CmdResetPassword, ["R"];
    Rename = "rename", Organisation, CmdRename, ["e"];
    FilterPanel = "filter_panel", Roster, CmdFilterPanel, ["f"];
    ClearFilter = "clear_filter", Roster, CmdClearFilter, ["x"];
    VettingQueue = "vetting_queue", Roster, CmdVettingQueue, ["v"];
    NextPage = "next_page", Roster, CmdNextPage, ["]"];
    PrevPage = "prev_page", Roster, CmdPrevPage, ["["];
    SortNext = "sort_next", Roster, CmdSortNext, ["o"];
    SortReverse = "sort_reverse", Roster, CmdSortReverse, ["O"];
    Approve = "approve", Roster, CmdApprove, ["a"];
    Reject = "reject", Roster, CmdReject, ["r"];
    Suspend = "suspend", Roster, CmdSuspend, ["s"];
    Reinstate = "reinstate", Roster, CmdReinstate, ["u"];
    ConfirmRecheck = "confirm_recheck", Roster, CmdConfirmRecheck, ["c"];
    WithdrawMember = "withdraw_member", Roster, CmdWithdrawMember, ["w"];
    EditNotes = "edit_notes", Roster, CmdEditNotes, ["e"];
    Invite = "invite", Roster, CmdInvite, ["I"];
    NewProfessional = "new_professional", Roster, CmdNewProfessional, ["N"];
    BulkMail = "bulk_mail", Roster, CmdBulkMail, ["m"];
    MailHistory = "mail_history", Roster, CmdMailHistory, ["M"];
    EditProfile = "edit_profile", Profile, CmdEditProfile, ["e"];
    EditAvailability = "edit_availability", Profile, CmdEditAvailability, ["a"];
    OfferPrefecture = "offer_prefecture", Profile, CmdOfferPrefecture, ["n"];
    WithdrawPrefecture = "withdraw_prefecture", Profile, CmdWithdrawPrefecture, ["w"];
    WithdrawBank = "withdraw_bank", Profile, CmdWithdrawBank, ["W"];
    InboxKind = "inbox_kind", Inbox, CmdInboxKind, ["t"];
    InboxNextPage = "inbox_next_page", Inbox, CmdInboxNextPage, ["]"];
    InboxPrevPage = "inbox_prev_page", Inbox, CmdInboxPrevPage, ["["];
    MarkAllRead = "mark_all_read", Inbox, CmdMarkAllRead, ["A"];
    GoToRecord = "go_to_record", Inbox, CmdGoToRecord, ["o"];
    NewDispatch = "new_dispatch", Dispatch, CmdNewDispatch, ["n"];
    EditDispatch = "edit_dispatch", Dispatch, CmdEditDispatch, ["e"];
    DispatchTargets = "dispatch_targets", Dispatch, CmdDispatchTargets, ["t"];
    SendDispatch = "send_dispatch", Dispatch, CmdSendDispatch, ["s"];
    RemindSilent = "remind_silent", Dispatch, CmdRemindSilent, ["R"];
    CancelDispatch = "cancel_dispatch", Dispatch, CmdCancelDispatch, ["X"];
    DispatchStatusFilter = "dispatch_status_filter", Dispatch, CmdDispatchStatusFilter, ["f"];
    OpenGrid = "open_grid", Dispatch, CmdOpenGrid, ["g"];
    ToggleSlot = "toggle_slot", MyDispatch, CmdToggleSlot, ["Space"];
    SendAnswer = "send_answer", MyDispatch, CmdSendAnswer, ["s"];
    AcceptFormal = "accept_formal", MyDispatch, CmdAcceptFormal, ["a"];
    DeclineFormal = "decline_formal", MyDispatch, CmdDeclineFormal, ["d"];
    AnswerNote = "answer_note", MyDispatch, CmdAnswerNote, ["e"];
    AnswerDuties = "answer_duties", MyDispatch, CmdAnswerDuties, ["u"];
    CellLeft = "cell_left", Shifts, CmdCellLeft, ["h", "Left"];
    CellRight = "cell_right", Shifts, CmdCellRight, ["l", "Right"];
    PrevDay = "prev_day", Shifts, CmdPrevDay, ["H", "b"];
    NextDay = "next_day", Shifts, CmdNextDay, ["L", "w"];
    ToggleAssign = "toggle_assign", Shifts, CmdToggleAssign, ["Space"];
    AutoFill = "auto_fill", Shifts, CmdAutoFill, ["a"];
    Replan = "replan", Shifts, CmdReplan, ["p"];
    ConfirmPlan = "confirm_plan", Shifts, CmdConfirmPlan, ["c"];
    JumpToPerson = "jump_to_person", Shifts, CmdJumpToPerson, ["/"];
    MoveSlot = "move_slot", Shifts, CmdMoveSlot, ["m"];
    CancelSlot = "cancel_slot", Shifts, CmdCancelSlot, ["X"];
    FileReport = "file_report", Reports, CmdFileReport, ["e"];
    ApproveReport = "approve_report", Reports, CmdApproveReport, ["a"];
    ReturnReport = "return_report", Reports, CmdReturnReport, ["R"];
    ReopenReport = "reopen_report", Reports, CmdReopenReport, ["o"];
    ReportStatusFilter = "report_status_filter", Reports, CmdReportStatusFilter, ["f"];
    UtilNext = "utilisation_next", Utilisation, CmdUtilNext, ["l", "Right"];
    UtilPrev = "utilisation_prev", Utilisation, CmdUtilPrev, ["h", "Left"];
    UtilPeriod = "utilisation_period", Utilisation, CmdUtilPeriod, ["p"];
    Submit = "submit", Form, CmdSubmit, ["Ctrl-s"];
    MailPreview = "mail_preview", Form, CmdMailPreview, ["Ctrl-p"];
}

impl Command {
    /// For `tab_N`: N (1-based).
    pub fn tab_number(self) -> Option<usize> {
        use Command::*;
        Some(match self {
            Tab1 => 1,
            Tab2 => 2,
            Tab3 => 3,
            Tab4 => 4,
            Tab5 => 5,
            Tab6 => 6,
            Tab7 => 7,
            Tab8 => 8,
            Tab9 => 9,
            _ => return None,
        })
    }
}

/// A key with its modifiers, normalised so that bindings compare equal to events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` restricted to what bindings use, with an order for stable help output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
}

impl Key {
    /// The key of a terminal event (`None` for keys no binding can name).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCodeOrd::BackTab,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Delete => KeyCodeOrd::Delete,
            _ => return None,
        };
        Some(Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Parses `q`, `G`, `Ctrl-d`, `Alt-x`, `Enter`, `Esc`, `Tab`, `BackTab` (`Shift-Tab`),
    /// `Up`, `PageDown`, `F1`, `Space`, …
    pub fn parse(spec: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = spec.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = ["ctrl-", "c-", "ctrl+"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len())
            {
                ctrl = true;
                rest = &rest[r.len()..];
            } else if let Some(r) = ["alt-", "a-", "m-", "alt+"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len())
            {
                alt = true;
                rest = &rest[r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => KeyCodeOrd::Enter,
                "esc" | "escape" => KeyCodeOrd::Esc,
                "tab" => KeyCodeOrd::Tab,
                "backtab" | "shift-tab" | "s-tab" => KeyCodeOrd::BackTab,
                "backspace" | "bs" => KeyCodeOrd::Backspace,
                "up" => KeyCodeOrd::Up,
                "down" => KeyCodeOrd::Down,
                "left" => KeyCodeOrd::Left,
                "right" => KeyCodeOrd::Right,
                "home" => KeyCodeOrd::Home,
                "end" => KeyCodeOrd::End,
                "pageup" | "pgup" => KeyCodeOrd::PageUp,
                "pagedown" | "pgdn" => KeyCodeOrd::PageDown,
                "delete" | "del" => KeyCodeOrd::Delete,
                "space" => KeyCodeOrd::Char(' '),
                other => {
                    let n: u8 = other.strip_prefix('f')?.parse().ok()?;
                    if (1..=12).contains(&n) {
                        KeyCodeOrd::F(n)
                    } else {
                        return None;
                    }
                }
            },
        };
        Some(Key { code, ctrl, alt })
    }

    /// How the help shows the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCodeOrd::Char(' ') => "Space".to_string(),
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("F{n}"),
            KeyCodeOrd::Enter => "Enter".into(),
            KeyCodeOrd::Esc => "Esc".into(),
            KeyCodeOrd::Tab => "Tab".into(),
            KeyCodeOrd::BackTab => "Shift-Tab".into(),
            KeyCodeOrd::Backspace => "Backspace".into(),
            KeyCodeOrd::Up => "↑".into(),
            KeyCodeOrd::Down => "↓".into(),
            KeyCodeOrd::Left => "←".into(),
            KeyCodeOrd::Right => "→".into(),
            KeyCodeOrd::Home => "Home".into(),
            KeyCodeOrd::End => "End".into(),
            KeyCodeOrd::PageUp => "PageUp".into(),
            KeyCodeOrd::PageDown => "PageDown".into(),
            KeyCodeOrd::Delete => "Delete".into(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s.push_str(&base);
        s
    }
}

/// Value of one entry of `[keys]`: one key or a list.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum KeySpecs {
    One(String),
    Many(Vec<String>),
}

/// The bindings in effect.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Command, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for cmd in Command::ALL {
            let keys = cmd
                .default_keys()
                .iter()
                .filter_map(|k| Key::parse(k))
                .collect();
            bindings.insert(*cmd, keys);
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the configuration's overrides; problems come back as warnings.
    pub fn with_overrides(overrides: &BTreeMap<String, KeySpecs>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut warnings = Vec::new();
        for (name, specs) in overrides {
            let Some(cmd) = Command::from_name(name) else {
                warnings.push(format!(
                    "[keys] unknown action `{name}` (ignored; config.example.toml lists the actions)"
                ));
                continue;
            };
            let list = match specs {
                KeySpecs::One(s) => vec![s.clone()],
                KeySpecs::Many(v) => v.clone(),
            };
            let mut keys = Vec::new();
            for s in list {
                match Key::parse(&s) {
                    Some(k) => keys.push(k),
                    None => warnings.push(format!(
                        "[keys] {name}: unknown key `{s}` (ignored); use e.g. \"x\", \"Ctrl-x\", \"Enter\", \"F2\""
                    )),
                }
            }
            if !keys.is_empty() {
                // A key moved to this command leaves its old command.
                for other in map.bindings.values_mut() {
                    other.retain(|k| !keys.contains(k));
                }
                map.bindings.insert(cmd, keys);
            }
        }
        (map, warnings)
    }

    /// The command a key runs in normal mode outside any particular view.
    pub fn lookup(&self, ev: &KeyEvent) -> Option<Command> {
        self.lookup_in(ev, None)
    }

    /// The command a key runs in normal mode in a view of `section`: a binding of that
    /// section wins, then one that holds everywhere, then any other.
    pub fn lookup_in(&self, ev: &KeyEvent, section: Option<Section>) -> Option<Command> {
        self.resolve(&Key::from_event(ev)?, section)
    }

    /// As [`Keymap::lookup_in`], for a key of the keymap.
    pub fn resolve(&self, key: &Key, section: Option<Section>) -> Option<Command> {
        let key = *key;
        let found: Vec<Command> = self
            .bindings
            .iter()
            .filter(|(_, keys)| keys.contains(&key))
            .map(|(c, _)| *c)
            .collect();
        section
            .and_then(|s| found.iter().find(|c| c.section() == s))
            .or_else(|| found.iter().find(|c| c.section().everywhere()))
            .or(found.first())
            .copied()
    }

    /// The keys bound to a command.
    pub fn keys(&self, cmd: Command) -> &[Key] {
        self.bindings.get(&cmd).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key of a command, for hints.
    pub fn key_label(&self, cmd: Command) -> String {
        self.keys(cmd)
            .first()
            .map(Key::label)
            .unwrap_or_else(|| "—".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(
            Key::parse("Ctrl-d"),
            Some(Key {
                code: KeyCodeOrd::Char('d'),
                ctrl: true,
                alt: false
            })
        );
        assert_eq!(Key::parse("G").map(|k| k.code), Some(KeyCodeOrd::Char('G')));
        assert_eq!(
            Key::parse("Shift-Tab").map(|k| k.code),
            Some(KeyCodeOrd::BackTab)
        );
        assert_eq!(Key::parse("F13"), None);
        assert_eq!(Key::parse("Hyper-x"), None);
        assert_eq!(Key::parse(""), None);
    }

    #[test]
    fn overrides_warn_instead_of_failing() {
        let mut o = BTreeMap::new();
        o.insert("frobnicate".to_string(), KeySpecs::One("x".into()));
        o.insert(
            "quit".to_string(),
            KeySpecs::Many(vec!["Q".into(), "Ctrl-Nope".into()]),
        );
        let (map, warnings) = Keymap::with_overrides(&o);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(map.keys(Command::Quit), &[Key::parse("Q").unwrap()]);
    }

    #[test]
    fn a_view_section_wins_over_everywhere_bindings() {
        let map = Keymap::default();
        let r = KeyEvent::from(KeyCode::Char('r'));
        assert_eq!(map.lookup(&r), Some(Command::Refresh));
        assert_eq!(
            map.lookup_in(&r, Some(Section::Organisation)),
            Some(Command::Refresh)
        );
        assert_eq!(
            map.lookup_in(&r, Some(Section::Roster)),
            Some(Command::Reject)
        );
        let e = KeyEvent::from(KeyCode::Char('e'));
        assert_eq!(map.lookup(&e), Some(Command::Rename));
        assert_eq!(
            map.lookup_in(&e, Some(Section::Profile)),
            Some(Command::EditProfile)
        );
        // Ctrl-r still reloads in the roster.
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(
            map.lookup_in(&ctrl_r, Some(Section::Roster)),
            Some(Command::Refresh)
        );
    }

    #[test]
    fn every_command_has_a_default_key() {
        let map = Keymap::default();
        for c in Command::ALL {
            assert!(!map.keys(*c).is_empty(), "{c:?}");
        }
    }
}
