//! Every HTTP endpoint of the API, described once: method, route, body and answer types.
//!
//! The terminal client has one generic call over [`Endpoint`]; the server's routes are checked
//! against [`ROUTES`] by the end-to-end suite, so the two sides cannot drift apart.

use crate::api::{
    Account, AccountCreated, AuditEntry, ChangePasswordRequest, ClaimRequest, CreateAccountRequest,
    CreateMemberRequest, CreateOrganisationRequest, CsvEncoding, DecisionRequest, DecisionResult,
    Health, ImportReport, InboxFilter, InboxMessage, Invitation, LoginRequest,
    MailPreferencesRequest, Me, Member, MemberFilter, MemberSummary, Municipality, OfferRequest,
    Organisation, Page, PasswordReset, Prefecture, ReadAllResult, Registered, RegistrationRequest,
    RegistrationTerms, ResetPasswordRequest, SessionCreated, SessionsRevoked, SortOrder,
    UnreadCount, UpdateMemberNotesRequest, UpdateOrganisationRequest, UpdateProfileRequest,
    WithdrawalRequest,
};
use crate::{OrgKind, Role};
use serde::{Deserialize, Deserializer, Serialize};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method as HTTP spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// What a request carries.
pub enum Payload<'a, B> {
    Empty,
    Json(&'a B),
    /// A CSV file (`text/csv`).
    Csv(&'a [u8]),
}

/// An answer whose body is not read (`204 No Content`, or a confirmation nobody needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done;

impl<'de> Deserialize<'de> for Done {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Done, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Done)
    }
}

/// The answer of a download: the bytes as sent (a CSV file). Not JSON, so a client must fetch
/// it as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download(pub Vec<u8>);

/// The answer of `GET /api/v1/events`: a `text/event-stream` that stays open, not JSON; a
/// client reads it frame by frame (see [`crate::api::events`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventStream;

/// One endpoint: a value of the type is one request to it.
pub trait Endpoint: Send + Sync + 'static {
    const METHOD: Method;
    /// The route template as the server declares it, e.g. `/api/v1/members/{id}`.
    const ROUTE: &'static str;
    /// The JSON body's type (`()` when there is none).
    type Body: Serialize;
    /// What a successful answer holds.
    type Response: Send + 'static;

    /// The path with its parameters filled in.
    fn path(&self) -> String {
        Self::ROUTE.to_string()
    }
    /// Query parameters.
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    fn payload(&self) -> Payload<'_, Self::Body> {
        Payload::Empty
    }
    /// Whether the request only reads (so it can simply be repeated after a lost connection).
    fn is_read(&self) -> bool {
        Self::METHOD == Method::Get
    }
}

/// Every route of the API as (method, template).
pub const ROUTES: &[(Method, &str)] = &[
    (Ping::METHOD, Ping::ROUTE),
    (Login::METHOD, Login::ROUTE),
    (Logout::METHOD, Logout::ROUTE),
    (LogoutEverywhere::METHOD, LogoutEverywhere::ROUTE),
    (GetMe::METHOD, GetMe::ROUTE),
    (ChangeOwnPassword::METHOD, ChangeOwnPassword::ROUTE),
    (ListAccounts::METHOD, ListAccounts::ROUTE),
    (CreateAccount::METHOD, CreateAccount::ROUTE),
    (GetAccount::METHOD, GetAccount::ROUTE),
    (DisableAccount::METHOD, DisableAccount::ROUTE),
    (EnableAccount::METHOD, EnableAccount::ROUTE),
    (ResetAccountPassword::METHOD, ResetAccountPassword::ROUTE),
    (ListOrganisations::METHOD, ListOrganisations::ROUTE),
    (CreateOrganisation::METHOD, CreateOrganisation::ROUTE),
    (GetOrganisation::METHOD, GetOrganisation::ROUTE),
    (RenameOrganisation::METHOD, RenameOrganisation::ROUTE),
    (ListPrefectures::METHOD, ListPrefectures::ROUTE),
    (ListMunicipalities::METHOD, ListMunicipalities::ROUTE),
    (ListAudit::METHOD, ListAudit::ROUTE),
    (GetRegistrationTerms::METHOD, GetRegistrationTerms::ROUTE),
    (Register::METHOD, Register::ROUTE),
    (ClaimInvitation::METHOD, ClaimInvitation::ROUTE),
    (ListMembers::METHOD, ListMembers::ROUTE),
    (CreateMember::METHOD, CreateMember::ROUTE),
    (ExportMembers::METHOD, ExportMembers::ROUTE),
    (ImportMembers::METHOD, ImportMembers::ROUTE),
    (GetMember::METHOD, GetMember::ROUTE),
    (UpdateMemberNotes::METHOD, UpdateMemberNotes::ROUTE),
    (Decide::METHOD, Decide::ROUTE),
    (Invite::METHOD, Invite::ROUTE),
    (GetMyMember::METHOD, GetMyMember::ROUTE),
    (UpdateMyProfile::METHOD, UpdateMyProfile::ROUTE),
    (SetOffer::METHOD, SetOffer::ROUTE),
    (Withdraw::METHOD, Withdraw::ROUTE),
    (SetMailPreferences::METHOD, SetMailPreferences::ROUTE),
    (ListInbox::METHOD, ListInbox::ROUTE),
    (CountUnread::METHOD, CountUnread::ROUTE),
    (MarkRead::METHOD, MarkRead::ROUTE),
    (MarkAllRead::METHOD, MarkAllRead::ROUTE),
    (ListOutbox::METHOD, ListOutbox::ROUTE),
    (CountOutbox::METHOD, CountOutbox::ROUTE),
    (RetryMail::METHOD, RetryMail::ROUTE),
    (StreamEvents::METHOD, StreamEvents::ROUTE),
    (PreviewBulkMail::METHOD, PreviewBulkMail::ROUTE),
    (SendBulkMail::METHOD, SendBulkMail::ROUTE),
    (ListBulkMails::METHOD, ListBulkMails::ROUTE),
    (GetBulkMail::METHOD, GetBulkMail::ROUTE),
    (ListNewsletterIssues::METHOD, ListNewsletterIssues::ROUTE),
    (CreateNewsletterIssue::METHOD, CreateNewsletterIssue::ROUTE),
    (GetNewsletterIssue::METHOD, GetNewsletterIssue::ROUTE),
    (UpdateNewsletterIssue::METHOD, UpdateNewsletterIssue::ROUTE),
    (
        PreviewNewsletterIssue::METHOD,
        PreviewNewsletterIssue::ROUTE,
    ),
    (SendNewsletterIssue::METHOD, SendNewsletterIssue::ROUTE),
    (ListDispatchRequests::METHOD, ListDispatchRequests::ROUTE),
    (CreateDispatchRequest::METHOD, CreateDispatchRequest::ROUTE),
    (GetDispatchRequest::METHOD, GetDispatchRequest::ROUTE),
    (UpdateDispatchRequest::METHOD, UpdateDispatchRequest::ROUTE),
    (CountDispatchTargets::METHOD, CountDispatchTargets::ROUTE),
    (SendDispatchRequest::METHOD, SendDispatchRequest::ROUTE),
    (ListAsks::METHOD, ListAsks::ROUTE),
    (RemindSilent::METHOD, RemindSilent::ROUTE),
    (CancelDispatchRequest::METHOD, CancelDispatchRequest::ROUTE),
    (
        ListMyDispatchRequests::METHOD,
        ListMyDispatchRequests::ROUTE,
    ),
    (GetMyDispatchRequest::METHOD, GetMyDispatchRequest::ROUTE),
    (AnswerDispatchRequest::METHOD, AnswerDispatchRequest::ROUTE),
    (GetShiftGrid::METHOD, GetShiftGrid::ROUTE),
    (ChangePlan::METHOD, ChangePlan::ROUTE),
    (MoveDispatchSlot::METHOD, MoveDispatchSlot::ROUTE),
    (CancelDispatchSlot::METHOD, CancelDispatchSlot::ROUTE),
    (AutoFill::METHOD, AutoFill::ROUTE),
    (Replan::METHOD, Replan::ROUTE),
    (ConfirmShifts::METHOD, ConfirmShifts::ROUTE),
    (AcceptAssignment::METHOD, AcceptAssignment::ROUTE),
    (DeclineAssignment::METHOD, DeclineAssignment::ROUTE),
    (ListMyDailyReports::METHOD, ListMyDailyReports::ROUTE),
    (ListReportsDue::METHOD, ListReportsDue::ROUTE),
    (FileDailyReport::METHOD, FileDailyReport::ROUTE),
    (CorrectDailyReport::METHOD, CorrectDailyReport::ROUTE),
    (ListDailyReports::METHOD, ListDailyReports::ROUTE),
    (ExportHonoraria::METHOD, ExportHonoraria::ROUTE),
    (GetMemberCounts::METHOD, GetMemberCounts::ROUTE),
    (
        GetDispatchUtilisation::METHOD,
        GetDispatchUtilisation::ROUTE,
    ),
    (ExportMemberCounts::METHOD, ExportMemberCounts::ROUTE),
    (
        ExportDispatchUtilisation::METHOD,
        ExportDispatchUtilisation::ROUTE,
    ),
    (ListTrainings::METHOD, ListTrainings::ROUTE),
    (CreateTraining::METHOD, CreateTraining::ROUTE),
    (GetTraining::METHOD, GetTraining::ROUTE),
    (UpdateTraining::METHOD, UpdateTraining::ROUTE),
    (PublishTraining::METHOD, PublishTraining::ROUTE),
    (NotifyTrainingTargets::METHOD, NotifyTrainingTargets::ROUTE),
    (CancelTraining::METHOD, CancelTraining::ROUTE),
    (
        ListTrainingApplications::METHOD,
        ListTrainingApplications::ROUTE,
    ),
    (
        DecideTrainingApplication::METHOD,
        DecideTrainingApplication::ROUTE,
    ),
    (ListMyTrainings::METHOD, ListMyTrainings::ROUTE),
    (ApplyTraining::METHOD, ApplyTraining::ROUTE),
    (WithdrawTraining::METHOD, WithdrawTraining::ROUTE),
    (SetTrainingStatus::METHOD, SetTrainingStatus::ROUTE),
    (RecordAttendance::METHOD, RecordAttendance::ROUTE),
    (
        CompleteTrainingParticipants::METHOD,
        CompleteTrainingParticipants::ROUTE,
    ),
    (ListTrainingPayments::METHOD, ListTrainingPayments::ROUTE),
    (
        MakeTrainingPaymentsDue::METHOD,
        MakeTrainingPaymentsDue::ROUTE,
    ),
    (UpdateTrainingPayment::METHOD, UpdateTrainingPayment::ROUTE),
    (
        ExportTrainingPayments::METHOD,
        ExportTrainingPayments::ROUTE,
    ),
    (GetUtilisationSeries::METHOD, GetUtilisationSeries::ROUTE),
    (
        ExportUtilisationSeries::METHOD,
        ExportUtilisationSeries::ROUTE,
    ),
    (GetCapacityAhead::METHOD, GetCapacityAhead::ROUTE),
    (ExportCapacityAhead::METHOD, ExportCapacityAhead::ROUTE),
    (GetDailyReport::METHOD, GetDailyReport::ROUTE),
    (ApproveDailyReport::METHOD, ApproveDailyReport::ROUTE),
    (ReturnDailyReport::METHOD, ReturnDailyReport::ROUTE),
    (ReopenDailyReport::METHOD, ReopenDailyReport::ROUTE),
    (GetRequestTotals::METHOD, GetRequestTotals::ROUTE),
    (GetDispatchHistory::METHOD, GetDispatchHistory::ROUTE),
    (GetMyDispatchHistory::METHOD, GetMyDispatchHistory::ROUTE),
];

/// Declares an endpoint without parameters, query or body.
macro_rules! plain {
    ($(#[$doc:meta])* $name:ident, $method:ident, $route:literal, $response:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name;
        impl Endpoint for $name {
            const METHOD: Method = Method::$method;
            const ROUTE: &'static str = $route;
            type Body = ();
            type Response = $response;
        }
    };
}

/// Declares an endpoint whose value is its JSON body.
macro_rules! with_body {
    ($(#[$doc:meta])* $name:ident($body:ty), $method:ident, $route:literal, $response:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub $body);
        impl Endpoint for $name {
            const METHOD: Method = Method::$method;
            const ROUTE: &'static str = $route;
            type Body = $body;
            type Response = $response;
            fn payload(&self) -> Payload<'_, $body> {
                Payload::Json(&self.0)
            }
        }
    };
}

/// Declares an endpoint on one record (`{id}`), optionally with a JSON body.
macro_rules! on_id {
    ($(#[$doc:meta])* $name:ident, $method:ident, $route:literal, $response:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            pub id: i64,
        }
        impl Endpoint for $name {
            const METHOD: Method = Method::$method;
            const ROUTE: &'static str = $route;
            type Body = ();
            type Response = $response;
            fn path(&self) -> String {
                Self::ROUTE.replace("{id}", &self.id.to_string())
            }
        }
    };
    ($(#[$doc:meta])* $name:ident($body:ty), $method:ident, $route:literal, $response:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            pub id: i64,
            pub body: $body,
        }
        impl Endpoint for $name {
            const METHOD: Method = Method::$method;
            const ROUTE: &'static str = $route;
            type Body = $body;
            type Response = $response;
            fn path(&self) -> String {
                Self::ROUTE.replace("{id}", &self.id.to_string())
            }
            fn payload(&self) -> Payload<'_, $body> {
                Payload::Json(&self.body)
            }
        }
    };
}

// ── sessions and the caller ──
plain!(
    /// `GET /healthz`: is the server up?
    Ping, Get, "/healthz", Health
);
with_body!(
    Login(LoginRequest),
    Post,
    "/api/v1/sessions",
    SessionCreated
);
plain!(
    /// Ends the session of the token sent.
    Logout, Delete, "/api/v1/sessions/current", Done
);
plain!(
    /// Ends every session of the caller.
    LogoutEverywhere, Delete, "/api/v1/sessions", SessionsRevoked
);
plain!(GetMe, Get, "/api/v1/me", Me);
with_body!(
    ChangeOwnPassword(ChangePasswordRequest),
    Put,
    "/api/v1/me/password",
    Done
);

// ── accounts and organisations ──
/// Accounts, sorted by login.
#[derive(Debug, Clone, Default)]
pub struct ListAccounts {
    pub q: Option<String>,
    pub role: Option<Role>,
}
impl Endpoint for ListAccounts {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/accounts";
    type Body = ();
    type Response = Page<Account>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("per_page", "500".into()), ("sort", "login".into())];
        if let Some(q) = &self.q {
            query.push(("q", q.clone()));
        }
        if let Some(r) = self.role {
            query.push(("role", r.code().into()));
        }
        query
    }
}
with_body!(
    CreateAccount(CreateAccountRequest),
    Post,
    "/api/v1/accounts",
    AccountCreated
);
on_id!(GetAccount, Get, "/api/v1/accounts/{id}", Account);
on_id!(
    DisableAccount,
    Post,
    "/api/v1/accounts/{id}/disable",
    Account
);
on_id!(EnableAccount, Post, "/api/v1/accounts/{id}/enable", Account);
on_id!(
    ResetAccountPassword(ResetPasswordRequest),
    Post,
    "/api/v1/accounts/{id}/password",
    PasswordReset
);

/// Organisations, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct ListOrganisations {
    pub kind: Option<OrgKind>,
}
impl Endpoint for ListOrganisations {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/organisations";
    type Body = ();
    type Response = Page<Organisation>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("per_page", "500".into()), ("sort", "name".into())];
        if let Some(k) = self.kind {
            query.push(("kind", k.code().into()));
        }
        query
    }
}
with_body!(
    CreateOrganisation(CreateOrganisationRequest),
    Post,
    "/api/v1/organisations",
    Organisation
);
on_id!(
    GetOrganisation,
    Get,
    "/api/v1/organisations/{id}",
    Organisation
);
on_id!(
    RenameOrganisation(UpdateOrganisationRequest),
    Patch,
    "/api/v1/organisations/{id}",
    Organisation
);

// ── reference data and the audit log ──
plain!(ListPrefectures, Get, "/api/v1/prefectures", Vec<Prefecture>);

/// Municipalities by name or kana.
#[derive(Debug, Clone, Default)]
pub struct ListMunicipalities {
    pub prefecture: Option<String>,
    pub q: String,
    /// Only cities and special wards (the kinds that run health centres).
    pub cities_only: bool,
}
impl Endpoint for ListMunicipalities {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/municipalities";
    type Body = ();
    type Response = Vec<Municipality>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if self.cities_only {
            query.push(("city_or_ward", "true".into()));
        }
        if let Some(p) = &self.prefecture {
            query.push(("prefecture", p.clone()));
        }
        if !self.q.trim().is_empty() {
            query.push(("q", self.q.clone()));
        }
        query
    }
}
plain!(ListAudit, Get, "/api/v1/audit", Page<AuditEntry>);

// ── registration ──
plain!(
    GetRegistrationTerms,
    Get,
    "/api/v1/registration-terms",
    RegistrationTerms
);
with_body!(
    Register(RegistrationRequest),
    Post,
    "/api/v1/registrations",
    Registered
);
with_body!(
    ClaimInvitation(ClaimRequest),
    Post,
    "/api/v1/registrations/claim",
    Registered
);

// ── the roster ──
/// One page of the roster, filtered and sorted on the server.
#[derive(Debug, Clone)]
pub struct ListMembers {
    pub filter: MemberFilter,
    pub page: u32,
    pub per_page: u32,
    pub sort: &'static str,
    pub order: SortOrder,
}
impl Endpoint for ListMembers {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/members";
    type Body = ();
    type Response = Page<MemberSummary>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = self.filter.to_query();
        query.push(("page", self.page.to_string()));
        query.push(("per_page", self.per_page.to_string()));
        query.push(("sort", self.sort.to_string()));
        query.push(("order", order_code(self.order).into()));
        query
    }
}

fn order_code(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Asc => "asc",
        SortOrder::Desc => "desc",
    }
}

with_body!(
    /// A prefecture enters a professional it manages itself.
    CreateMember(CreateMemberRequest),
    Post,
    "/api/v1/members",
    Member
);

/// The roster as CSV.
#[derive(Debug, Clone)]
pub struct ExportMembers {
    pub filter: MemberFilter,
    pub encoding: CsvEncoding,
}
impl Endpoint for ExportMembers {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/members/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = self.filter.to_query();
        query.push(encoding_query(self.encoding));
        query
    }
}

/// The `encoding` parameter of a CSV export.
pub(crate) fn encoding_query(encoding: CsvEncoding) -> (&'static str, String) {
    let code = match encoding {
        CsvEncoding::Utf8 => "utf8",
        CsvEncoding::Cp932 => "cp932",
    };
    ("encoding", code.to_string())
}

/// A CSV import (all or nothing); `dry_run` checks every row and saves nothing.
#[derive(Debug, Clone)]
pub struct ImportMembers {
    pub csv: std::sync::Arc<Vec<u8>>,
    pub prefecture: Option<String>,
    pub dry_run: bool,
}
impl Endpoint for ImportMembers {
    const METHOD: Method = Method::Post;
    const ROUTE: &'static str = "/api/v1/members/import";
    type Body = ();
    type Response = ImportReport;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("dry_run", self.dry_run.to_string())];
        if let Some(p) = &self.prefecture {
            query.push(("prefecture", p.clone()));
        }
        query
    }
    fn payload(&self) -> Payload<'_, ()> {
        Payload::Csv(&self.csv)
    }
    fn is_read(&self) -> bool {
        self.dry_run
    }
}

on_id!(
    /// One member's full record (an audited read).
    GetMember,
    Get,
    "/api/v1/members/{id}",
    Member
);
on_id!(
    UpdateMemberNotes(UpdateMemberNotesRequest),
    Patch,
    "/api/v1/members/{id}",
    Member
);

/// A prefecture's decision on one membership.
#[derive(Debug, Clone)]
pub struct Decide {
    pub id: i64,
    pub prefecture: String,
    pub body: DecisionRequest,
}
impl Endpoint for Decide {
    const METHOD: Method = Method::Post;
    const ROUTE: &'static str = "/api/v1/members/{id}/memberships/{prefecture_code}";
    type Body = DecisionRequest;
    type Response = DecisionResult;
    fn path(&self) -> String {
        Self::ROUTE
            .replace("{id}", &self.id.to_string())
            .replace("{prefecture_code}", &self.prefecture)
    }
    fn payload(&self) -> Payload<'_, DecisionRequest> {
        Payload::Json(&self.body)
    }
}

on_id!(
    /// A one-time invitation for a prefecture's own professional.
    Invite,
    Post,
    "/api/v1/members/{id}/invitation",
    Invitation
);

// ── the member's own record ──
plain!(GetMyMember, Get, "/api/v1/me/member", Member);
with_body!(
    UpdateMyProfile(UpdateProfileRequest),
    Put,
    "/api/v1/me/member",
    Member
);

/// The member offers (or stops offering) help to one prefecture.
#[derive(Debug, Clone)]
pub struct SetOffer {
    pub prefecture: String,
    pub body: OfferRequest,
}
impl Endpoint for SetOffer {
    const METHOD: Method = Method::Put;
    const ROUTE: &'static str = "/api/v1/me/member/offers/{prefecture_code}";
    type Body = OfferRequest;
    type Response = Member;
    fn path(&self) -> String {
        Self::ROUTE.replace("{prefecture_code}", &self.prefecture)
    }
    fn payload(&self) -> Payload<'_, OfferRequest> {
        Payload::Json(&self.body)
    }
}
with_body!(
    Withdraw(WithdrawalRequest),
    Post,
    "/api/v1/me/member/withdrawal",
    Member
);
with_body!(
    SetMailPreferences(MailPreferencesRequest),
    Put,
    "/api/v1/me/member/mail-preferences",
    Member
);

// ── the inbox ──
/// One page of the caller's inbox, newest first.
#[derive(Debug, Clone)]
pub struct ListInbox {
    pub filter: InboxFilter,
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListInbox {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/inbox";
    type Body = ();
    type Response = Page<InboxMessage>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = self.filter.to_query();
        query.push(("page", self.page.to_string()));
        query.push(("per_page", self.per_page.to_string()));
        query
    }
}
plain!(
    /// How many messages of the caller's are unread.
    CountUnread, Get, "/api/v1/inbox/unread", UnreadCount
);
on_id!(
    /// Marks one message read.
    MarkRead,
    Post,
    "/api/v1/inbox/{id}/read",
    InboxMessage
);

/// Marks every unread message read, or those of one kind.
#[derive(Debug, Clone, Default)]
pub struct MarkAllRead {
    pub kind: Option<crate::NoticeKind>,
}
impl Endpoint for MarkAllRead {
    const METHOD: Method = Method::Post;
    const ROUTE: &'static str = "/api/v1/inbox/read-all";
    type Body = ();
    type Response = ReadAllResult;
    fn query(&self) -> Vec<(&'static str, String)> {
        self.kind
            .map(|k| vec![("kind", k.code().to_string())])
            .unwrap_or_default()
    }
}

// ── the e-mail outbox ──
/// One page of the outbox in the caller's scope, newest first.
#[derive(Debug, Clone)]
pub struct ListOutbox {
    pub filter: crate::api::OutboxFilter,
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListOutbox {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/outbox";
    type Body = ();
    type Response = Page<crate::api::OutboxMessage>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(s) = self.filter.status {
            query.push(("status", s.code().to_string()));
        }
        if let Some(k) = self.filter.kind {
            query.push(("kind", k.code().to_string()));
        }
        query.push(("page", self.page.to_string()));
        query.push(("per_page", self.per_page.to_string()));
        query
    }
}
plain!(
    /// Messages in each state, in the caller's scope.
    CountOutbox, Get, "/api/v1/outbox/counts", crate::api::OutboxCounts
);
on_id!(
    /// Queues a failed message again.
    RetryMail,
    Post,
    "/api/v1/outbox/{id}/retry",
    crate::api::OutboxMessage
);

// ── bulk mail and the newsletter ──
with_body!(
    /// How many members a bulk mail would reach, and the message as they would read it.
    PreviewBulkMail(crate::api::BulkMailDraft),
    Post,
    "/api/v1/bulk-mails/preview",
    crate::api::MailPreview
);
with_body!(
    /// Sends a bulk mail (once per idempotency key); answers its record.
    SendBulkMail(crate::api::BulkMailRequest),
    Post,
    "/api/v1/bulk-mails",
    crate::api::BulkMail
);
/// The bulk mails sent in the caller's scope, newest first.
#[derive(Debug, Clone)]
pub struct ListBulkMails {
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListBulkMails {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/bulk-mails";
    type Body = ();
    type Response = Page<crate::api::BulkMail>;
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("page", self.page.to_string()),
            ("per_page", self.per_page.to_string()),
        ]
    }
}
on_id!(
    /// One bulk mail sent in the caller's scope.
    GetBulkMail,
    Get,
    "/api/v1/bulk-mails/{id}",
    crate::api::BulkMail
);
/// The newsletter issues in the caller's scope, newest first.
#[derive(Debug, Clone)]
pub struct ListNewsletterIssues {
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListNewsletterIssues {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/newsletter/issues";
    type Body = ();
    type Response = Page<crate::api::NewsletterIssue>;
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("page", self.page.to_string()),
            ("per_page", self.per_page.to_string()),
        ]
    }
}
with_body!(
    /// Drafts a newsletter issue.
    CreateNewsletterIssue(crate::api::IssueDraft),
    Post,
    "/api/v1/newsletter/issues",
    crate::api::NewsletterIssue
);
on_id!(
    GetNewsletterIssue,
    Get,
    "/api/v1/newsletter/issues/{id}",
    crate::api::NewsletterIssue
);
on_id!(
    /// Rewrites a draft issue (409 once it was sent).
    UpdateNewsletterIssue(crate::api::IssueDraft),
    Put,
    "/api/v1/newsletter/issues/{id}",
    crate::api::NewsletterIssue
);
on_id!(
    /// How many subscribers the issue would reach, and the message as they would read it.
    PreviewNewsletterIssue,
    Get,
    "/api/v1/newsletter/issues/{id}/preview",
    crate::api::MailPreview
);
on_id!(
    /// Sends a draft issue to its subscribers; a second send answers 409 and reaches nobody.
    SendNewsletterIssue,
    Post,
    "/api/v1/newsletter/issues/{id}/send",
    crate::api::NewsletterIssue
);

/// The live-update stream of the caller's scope, resuming after `last_event_id` (sent as the
/// `Last-Event-ID` header by clients that can).
#[derive(Debug, Clone, Default)]
pub struct StreamEvents {
    pub last_event_id: Option<i64>,
}
impl Endpoint for StreamEvents {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/events";
    type Body = ();
    type Response = EventStream;
    fn query(&self) -> Vec<(&'static str, String)> {
        self.last_event_id
            .map(|id| vec![("last_event_id", id.to_string())])
            .unwrap_or_default()
    }
}

/// Query pairs of a page, plus the given filters when set.
pub(crate) fn paged(
    page: u32,
    per_page: u32,
    filters: &[(&'static str, Option<String>)],
) -> Vec<(&'static str, String)> {
    let mut q = vec![
        ("page", page.to_string()),
        ("per_page", per_page.to_string()),
    ];
    for (key, value) in filters {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            q.push((key, v.clone()));
        }
    }
    q
}

mod dispatch;
mod reports;
mod trainings;
mod utilisation;
pub use dispatch::*;
pub use reports::*;
pub use trainings::*;
pub use utilisation::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_every_parameter() {
        let d = Decide {
            id: 7,
            prefecture: "13".into(),
            body: DecisionRequest {
                decision: crate::api::Decision::Approve,
                reason: None,
            },
        };
        assert_eq!(d.path(), "/api/v1/members/7/memberships/13");
        assert_eq!(GetMember { id: 3 }.path(), "/api/v1/members/3");
        assert!(ROUTES.iter().all(|(_, r)| r.starts_with('/')));
        let mut seen: Vec<_> = ROUTES.iter().map(|(m, r)| (m.as_str(), *r)).collect();
        seen.sort();
        let n = seen.len();
        seen.dedup();
        assert_eq!(seen.len(), n, "a route is listed twice");
    }
}
