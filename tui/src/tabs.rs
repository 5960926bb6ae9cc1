//! The tab registry: every view of the client with the roles that see it, in the order of the
//! product's design (roster, dispatch, shifts, reports, utilisation, trainings, postings,
//! inbox, then organisation). A view is a folder under [`crate::views`] and one entry here; a view that is
//! not built yet is only named in [`PLANNED`], so nothing pretends to work.

use crate::app::{Popup, Registry, TabSpec};
use crate::i18n::T;
use crate::views::dispatch::DispatchView;
use crate::views::inbox::InboxView;
use crate::views::my_dispatch::schedule::MyScheduleView;
use crate::views::my_dispatch::MyDispatchView;
use crate::views::organisation::OrganisationView;
use crate::views::profile::ProfileView;
use crate::views::reports::ReportsView;
use crate::views::roster::forms::registration_form;
use crate::views::roster::RosterView;
use crate::views::shifts::ShiftsView;
use crate::views::utilisation::UtilisationView;
use ouen_shared::api::RegistrationTerms;
use ouen_shared::{Lang, Role};

/// Every built tab, in display order.
pub const TABS: &[TabSpec] = &[
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
    TabSpec {
        command: "dispatch",
        aliases: &["haken", "requests"],
        title: T::TabDispatch,
        // Those who request (prefectures, cities, the ministry and the admin) and those asked.
        visible_to: |role| {
            matches!(
                role,
                Role::National | Role::Admin | Role::Prefecture | Role::City | Role::Member
            )
        },
        build: |me| match me.role {
            Role::Member => Box::new(MyDispatchView::new()),
            _ => Box::new(DispatchView::new(me)),
        },
    },
    TabSpec {
        command: "shifts",
        aliases: &["shift", "grid"],
        title: T::TabShifts,
        visible_to: |role| {
            matches!(
                role,
                Role::National | Role::Admin | Role::Prefecture | Role::City | Role::Member
            )
        },
        // A member's shifts are its own schedule.
        build: |me| match me.role {
            Role::Member => Box::new(MyScheduleView::new()),
            _ => Box::new(ShiftsView::new()),
        },
    },
    TabSpec {
        command: "reports",
        aliases: &["shukei", "nippo", "daily-reports"],
        title: T::TabReports,
        // Members file their reports; requesters (and the ministry, reading) review them.
        visible_to: |role| {
            matches!(
                role,
                Role::National | Role::Admin | Role::Prefecture | Role::City | Role::Member
            )
        },
        build: |me| Box::new(ReportsView::new(me.role)),
    },
    TabSpec {
        command: "utilisation",
        aliases: &["rikatsuyo", "stats", "capacity"],
        title: T::TabUtilisation,
        // The ministry, the admin, prefectures and cities, each in its own scope.
        visible_to: |role| {
            matches!(
                role,
                Role::National | Role::Admin | Role::Prefecture | Role::City
            )
        },
        build: |me| Box::new(UtilisationView::new(me.role)),
    },
    TabSpec {
        command: "inbox",
        aliases: &["tsuchi", "notices"],
        title: T::TabInbox,
        // Every account has an inbox.
        visible_to: |_| true,
        build: |_| Box::new(InboxView::new()),
    },
    TabSpec {
        command: "organisation",
        aliases: &["org", "organization"],
        title: T::TabOrganisation,
        visible_to: |role| role != Role::Member,
        build: |me| Box::new(OrganisationView::new(me)),
    },
];

/// Views the product will have but this client does not have yet: the command line says so
/// instead of opening an empty screen.
pub const PLANNED: &[(&str, T)] = &[("trainings", T::TabTrainings), ("postings", T::TabPostings)];

fn registration(terms: &RegistrationTerms, lang: Lang) -> Box<dyn Popup> {
    Box::new(registration_form(terms, lang))
}

/// What the application is given of the views.
pub static REGISTRY: Registry = Registry {
    tabs: TABS,
    planned: PLANNED,
    registration_form: registration,
};
