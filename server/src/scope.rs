//! Who is calling and what they may see. Every request that carries a valid session becomes an
//! [`Actor`]; store methods take it and turn its [`Scope`] into SQL conditions.

use crate::store::sql::Sql;
use chrono::{DateTime, Utc};
use ouen_shared::{OrgKind, Role};

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    pub prefecture_code: Option<String>,
    pub session_token_hash: String,
    pub session_expires_at: DateTime<Utc>,
    /// Request context, carried into the audit log.
    pub request: RequestMeta,
}

/// What the audit log records about a request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// The part of the data an actor may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// National and admin: everything.
    Everything,
    /// A prefecture: its own organisation, its cities and health centres.
    Prefecture(String),
    /// A city or special ward: itself and its health centres.
    City { organisation_id: i64 },
    /// Anyone else: their own organisation only.
    Organisation(i64),
}

/// What part of the roster an actor sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterScope {
    /// National and admin: every member and membership.
    All,
    /// A prefecture: members with a membership of its own (any status) and only those
    /// memberships. A city: the approved members of its parent prefecture (`approved_only`),
    /// without date of birth and street.
    Prefecture { code: String, approved_only: bool },
    /// A member: itself (every membership of its own).
    Own(i64),
    /// Institutions and partners: nobody.
    Nothing,
}

impl RosterScope {
    /// Whether date of birth and street address are hidden.
    pub fn hides_private_fields(&self) -> bool {
        matches!(
            self,
            RosterScope::Prefecture {
                approved_only: true,
                ..
            }
        )
    }

    /// Appends the conditions (each starting with ` AND`) that limit memberships alias `ms` to
    /// those this scope sees.
    pub fn push_membership_conditions(&self, sql: &mut Sql, ms: &str) {
        match self {
            RosterScope::All | RosterScope::Own(_) => {}
            RosterScope::Prefecture {
                code,
                approved_only,
            } => {
                sql.push(&format!(" AND {ms}.prefecture_code = "))
                    .arg(code.as_str());
                if *approved_only {
                    sql.push(&format!(" AND {ms}.status = 'approved'"));
                }
            }
            RosterScope::Nothing => {
                sql.push(" AND FALSE");
            }
        }
    }

    /// Appends the condition that member alias `m` is visible.
    pub fn push_member_visibility(&self, sql: &mut Sql, m: &str) {
        match self {
            RosterScope::All => {
                sql.push("TRUE");
            }
            RosterScope::Own(account_id) => {
                sql.push(&format!("{m}.account_id = ")).arg(*account_id);
            }
            RosterScope::Prefecture { .. } => {
                sql.push(&format!(
                    "{m}.id IN (SELECT vm.member_id FROM memberships vm WHERE TRUE"
                ));
                self.push_membership_conditions(sql, "vm");
                sql.push(")");
            }
            RosterScope::Nothing => {
                sql.push("FALSE");
            }
        }
    }
}

impl Actor {
    /// The actor's scope, derived from its role and organisation.
    pub fn scope(&self) -> Scope {
        match (self.role, &self.prefecture_code) {
            (Role::National | Role::Admin, _) => Scope::Everything,
            (Role::Prefecture, Some(code)) => Scope::Prefecture(code.clone()),
            (Role::City, _) => Scope::City {
                organisation_id: self.organisation_id,
            },
            _ => Scope::Organisation(self.organisation_id),
        }
    }

    /// Appends the condition that account alias `a` (in organisation alias `o`) is visible: the
    /// accounts of visible organisations, except that a member sees only its own account (the
    /// members' organisation holds every member).
    pub fn push_account_visibility(&self, sql: &mut Sql, a: &str, o: &str) {
        if self.role == Role::Member {
            sql.push(&format!("{a}.id = ")).arg(self.account_id);
        } else {
            self.push_org_visibility(sql, o);
        }
    }

    /// Appends to `sql` the condition that organisation alias `o` is visible to this actor.
    pub fn push_org_visibility(&self, sql: &mut Sql, o: &str) {
        match self.scope() {
            Scope::Everything => {
                sql.push("TRUE");
            }
            Scope::Prefecture(code) => {
                sql.push(&format!("({o}.prefecture_code = "))
                    .arg(code)
                    .push(&format!(
                        " AND {o}.kind IN ('prefecture', 'city', 'health_centre'))"
                    ));
            }
            Scope::City { organisation_id } => {
                sql.push(&format!("({o}.id = "))
                    .arg(organisation_id)
                    .push(&format!(" OR {o}.parent_id = "))
                    .arg(organisation_id)
                    .push(")");
            }
            Scope::Organisation(id) => {
                sql.push(&format!("{o}.id = ")).arg(id);
            }
        }
    }

    /// Which members and memberships the actor may see (see [`RosterScope`]).
    pub fn roster_scope(&self) -> RosterScope {
        match (self.role, &self.prefecture_code) {
            (Role::National | Role::Admin, _) => RosterScope::All,
            (Role::Prefecture, Some(code)) => RosterScope::Prefecture {
                code: code.clone(),
                approved_only: false,
            },
            (Role::City, Some(code)) => RosterScope::Prefecture {
                code: code.clone(),
                approved_only: true,
            },
            (Role::Member, _) => RosterScope::Own(self.account_id),
            _ => RosterScope::Nothing,
        }
    }

    /// Whether the actor may change things at all (the ministry only reads).
    pub fn may_write(&self) -> bool {
        self.role.may_write()
    }
}
