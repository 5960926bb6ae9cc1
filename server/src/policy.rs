//! Who may do what to whom, beyond seeing it (seeing is the scope's job, in the store).

use crate::scope::Actor;
use ouen_shared::api::Account;
use ouen_shared::Role;

/// Whether an account of role `issuer` may issue accounts of `role`. Nobody issues an account
/// above its own level; members come from registration, not from issuing.
pub fn may_issue(issuer: Role, role: Role) -> bool {
    match issuer {
        Role::Admin => role != Role::Member,
        Role::Prefecture => matches!(role, Role::Prefecture | Role::City),
        Role::City => role == Role::City,
        Role::National | Role::Member | Role::Institution | Role::Partner => false,
    }
}

/// Whether `actor` may disable, enable or reset the password of `target`, which it can see.
/// Nobody manages their own account this way (they change their own password instead).
pub fn may_manage_account(actor: &Actor, target: &Account) -> bool {
    if !actor.may_write() || target.id == actor.account_id {
        return false;
    }
    match actor.role {
        Role::Admin => true,
        Role::Prefecture => matches!(target.role, Role::Prefecture | Role::City),
        Role::City => target.role == Role::City && target.organisation_id == actor.organisation_id,
        Role::National | Role::Member | Role::Institution | Role::Partner => false,
    }
}

/// Who may change a roster beyond its own record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterKeeper {
    /// The operating association: every prefecture's roster.
    Operators,
    /// A prefecture: its own roster.
    Prefecture(String),
}

impl RosterKeeper {
    /// Whether this keeper changes the roster of `prefecture_code`.
    pub fn keeps(&self, prefecture_code: &str) -> bool {
        match self {
            RosterKeeper::Operators => true,
            RosterKeeper::Prefecture(code) => code == prefecture_code,
        }
    }
}

/// The roster `actor` keeps: the admin every one, a prefecture its own; nobody else (the
/// ministry reads, cities and members do not vet).
pub fn roster_keeper(actor: &Actor) -> Option<RosterKeeper> {
    if !actor.may_write() {
        return None;
    }
    match (actor.role, &actor.prefecture_code) {
        (Role::Admin, _) => Some(RosterKeeper::Operators),
        (Role::Prefecture, Some(code)) => Some(RosterKeeper::Prefecture(code.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_issues_above_its_level() {
        for issuer in Role::ALL {
            for role in Role::ALL {
                if may_issue(*issuer, *role) {
                    assert!(role.level() <= issuer.level(), "{issuer} issues {role}");
                }
            }
        }
        assert!(may_issue(Role::Admin, Role::Prefecture));
        assert!(may_issue(Role::Prefecture, Role::City));
        assert!(!may_issue(Role::City, Role::Prefecture));
        assert!(!may_issue(Role::National, Role::City));
        assert!(!may_issue(Role::Admin, Role::Member));
    }
}
