//! The bulk-mail form: a subject and a body for the members of the roster's filter as it was
//! when the form opened. The recipient count comes from the server's preview, asked for when
//! typing rests (a timer per change; only the newest generation asks, and a newer preview's
//! ticket replaces an older one, whose answer is then dropped as stale). Sending asks first,
//! naming the count, and carries one idempotency key for the whole form, so a retry after a
//! lost answer reaches nobody twice.

use super::text::MailText;
use super::{error_line, idempotency_key, MailMsg};
use crate::api::ApiError;
use crate::app::net::{claim, Pending};
use crate::app::{Action, Ctx, Popup};
use crate::i18n::{self, T};
use crate::keymap::Command;
use crate::ui::confirm::Confirm;
use crate::ui::form::DiscardForm;
use crate::widgets::input::Input;
use crate::widgets::text::clean;
use crate::widgets::textbox::TextBox;
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::api::{
    BulkMail, BulkMailDraft, BulkMailRequest, MailPreview, MemberFilter, MAX_MAIL_BODY_CHARS,
    MAX_MAIL_SUBJECT_CHARS,
};
use ouen_shared::endpoints::{PreviewBulkMail, SendBulkMail};
use ouen_shared::validate::Checker;
use ouen_shared::{ErrorCode, Lang};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long typing must rest before the preview (and the count) is asked for again.
pub const PREVIEW_DEBOUNCE: Duration = Duration::from_millis(400);

/// Timer generations, unique across forms, so one form's timer never moves another.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Which field takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Subject,
    Body,
}

/// A line under the fields: a problem, or a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct MailForm {
    pub filter: MemberFilter,
    /// The filter in words, as the roster showed it.
    pub filter_words: String,
    pub subject: Input,
    pub body: TextBox,
    pub focus: Focus,
    /// Chosen once; every send of this form carries it.
    pub idempotency_key: String,
    generation: u64,
    /// A change waits for its timer.
    preview_due: bool,
    preview_req: Option<Pending<MailPreview>>,
    /// The draft of the preview in flight.
    asked: Option<BulkMailDraft>,
    /// The last preview, and the draft it is of.
    pub preview: Option<(BulkMailDraft, MailPreview)>,
    /// Open the preview as soon as it arrives (Ctrl-p while it was being asked for).
    show_when_previewed: bool,
    send_req: Option<Pending<BulkMail>>,
    /// Problems by field (`subject`, `body`), from the form's checks or the server.
    pub errors: BTreeMap<String, String>,
    pub notice: Option<Notice>,
    offline: bool,
}

impl MailForm {
    /// To whom, in words: the roster's filter, or everyone when it has none.
    pub fn to_words(&self, lang: Lang) -> String {
        if self.filter_words.is_empty() {
            T::MailEveryone.get(lang).to_string()
        } else {
            self.filter_words.clone()
        }
    }

    /// A form for the members of `filter`; the first preview is asked for at once.
    pub fn open(filter: MemberFilter, filter_words: String, ctx: &Ctx) -> MailForm {
        let mut subject = Input::new(false);
        subject.set_placeholder(match ctx.lang {
            Lang::Ja => "例: 研修のご案内",
            Lang::En => "e.g. Training dates",
        });
        let mut form = MailForm {
            filter,
            filter_words,
            subject,
            body: TextBox::default(),
            focus: Focus::Subject,
            idempotency_key: idempotency_key(),
            generation: 0,
            preview_due: false,
            preview_req: None,
            asked: None,
            preview: None,
            show_when_previewed: false,
            send_req: None,
            errors: BTreeMap::new(),
            notice: None,
            offline: false,
        };
        form.ask_preview(ctx);
        form
    }

    /// The draft as typed now.
    pub fn draft(&self) -> BulkMailDraft {
        BulkMailDraft {
            filter: self.filter.clone(),
            subject: self.subject.value().trim().to_string(),
            body: self.body.value(),
        }
    }

    /// The count of the last preview: (recipients, opted out).
    pub fn count(&self) -> Option<(i64, i64)> {
        self.preview
            .as_ref()
            .map(|(_, p)| (p.recipients, p.opted_out))
    }

    /// Whether the count is being asked for (or will be once typing rests).
    pub fn counting(&self) -> bool {
        self.preview_req.is_some() || self.preview_due
    }

    pub fn sending(&self) -> bool {
        self.send_req.is_some()
    }

    fn ask_preview(&mut self, ctx: &Ctx) {
        self.preview_due = false;
        let draft = self.draft();
        self.preview_req = Some(ctx.net.call(PreviewBulkMail(draft.clone())));
        self.asked = Some(draft);
    }

    /// The text changed: the count is asked for again once typing rests.
    fn changed(&mut self) -> Vec<Action> {
        self.generation = GENERATION.fetch_add(1, Ordering::Relaxed) + 1;
        self.preview_due = true;
        vec![Action::Later {
            after: PREVIEW_DEBOUNCE,
            msg: Box::new(MailMsg::Rested(self.generation)),
        }]
    }

    /// The form's own checks: a one-line subject and a body within the API's limits.
    fn check(&mut self, lang: Lang) -> bool {
        let mut c = Checker::new();
        c.text("subject", &self.subject.value(), 1, MAX_MAIL_SUBJECT_CHARS);
        c.multiline_text("body", &self.body.value(), 1, MAX_MAIL_BODY_CHARS);
        self.errors.clear();
        let issues = c.finish();
        for i in &issues {
            self.errors
                .entry(i.field.clone())
                .or_insert_with(|| i.problem.message(lang));
        }
        self.focus_first_error();
        issues.is_empty()
    }

    fn focus_first_error(&mut self) {
        if self.errors.contains_key("subject") {
            self.focus = Focus::Subject;
        } else if self.errors.contains_key("body") {
            self.focus = Focus::Body;
        }
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice { text, error: true });
    }

    /// Ctrl-s: the form's checks, then the question naming the count.
    fn ask_send(&mut self, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        if self.sending() {
            return Vec::new();
        }
        self.notice = None;
        if !self.check(lang) {
            self.error(T::FormFixFields.get(lang).to_string());
            return Vec::new();
        }
        match self.count() {
            Some((0, _)) => {
                self.error(T::MailNoRecipients.get(lang).to_string());
                Vec::new()
            }
            Some((n, _)) => vec![Confirm::popup(
                i18n::mail_confirm(lang, n),
                MailMsg::SendConfirmed(n.unsigned_abs()),
            )],
            None => {
                if !self.counting() {
                    self.ask_preview(ctx);
                }
                self.notice = Some(Notice {
                    text: T::MailWaitCount.get(lang).to_string(),
                    error: false,
                });
                Vec::new()
            }
        }
    }

    /// Sends with the form's one key (again after a failure: the server answers the first
    /// send of a key and reaches nobody twice).
    fn send(&mut self, ctx: &Ctx) {
        self.notice = None;
        self.send_req = Some(ctx.net.call(SendBulkMail(BulkMailRequest {
            idempotency_key: self.idempotency_key.clone(),
            draft: self.draft(),
        })));
    }

    /// Ctrl-p: the message as sent, from a preview of the text typed now.
    fn show_preview(&mut self, ctx: &Ctx) -> Vec<Action> {
        let now = self.draft();
        match &self.preview {
            Some((draft, p)) if *draft == now && !self.counting() => {
                vec![Action::PushPopup(Box::new(MailText::preview(
                    p,
                    &self.to_words(ctx.lang),
                    ctx.lang,
                )))]
            }
            _ => {
                if self.asked.as_ref() != Some(&now) || self.preview_req.is_none() {
                    self.ask_preview(ctx);
                }
                self.show_when_previewed = true;
                Vec::new()
            }
        }
    }

    /// Field problems the server named, under their fields; problems of fields still empty
    /// are left out for a preview (nothing was written there yet).
    fn server_fields(&mut self, body: &ouen_shared::ErrorBody, preview: bool) -> bool {
        let mut left_out = false;
        for f in &body.fields {
            let empty = match f.field.as_str() {
                "subject" => self.subject.is_empty(),
                "body" => self.body.is_empty(),
                _ => false,
            };
            if preview && empty {
                left_out = true;
                continue;
            }
            self.errors
                .entry(f.field.clone())
                .or_insert_with(|| clean(&f.message));
        }
        left_out
    }

    fn previewed(&mut self, result: Result<MailPreview, ApiError>, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let draft = self.asked.take().unwrap_or_else(|| self.draft());
        let show = std::mem::take(&mut self.show_when_previewed);
        match result {
            Ok(p) => {
                // Problems the server found in text since changed are of the past.
                self.errors.clear();
                if self.notice.as_ref().is_some_and(|n| !n.error) {
                    self.notice = None;
                }
                self.preview = Some((draft, p));
                match (&self.preview, show) {
                    (Some((_, p)), true) => vec![Action::PushPopup(Box::new(MailText::preview(
                        p,
                        &self.to_words(lang),
                        lang,
                    )))],
                    _ => Vec::new(),
                }
            }
            Err(ApiError::Server(body)) if body.code == ErrorCode::Invalid => {
                self.errors.clear();
                let left_out = self.server_fields(&body, true);
                self.notice = Some(if self.errors.is_empty() && left_out {
                    Notice {
                        text: T::MailCountAfterText.get(lang).to_string(),
                        error: false,
                    }
                } else {
                    Notice {
                        text: clean(&body.message),
                        error: true,
                    }
                });
                Vec::new()
            }
            Err(e) if e.is_unauthenticated() => Vec::new(),
            Err(e) => {
                self.error(error_line(&e, lang));
                Vec::new()
            }
        }
    }

    fn sent(&mut self, result: Result<BulkMail, ApiError>, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        match result {
            Ok(mail) => vec![
                Action::ClosePopup,
                Action::Status(i18n::mail_sent(lang, mail.recipients)),
            ],
            Err(ApiError::Offline(_)) => {
                self.offline = true;
                self.error(T::MailKeptOffline.get(lang).to_string());
                Vec::new()
            }
            Err(ApiError::Server(body)) if !body.fields.is_empty() => {
                self.errors.clear();
                self.server_fields(&body, false);
                self.focus_first_error();
                self.error(clean(&body.message));
                Vec::new()
            }
            Err(e) => {
                self.error(error_line(&e, lang));
                Vec::new()
            }
        }
    }

    fn close(&self, lang: Lang) -> Vec<Action> {
        if self.has_unsaved_input() {
            vec![Confirm::popup(
                T::ConfirmCloseUnsaved.get(lang),
                DiscardForm,
            )]
        } else {
            vec![Action::ClosePopup]
        }
    }

    /// A key for the field in front; the timer when the text changed.
    fn type_key(&mut self, key: KeyEvent) -> Vec<Action> {
        let changed = match self.focus {
            Focus::Subject => {
                let before = self.subject.value();
                self.subject.key(key);
                self.subject.value() != before
            }
            Focus::Body => {
                let before = self.body.value();
                self.body.key(key);
                self.body.value() != before
            }
        };
        if !changed {
            return Vec::new();
        }
        let field = match self.focus {
            Focus::Subject => "subject",
            Focus::Body => "body",
        };
        self.errors.remove(field);
        self.changed()
    }
}

impl Popup for MailForm {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        match cmd {
            Some(Command::Submit) => return self.ask_send(ctx),
            Some(Command::MailPreview) => return self.show_preview(ctx),
            _ => {}
        }
        match (key.code, self.focus) {
            (KeyCode::Esc, _) => self.close(ctx.lang),
            (KeyCode::Tab | KeyCode::BackTab, Focus::Subject)
            | (KeyCode::Enter | KeyCode::Down, Focus::Subject) => {
                self.focus = Focus::Body;
                Vec::new()
            }
            (KeyCode::Tab | KeyCode::BackTab, Focus::Body) => {
                self.focus = Focus::Subject;
                Vec::new()
            }
            _ => self.type_key(key),
        }
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_form(frame, area, ctx);
    }

    fn answer(&mut self, answer: &mut crate::app::net::Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        if let Some(result) = claim(&mut self.preview_req, answer) {
            return Some(self.previewed(result, ctx));
        }
        let result = claim(&mut self.send_req, answer)?;
        Some(self.sent(result, ctx))
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<MailMsg>()? {
            // An older timer (typing went on since) is stale.
            MailMsg::Rested(generation) => {
                if *generation == self.generation && self.preview_due {
                    self.ask_preview(ctx);
                }
                Some(Vec::new())
            }
            MailMsg::SendConfirmed(_) => {
                if !self.sending() {
                    self.send(ctx);
                }
                Some(Vec::new())
            }
        }
    }

    fn insert_mode(&self) -> bool {
        true
    }

    fn has_unsaved_input(&self) -> bool {
        !self.subject.is_empty() || !self.body.is_empty()
    }

    fn is_loading(&self) -> bool {
        self.counting() || self.sending()
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        match self.focus {
            Focus::Subject => self.subject.paste(text),
            Focus::Body => self.body.paste(text),
        }
        self.changed()
    }

    fn reconnected(&mut self, lang: Lang) {
        if std::mem::take(&mut self.offline) {
            self.notice = Some(Notice {
                text: T::FormBackOnline.get(lang).to_string(),
                error: false,
            });
        }
    }
}
