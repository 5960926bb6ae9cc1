//! Vetting: approve, reject, suspend, reinstate, withdraw and licence re-checks on the
//! membership they fit, with their confirmations and reason forms; the queue of applications;
//! the notes and invitations of a record; and the answers to all of them.

use super::forms::RosterForm;
use super::record_text::{code_text, prefecture_name};
use super::{RosterConfirm, RosterView};
use crate::app::net::{claim, Answer};
use crate::app::{Action, Ctx, Popup, View};
use crate::i18n::T;
use crate::keymap::Command;
use crate::ui::confirm::Confirm;
use crate::ui::form::Form;
use crate::ui::message::Message;
use crate::widgets::text::clean;
use ouen_shared::api::{Decision, DecisionRequest, DecisionResult, MemberFilter};
use ouen_shared::endpoints::{Decide, Invite};
use ouen_shared::{MembershipStatus, Role};

/// A membership as far as a decision needs it.
struct Standing {
    prefecture: String,
    status: MembershipStatus,
    recheck: bool,
}

impl RosterView {
    /// The member a decision is about, with the memberships the caller sees.
    fn subject(&self) -> Option<(i64, String, Vec<Standing>)> {
        if let Some(d) = self.shown_detail() {
            return Some((
                d.id,
                clean(&d.name),
                d.memberships
                    .iter()
                    .map(|m| Standing {
                        prefecture: m.prefecture_code.clone(),
                        status: m.status,
                        recheck: m.recheck_needed,
                    })
                    .collect(),
            ));
        }
        let s = self.selected()?;
        Some((
            s.id,
            clean(&s.name),
            s.memberships
                .iter()
                .map(|m| Standing {
                    prefecture: m.prefecture_code.clone(),
                    status: m.status,
                    recheck: m.recheck_needed,
                })
                .collect(),
        ))
    }

    /// Which membership a decision applies to: a prefecture's own; for the operators, the
    /// filtered prefecture's or else the first one the decision fits.
    fn membership_for(&self, standings: &[Standing], decision: Decision) -> Result<String, T> {
        let fits = |s: &Standing| match decision {
            Decision::Approve | Decision::Reject => s.status == MembershipStatus::Applied,
            Decision::Suspend => s.status == MembershipStatus::Approved,
            Decision::Reinstate => s.status == MembershipStatus::Suspended,
            Decision::ConfirmRecheck => s.recheck,
            Decision::Withdraw => s.status != MembershipStatus::Withdrawn,
        };
        let own = |s: &&Standing| match (&self.role, &self.prefecture) {
            (Role::Prefecture, Some(p)) => &s.prefecture == p,
            _ => true,
        };
        let filtered = self
            .filter
            .prefecture
            .as_deref()
            .filter(|p| !p.contains(','));
        let mut candidates: Vec<&Standing> = standings.iter().filter(own).collect();
        if let Some(p) = filtered {
            candidates.sort_by_key(|s| s.prefecture != p);
        }
        candidates
            .into_iter()
            .find(|s| fits(s))
            .map(|s| s.prefecture.clone())
            .ok_or(match decision {
                Decision::Approve | Decision::Reject => T::NoApplication,
                Decision::Suspend => T::NotApproved,
                Decision::Reinstate => T::NotSuspended,
                Decision::ConfirmRecheck => T::NoRecheck,
                Decision::Withdraw => T::AlreadyWithdrawn,
            })
    }

    fn decide(&self, decision: Decision, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        if !self.may_decide() {
            return vec![Action::Error(T::NotAllowedHere.get(lang).to_string())];
        }
        let Some((id, name, standings)) = self.subject() else {
            return vec![Action::Error(T::NoSelection.get(lang).to_string())];
        };
        let prefecture = match self.membership_for(&standings, decision) {
            Ok(p) => p,
            Err(t) => return vec![Action::Error(format!("{name}: {}", t.get(lang)))],
        };
        let pref = prefecture_name(&prefecture, lang);
        let popup: Box<dyn Popup> = if decision.needs_reason() {
            Box::new(
                Form::new(RosterForm::Decide {
                    id,
                    prefecture,
                    decision,
                })
                .with_subject(&format!("{name} / {pref}")),
            )
        } else {
            let question = match decision {
                Decision::Approve => T::ConfirmApprove,
                Decision::Reinstate => T::ConfirmReinstate,
                _ => T::ConfirmRecheckDone,
            };
            Box::new(Confirm::new(
                format!("{}\n{name} / {pref}", question.get(lang)),
                RosterConfirm::Decide {
                    id,
                    prefecture,
                    decision,
                },
            ))
        };
        vec![Action::PushPopup(popup)]
    }

    /// Takes a decision's answer: the record and the row change at once, the list is asked
    /// for again (the member may have left the filter), and an issued code is shown.
    pub(super) fn decided(&mut self, r: &DecisionResult, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let m = &r.member;
        self.member_changed(m);
        self.load(ctx);
        let name = clean(&m.name);
        match &r.issued_registration_code {
            Some(code) => vec![Action::PushPopup(Box::new(Message {
                title: T::CodeIssuedTitle.get(lang).to_string(),
                lines: vec![
                    format!("{name}（{}）", clean(&m.name_kana)),
                    T::CodeIssued.get(lang).to_string(),
                ],
                value: Some(code_text(Some(code))),
            }))],
            None => {
                let states: Vec<String> = m
                    .memberships
                    .iter()
                    .map(|ms| {
                        format!(
                            "{} {}",
                            prefecture_name(&ms.prefecture_code, lang),
                            ms.status.label(lang)
                        )
                    })
                    .collect();
                vec![Action::Status(format!(
                    "{} {name}: {}",
                    T::Saved.get(lang),
                    states.join(", ")
                ))]
            }
        }
    }

    /// `v`: the applications waiting for the caller's own prefecture, or back to the list.
    pub(super) fn toggle_vetting(&mut self, ctx: &Ctx) {
        match self.before_vetting.take() {
            Some(before) => self.filter = before,
            None => {
                self.before_vetting = Some(self.filter.clone());
                self.filter = MemberFilter {
                    status: Some(MembershipStatus::Applied.code().to_string()),
                    prefecture: match self.role {
                        Role::Prefecture => self.prefecture.clone(),
                        _ => None,
                    },
                    ..Default::default()
                };
                self.search.set_value("");
            }
        }
        self.search
            .set_value(self.filter.q.as_deref().unwrap_or(""));
        self.reload(ctx);
    }

    pub(super) fn vetting(&self) -> bool {
        self.before_vetting.is_some()
    }

    /// Commands that hold in the list and on an open record: decisions, notes and invitations
    /// for the member in front, a new professional, reload.
    pub(super) fn record_command(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        Some(match cmd {
            Command::Approve => self.decide(Decision::Approve, ctx),
            Command::Reject => self.decide(Decision::Reject, ctx),
            Command::Suspend => self.decide(Decision::Suspend, ctx),
            Command::Reinstate => self.decide(Decision::Reinstate, ctx),
            Command::ConfirmRecheck => self.decide(Decision::ConfirmRecheck, ctx),
            Command::WithdrawMember => self.decide(Decision::Withdraw, ctx),
            Command::EditNotes => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]);
                }
                match self.shown_detail() {
                    Some(d) => {
                        let form = Form::new(RosterForm::EditNotes { id: d.id })
                            .with_value("notes", &d.notes)
                            .with_subject(&clean(&d.name));
                        vec![Action::PushPopup(Box::new(form))]
                    }
                    None => vec![Action::Error(T::OpenFirst.get(lang).to_string())],
                }
            }
            Command::Invite => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]);
                }
                match self.shown_detail() {
                    Some(d) if d.login.is_none() => {
                        vec![Confirm::popup(
                            format!("{}\n{}", T::ConfirmInvite.get(lang), clean(&d.name)),
                            RosterConfirm::Invite { id: d.id },
                        )]
                    }
                    Some(_) => vec![Action::Error(T::HasAccount.get(lang).to_string())],
                    None => vec![Action::Error(T::OpenFirst.get(lang).to_string())],
                }
            }
            Command::NewProfessional => self.new_professional(ctx),
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            _ => return None,
        })
    }

    /// A decision or invitation confirmed in its dialog: sent.
    pub(super) fn send_confirmed(&mut self, confirmed: &RosterConfirm, ctx: &Ctx) {
        match confirmed {
            RosterConfirm::Decide {
                id,
                prefecture,
                decision,
            } => {
                self.decide_req = Some(ctx.net.call(Decide {
                    id: *id,
                    prefecture: prefecture.clone(),
                    body: DecisionRequest {
                        decision: *decision,
                        reason: None,
                    },
                }));
            }
            RosterConfirm::Invite { id } => {
                self.invite_req = Some(ctx.net.call(Invite { id: *id }));
            }
            RosterConfirm::Overwrite { .. } => {}
        }
    }

    /// The answer to a confirmed decision or invitation; `None` when not the current one.
    pub(super) fn confirmed_answer(
        &mut self,
        answer: &mut Answer,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.decide_req, answer) {
            return Some(match result {
                Ok(r) => self.decided(&r, ctx),
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.invite_req, answer)? {
            Ok(inv) => vec![Action::PushPopup(Box::new(Message {
                title: T::InvitationTitle.get(lang).to_string(),
                lines: vec![
                    T::InvitationOnce.get(lang).to_string(),
                    format!(
                        "{}: {}",
                        T::Expires.get(lang),
                        ouen_shared::time::format_jst(inv.expires_at)
                    ),
                ],
                value: Some(inv.token),
            }))],
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }
}
