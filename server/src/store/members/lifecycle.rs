//! Memberships over time: vetting decisions, offers, withdrawal, and anonymisation after the
//! retention period.

use super::search_text;
use crate::error::ApiError;
use crate::policy::roster_keeper;
use crate::scope::{Actor, RequestMeta};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Recipient, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, fetch_scalar, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::api::{Availability, Decision, DecisionResult, Member};
use ouen_shared::{HelpWay, Lang, Language, MembershipStatus, NoticeKind, Problem};

/// A membership about to be inserted, with its first history event and availability.
pub struct NewMembership {
    pub member_id: i64,
    pub prefecture_code: String,
    pub status: MembershipStatus,
    pub managed: bool,
    pub availability: Vec<Availability>,
    /// The account taking the first step.
    pub actor_id: Option<i64>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

impl NewMembership {
    /// `INSERT … RETURNING id`.
    pub fn insert(&self) -> Sql {
        Sql::with(
            "INSERT INTO memberships (member_id, prefecture_code, status, managed, recheck_needed, reason, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, FALSE, $5, $6, $6) RETURNING id",
            [
                self.member_id.into(),
                self.prefecture_code.as_str().into(),
                self.status.code().into(),
                self.managed.into(),
                self.reason.clone().into(),
                self.at.into(),
            ],
        )
    }
}

/// The first event and the availability rows of a new membership.
pub fn membership_statements(membership_id: i64, m: &NewMembership) -> Vec<Sql> {
    let mut out = vec![event(
        membership_id,
        m.status,
        m.reason.clone(),
        m.actor_id,
        m.at,
    )];
    out.extend(availability_statements(membership_id, &m.availability));
    out
}

/// One history event; the actor is an account id, its login is joined when read.
pub fn event(
    membership_id: i64,
    status: MembershipStatus,
    reason: Option<String>,
    actor_id: Option<i64>,
    at: DateTime<Utc>,
) -> Sql {
    Sql::with(
        "INSERT INTO membership_events (membership_id, at, status, reason, actor_id) VALUES ($1, $2, $3, $4, $5)",
        [
            membership_id.into(),
            at.into(),
            status.code().into(),
            reason.into(),
            actor_id.into(),
        ],
    )
}

/// Statements replacing the availability of a membership.
pub fn availability_statements(membership_id: i64, periods: &[Availability]) -> Vec<Sql> {
    let mut out = vec![Sql::with(
        "DELETE FROM availability WHERE membership_id = $1",
        [membership_id.into()],
    )];
    for a in periods {
        out.push(Sql::with(
            "INSERT INTO availability (membership_id, from_date, to_date, on_site, remote, phone) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                membership_id.into(),
                a.from.into(),
                a.to.into(),
                a.ways.contains(&HelpWay::OnSite).into(),
                a.ways.contains(&HelpWay::Remote).into(),
                a.ways.contains(&HelpWay::Phone).into(),
            ],
        ));
    }
    out
}

/// Draws registration codes until one is free, inside transaction `$tx`; answers its digits.
macro_rules! issue_registration_code {
    ($tx:expr) => {{
        let mut code;
        loop {
            code = ouen_shared::RegistrationCode::from_seed(rand::random::<u64>())
                .digits()
                .to_string();
            let taken: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE registration_code = $1")
                    .bind(code.as_str())
                    .fetch_one(&mut *$tx)
                    .await?;
            if taken == 0 {
                break;
            }
        }
        code
    }};
}
pub(crate) use issue_registration_code;

/// The language a member reads messages in: English when it works in English and not in
/// Japanese, Japanese otherwise.
pub(crate) fn member_lang(languages: &str) -> Lang {
    let languages = super::split_codes(languages, Language::from_code);
    if !languages.contains(&Language::Japanese) && languages.contains(&Language::English) {
        Lang::En
    } else {
        Lang::Ja
    }
}

/// What the member is told of a prefecture's decision: which prefecture decided what, the
/// reason given and the registration code issued, all of them its own record's.
fn decision_notice(
    member_id: i64,
    prefecture_code: &str,
    decision: Decision,
    reason: Option<&str>,
    issued_code: Option<&str>,
) -> Notice {
    let name = |lang| {
        ouen_shared::prefecture::prefecture(prefecture_code)
            .map(|p| p.label(lang).to_string())
            .unwrap_or_else(|| prefecture_code.to_string())
    };
    let (ja, en) = (name(Lang::Ja), name(Lang::En));
    let (ja_subject, ja_body, en_subject, en_body) = match decision {
        Decision::Approve => (
            format!("{ja}への登録が承認されました"),
            format!("{ja}があなたの登録を承認しました。{ja}からの派遣依頼を受けられます。"),
            format!("Your registration with {en} was approved"),
            format!("{en} approved your registration. You can now receive its dispatch requests."),
        ),
        Decision::Reject => (
            format!("{ja}への登録は承認されませんでした"),
            format!("{ja}はあなたの登録を承認しませんでした。"),
            format!("Your registration with {en} was not approved"),
            format!("{en} did not approve your registration."),
        ),
        Decision::Suspend => (
            format!("{ja}への登録が一時停止されました"),
            format!("{ja}はあなたの登録を一時停止しました。停止中は派遣依頼が届きません。"),
            format!("Your registration with {en} was suspended"),
            format!("{en} suspended your registration. You receive no dispatch requests from it meanwhile."),
        ),
        Decision::Reinstate => (
            format!("{ja}への登録が再開されました"),
            format!("{ja}はあなたの登録の一時停止を解除しました。"),
            format!("Your registration with {en} was reinstated"),
            format!("{en} lifted the suspension of your registration."),
        ),
        Decision::Withdraw => (
            format!("{ja}への登録の辞退が処理されました"),
            format!("{ja}はあなたの申し出により登録を辞退として処理しました。"),
            format!("Your withdrawal from {en} was recorded"),
            format!("{en} recorded your withdrawal from its roster, as you asked."),
        ),
        Decision::ConfirmRecheck => (
            format!("{ja}が免許の再確認を完了しました"),
            format!("{ja}はあなたの新しい免許を確認しました。"),
            format!("{en} confirmed your licence"),
            format!("{en} checked your new licence."),
        ),
    };
    let mut ja = Text {
        subject: ja_subject,
        body: ja_body,
    };
    let mut en = Text {
        subject: en_subject,
        body: en_body,
    };
    if let Some(reason) = reason.filter(|_| decision != Decision::ConfirmRecheck) {
        ja.body.push_str(&format!("\n理由: {reason}"));
        en.body.push_str(&format!("\nReason: {reason}"));
    }
    if let Some(code) = issued_code.and_then(ouen_shared::RegistrationCode::parse) {
        ja.body
            .push_str(&format!("\n登録コード: {}", code.display()));
        en.body
            .push_str(&format!("\nRegistration code: {}", code.display()));
    }
    Notice {
        kind: NoticeKind::RegistrationResult,
        ja,
        en,
        link: Some(Link {
            kind: "member",
            id: member_id,
        }),
        origin_organisation_id: None,
    }
}

fn wrong_state() -> ApiError {
    ApiError::Conflict(vec![ouen_shared::FieldIssue::new(
        "decision",
        Problem::NotAllowed {
            ja: "現在の状態ではこの操作はできません。画面を更新して確認してください。",
            en: "This is not possible in the membership's current state; reload and check.",
        },
    )])
}

#[derive(sqlx::FromRow)]
struct Current {
    id: i64,
    status: String,
    recheck_needed: bool,
}

impl Store {
    /// A prefecture (its own memberships) or the admin decides about a membership.
    pub async fn decide_membership(
        &self,
        actor: &Actor,
        member_id: i64,
        prefecture_code: &str,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<DecisionResult, ApiError> {
        let scope = actor.roster_scope();
        let row = self.visible_member_row(&scope, member_id).await?;
        let mut sql = Sql::with(
            "SELECT ms.id, ms.status, ms.recheck_needed FROM memberships ms WHERE ms.member_id = $1 AND ms.prefecture_code = $2",
            [member_id.into(), prefecture_code.into()],
        );
        scope.push_membership_conditions(&mut sql, "ms");
        let current: Option<Current> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        let current = current.ok_or(ApiError::NotFound)?;
        let may_decide = roster_keeper(actor).is_some_and(|k| k.keeps(prefecture_code));
        if !may_decide || row.anonymised_at.is_some() {
            return Err(ApiError::Forbidden);
        }
        let status = MembershipStatus::from_code(&current.status)
            .ok_or_else(|| ApiError::Internal(format!("unknown status {}", current.status)))?;
        use MembershipStatus as S;
        let next = match (decision, status) {
            (Decision::Approve, S::Applied | S::Rejected) => S::Approved,
            (Decision::Reject, S::Applied) => S::Rejected,
            (Decision::Suspend, S::Approved) => S::Suspended,
            (Decision::Reinstate, S::Suspended) => S::Approved,
            (Decision::Withdraw, S::Applied | S::Approved | S::Suspended) => S::Withdrawn,
            (Decision::ConfirmRecheck, s) if current.recheck_needed => s,
            _ => return Err(wrong_state()),
        };
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let at = now();
        let needs_code = next == S::Approved && row.registration_code.is_none();
        let issued = in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE memberships SET status = $1, reason = $2, recheck_needed = $3, updated_at = $4 \
                 WHERE id = $5 AND status = $6",
                [
                    next.code().into(),
                    if decision == Decision::ConfirmRecheck { None::<String>.into() } else { reason.clone().into() },
                    (current.recheck_needed && decision != Decision::ConfirmRecheck && next != S::Approved).into(),
                    at.into(),
                    current.id.into(),
                    status.code().into(),
                ],
            ));
            if changed != 1 {
                return Err(wrong_state());
            }
            let event_reason = if decision == Decision::ConfirmRecheck {
                Some("免許の再確認済み / licence re-checked".to_string())
            } else {
                reason.clone()
            };
            execute!(tx, event(current.id, next, event_reason, Some(actor.account_id), at));
            let issued = if needs_code {
                let code = issue_registration_code!(tx);
                execute!(tx, Sql::with(
                    "UPDATE members SET registration_code = $1, search_fold = $2, updated_at = $3 WHERE id = $4",
                    [
                        code.as_str().into(),
                        search_text(&row.name, &row.name_kana, Some(&code), &row.notes).into(),
                        at.into(),
                        member_id.into(),
                    ],
                ));
                Some(code)
            } else {
                execute!(tx, Sql::with("UPDATE members SET updated_at = $1 WHERE id = $2", [at.into(), member_id.into()]));
                None
            };
            // The member hears of it in the same transaction.
            let recipients = [Recipient::member(member_id, row.account_id, member_lang(&row.languages))];
            let notice = Notice {
                origin_organisation_id: Some(actor.organisation_id),
                ..decision_notice(member_id, prefecture_code, decision, reason.as_deref(), issued.as_deref())
            };
            let notified = notify_in_tx!(self, tx, &recipients, &notice);
            // The reason stays in the membership's history, erased with the record.
            let entry = NewEntry::by(actor, "membership.decide", "member", member_id).detail(serde_json::json!({
                "prefecture_code": prefecture_code,
                "decision": decision,
                "from": status.code(),
                "to": next.code(),
                "code_issued": issued.is_some(),
                "notified": notified,
            }));
            execute!(tx, self.member_event(member_id, at));
            write_audit!(tx, entry);
            issued
        });
        Ok(DecisionResult {
            member: self.member_record(actor, member_id).await?,
            issued_registration_code: issued
                .as_deref()
                .and_then(ouen_shared::RegistrationCode::parse)
                .map(|c| c.display()),
        })
    }

    /// A member offers to support a prefecture (again), or changes its availability there.
    pub async fn offer_support(
        &self,
        actor: &Actor,
        prefecture_code: &str,
        availability: &[Availability],
    ) -> Result<Member, ApiError> {
        let member_id = self.own_member_id(actor).await?;
        let current: Option<Current> = on_read!(self, db => sqlx::query_as(
            "SELECT id, status, recheck_needed FROM memberships WHERE member_id = $1 AND prefecture_code = $2")
            .bind(member_id).bind(prefecture_code).fetch_optional(db).await?);
        let at = now();
        in_write!(self, tx => {
            let (membership_id, applied_again) = match &current {
                None => {
                    let new = NewMembership {
                        member_id,
                        prefecture_code: prefecture_code.to_string(),
                        status: MembershipStatus::Applied,
                        managed: false,
                        availability: Vec::new(),
                        actor_id: Some(actor.account_id),
                        reason: None,
                        at,
                    };
                    let id: i64 = fetch_scalar!(tx, new.insert());
                    execute!(tx, event(id, MembershipStatus::Applied, None, Some(actor.account_id), at));
                    (id, true)
                }
                Some(c) if c.status == "rejected" || c.status == "withdrawn" => {
                    execute!(tx, Sql::with(
                        "UPDATE memberships SET status = 'applied', reason = NULL, updated_at = $1 WHERE id = $2",
                        [at.into(), c.id.into()],
                    ));
                    execute!(tx, event(c.id, MembershipStatus::Applied, None, Some(actor.account_id), at));
                    (c.id, true)
                }
                Some(c) => {
                    execute!(tx, Sql::with("UPDATE memberships SET updated_at = $1 WHERE id = $2", [at.into(), c.id.into()]));
                    (c.id, false)
                }
            };
            for statement in availability_statements(membership_id, availability) {
                execute!(tx, statement);
            }
            execute!(tx, Sql::with(
                "UPDATE members SET withdrawn_at = NULL, updated_at = $1 WHERE id = $2",
                [at.into(), member_id.into()],
            ));
            let entry = NewEntry::by(actor, "membership.offer", "member", member_id).detail(serde_json::json!({
                "prefecture_code": prefecture_code,
                "applied": applied_again,
                "periods": availability.len(),
            }));
            execute!(tx, self.member_event(member_id, at));
            write_audit!(tx, entry);
        });
        self.member_record(actor, member_id).await
    }

    /// A member withdraws from one prefecture, or from the bank (every prefecture; the record
    /// is anonymised once the retention period has passed).
    pub async fn withdraw_member(
        &self,
        actor: &Actor,
        prefecture_code: Option<&str>,
        reason: Option<&str>,
    ) -> Result<Member, ApiError> {
        let member_id = self.own_member_id(actor).await?;
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let mut sql = Sql::with(
            "SELECT id, status, recheck_needed FROM memberships WHERE member_id = $1 AND status <> 'withdrawn'",
            [member_id.into()],
        );
        if let Some(p) = prefecture_code {
            sql.push(" AND prefecture_code = ").arg(p);
        }
        let open: Vec<Current> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        if prefecture_code.is_some() && open.is_empty() {
            return Err(ApiError::invalid(
                "prefecture_code",
                Problem::NotAllowed {
                    ja: "この都道府県には登録申請していないか、既に辞退しています。",
                    en: "You have no active membership with this prefecture.",
                },
            ));
        }
        let at = now();
        in_write!(self, tx => {
            for m in &open {
                execute!(tx, Sql::with(
                    "UPDATE memberships SET status = 'withdrawn', reason = $1, updated_at = $2 WHERE id = $3",
                    [reason.clone().into(), at.into(), m.id.into()],
                ));
                execute!(tx, event(m.id, MembershipStatus::Withdrawn, reason.clone(), Some(actor.account_id), at));
            }
            if prefecture_code.is_none() {
                execute!(tx, Sql::with(
                    "UPDATE members SET withdrawn_at = $1, updated_at = $1 WHERE id = $2",
                    [at.into(), member_id.into()],
                ));
            }
            let entry = NewEntry::by(actor, "member.withdraw", "member", member_id).detail(serde_json::json!({
                "prefecture_code": prefecture_code,
                "from_bank": prefecture_code.is_none(),
            }));
            execute!(tx, self.member_event(member_id, at));
            write_audit!(tx, entry);
        });
        self.member_record(actor, member_id).await
    }

    /// Anonymises the members who withdrew from the bank more than `retention` before `now`
    /// (the caller's clock, so the hourly task and tests can name the instant): personal
    /// details, licence and certificate numbers, the registration code and free-text reasons
    /// are erased, the account's login becomes `anonymised-<member id>` and the account is
    /// closed. Statuses, dates and the audit log's entries stay; everything else names the
    /// person by id and so shows the placeholders from then on. Answers how many were
    /// anonymised.
    pub async fn anonymise_withdrawn(
        &self,
        retention: Duration,
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let cutoff = now - retention;
        let due: Vec<(i64, Option<i64>, Option<String>)> = on_read!(self, db => sqlx::query_as(
            "SELECT m.id, m.account_id, a.login FROM members m LEFT JOIN accounts a ON a.id = m.account_id \
             WHERE m.withdrawn_at IS NOT NULL AND m.withdrawn_at < $1 AND m.anonymised_at IS NULL ORDER BY m.id")
            .bind(cutoff).fetch_all(db).await?);
        for (member_id, account_id, login) in &due {
            let account = (*account_id).zip(login.as_deref());
            let statements = anonymise_statements(*member_id, account, now);
            in_write!(self, tx => {
                for statement in &statements {
                    execute!(tx, statement);
                }
                execute!(tx, self.member_event(*member_id, now));
                let entry = NewEntry::anonymous(&RequestMeta::default(), "member.anonymise", "member", Some(member_id.to_string()))
                    .detail(serde_json::json!({ "retention_days": retention.num_days() }));
                write_audit!(tx, entry);
            });
        }
        Ok(due.len())
    }
}

/// The statements erasing one member; `account` is its account's id and current login.
fn anonymise_statements(
    member_id: i64,
    account: Option<(i64, &str)>,
    at: DateTime<Utc>,
) -> Vec<Sql> {
    let mut out = vec![
        Sql::with(
            "UPDATE members SET name = '（匿名化済み）', name_kana = '', kana_fold = '', birth_date = NULL, email = '', \
             phone = '', street = '', notes = '', search_fold = '', registration_code = NULL, mail_opt_out_token = NULL, anonymised_at = $1, \
             updated_at = $1 WHERE id = $2",
            [at.into(), member_id.into()],
        ),
        Sql::with(
            "UPDATE member_licences SET number = '' WHERE member_id = $1",
            [member_id.into()],
        ),
        Sql::with(
            "UPDATE membership_events SET reason = NULL WHERE membership_id IN (SELECT id FROM memberships WHERE member_id = $1)",
            [member_id.into()],
        ),
        Sql::with(
            "UPDATE memberships SET reason = NULL WHERE member_id = $1",
            [member_id.into()],
        ),
        Sql::with(
            "UPDATE member_trainings SET certificate_number = NULL WHERE member_id = $1",
            [member_id.into()],
        ),
        // The sequence number stays taken, so no certificate number is ever issued twice.
        Sql::with(
            "UPDATE training_applications SET certificate_number = NULL, reason = NULL WHERE member_id = $1",
            [member_id.into()],
        ),
        Sql::with(
            "DELETE FROM member_invitations WHERE member_id = $1",
            [member_id.into()],
        ),
        // E-mails keep no text; one not yet delivered is never sent.
        Sql::with(
            "UPDATE mail_outbox SET subject = '', body = '', \
             last_error = CASE WHEN status = 'sent' THEN last_error ELSE 'recipient erased' END, \
             status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END, \
             lease_until = NULL, leased_by = NULL WHERE member_id = $1",
            [member_id.into()],
        ),
    ];
    if let Some((account_id, login)) = account {
        out.push(Sql::with(
            "UPDATE accounts SET login = $1, display_name = '（匿名化済み）', search_fold = '', disabled_at = $2 WHERE id = $3",
            [
                format!("anonymised-{member_id}").into(),
                at.into(),
                account_id.into(),
            ],
        ));
        // Messages may quote the record (reasons, the registration code).
        out.push(Sql::with(
            "DELETE FROM inbox_messages WHERE account_id = $1",
            [account_id.into()],
        ));
        out.push(Sql::with(
            "DELETE FROM sessions WHERE account_id = $1",
            [account_id.into()],
        ));
        // Failed logins are counted under the login typed.
        out.push(Sql::with(
            "DELETE FROM login_throttle WHERE key = $1",
            [format!("login:{login}").into()],
        ));
    }
    out
}
