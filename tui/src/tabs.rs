//! The tab registry. A tab is listed here with the roles that see it and a constructor; a
//! view that is not built yet is not listed, so nothing pretends to work. Roster, dispatch,
//! shifts, reports, trainings, postings and inbox each slot in as one more entry.

use crate::components::organisation::OrganisationView;
use crate::components::profile::ProfileView;
use crate::components::roster::RosterView;
use crate::components::Component;
use crate::i18n::T;
use ouen_shared::api::Me;
use ouen_shared::Role;

/// A tab that exists.
pub struct TabSpec {
    /// The `:command` that opens it (and the name in the help).
    pub command: &'static str,
    /// Short aliases for the command line.
    pub aliases: &'static [&'static str],
    pub title: T,
    /// Which roles see it.
    pub visible_to: fn(Role) -> bool,
    pub build: fn(&Me) -> Box<dyn Component>,
}

/// Every built tab, in display order.
pub const TABS: &[TabSpec] = &[
    TabSpec {
        command: "organisation",
        aliases: &["org", "organization"],
        title: T::TabOrganisation,
        visible_to: |role| role != Role::Member,
        build: |me| Box::new(OrganisationView::new(me)),
    },
    TabSpec {
        command: "roster",
        aliases: &["members", "meibo"],
        title: T::TabRoster,
        // Institutions and partners see no member at all.
        visible_to: |role| {
            matches!(
                role,
                Role::National | Role::Admin | Role::Prefecture | Role::City | Role::Member
            )
        },
        // A member's roster is its own record.
        build: |me| match me.role {
            Role::Member => Box::new(ProfileView::new()),
            _ => Box::new(RosterView::new(me)),
        },
    },
];

/// Views the product will have but this client does not have yet: the command line says so
/// instead of opening an empty screen.
pub const PLANNED: &[(&str, T)] = &[
    ("dispatch", T::TabDispatch),
    ("shifts", T::TabShifts),
    ("reports", T::TabReports),
    ("trainings", T::TabTrainings),
    ("postings", T::TabPostings),
    ("inbox", T::TabInbox),
];

/// The tabs an account sees.
pub fn for_role(role: Role) -> Vec<&'static TabSpec> {
    TABS.iter().filter(|t| (t.visible_to)(role)).collect()
}
