//! One slot of a request changed on its own after it was sent: moved or resized, or
//! cancelled. Its seats follow it (moved with it, or freed), and the members it affects are
//! told: those holding a seat in it and those who said they could do it.

use super::requests::not_open;
use super::shifts::Loaded;
use super::{may_plan, move_seats};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use ouen_shared::api::{CancelRequest, ShiftGrid, SlotChange};
use ouen_shared::dispatch::format_slot;
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem, Validate};
use std::collections::BTreeMap;

impl Store {
    /// The request of a live slot; 404 for a slot that does not exist or was cancelled (the
    /// request's scope is checked when it is loaded).
    async fn request_of_slot(&self, slot_id: i64) -> Result<i64, ApiError> {
        let request: Option<i64> = on_read!(self, db => sqlx::query_scalar(
            "SELECT request_id FROM dispatch_slots WHERE id = $1 AND cancelled_at IS NULL",
        ).bind(slot_id).fetch_optional(db).await?);
        request.ok_or(ApiError::NotFound)
    }

    /// The plan of the open request holding live slot `slot_id`, in the actor's scope.
    async fn plan_of_slot(
        &self,
        actor: &Actor,
        slot_id: i64,
        min_rest_hours: i64,
    ) -> Result<Loaded, ApiError> {
        may_plan(actor)?;
        let request_id = self.request_of_slot(slot_id).await?;
        let loaded = self.load_plan(actor, request_id, min_rest_hours).await?;
        if !loaded.status.is_open() {
            return Err(not_open(loaded.status));
        }
        Ok(loaded)
    }

    /// Moves or resizes a slot: its seats move with it, refused (409) when that would commit
    /// someone twice at one time. A slot that moves is not put in the past nor before the
    /// answer deadline; the members it affects are told the old and new times. Audited.
    pub async fn move_slot(
        &self,
        actor: &Actor,
        slot_id: i64,
        mut change: SlotChange,
        min_rest_hours: i64,
    ) -> Result<ShiftGrid, ApiError> {
        change.normalize();
        change.validate().map_err(ApiError::Invalid)?;
        let loaded = self.plan_of_slot(actor, slot_id, min_rest_hours).await?;
        let slot = loaded.slot(slot_id).ok_or(ApiError::NotFound)?;
        let was = (slot.starts_at, slot.ends_at);
        let issues = change.timing_problems(now(), loaded.answer_deadline, was);
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        let moved = was != (change.starts_at, change.ends_at);
        let affected = if moved {
            loaded.affected_by(slot_id)
        } else {
            Vec::new()
        };
        let request_id = loaded.request_id;
        let at = now();
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE dispatch_slots SET starts_at = $1, ends_at = $2, needed = $3, professions = $4 WHERE id = $5 AND request_id = $6",
                [change.starts_at.into(), change.ends_at.into(), i64::from(change.needed).into(), super::profession_codes(&change.professions).into(), slot_id.into(), request_id.into()],
            ));
            move_seats!(tx, slot_id, change.starts_at, change.ends_at, "starts_at");
            let told = if affected.is_empty() {
                0
            } else {
                let notice = moved_notice(&loaded, was, (change.starts_at, change.ends_at));
                notify_in_tx!(self, tx, &affected, &notice)
            };
            execute!(tx, self.dispatch_event(request_id, at));
            let entry = NewEntry::by(actor, "dispatch.slot_move", "dispatch_request", request_id)
                .detail(serde_json::json!({
                    "slot": slot_id, "from": [was.0, was.1],
                    "to": [change.starts_at, change.ends_at], "needed": change.needed, "told": told,
                }));
            write_audit!(tx, entry);
        });
        let loaded = self.load_plan(actor, request_id, min_rest_hours).await?;
        Ok(loaded.grid(&BTreeMap::new()))
    }

    /// Cancels a slot: its seats are freed and the members it affects are told, with the
    /// reason. A request's last live slot is not cancelled on its own: the request is.
    /// Audited.
    pub async fn cancel_slot(
        &self,
        actor: &Actor,
        slot_id: i64,
        mut cancel: CancelRequest,
        min_rest_hours: i64,
    ) -> Result<ShiftGrid, ApiError> {
        cancel.normalize();
        cancel.validate().map_err(ApiError::Invalid)?;
        let loaded = self.plan_of_slot(actor, slot_id, min_rest_hours).await?;
        let slot = loaded.slot(slot_id).ok_or(ApiError::NotFound)?;
        if loaded.slots.len() == 1 {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "id",
                Problem::NotAllowed {
                    ja: "最後の枠です。派遣要請そのものを中止してください",
                    en: "this is the request's last slot: cancel the request instead",
                },
            )]));
        }
        let when = (slot.starts_at, slot.ends_at);
        let affected = loaded.affected_by(slot_id);
        let request_id = loaded.request_id;
        let at = now();
        in_write!(self, tx => {
            let cancelled = execute!(tx, Sql::with(
                "UPDATE dispatch_slots SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
                [at.into(), slot_id.into()],
            ));
            if cancelled != 1 {
                return Err(ApiError::Busy);
            }
            let freed = execute!(tx, Sql::with(
                "UPDATE dispatch_assignments SET status = 'removed', decided_at = $1 WHERE slot_id = $2 AND status IN ('planned', 'requested', 'accepted')",
                [at.into(), slot_id.into()],
            ));
            let told = if affected.is_empty() {
                0
            } else {
                let notice = cancelled_notice(&loaded, when, &cancel.reason);
                notify_in_tx!(self, tx, &affected, &notice)
            };
            execute!(tx, self.dispatch_event(request_id, at));
            let entry = NewEntry::by(actor, "dispatch.slot_cancel", "dispatch_request", request_id)
                .detail(serde_json::json!({
                    "slot": slot_id, "reason": cancel.reason, "freed": freed, "told": told,
                }));
            write_audit!(tx, entry);
        });
        let loaded = self.load_plan(actor, request_id, min_rest_hours).await?;
        Ok(loaded.grid(&BTreeMap::new()))
    }
}

type Span = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

fn slot_notice(loaded: &Loaded, subject: [&str; 2], body: impl Fn(Lang) -> String) -> Notice {
    let text = |lang: Lang| Text {
        subject: format!("{}{}", lang.pick(subject[0], subject[1]), loaded.title),
        body: body(lang),
    };
    Notice {
        kind: NoticeKind::DispatchRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_request",
            id: loaded.request_id,
        }),
        origin_organisation_id: Some(loaded.organisation_id),
    }
}

fn moved_notice(loaded: &Loaded, was: Span, now: Span) -> Notice {
    let (before, after) = (format_slot(was.0, was.1), format_slot(now.0, now.1));
    slot_notice(
        loaded,
        ["【派遣枠の日時変更】", "[Slot moved] "],
        |lang| {
            match lang {
            Lang::Ja => format!(
                "{}からの派遣要請「{}」で、枠の日時が変わりました（日本時間）。\n変更前: {before}\n変更後: {after}\n割り当てられている方は新しい日時で確認してください。都合が合わなければ、正式依頼を辞退できます。",
                loaded.organisation_name, loaded.title
            ),
            Lang::En => format!(
                "In the dispatch request \"{}\" from {}, a slot has moved (JST).\nBefore: {before}\nNow: {after}\nIf you are assigned to it, please check the new time. If it no longer suits you, you can decline the formal request.",
                loaded.title, loaded.organisation_name
            ),
        }
        },
    )
}

fn cancelled_notice(loaded: &Loaded, when: Span, reason: &str) -> Notice {
    let slot = format_slot(when.0, when.1);
    slot_notice(
        loaded,
        ["【派遣枠の中止】", "[Slot cancelled] "],
        |lang| {
            match lang {
            Lang::Ja => format!(
                "{}からの派遣要請「{}」で、次の枠が中止になりました（日本時間）。\n{slot}\n理由: {reason}\nこの枠への回答と割当は取り消され、出勤は不要です。",
                loaded.organisation_name, loaded.title
            ),
            Lang::En => format!(
                "In the dispatch request \"{}\" from {}, this slot was cancelled (JST).\n{slot}\nReason: {reason}\nYour answer and any assignment for it are void; you are not expected.",
                loaded.title, loaded.organisation_name
            ),
        }
        },
    )
}
