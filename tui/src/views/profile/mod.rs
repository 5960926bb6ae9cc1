//! The roster tab of a member: its own record, the prefectures it supports and when, an
//! edit form for its profile, and withdrawal from one prefecture or from the bank.

use crate::api::ApiError;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::confirm::Confirm;
use crate::views::roster::forms;
use crate::views::roster::record_text::{
    availability_text, code_text, member_lines, prefecture_name,
};
use crate::views::roster::RosterMsg;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, truncate};
use crate::widgets::title;
use crossterm::event::KeyEvent;
use ouen_shared::api::{Member, WithdrawalRequest};
use ouen_shared::endpoints::{GetMyMember, Withdraw};
use ouen_shared::time::format_jst;
use ouen_shared::MembershipStatus;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The member said yes to leaving one prefecture, or the bank when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawConfirmed {
    pub prefecture: Option<String>,
}

#[derive(Default)]
pub struct ProfileView {
    pub member: Option<Member>,
    req: Option<Pending<Member>>,
    op_req: Option<Pending<Member>>,
    error: Option<String>,
    state: ListState,
    scroll: usize,
    page_rows: usize,
}

impl ProfileView {
    pub fn new() -> ProfileView {
        ProfileView::default()
    }

    fn selected_prefecture(&self) -> Option<&ouen_shared::api::Membership> {
        self.member.as_ref()?.memberships.get(self.state.selected)
    }

    fn withdrawn(&self) -> bool {
        self.member
            .as_ref()
            .is_some_and(|m| m.withdrawn_at.is_some() || m.anonymised)
    }
}

impl View for ProfileView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        let lang = ctx.lang;
        let len = self.member.as_ref().map_or(0, |m| m.memberships.len());
        let half = (self.page_rows / 2).max(1);
        let changes = matches!(
            cmd,
            Command::EditProfile
                | Command::EditAvailability
                | Command::OfferPrefecture
                | Command::WithdrawPrefecture
                | Command::WithdrawBank
        );
        if changes && self.withdrawn() {
            return Some(vec![Action::Error(
                T::WithdrawnFromBank.get(lang).to_string(),
            )]);
        }
        Some(match cmd {
            Command::Down => {
                self.state.step(1, len);
                Vec::new()
            }
            Command::Up => {
                self.state.step(-1, len);
                Vec::new()
            }
            Command::PageDown => {
                self.scroll += half;
                Vec::new()
            }
            Command::PageUp => {
                self.scroll = self.scroll.saturating_sub(half);
                Vec::new()
            }
            Command::Top => {
                self.scroll = 0;
                Vec::new()
            }
            Command::Bottom => {
                self.scroll = usize::MAX / 2;
                Vec::new()
            }
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            Command::EditProfile => match &self.member {
                Some(m) => vec![Action::PushPopup(Box::new(forms::profile_form(m, lang)))],
                None => Vec::new(),
            },
            Command::EditAvailability => match self.selected_prefecture() {
                Some(ms) => vec![Action::PushPopup(Box::new(forms::offer_form(
                    Some(&ms.prefecture_code),
                    &ms.availability,
                    lang,
                )))],
                None => vec![Action::Error(T::NoSelection.get(lang).to_string())],
            },
            Command::OfferPrefecture => vec![Action::PushPopup(Box::new(forms::offer_form(
                None,
                &[],
                lang,
            )))],
            Command::WithdrawPrefecture => match self.selected_prefecture() {
                Some(ms) if ms.status == MembershipStatus::Withdrawn => {
                    vec![Action::Error(T::AlreadyWithdrawn.get(lang).to_string())]
                }
                Some(ms) => vec![Confirm::popup(
                    format!(
                        "{}\n{}",
                        T::ConfirmWithdrawPrefecture.get(lang),
                        prefecture_name(&ms.prefecture_code, lang)
                    ),
                    WithdrawConfirmed {
                        prefecture: Some(ms.prefecture_code.clone()),
                    },
                )],
                None => vec![Action::Error(T::NoSelection.get(lang).to_string())],
            },
            Command::WithdrawBank => {
                vec![Confirm::popup(
                    T::ConfirmWithdrawBank.get(lang),
                    WithdrawConfirmed { prefecture: None },
                )]
            }
            _ => return None,
        })
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        if let Some(WithdrawConfirmed { prefecture }) = msg.downcast_ref() {
            self.op_req = Some(ctx.net.call(Withdraw(WithdrawalRequest {
                prefecture_code: prefecture.clone(),
                reason: None,
            })));
            return Some(Vec::new());
        }
        match msg.downcast_ref::<RosterMsg>()? {
            RosterMsg::MemberSaved(m) if self.member.as_ref().is_none_or(|x| x.id == m.id) => {
                self.state.clamp(m.memberships.len());
                self.member = Some((**m).clone());
                Some(Vec::new())
            }
            // The member's roster tab is its own record: it is shown already.
            RosterMsg::OpenMember(_) => {
                self.refresh(ctx);
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.req, answer) {
            match result {
                Ok(m) => {
                    self.state.clamp(m.memberships.len());
                    self.member = Some(m);
                    self.error = None;
                }
                Err(ApiError::Offline(_)) => {}
                Err(e) if e.is_unauthenticated() => {}
                Err(e) => self.error = Some(e.message(lang)),
            }
            return Some(Vec::new());
        }
        Some(match claim(&mut self.op_req, answer)? {
            Ok(m) => {
                self.state.clamp(m.memberships.len());
                self.member = Some(m);
                vec![Action::Status(T::Saved.get(lang).to_string())]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.req = Some(ctx.net.call(GetMyMember));
    }

    fn live_event(&mut self, event: &ouen_shared::api::StreamEvent, ctx: &Ctx) -> Vec<Action> {
        let own = self.member.as_ref().map(|m| m.id);
        if event.kind == ouen_shared::api::EventKind::Member
            && (own.is_none() || own == event.subject_id)
        {
            self.refresh(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.req.is_some() || self.op_req.is_some()
    }

    fn selected_value(&self) -> Option<String> {
        let m = self.member.as_ref()?;
        m.registration_code.as_deref().map(|c| code_text(Some(c)))
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Profile)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(T::ProfileHints.get(ctx.lang).to_string())
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 4 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        let mut spans = vec![Span::styled(
            format!("{} ", T::MyRecord.get(lang)),
            theme.title,
        )];
        if let Some(m) = &self.member {
            spans.push(Span::raw(format!(
                "{}  {} {}  ",
                clean(&m.name),
                T::ColCode.get(lang),
                code_text(m.registration_code.as_deref())
            )));
        }
        let mut body = title::draw(frame, area, spans, self.is_loading(), ctx.tick, lang);
        if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(e, body.width as usize), theme.error)),
                Rect { height: 1, ..body },
            );
            body.y += 1;
            body.height = body.height.saturating_sub(1);
        }
        let Some(m) = &self.member else {
            return;
        };
        // The prefectures it supports: a short table to choose from.
        let rows: Vec<Vec<String>> = m
            .memberships
            .iter()
            .map(|ms| {
                let mut status = ms.status.label(lang).to_string();
                if ms.recheck_needed {
                    status.push_str(&format!(" [{}]", T::RecheckNeeded.get(lang)));
                }
                vec![
                    prefecture_name(&ms.prefecture_code, lang),
                    status,
                    ms.availability
                        .iter()
                        .map(|a| availability_text(a, lang))
                        .collect::<Vec<_>>()
                        .join(" / "),
                    format_jst(ms.updated_at).chars().take(10).collect(),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::FieldPrefecture.get(lang), 6, 10),
            Column::new(T::ColStatus.get(lang), 6, 20),
            Column::new(T::Availability.get(lang), 10, 60),
            Column::new(T::ColUpdated.get(lang), 10, 10),
        ];
        let table_h = (rows.len() as u16 + 1).min(body.height / 3).max(2);
        table::render(
            frame.buffer_mut(),
            Rect {
                height: table_h,
                ..body
            },
            &cols,
            &rows,
            &mut self.state,
            true,
            theme,
        );
        let rest = Rect {
            y: body.y + table_h,
            height: body.height.saturating_sub(table_h),
            ..body
        };
        self.page_rows = rest.height as usize;
        let lines = member_lines(m, lang, theme, rest.width as usize);
        self.scroll = self
            .scroll
            .min(lines.len().saturating_sub(rest.height as usize));
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(self.scroll).collect::<Vec<_>>()),
            rest,
        );
    }
}
