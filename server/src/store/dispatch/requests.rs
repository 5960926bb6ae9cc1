//! Writing and reading dispatch requests: create, edit (telling the members asked), list, one
//! request with its slots and counts, cancel.

use super::{
    duties_of, duty_codes, may_plan, may_read, move_seats, profession_codes, professions_of,
    push_request_visibility,
};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, fetch_page, PagedSql, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    AskCounts, CancelRequest, DispatchDraft, DispatchFilter, DispatchRequest, DispatchSummary,
    Page, PageQuery, Slot, SlotDraft,
};
use ouen_shared::dispatch::{duties_described, format_slot, DispatchStatus};
use ouen_shared::text::{escape_like, fold};
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem, Validate};

#[derive(sqlx::FromRow)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub prefecture_code: String,
    pub health_centre_id: i64,
    pub health_centre_name: String,
    pub title: String,
    pub duties: String,
    pub other_duty: String,
    pub notes: String,
    pub answer_deadline: DateTime<Utc>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub reminder_round: i64,
    pub asked: i64,
    pub answered: i64,
}

impl RequestRow {
    pub(crate) fn status(&self) -> DispatchStatus {
        // Only this server writes statuses; an unknown one reads as closed (changes nothing).
        DispatchStatus::from_code(&self.status).unwrap_or(DispatchStatus::Closed)
    }

    pub(crate) fn counts(&self) -> AskCounts {
        AskCounts {
            asked: self.asked,
            answered: self.answered,
            reminder_round: self.reminder_round,
        }
    }
}

pub(crate) const REQUEST_COLUMNS: &str = "d.id, d.organisation_id, o.name AS organisation_name, \
    d.prefecture_code, d.health_centre_id, h.name AS health_centre_name, d.title, d.duties, \
    d.other_duty, d.notes, d.answer_deadline, d.status, d.created_at, d.updated_at, d.sent_at, \
    d.cancelled_at, d.cancel_reason, d.reminder_round, \
    (SELECT COUNT(*) FROM dispatch_asks k WHERE k.request_id = d.id) AS asked, \
    (SELECT COUNT(*) FROM dispatch_asks k WHERE k.request_id = d.id AND k.answered_at IS NOT NULL) AS answered";
pub(crate) const REQUEST_FROM: &str = "FROM dispatch_requests d \
    JOIN organisations o ON o.id = d.organisation_id \
    JOIN organisations h ON h.id = d.health_centre_id";

#[derive(sqlx::FromRow)]
pub(crate) struct SlotRow {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub needed: i64,
    pub professions: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub available: i64,
}

impl From<SlotRow> for Slot {
    fn from(r: SlotRow) -> Self {
        Slot {
            id: r.id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            needed: u32::try_from(r.needed).unwrap_or(0),
            professions: professions_of(&r.professions),
            available: r.available,
            cancelled_at: r.cancelled_at,
        }
    }
}

/// The slots of a request in time order, each with how many said they can do it.
pub(crate) fn slots_of(request_id: i64) -> Sql {
    Sql::with(
        "SELECT s.id, s.starts_at, s.ends_at, s.needed, s.professions, s.cancelled_at, \
         (SELECT COUNT(*) FROM dispatch_answers a WHERE a.slot_id = s.id AND a.available = 1) AS available \
         FROM dispatch_slots s WHERE s.request_id = $1 ORDER BY s.starts_at, s.id",
        [request_id.into()],
    )
}

/// What an edit does to the stored slots.
struct SlotChanges {
    keep: Vec<SlotDraft>,
    add: Vec<SlotDraft>,
    cancel: Vec<i64>,
}

impl Store {
    /// The destination's id and name when it is a health centre the actor may send people to
    /// (a prefecture: any in its prefecture; a city: its own); a field error otherwise, the
    /// same whether the id exists or not.
    async fn own_health_centre(&self, actor: &Actor, id: i64) -> Result<(), ApiError> {
        let mut sql = Sql::new(
            "SELECT COUNT(*) FROM organisations o WHERE o.kind = 'health_centre' AND o.id = ",
        );
        sql.arg(id).push(" AND ");
        actor.push_org_visibility(&mut sql, "o");
        let n: i64 = on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_one(db).await?);
        if n == 1 {
            Ok(())
        } else {
            Err(ApiError::Invalid(vec![FieldIssue::new(
                "health_centre_id",
                Problem::OutsideScope,
            )]))
        }
    }

    /// Checks a draft (its own rules, the times against now, the health centre) and answers
    /// every slot it stands for.
    async fn checked_draft(
        &self,
        actor: &Actor,
        draft: &mut DispatchDraft,
        stored_deadline: Option<DateTime<Utc>>,
    ) -> Result<Vec<SlotDraft>, ApiError> {
        draft.normalize();
        let mut issues = draft.problems();
        issues.extend(draft.timing_problems(now(), stored_deadline));
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        self.own_health_centre(actor, draft.health_centre_id)
            .await?;
        draft.all_slots().map_err(ApiError::Invalid)
    }

    /// Creates a draft request of the actor's organisation. Audited.
    pub async fn create_dispatch_request(
        &self,
        actor: &Actor,
        mut draft: DispatchDraft,
    ) -> Result<DispatchRequest, ApiError> {
        may_plan(actor)?;
        let prefecture = actor.prefecture_code.clone().ok_or(ApiError::Forbidden)?;
        let slots = self.checked_draft(actor, &mut draft, None).await?;
        if let Some(i) = draft.slots.iter().position(|s| s.id.is_some()) {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                format!("slots.{i}.id"),
                Problem::UnknownValue,
            )]));
        }
        let at = now();
        let id = in_write!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO dispatch_requests (organisation_id, prefecture_code, health_centre_id, title, title_fold, duties, other_duty, notes, answer_deadline, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $11) RETURNING id",
            )
            .bind(actor.organisation_id)
            .bind(&prefecture)
            .bind(draft.health_centre_id)
            .bind(&draft.title)
            .bind(fold(&draft.title))
            .bind(duty_codes(&draft.duties))
            .bind(&draft.other_duty)
            .bind(&draft.notes)
            .bind(draft.answer_deadline)
            .bind(actor.account_id)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for slot in &slots {
                execute!(tx, insert_slot(id, slot));
            }
            let entry = NewEntry::by(actor, "dispatch.create", "dispatch_request", id)
                .detail(serde_json::json!({ "slots": slots.len() }));
            write_audit!(tx, entry);
            id
        });
        self.dispatch_request(actor, id).await
    }

    /// Rewrites a request that is still open: slots given with their id are changed, new ones
    /// added, those left out cancelled. Members asked are told when it was sent. Audited.
    pub async fn update_dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
        mut draft: DispatchDraft,
    ) -> Result<DispatchRequest, ApiError> {
        may_plan(actor)?;
        let current = self.request_row(actor, id).await?;
        if !current.status().is_open() {
            return Err(not_open(current.status()));
        }
        let slots = self
            .checked_draft(actor, &mut draft, Some(current.answer_deadline))
            .await?;
        let stored: Vec<SlotRow> = {
            let sql = slots_of(id);
            on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?)
        };
        let live: Vec<i64> = stored
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .map(|s| s.id)
            .collect();
        let mut changes = SlotChanges {
            keep: Vec::new(),
            add: Vec::new(),
            cancel: Vec::new(),
        };
        let mut unknown = Vec::new();
        for (i, slot) in slots.into_iter().enumerate() {
            match slot.id {
                Some(slot_id) if live.contains(&slot_id) => changes.keep.push(slot),
                Some(_) => unknown.push(FieldIssue::new(
                    format!("slots.{i}.id"),
                    Problem::UnknownValue,
                )),
                None => changes.add.push(slot),
            }
        }
        if !unknown.is_empty() {
            return Err(ApiError::Invalid(unknown));
        }
        changes.cancel = live
            .iter()
            .copied()
            .filter(|slot_id| !changes.keep.iter().any(|s| s.id == Some(*slot_id)))
            .collect();
        let at = now();
        let asked = self.asked_recipients(id).await?;
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE dispatch_requests SET health_centre_id = $1, title = $2, title_fold = $3, duties = $4, other_duty = $5, notes = $6, answer_deadline = $7, updated_at = $8 WHERE id = $9",
                [draft.health_centre_id.into(), draft.title.as_str().into(), fold(&draft.title).into(), duty_codes(&draft.duties).into(), draft.other_duty.as_str().into(), draft.notes.as_str().into(), draft.answer_deadline.into(), at.into(), id.into()],
            ));
            for slot in &changes.keep {
                execute!(tx, Sql::with(
                    "UPDATE dispatch_slots SET starts_at = $1, ends_at = $2, needed = $3, professions = $4 WHERE id = $5 AND request_id = $6",
                    [slot.starts_at.into(), slot.ends_at.into(), i64::from(slot.needed).into(), profession_codes(&slot.professions).into(), slot.id.unwrap_or_default().into(), id.into()],
                ));
                move_seats!(tx, slot.id.unwrap_or_default(), slot.starts_at, slot.ends_at, "slots");
            }
            for slot in &changes.add {
                execute!(tx, insert_slot(id, slot));
            }
            if !changes.cancel.is_empty() {
                let mut cancel = Sql::new("UPDATE dispatch_slots SET cancelled_at = ");
                cancel.arg(at).push(" WHERE request_id = ").arg(id).push(" AND id IN ").list(&changes.cancel);
                execute!(tx, cancel);
                // A cancelled slot holds nobody: its seats are freed.
                let mut free = Sql::new("UPDATE dispatch_assignments SET status = 'removed', decided_at = ");
                free.arg(at).push(" WHERE status IN ('planned', 'requested', 'accepted') AND slot_id IN ").list(&changes.cancel);
                execute!(tx, free);
            }
            let mut told = 0;
            if current.status() != DispatchStatus::Draft && !asked.is_empty() {
                let notice = changed_notice(&current, &draft, actor.organisation_id);
                told = notify_in_tx!(self, tx, &asked, &notice);
            }
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, "dispatch.update", "dispatch_request", id)
                .detail(serde_json::json!({
                    "kept": changes.keep.len(), "added": changes.add.len(),
                    "cancelled": changes.cancel, "told": told,
                }));
            write_audit!(tx, entry);
        });
        self.dispatch_request(actor, id).await
    }

    /// Calls a request off: everyone asked is told with the reason. Audited.
    pub async fn cancel_dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
        mut cancel: CancelRequest,
    ) -> Result<DispatchRequest, ApiError> {
        may_plan(actor)?;
        cancel.normalize();
        cancel.validate().map_err(ApiError::Invalid)?;
        let current = self.request_row(actor, id).await?;
        if !current.status().is_open() {
            return Err(not_open(current.status()));
        }
        let asked = self.asked_recipients(id).await?;
        let at = now();
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE dispatch_requests SET status = 'cancelled', cancelled_at = $1, cancel_reason = $2, updated_at = $1 WHERE id = $3 AND status = $4",
                [at.into(), cancel.reason.as_str().into(), id.into(), current.status.as_str().into()],
            ));
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            execute!(tx, Sql::with(
                "UPDATE dispatch_assignments SET status = 'removed', decided_at = $1 WHERE request_id = $2 AND status IN ('planned', 'requested', 'accepted')",
                [at.into(), id.into()],
            ));
            let notice = cancelled_notice(&current, &cancel.reason, actor.organisation_id);
            let told = notify_in_tx!(self, tx, &asked, &notice);
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, "dispatch.cancel", "dispatch_request", id)
                .detail(serde_json::json!({ "told": told }));
            write_audit!(tx, entry);
        });
        self.dispatch_request(actor, id).await
    }

    /// The stored row of a request visible to the actor; `NotFound` otherwise.
    pub(crate) async fn request_row(&self, actor: &Actor, id: i64) -> Result<RequestRow, ApiError> {
        may_read(actor)?;
        let mut sql = Sql::new(&format!(
            "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE d.id = "
        ));
        sql.arg(id).push(" AND ");
        push_request_visibility(&mut sql, actor, "d");
        let row: Option<RequestRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    /// One request with its slots and counts, in the actor's scope.
    pub async fn dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<DispatchRequest, ApiError> {
        let row = self.request_row(actor, id).await?;
        let sql = slots_of(id);
        let slots: Vec<SlotRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        Ok(DispatchRequest {
            id: row.id,
            organisation_id: row.organisation_id,
            status: row.status(),
            counts: row.counts(),
            organisation_name: row.organisation_name,
            prefecture_code: row.prefecture_code,
            health_centre_id: row.health_centre_id,
            health_centre_name: row.health_centre_name,
            title: row.title,
            duties: duties_of(&row.duties),
            other_duty: row.other_duty,
            notes: row.notes,
            answer_deadline: row.answer_deadline,
            slots: slots.into_iter().map(Into::into).collect(),
            created_at: row.created_at,
            updated_at: row.updated_at,
            sent_at: row.sent_at,
            cancelled_at: row.cancelled_at,
            cancel_reason: row.cancel_reason,
        })
    }

    /// The requests in the actor's scope, newest first, filtered and paged.
    pub async fn list_dispatch_requests(
        &self,
        actor: &Actor,
        filter: &DispatchFilter,
        page: &PageQuery,
    ) -> Result<Page<DispatchSummary>, ApiError> {
        may_read(actor)?;
        page.sort_column(&["updated_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::new(" WHERE ");
        push_request_visibility(&mut filters, actor, "d");
        if let Some(statuses) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
            let mut codes = Vec::new();
            for code in statuses.split(',').map(str::trim) {
                match DispatchStatus::from_code(code) {
                    Some(status) => codes.push(status.code()),
                    None => {
                        return Err(ApiError::Invalid(vec![FieldIssue::new(
                            "status",
                            Problem::UnknownValue,
                        )]))
                    }
                }
            }
            filters.push(" AND d.status IN ").list(&codes);
        }
        if let Some(q) = filter.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
            filters
                .push(" AND d.title_fold LIKE ")
                .arg(format!("%{}%", escape_like(&q)))
                .push(" ESCAPE '\\'");
        }
        let columns = format!(
            "{REQUEST_COLUMNS}, \
             (SELECT MIN(s.starts_at) FROM dispatch_slots s WHERE s.request_id = d.id AND s.cancelled_at IS NULL) AS first_starts_at, \
             (SELECT MAX(s.ends_at) FROM dispatch_slots s WHERE s.request_id = d.id AND s.cancelled_at IS NULL) AS last_ends_at, \
             (SELECT COUNT(*) FROM dispatch_slots s WHERE s.request_id = d.id AND s.cancelled_at IS NULL) AS slot_count, \
             (SELECT CAST(COALESCE(SUM(s.needed), 0) AS BIGINT) FROM dispatch_slots s WHERE s.request_id = d.id AND s.cancelled_at IS NULL) AS needed"
        );
        let paged = PagedSql::new(
            &columns,
            REQUEST_FROM,
            filters,
            "d.updated_at DESC, d.id DESC",
            page,
        );
        let (total, rows): (i64, Vec<SummaryRow>) = fetch_page!(self, paged);
        Ok(Page::of(
            rows.into_iter().map(SummaryRow::summary).collect(),
            total,
            page,
        ))
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    request: RequestRow,
    first_starts_at: Option<DateTime<Utc>>,
    last_ends_at: Option<DateTime<Utc>>,
    slot_count: i64,
    needed: i64,
}

impl SummaryRow {
    fn summary(self) -> DispatchSummary {
        DispatchSummary {
            status: self.request.status(),
            counts: self.request.counts(),
            id: self.request.id,
            title: self.request.title,
            organisation_name: self.request.organisation_name,
            health_centre_name: self.request.health_centre_name,
            answer_deadline: self.request.answer_deadline,
            first_starts_at: self.first_starts_at,
            last_ends_at: self.last_ends_at,
            slots: self.slot_count,
            needed: self.needed,
            updated_at: self.request.updated_at,
        }
    }
}

fn insert_slot(request_id: i64, slot: &SlotDraft) -> Sql {
    Sql::with(
        "INSERT INTO dispatch_slots (request_id, starts_at, ends_at, needed, professions) VALUES ($1, $2, $3, $4, $5)",
        [
            request_id.into(),
            slot.starts_at.into(),
            slot.ends_at.into(),
            i64::from(slot.needed).into(),
            profession_codes(&slot.professions).into(),
        ],
    )
}

/// The answer to a change of a request that no longer changes.
pub(crate) fn not_open(status: DispatchStatus) -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        "status",
        match status {
            DispatchStatus::Cancelled => Problem::NotAllowed {
                ja: "この派遣要請は中止されています",
                en: "this dispatch request was cancelled",
            },
            _ => Problem::NotAllowed {
                ja: "この派遣要請は終了しています",
                en: "this dispatch request is closed",
            },
        },
    )])
}

/// The slots of a request as lines of a message, in JST.
pub(crate) fn slot_lines(slots: &[SlotDraft]) -> String {
    slots
        .iter()
        .map(|s| format!("・{}", format_slot(s.starts_at, s.ends_at)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn changed_notice(current: &RequestRow, draft: &DispatchDraft, origin: i64) -> Notice {
    let text = |lang: Lang| {
        let deadline = ouen_shared::time::format_jst(draft.answer_deadline);
        Text {
            subject: format!("{}{}", lang.pick("【派遣要請の変更】", "[Dispatch request changed] "), draft.title),
            body: match lang {
                Lang::Ja => format!(
                    "{} からの派遣要請「{}」の内容が変更されました。\n業務: {}\n回答期限: {}\n変更後の日時と内容を確認し、必要なら回答を見直してください。",
                    current.organisation_name, draft.title, duties_described(&draft.duties, &draft.other_duty, lang), deadline
                ),
                Lang::En => format!(
                    "The dispatch request \"{}\" from {} has changed.\nDuties: {}\nAnswer by: {} (JST)\nPlease check the new times and details and update your answer if needed.",
                    draft.title, current.organisation_name, duties_described(&draft.duties, &draft.other_duty, lang), deadline
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
            id: current.id,
        }),
        origin_organisation_id: Some(origin),
    }
}

fn cancelled_notice(current: &RequestRow, reason: &str, origin: i64) -> Notice {
    let text = |lang: Lang| {
        Text {
        subject: format!("{}{}", lang.pick("【派遣要請の中止】", "[Dispatch request cancelled] "), current.title),
        body: match lang {
            Lang::Ja => format!(
                "{} からの派遣要請「{}」は中止になりました。\n理由: {}\n回答や予定は取り消されました。",
                current.organisation_name, current.title, reason
            ),
            Lang::En => format!(
                "The dispatch request \"{}\" from {} was cancelled.\nReason: {}\nAnswers and plans for it are void.",
                current.title, current.organisation_name, reason
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
            id: current.id,
        }),
        origin_organisation_id: Some(origin),
    }
}
