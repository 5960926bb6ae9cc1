//! The popup stack's element: every dialog is one of these. Popups are modal: the topmost
//! gets every key.

use super::confirm::Confirm;
use super::form::Form;
use super::help::Help;
use super::lines::Lines;
use super::message::Message;
use super::picker::Picker;
use super::Ctx;
use crate::action::{Action, RequestId};
use crate::api::{ApiError, Reply};
use crate::keymap::Command;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

/// What a confirmation dialog confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmTag {
    /// Quit although a form has unsaved input.
    QuitDiscard,
    /// Close the form below although it has unsaved input.
    CloseFormDiscard,
    SetDisabled {
        id: i64,
        disabled: bool,
    },
    ResetPassword {
        id: i64,
        login: String,
    },
    /// A decision that needs no reason (approve, reinstate, confirm a re-check).
    Decide {
        id: i64,
        prefecture: String,
        decision: ouen_shared::api::Decision,
    },
    /// Issue a one-time invitation to a prefecture's own professional.
    Invite {
        id: i64,
    },
    /// The member leaves one prefecture, or the bank when `None`.
    Withdraw {
        prefecture: Option<String>,
    },
}

/// A dialog on the stack.
#[allow(clippy::large_enum_variant)] // one or two popups at a time
pub enum Popup {
    Form(Form),
    Picker(Picker),
    Confirm(Confirm),
    Message(Message),
    Help(Help),
    Lines(Lines),
}

impl Popup {
    pub fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        match self {
            Popup::Form(p) => p.handle_key(key, cmd, ctx),
            Popup::Picker(p) => p.handle_key(key, cmd, ctx),
            Popup::Confirm(p) => p.handle_key(key),
            Popup::Message(p) => p.handle_key(key, cmd),
            Popup::Help(p) => p.handle_key(key, cmd),
            Popup::Lines(p) => p.handle_key(key, cmd),
        }
    }

    pub fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        match self {
            Popup::Form(p) => p.handle_response(id, result, ctx),
            Popup::Picker(p) => p.handle_response(id, result, ctx),
            _ => None,
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        match self {
            Popup::Form(p) => p.draw(frame, area, ctx),
            Popup::Picker(p) => p.draw(frame, area, ctx),
            Popup::Confirm(p) => p.draw(frame, area, ctx),
            Popup::Message(p) => p.draw(frame, area, ctx),
            Popup::Help(p) => p.draw(frame, area, ctx),
            Popup::Lines(p) => p.draw(frame, area, ctx),
        }
    }

    pub fn insert_mode(&self) -> bool {
        match self {
            Popup::Form(p) => p.insert_mode(),
            Popup::Picker(_) => true,
            _ => false,
        }
    }

    pub fn has_unsaved_input(&self) -> bool {
        matches!(self, Popup::Form(p) if p.has_unsaved_input())
    }

    pub fn is_loading(&self) -> bool {
        match self {
            Popup::Form(p) => p.is_loading(),
            Popup::Picker(p) => p.is_loading(),
            _ => false,
        }
    }

    pub fn paste(&mut self, text: &str) {
        match self {
            Popup::Form(p) => p.paste(text),
            Popup::Picker(p) => p.paste(text),
            _ => {}
        }
    }
}
