//! The members' answers: a member answers per slot (available or not, which duties) with a
//! note, until the deadline, signed in or through the personal link of its e-mail; the
//! requesting operator reads who was asked and what each answered.

use super::requests::{slots_of, RequestRow, SlotRow, REQUEST_COLUMNS, REQUEST_FROM};
use super::{duties_of, duty_codes, may_read, professions_of};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, fetch_page, multi_row_inserts, Arg, PagedSql, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    AnswerDraft, AskedFilter, AskedMember, AskedRequest, Page, PageQuery, SlotAnswer,
};
use ouen_shared::dispatch::DispatchStatus;
use ouen_shared::{FieldIssue, Problem, Role, Validate};

/// Who answers: a signed-in member, or the holder of a personal link.
pub enum Answerer<'a> {
    Member(&'a Actor),
    Link(&'a RequestMeta),
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    slot_id: i64,
    member_id: i64,
    available: i64,
    duties: String,
}

impl AnswerRow {
    fn answer(self) -> SlotAnswer {
        SlotAnswer {
            slot_id: self.slot_id,
            available: self.available != 0,
            duties: duties_of(&self.duties),
        }
    }
}

/// `(request id, member id)` of an ask.
pub type AskKey = (i64, i64);

impl Store {
    /// The caller's own member id (members only; `Forbidden` for operators).
    pub(crate) async fn asked_member_id(&self, actor: &Actor) -> Result<i64, ApiError> {
        if actor.role != Role::Member {
            return Err(ApiError::Forbidden);
        }
        self.own_member_id(actor).await
    }

    /// The request and member of a personal answer link; `NotFound` for any other text.
    pub async fn ask_of_token(&self, token: &str) -> Result<AskKey, ApiError> {
        if !crate::store::opt_out::is_opt_out_token(token) {
            return Err(ApiError::NotFound);
        }
        let key: Option<AskKey> = on_read!(self, db => sqlx::query_as(
            "SELECT k.request_id, k.member_id FROM dispatch_asks k JOIN members m ON m.id = k.member_id \
             WHERE k.answer_token = $1 AND m.anonymised_at IS NULL",
        ).bind(token).fetch_optional(db).await?);
        key.ok_or(ApiError::NotFound)
    }

    /// A request as member `member_id`, asked, sees it with its answer.
    pub async fn asked_request(
        &self,
        (request_id, member_id): AskKey,
    ) -> Result<AskedRequest, ApiError> {
        let mut sql = Sql::new(&format!(
            "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE d.id = "
        ));
        sql.arg(request_id)
            .push(" AND EXISTS (SELECT 1 FROM dispatch_asks k WHERE k.request_id = d.id AND k.member_id = ")
            .arg(member_id)
            .push(")");
        let row: Option<RequestRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        let row = row.ok_or(ApiError::NotFound)?;
        let slots = slots_of(request_id);
        let slots: Vec<SlotRow> = on_read!(self, db => bind_args!(sqlx::query_as(&slots.text), slots.args).fetch_all(db).await?);
        let answers: Vec<AnswerRow> = on_read!(self, db => sqlx::query_as(
            "SELECT slot_id, member_id, available, duties FROM dispatch_answers WHERE request_id = $1 AND member_id = $2 ORDER BY slot_id",
        ).bind(request_id).bind(member_id).fetch_all(db).await?);
        let (note, answered_at): (String, Option<DateTime<Utc>>) = on_read!(self, db => sqlx::query_as(
            "SELECT note, answered_at FROM dispatch_asks WHERE request_id = $1 AND member_id = $2",
        ).bind(request_id).bind(member_id).fetch_one(db).await?);
        let assignments = self.assignments_of((request_id, member_id)).await?;
        Ok(AskedRequest {
            assignments,
            open: takes_answers(&row),
            status: row.status(),
            id: row.id,
            title: row.title,
            organisation_name: row.organisation_name,
            health_centre_name: row.health_centre_name,
            duties: duties_of(&row.duties),
            other_duty: row.other_duty,
            notes: row.notes,
            answer_deadline: row.answer_deadline,
            slots: slots.into_iter().map(Into::into).collect(),
            answer: answers.into_iter().map(AnswerRow::answer).collect(),
            note,
            answered_at,
        })
    }

    /// The requests the signed-in member was asked, newest first.
    pub async fn my_dispatch_requests(
        &self,
        actor: &Actor,
        page: &PageQuery,
    ) -> Result<Page<AskedRequest>, ApiError> {
        page.sort_column(&["asked_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let member = self.asked_member_id(actor).await?;
        let mut filters = Sql::new(" WHERE k.member_id = ");
        filters.arg(member);
        let paged = PagedSql::new(
            "k.request_id",
            "FROM dispatch_asks k",
            filters,
            "k.asked_at DESC, k.request_id DESC",
            page,
        );
        let (total, ids): (i64, Vec<(i64,)>) = fetch_page!(self, paged);
        let mut items = Vec::with_capacity(ids.len());
        for (request_id,) in ids {
            items.push(self.asked_request((request_id, member)).await?);
        }
        Ok(Page::of(items, total, page))
    }

    /// One request the signed-in member was asked; `NotFound` for any other.
    pub async fn my_dispatch_request(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<AskedRequest, ApiError> {
        let member = self.asked_member_id(actor).await?;
        self.asked_request((id, member)).await
    }

    /// Records an answer of the signed-in member.
    pub async fn answer_as_member(
        &self,
        actor: &Actor,
        id: i64,
        draft: AnswerDraft,
    ) -> Result<AskedRequest, ApiError> {
        let member = self.asked_member_id(actor).await?;
        self.answer((id, member), draft, Answerer::Member(actor))
            .await
    }

    /// Records `member`'s answer to request `id`, replacing any earlier one, while answers are
    /// taken. Every slot must be a live slot of the request and every duty one of its duties.
    /// The operators' views are told through the events stream. Audited.
    pub async fn answer(
        &self,
        key: AskKey,
        mut draft: AnswerDraft,
        by: Answerer<'_>,
    ) -> Result<AskedRequest, ApiError> {
        let (id, member) = key;
        draft.normalize();
        let current = self.asked_request(key).await?;
        if !current.open {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "answer_deadline",
                Problem::NotAllowed {
                    ja: "回答の受付は終了しました",
                    en: "answers are no longer taken",
                },
            )]));
        }
        let mut issues = draft.problems();
        for (i, answer) in draft.slots.iter_mut().enumerate() {
            let live = current
                .slots
                .iter()
                .any(|s| s.id == answer.slot_id && s.cancelled_at.is_none());
            if !live {
                issues.push(FieldIssue::new(
                    format!("slots.{i}.slot_id"),
                    Problem::UnknownValue,
                ));
            }
            if !answer.available {
                answer.duties.clear();
            } else if let Some(j) = answer
                .duties
                .iter()
                .position(|d| !current.duties.contains(d))
            {
                issues.push(FieldIssue::new(
                    format!("slots.{i}.duties.{j}"),
                    Problem::UnknownValue,
                ));
            }
        }
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        let at = now();
        let entry = match by {
            Answerer::Member(actor) => NewEntry::by(actor, "dispatch.answer", "dispatch_request", id),
            Answerer::Link(meta) => {
                NewEntry::anonymous(meta, "dispatch.answer_link", "dispatch_request", Some(id.to_string()))
            }
        }
        .detail(serde_json::json!({
            "member_id": member,
            "available": draft.slots.iter().filter(|s| s.available).map(|s| s.slot_id).collect::<Vec<_>>(),
            "not_available": draft.slots.iter().filter(|s| !s.available).map(|s| s.slot_id).collect::<Vec<_>>(),
        }));
        let rows: Vec<Vec<Arg>> = draft
            .slots
            .iter()
            .map(|s| {
                vec![
                    s.slot_id.into(),
                    member.into(),
                    id.into(),
                    i64::from(s.available).into(),
                    duty_codes(&s.duties).into(),
                    at.into(),
                ]
            })
            .collect();
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "DELETE FROM dispatch_answers WHERE request_id = $1 AND member_id = $2",
                [id.into(), member.into()],
            ));
            for statement in multi_row_inserts(
                self.kind(),
                "INSERT INTO dispatch_answers (slot_id, member_id, request_id, available, duties, answered_at) VALUES ",
                &rows,
                "",
            ) {
                execute!(tx, statement);
            }
            execute!(tx, Sql::with(
                "UPDATE dispatch_asks SET answered_at = $1, note = $2 WHERE request_id = $3 AND member_id = $4",
                [at.into(), draft.note.as_str().into(), id.into(), member.into()],
            ));
            execute!(tx, self.dispatch_event(id, at));
            write_audit!(tx, entry);
        });
        self.asked_request(key).await
    }

    /// The members a request asked, with their answers, in kana order; `answered` narrows to
    /// those who answered or to the silent ones. A read of personal data: audited with the ids.
    pub async fn list_asked_members(
        &self,
        actor: &Actor,
        id: i64,
        filter: &AskedFilter,
        page: &PageQuery,
    ) -> Result<Page<AskedMember>, ApiError> {
        may_read(actor)?;
        page.sort_column(&["kana"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        self.request_row(actor, id).await?;
        let mut filters = Sql::new(" WHERE k.request_id = ");
        filters.arg(id);
        match filter.answered {
            Some(true) => filters.push(" AND k.answered_at IS NOT NULL"),
            Some(false) => filters.push(" AND k.answered_at IS NULL"),
            None => &mut filters,
        };
        let paged = PagedSql::new(
            "m.id, m.name, m.name_kana, m.professions, k.asked_at, k.answered_at, k.reminded_round, k.note",
            "FROM dispatch_asks k JOIN members m ON m.id = k.member_id",
            filters,
            "m.kana_fold, m.id",
            page,
        );
        let (total, rows): (i64, Vec<AskedRow>) = fetch_page!(self, paged);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut answers: Vec<AnswerRow> = Vec::new();
        if !ids.is_empty() {
            let mut sql = Sql::new("SELECT slot_id, member_id, available, duties FROM dispatch_answers WHERE request_id = ");
            sql.arg(id)
                .push(" AND member_id IN ")
                .list(&ids)
                .push(" ORDER BY slot_id");
            answers = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        }
        let entry = NewEntry::by(actor, "dispatch.asks", "dispatch_request", id).listed(
            serde_json::json!({ "answered": filter.answered }),
            page,
            total,
            &ids,
        );
        in_write!(self, tx => { write_audit!(tx, entry); });
        let items = rows
            .into_iter()
            .map(|r| AskedMember {
                answer: answers
                    .iter()
                    .filter(|a| a.member_id == r.id)
                    .map(|a| SlotAnswer {
                        slot_id: a.slot_id,
                        available: a.available != 0,
                        duties: duties_of(&a.duties),
                    })
                    .collect(),
                member_id: r.id,
                name: r.name,
                name_kana: r.name_kana,
                professions: professions_of(&r.professions),
                asked_at: r.asked_at,
                answered_at: r.answered_at,
                reminded_round: r.reminded_round,
                note: r.note,
            })
            .collect();
        Ok(Page::of(items, total, page))
    }
}

#[derive(sqlx::FromRow)]
struct AskedRow {
    id: i64,
    name: String,
    name_kana: String,
    professions: String,
    asked_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
    reminded_round: i64,
    note: String,
}

/// Whether a request takes answers now: sent or being planned, before its deadline.
fn takes_answers(row: &RequestRow) -> bool {
    matches!(
        row.status(),
        DispatchStatus::Sent | DispatchStatus::Planning
    ) && now() < row.answer_deadline
}
