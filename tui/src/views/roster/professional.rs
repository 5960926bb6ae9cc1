//! A prefecture's own professional entered by hand (`N`, prefectures and the admin): the form
//! opens; once saved, the new record is opened, its registration code shown, the list asked
//! for again and the new row selected when it is on the page.

use super::forms;
use super::record_text::code_text;
use super::RosterView;
use crate::app::{Action, Ctx};
use crate::i18n::T;
use crate::ui::message::Message;
use crate::widgets::text::clean;
use ouen_shared::api::Member;
use ouen_shared::Role;

impl RosterView {
    /// Opens the form: a prefecture enters for itself, the admin chooses the prefecture.
    pub(super) fn new_professional(&self, ctx: &Ctx) -> Vec<Action> {
        if !self.may_decide() {
            return vec![Action::Error(T::NotAllowedHere.get(ctx.lang).to_string())];
        }
        let managing = match self.role {
            Role::Prefecture => self.prefecture.clone(),
            _ => None,
        };
        let form = forms::professional_form(managing, ctx.lang);
        vec![Action::PushPopup(Box::new(form))]
    }

    /// The professional was saved: its record in front, its code shown once more to copy.
    pub(super) fn professional_created(&mut self, m: &Member, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        self.detail = Some(m.clone());
        self.detail_req = None;
        self.detail_scroll = 0;
        // In front at any width: full screen when narrow, focused beside the list when wide.
        self.full = true;
        self.detail_focus = true;
        self.select_when_listed = Some(m.id);
        self.load(ctx);
        let name = clean(&m.name);
        match &m.registration_code {
            Some(code) => vec![Action::PushPopup(Box::new(Message {
                title: T::ProfessionalEnteredTitle.get(lang).to_string(),
                lines: vec![
                    format!("{name}（{}）", clean(&m.name_kana)),
                    T::ProfessionalEntered.get(lang).to_string(),
                ],
                value: Some(code_text(Some(code))),
            }))],
            None => vec![Action::Status(format!("{} {name}", T::Saved.get(lang)))],
        }
    }
}
