//! Whom a request asks: the roster's own filter over the approved members of the request's
//! prefecture, a count before sending, the send (once per member, in one transaction with its
//! messages), and reminder rounds to those who have not answered.

use super::requests::{not_open, slot_lines, slots_of, RequestRow, SlotRow};
use super::{duties_of, may_plan};
use crate::error::ApiError;
use crate::scope::{Actor, RosterScope};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Recipient, Text};
use crate::store::members::filter::{push_filter, Mode, Shape};
use crate::store::members::lifecycle::member_lang;
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, multi_row_inserts, Arg, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    ReminderResult, ReminderRound, SendResult, SlotDraft, TargetCount, TargetQuery,
};
use ouen_shared::dispatch::{duties_described, DispatchStatus};
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem};
use rand::RngCore;

/// `(member id, account id, languages)` of a member to ask or tell.
type TargetRow = (i64, Option<i64>, String);

/// A new personal answer token (64 hex characters, 256 random bits).
pub(crate) fn new_answer_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Store {
    /// The statement recording that request `request_id` changed (an answer arrived, an edit,
    /// a send); the stream shows it to those who see the request.
    pub(crate) fn dispatch_event(&self, request_id: i64, at: DateTime<Utc>) -> Sql {
        self.events.queued();
        Sql::with(
            "INSERT INTO events (kind, subject_kind, subject_id, created_at) VALUES ('dispatch', 'dispatch_request', $1, $2)",
            [request_id.into(), at.into()],
        )
    }

    /// The members a request asked whose records are not erased, to tell them of a change.
    pub(crate) async fn asked_recipients(
        &self,
        request_id: i64,
    ) -> Result<Vec<Recipient>, ApiError> {
        let rows: Vec<TargetRow> = on_read!(self, db => sqlx::query_as(
            "SELECT m.id, m.account_id, m.languages FROM dispatch_asks k JOIN members m ON m.id = k.member_id \
             WHERE k.request_id = $1 AND m.anonymised_at IS NULL ORDER BY m.id",
        ).bind(request_id).fetch_all(db).await?);
        Ok(rows.into_iter().map(recipient).collect())
    }

    /// The approved members of the request's prefecture that `query` matches, in id order.
    async fn targets(
        &self,
        row: &RequestRow,
        query: &TargetQuery,
    ) -> Result<Vec<TargetRow>, ApiError> {
        let scope = RosterScope::Prefecture {
            code: row.prefecture_code.clone(),
            approved_only: true,
        };
        let mut sql = Sql::new("SELECT m.id, m.account_id, m.languages FROM members m");
        let mut filters = Sql::default();
        push_filter(
            &mut filters,
            &scope,
            &query.filter,
            Shape {
                backend: self.kind(),
                mode: Mode::Gather,
            },
        )?;
        sql.push(&filters.text);
        sql.args = filters.args;
        sql.push(" AND m.anonymised_at IS NULL ORDER BY m.id");
        let rows: Vec<TargetRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        Ok(rows)
    }

    async fn asked_ids(&self, request_id: i64) -> Result<Vec<i64>, ApiError> {
        let ids: Vec<i64> = on_read!(self, db => sqlx::query_scalar(
            "SELECT member_id FROM dispatch_asks WHERE request_id = $1 ORDER BY member_id",
        ).bind(request_id).fetch_all(db).await?);
        Ok(ids)
    }

    /// How many members `query` matches for a request, and how many of them a send would ask.
    pub async fn count_dispatch_targets(
        &self,
        actor: &Actor,
        id: i64,
        query: &TargetQuery,
    ) -> Result<TargetCount, ApiError> {
        may_plan(actor)?;
        let row = self.request_row(actor, id).await?;
        let targets = self.targets(&row, query).await?;
        let asked = self.asked_ids(id).await?;
        let already = targets
            .iter()
            .filter(|(m, _, _)| asked.binary_search(m).is_ok())
            .count() as i64;
        Ok(TargetCount {
            matched: targets.len() as i64,
            already_asked: already,
            new: targets.len() as i64 - already,
        })
    }

    /// Asks every member `query` matches who was not asked yet: their asks, inbox entries,
    /// queued e-mails (each with its personal answer link) and the audit entry commit together.
    /// Sending again asks nobody twice; a draft becomes sent. Audited with the ids asked.
    pub async fn send_dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
        query: &TargetQuery,
    ) -> Result<SendResult, ApiError> {
        may_plan(actor)?;
        let row = self.request_row(actor, id).await?;
        let status = row.status();
        if !status.is_open() {
            return Err(not_open(status));
        }
        if row.answer_deadline <= now() {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "answer_deadline",
                Problem::NotAllowed {
                    ja: "回答期限を過ぎているため送信できません。期限を変更してください。",
                    en: "The answer deadline has passed: change it before sending.",
                },
            )]));
        }
        let sql = slots_of(id);
        let slots: Vec<SlotRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        let live: Vec<SlotDraft> = slots
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .map(|s| SlotDraft {
                id: Some(s.id),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                needed: 1,
                professions: Vec::new(),
            })
            .collect();
        if live.is_empty() {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "slots",
                Problem::Required,
            )]));
        }
        let targets = self.targets(&row, &query.clone()).await?;
        if targets.is_empty() {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "filter",
                Problem::NotAllowed {
                    ja: "条件に合う承認済みの登録者がいません。",
                    en: "No approved member matches these conditions.",
                },
            )]));
        }
        let at = now();
        let notice = asked_notice(&row, &live, actor.organisation_id);
        let result = in_write!(self, tx => {
            let rows: Vec<Vec<Arg>> = targets
                .iter()
                .map(|(member_id, _, _)| vec![
                    id.into(), (*member_id).into(), new_answer_token().into(), at.into(), actor.account_id.into(),
                ])
                .collect();
            let mut asked_now: Vec<i64> = Vec::new();
            for statement in multi_row_inserts(
                self.kind(),
                "INSERT INTO dispatch_asks (request_id, member_id, answer_token, asked_at, asked_by) VALUES ",
                &rows,
                " ON CONFLICT (request_id, member_id) DO NOTHING RETURNING member_id",
            ) {
                let ids: Vec<i64> = bind_args!(sqlx::query_scalar(&statement.text), statement.args)
                    .fetch_all(&mut *tx)
                    .await?;
                asked_now.extend(ids);
            }
            asked_now.sort_unstable();
            let recipients: Vec<Recipient> = targets
                .iter()
                .filter(|(m, _, _)| asked_now.binary_search(m).is_ok())
                .cloned()
                .map(recipient)
                .collect();
            notify_in_tx!(self, tx, &recipients, &notice);
            if status == DispatchStatus::Draft {
                execute!(tx, Sql::with(
                    "UPDATE dispatch_requests SET status = 'sent', sent_at = $1, updated_at = $1 WHERE id = $2 AND status = 'draft'",
                    [at.into(), id.into()],
                ));
            }
            let asked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dispatch_asks WHERE request_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, "dispatch.send", "dispatch_request", id)
                .detail(serde_json::json!({ "asked_now": asked_now.len(), "asked": asked, "ids": asked_now }));
            write_audit!(tx, entry);
            SendResult { asked_now: asked_now.len() as i64, asked }
        });
        Ok(result)
    }

    /// Reminds the members who have not answered, once per round: round n+1 after round n;
    /// the last round again reminds nobody. Audited.
    pub async fn remind_dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
        round: ReminderRound,
    ) -> Result<ReminderResult, ApiError> {
        may_plan(actor)?;
        let row = self.request_row(actor, id).await?;
        if !row.status().is_open() {
            return Err(not_open(row.status()));
        }
        if round.round <= row.reminder_round && round.round >= 1 {
            return Ok(ReminderResult {
                round: round.round,
                reminded: 0,
            });
        }
        if round.round != row.reminder_round + 1 {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "round",
                Problem::NotAllowed {
                    ja: "次の督促は前回の回数＋1で送ってください",
                    en: "the next reminder round is the last one plus one",
                },
            )]));
        }
        if row.answer_deadline <= now() {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "answer_deadline",
                Problem::NotAllowed {
                    ja: "回答期限を過ぎています",
                    en: "the answer deadline has passed",
                },
            )]));
        }
        let silent: Vec<TargetRow> = on_read!(self, db => sqlx::query_as(
            "SELECT m.id, m.account_id, m.languages FROM dispatch_asks k JOIN members m ON m.id = k.member_id \
             WHERE k.request_id = $1 AND k.answered_at IS NULL AND m.anonymised_at IS NULL ORDER BY m.id",
        ).bind(id).fetch_all(db).await?);
        let notice = reminder_notice(&row, actor.organisation_id);
        let result = in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE dispatch_requests SET reminder_round = $1 WHERE id = $2 AND reminder_round = $3",
                [round.round.into(), id.into(), row.reminder_round.into()],
            ));
            if changed != 1 {
                // A concurrent call sent this round first.
                ReminderResult { round: round.round, reminded: 0 }
            } else {
                let mut ids = Sql::new("UPDATE dispatch_asks SET reminded_round = ");
                ids.arg(round.round).push(" WHERE request_id = ").arg(id).push(" AND answered_at IS NULL");
                execute!(tx, ids);
                let recipients: Vec<Recipient> = silent.iter().cloned().map(recipient).collect();
                notify_in_tx!(self, tx, &recipients, &notice);
                let entry = NewEntry::by(actor, "dispatch.remind", "dispatch_request", id)
                    .detail(serde_json::json!({
                        "round": round.round,
                        "ids": silent.iter().map(|(m, _, _)| *m).collect::<Vec<_>>(),
                    }));
                write_audit!(tx, entry);
                ReminderResult { round: round.round, reminded: silent.len() as i64 }
            }
        });
        Ok(result)
    }
}

fn recipient((member_id, account_id, languages): TargetRow) -> Recipient {
    Recipient::member(member_id, account_id, member_lang(&languages))
}

fn asked_notice(row: &RequestRow, slots: &[SlotDraft], origin: i64) -> Notice {
    let duties = duties_of(&row.duties);
    let deadline = ouen_shared::time::format_jst(row.answer_deadline);
    let lines = slot_lines(slots);
    let text = |lang: Lang| {
        Text {
        subject: format!("{}{}", lang.pick("【派遣要請】", "[Dispatch request] "), row.title),
        body: match lang {
            Lang::Ja => format!(
                "{}から派遣のお願いです。\n\n件名: {}\n派遣先: {}\n業務: {}\n日時（日本時間）:\n{}\n\n回答期限: {}\n\n枠ごとに対応できるかをご回答ください。回答は期限まで変更できます。",
                row.organisation_name, row.title, row.health_centre_name, duties_described(&duties, &row.other_duty, lang), lines, deadline
            ),
            Lang::En => format!(
                "{} asks whether you can be dispatched.\n\nRequest: {}\nWhere: {}\nDuties: {}\nTimes (JST):\n{}\n\nAnswer by: {} (JST)\n\nPlease answer for each slot whether you can work it. You can change your answer until the deadline.",
                row.organisation_name, row.title, row.health_centre_name, duties_described(&duties, &row.other_duty, lang), lines, deadline
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::DispatchRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_request",
            id: row.id,
        }),
        origin_organisation_id: Some(origin),
    }
}

fn reminder_notice(row: &RequestRow, origin: i64) -> Notice {
    let deadline = ouen_shared::time::format_jst(row.answer_deadline);
    let text = |lang: Lang| {
        Text {
        subject: format!("{}{}", lang.pick("【回答のお願い】", "[Please answer] "), row.title),
        body: match lang {
            Lang::Ja => format!(
                "{}からの派遣要請「{}」へのご回答がまだありません。\n回答期限: {}\n対応できない場合も「不可」とご回答ください。",
                row.organisation_name, row.title, deadline
            ),
            Lang::En => format!(
                "You have not yet answered the dispatch request \"{}\" from {}.\nAnswer by: {} (JST)\nIf you cannot work, please answer \"not available\".",
                row.title, row.organisation_name, deadline
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::DispatchRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_request",
            id: row.id,
        }),
        origin_organisation_id: Some(origin),
    }
}
