//! A message in a scrolling popup: the preview of a bulk mail as its recipients read it, or a
//! bulk mail sent, with whom it went to.

use crate::app::{Action, Ctx, Popup};
use crate::i18n::{self, T};
use crate::keymap::Command;
use crate::ui::centered;
use crate::ui::lines::draw_page;
use crate::widgets::text::{clean, clean_lines, wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::api::{BulkMail, MailPreview};
use ouen_shared::time::format_jst;
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

pub struct MailText {
    pub title: String,
    /// Above the body, not scrolled: to whom, the subject.
    pub head: Vec<String>,
    pub body: String,
    pub scroll: usize,
}

impl MailText {
    /// The message as a preview says it is sent.
    pub fn preview(p: &MailPreview, to: &str, lang: Lang) -> MailText {
        MailText {
            title: T::MailPreviewTitle.get(lang).to_string(),
            head: vec![
                format!("{}: {to}", T::MailTo.get(lang)),
                i18n::mail_recipients(lang, p.recipients, p.opted_out),
                format!("{}: {}", T::MailSubject.get(lang), clean(&p.subject)),
            ],
            body: clean_lines(&p.body),
            scroll: 0,
        }
    }

    /// A bulk mail sent; `to` is its filter in words.
    pub fn sent(m: &BulkMail, to: &str, lang: Lang) -> MailText {
        MailText {
            title: T::MailSentTitle.get(lang).to_string(),
            head: vec![
                format!(
                    "{}: {}  {}: {}",
                    T::ColSentAt.get(lang),
                    format_jst(m.sent_at),
                    T::ColAuthor.get(lang),
                    m.author.as_deref().map(clean).unwrap_or_default()
                ),
                format!(
                    "{}: {}  {to}",
                    T::MailTo.get(lang),
                    i18n::members(lang, m.recipients)
                ),
                format!("{}: {}", T::MailSubject.get(lang), clean(&m.subject)),
            ],
            body: clean_lines(&m.body),
            scroll: 0,
        }
    }
}

impl Popup for MailText {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, _ctx: &Ctx) -> Vec<Action> {
        match (cmd, key.code) {
            (_, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) => {
                return vec![Action::ClosePopup]
            }
            (Some(Command::Down), _) | (_, KeyCode::Char('j')) => self.scroll += 1,
            (Some(Command::Up), _) | (_, KeyCode::Char('k')) => {
                self.scroll = self.scroll.saturating_sub(1)
            }
            (Some(Command::PageDown), _) => self.scroll += 10,
            (Some(Command::PageUp), _) => self.scroll = self.scroll.saturating_sub(10),
            (Some(Command::Top), _) => self.scroll = 0,
            _ => {}
        }
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = 78.min(area.width);
        let inner_w = w.saturating_sub(2) as usize;
        let head: Vec<String> = self.head.iter().flat_map(|l| wrap(l, inner_w)).collect();
        let body: Vec<String> = self
            .body
            .split('\n')
            .flat_map(|l| {
                let parts = wrap(l, inner_w);
                if parts.is_empty() {
                    vec![String::new()]
                } else {
                    parts
                }
            })
            .collect();
        let wanted = head.len() + body.len() + 4;
        let h = (wanted as u16).min(area.height).max(8);
        let r = centered(area, w, h);
        let mut text: Vec<Line> = head
            .into_iter()
            .map(|l| Line::styled(l, ctx.theme.title))
            .collect();
        text.push(Line::styled("─".repeat(inner_w), ctx.theme.dim));
        let body: Vec<Line> = body.into_iter().map(Line::from).collect();
        let title = format!(" {} ", self.title);
        draw_page(frame, r, title, text, &body, &mut self.scroll, ctx);
    }
}
