//! Formal requests (正式依頼): confirming the plan asks each planned member formally (inbox
//! and e-mail with the personal link); the member accepts or declines (with a reason), and a
//! decline opens the seat again at once in every grid. The database refuses one member in
//! two overlapping slots formally requested or accepted, on every instance at once.

use super::answers::AskKey;
use super::requests::not_open;
use super::shifts::{slot_list, Loaded};
use super::{double_booked, is_double_booking, may_plan};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{AssignmentStatus, ConfirmResult, DeclineRequest, MyAssignment};
use ouen_shared::dispatch::DispatchStatus;
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem, Validate};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct MyRow {
    id: i64,
    slot_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: String,
    decline_reason: Option<String>,
}

impl Store {
    /// Sends a formal request to every planned member: their seats become requested, each
    /// member is told once with its slots, and the request is confirmed. Refused as a whole
    /// (409) when it would commit someone twice at one time. Audited.
    pub async fn confirm_shifts(
        &self,
        actor: &Actor,
        id: i64,
        min_rest_hours: i64,
    ) -> Result<ConfirmResult, ApiError> {
        may_plan(actor)?;
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        if !loaded.status.is_open() {
            return Err(not_open(loaded.status));
        }
        let mut planned: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for a in loaded
            .assignments
            .iter()
            .filter(|a| a.status() == AssignmentStatus::Planned)
        {
            planned.entry(a.member_id).or_default().push(a.slot_id);
        }
        if planned.is_empty() && loaded.status == DispatchStatus::Confirmed {
            return Ok(ConfirmResult {
                requested: 0,
                members: 0,
            });
        }
        if planned.is_empty() {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "assignments",
                Problem::NotAllowed {
                    ja: "割当がありません。シフトを作成してから確定してください。",
                    en: "Nobody is planned: plan the shifts before confirming.",
                },
            )]));
        }
        let at = now();
        let result = in_write!(self, tx => {
            let updated = sqlx::query(
                "UPDATE dispatch_assignments SET status = 'requested', decided_at = NULL WHERE request_id = $1 AND status = 'planned'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await;
            let requested = match updated {
                Ok(done) => done.rows_affected() as i64,
                Err(e) if is_double_booking(&e) => return Err(double_booked("assignments")),
                Err(e) => return Err(e.into()),
            };
            for (member, slot_ids) in &planned {
                if let Some(recipient) = loaded.recipient(*member) {
                    notify_in_tx!(self, tx, &[recipient], &formal_notice(&loaded, slot_ids));
                }
            }
            execute!(tx, Sql::with(
                "UPDATE dispatch_requests SET status = 'confirmed', updated_at = $1 WHERE id = $2",
                [at.into(), id.into()],
            ));
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, "dispatch.confirm", "dispatch_request", id)
                .detail(serde_json::json!({ "requested": requested, "ids": planned.keys().collect::<Vec<_>>() }));
            write_audit!(tx, entry);
            ConfirmResult { requested, members: planned.len() as i64 }
        });
        Ok(result)
    }

    /// The member's assignments in a request that reached it (formal requests and after).
    pub(crate) async fn assignments_of(
        &self,
        (request_id, member_id): AskKey,
    ) -> Result<Vec<MyAssignment>, ApiError> {
        let rows: Vec<MyRow> = on_read!(self, db => sqlx::query_as(
            "SELECT id, slot_id, starts_at, ends_at, status, decline_reason FROM dispatch_assignments \
             WHERE request_id = $1 AND member_id = $2 AND status IN ('requested', 'accepted', 'declined') ORDER BY starts_at, id",
        ).bind(request_id).bind(member_id).fetch_all(db).await?);
        Ok(rows
            .into_iter()
            .map(|r| MyAssignment {
                status: AssignmentStatus::from_code(&r.status).unwrap_or(AssignmentStatus::Removed),
                id: r.id,
                slot_id: r.slot_id,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                decline_reason: r.decline_reason,
            })
            .collect())
    }

    /// The member accepts a formal request (`decline` None) or declines it with a reason; a
    /// decline reopens the seat. Only the member's own requested (or, to decline, accepted)
    /// assignments of an open request; `NotFound` for any other. Audited.
    pub async fn decide_assignment(
        &self,
        key: AskKey,
        assignment_id: i64,
        decline: Option<DeclineRequest>,
        by: super::answers::Answerer<'_>,
    ) -> Result<MyAssignment, ApiError> {
        let (request_id, member_id) = key;
        let mine = self.assignments_of(key).await?;
        let current = mine
            .iter()
            .find(|a| a.id == assignment_id)
            .ok_or(ApiError::NotFound)?;
        let status: String = on_read!(self, db => sqlx::query_scalar(
            "SELECT status FROM dispatch_requests WHERE id = $1",
        ).bind(request_id).fetch_one(db).await?);
        let open = DispatchStatus::from_code(&status).is_some_and(DispatchStatus::is_open);
        let allowed = matches!(
            (&decline, current.status),
            (None, AssignmentStatus::Requested)
                | (
                    Some(_),
                    AssignmentStatus::Requested | AssignmentStatus::Accepted
                )
        );
        if !open || !allowed || current.ends_at <= now() {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "status",
                Problem::NotAllowed {
                    ja: "この依頼には回答できません（回答済み・終了・取消）",
                    en: "this request cannot be answered (decided, over or withdrawn)",
                },
            )]));
        }
        let decline = match decline {
            Some(mut d) => {
                d.normalize();
                d.validate().map_err(ApiError::Invalid)?;
                Some(d.reason)
            }
            None => None,
        };
        let at = now();
        let action = if decline.is_some() {
            "dispatch.decline"
        } else {
            "dispatch.accept"
        };
        let entry = match by {
            super::answers::Answerer::Member(actor) => {
                NewEntry::by(actor, action, "dispatch_assignment", assignment_id)
            }
            super::answers::Answerer::Link(meta) => link_entry(meta, action, assignment_id),
        }
        .detail(serde_json::json!({ "request_id": request_id, "member_id": member_id }));
        in_write!(self, tx => {
            let updated = match &decline {
                None => sqlx::query("UPDATE dispatch_assignments SET status = 'accepted', decided_at = $1 WHERE id = $2 AND member_id = $3 AND status = 'requested'")
                    .bind(at).bind(assignment_id).bind(member_id).execute(&mut *tx).await,
                Some(reason) => sqlx::query("UPDATE dispatch_assignments SET status = 'declined', decline_reason = $1, decided_at = $2 WHERE id = $3 AND member_id = $4 AND status IN ('requested', 'accepted')")
                    .bind(reason).bind(at).bind(assignment_id).bind(member_id).execute(&mut *tx).await,
            };
            match updated {
                Ok(done) if done.rows_affected() == 1 => {}
                Ok(_) => return Err(ApiError::Busy),
                Err(e) if is_double_booking(&e) => return Err(double_booked("status")),
                Err(e) => return Err(e.into()),
            }
            execute!(tx, self.dispatch_event(request_id, at));
            write_audit!(tx, entry);
        });
        let after = self.assignments_of(key).await?;
        after
            .into_iter()
            .find(|a| a.id == assignment_id)
            .ok_or(ApiError::NotFound)
    }

    /// The signed-in member decides one of its formal requests.
    pub async fn decide_as_member(
        &self,
        actor: &Actor,
        assignment_id: i64,
        decline: Option<DeclineRequest>,
    ) -> Result<MyAssignment, ApiError> {
        let member = self.asked_member_id(actor).await?;
        let request: Option<i64> = on_read!(self, db => sqlx::query_scalar(
            "SELECT request_id FROM dispatch_assignments WHERE id = $1 AND member_id = $2",
        ).bind(assignment_id).bind(member).fetch_optional(db).await?);
        let request = request.ok_or(ApiError::NotFound)?;
        self.decide_assignment(
            (request, member),
            assignment_id,
            decline,
            super::answers::Answerer::Member(actor),
        )
        .await
    }
}

fn link_entry(meta: &RequestMeta, action: &'static str, id: i64) -> NewEntry {
    NewEntry::anonymous(meta, action, "dispatch_assignment", Some(id.to_string()))
}

fn formal_notice(loaded: &Loaded, slot_ids: &[i64]) -> Notice {
    let lines = slot_list(loaded, slot_ids);
    let text = |lang: Lang| {
        Text {
        subject: format!("{}{}", lang.pick("【正式依頼】", "[Formal request] "), loaded.title),
        body: match lang {
            Lang::Ja => format!(
                "{}からの派遣要請「{}」について、次の日時で正式に派遣をお願いします（日本時間）:\n{}\n\n承諾または辞退をご回答ください。辞退の場合は理由をお知らせください。",
                loaded.organisation_name, loaded.title, lines
            ),
            Lang::En => format!(
                "{} formally asks you to work for the dispatch request \"{}\" at these times (JST):\n{}\n\nPlease accept or decline. If you decline, please give a reason.",
                loaded.organisation_name, loaded.title, lines
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::FormalRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_request",
            id: loaded.request_id,
        }),
        origin_organisation_id: Some(loaded.organisation_id),
    }
}
