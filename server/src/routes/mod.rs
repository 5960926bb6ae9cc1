//! HTTP routes, one module per resource. Every route is registered through the OpenAPI router
//! so the served description lists them all.

pub mod accounts;
pub mod audit;
pub mod bulk_mail;
pub mod dispatch;
pub mod dispatch_answer;
pub mod events;
pub mod health;
pub mod inbox;
pub mod me;
pub mod members;
pub mod my_dispatch;
pub mod my_member;
pub mod newsletter;
pub mod organisations;
pub mod outbox;
pub mod page;
pub mod reference;
pub mod registrations;
pub mod report_page;
pub mod reports;
pub mod sessions;
pub mod shifts;
pub mod trainings;
pub mod unsubscribe;
pub mod utilisation;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every API route.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(
            sessions::create_session,
            sessions::revoke_all_sessions
        ))
        .routes(routes!(sessions::delete_current_session))
        .routes(routes!(me::get_me))
        .routes(routes!(me::change_password))
        .routes(routes!(accounts::list_accounts, accounts::create_account))
        .routes(routes!(accounts::get_account))
        .routes(routes!(accounts::disable_account))
        .routes(routes!(accounts::enable_account))
        .routes(routes!(accounts::reset_password))
        .routes(routes!(
            organisations::list_organisations,
            organisations::create_organisation
        ))
        .routes(routes!(
            organisations::get_organisation,
            organisations::update_organisation
        ))
        .routes(routes!(reference::list_prefectures))
        .routes(routes!(reference::list_municipalities))
        .routes(routes!(audit::list_audit))
        .routes(routes!(registrations::registration_terms))
        .routes(routes!(registrations::register))
        .routes(routes!(registrations::claim))
        .routes(routes!(members::list_members, members::create_member))
        .routes(routes!(members::export_members))
        .routes(routes!(members::import_members))
        .routes(routes!(members::get_member, members::update_member))
        .routes(routes!(members::decide))
        .routes(routes!(members::invite))
        .routes(routes!(
            my_member::get_own_member,
            my_member::update_own_member
        ))
        .routes(routes!(my_member::offer_support))
        .routes(routes!(my_member::withdraw))
        .routes(routes!(my_member::set_mail_preferences))
        .routes(routes!(inbox::list_inbox))
        .routes(routes!(inbox::unread_count))
        .routes(routes!(inbox::mark_read))
        .routes(routes!(inbox::mark_all_read))
        .routes(routes!(outbox::list_outbox))
        .routes(routes!(outbox::outbox_counts))
        .routes(routes!(outbox::retry_mail))
        .routes(routes!(events::stream_events))
        .routes(routes!(bulk_mail::preview_bulk_mail))
        .routes(routes!(
            bulk_mail::send_bulk_mail,
            bulk_mail::list_bulk_mails
        ))
        .routes(routes!(bulk_mail::get_bulk_mail))
        .routes(routes!(newsletter::list_issues, newsletter::create_issue))
        .routes(routes!(newsletter::get_issue, newsletter::update_issue))
        .routes(routes!(newsletter::preview_issue))
        .routes(routes!(newsletter::send_issue))
        .routes(routes!(
            dispatch::list_dispatch_requests,
            dispatch::create_dispatch_request
        ))
        .routes(routes!(
            dispatch::get_dispatch_request,
            dispatch::update_dispatch_request
        ))
        .routes(routes!(dispatch::count_targets))
        .routes(routes!(dispatch::send_dispatch_request))
        .routes(routes!(dispatch::list_asks))
        .routes(routes!(dispatch::remind))
        .routes(routes!(dispatch::cancel_dispatch_request))
        .routes(routes!(my_dispatch::list_my_dispatch_requests))
        .routes(routes!(my_dispatch::get_my_dispatch_request))
        .routes(routes!(my_dispatch::answer_my_dispatch_request))
        .routes(routes!(shifts::get_grid))
        .routes(routes!(shifts::change_plan))
        .routes(routes!(shifts::move_slot))
        .routes(routes!(shifts::cancel_slot))
        .routes(routes!(shifts::auto_fill))
        .routes(routes!(shifts::replan))
        .routes(routes!(shifts::confirm))
        .routes(routes!(shifts::accept_assignment))
        .routes(routes!(shifts::decline_assignment))
        .routes(routes!(reports::list_my_reports, reports::file_report))
        .routes(routes!(reports::reports_due))
        .routes(routes!(reports::correct_report))
        .routes(routes!(reports::list_reports))
        .routes(routes!(reports::export_honoraria))
        .routes(routes!(reports::get_report))
        .routes(routes!(reports::approve_report))
        .routes(routes!(reports::return_report))
        .routes(routes!(reports::reopen_report))
        .routes(routes!(reports::request_totals))
        .routes(routes!(reports::member_history))
        .routes(routes!(
            trainings::list_trainings,
            trainings::create_training
        ))
        .routes(routes!(trainings::get_training, trainings::update_training))
        .routes(routes!(trainings::publish_training))
        .routes(routes!(trainings::notify_training_targets))
        .routes(routes!(trainings::cancel_training))
        .routes(routes!(trainings::list_applications))
        .routes(routes!(trainings::decide_application))
        .routes(routes!(trainings::my_trainings))
        .routes(routes!(trainings::apply_training))
        .routes(routes!(trainings::withdraw_training))
        .routes(routes!(trainings::set_training_status))
        .routes(routes!(trainings::record_attendance))
        .routes(routes!(trainings::complete_participants))
        .routes(routes!(
            trainings::list_payments,
            trainings::make_payments_due
        ))
        .routes(routes!(trainings::update_payment))
        .routes(routes!(trainings::export_payments))
        .routes(routes!(utilisation::member_counts))
        .routes(routes!(utilisation::dispatch_utilisation))
        .routes(routes!(utilisation::export_member_counts))
        .routes(routes!(utilisation::export_dispatch_utilisation))
        .routes(routes!(utilisation::series))
        .routes(routes!(utilisation::export_series))
        .routes(routes!(utilisation::capacity))
        .routes(routes!(utilisation::export_capacity))
        .routes(routes!(reports::my_history))
}
