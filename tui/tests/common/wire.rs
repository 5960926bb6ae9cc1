//! The calls the client made, read back as one enum a test can match on, and the answers a
//! test gives as one enum that becomes what the client's ticket expects. Only for reading
//! tests: the client itself has one type per endpoint (`ouen_shared::endpoints`).

use ouen::api::ApiError;
use ouen::app::jobs::{DownloadTo, ReadFile, Written};
use ouen::app::net::{Answer, Recorded, RequestId};
use ouen::app::Action;
use ouen_shared::api::*;
use ouen_shared::endpoints as ep;
use std::any::Any;
use std::path::PathBuf;
use std::sync::Arc;

/// A call the client made.
#[derive(Debug, Clone)]
pub enum Request {
    Login(LoginRequest),
    Logout,
    Me,
    Accounts,
    Organisations,
    Municipalities {
        prefecture: Option<String>,
        q: String,
        cities_only: bool,
    },
    Members {
        filter: MemberFilter,
        page: u32,
        per_page: u32,
        sort: &'static str,
        order: SortOrder,
    },
    CreateMember(CreateMemberRequest),
    Member {
        id: i64,
    },
    UpdateNotes {
        id: i64,
        body: UpdateMemberNotesRequest,
    },
    Decide {
        id: i64,
        prefecture: String,
        body: DecisionRequest,
    },
    Invite {
        id: i64,
    },
    Export {
        filter: MemberFilter,
        encoding: CsvEncoding,
        path: PathBuf,
    },
    ReadFile {
        path: PathBuf,
    },
    Import {
        csv: Arc<Vec<u8>>,
        prefecture: Option<String>,
        dry_run: bool,
    },
    MyMember,
    UpdateProfile(UpdateProfileRequest),
    SetOffer {
        prefecture: String,
        body: OfferRequest,
    },
    Withdraw(WithdrawalRequest),
    RegistrationTerms,
    Register(RegistrationRequest),
    ChangeOwnPassword(ChangePasswordRequest),
    Inbox {
        filter: InboxFilter,
        page: u32,
    },
    Unread,
    MarkRead {
        id: i64,
    },
    ReadAll,
    PreviewMail(BulkMailDraft),
    SendMail(BulkMailRequest),
    Mails {
        page: u32,
    },
    Mail {
        id: i64,
    },
    /// Any other call (named by its type).
    /// The dispatch requests in scope.
    Dispatches,
    /// The requests the member was asked.
    MyDispatches,
    Other(String),
}

impl From<&Recorded> for Request {
    fn from(r: &Recorded) -> Request {
        if let Some(ep::Login(b)) = r.get() {
            return Request::Login(b.clone());
        }
        if r.is::<ep::Logout>() {
            return Request::Logout;
        }
        if r.is::<ep::GetMe>() {
            return Request::Me;
        }
        if r.is::<ep::ListAccounts>() {
            return Request::Accounts;
        }
        if r.is::<ep::ListOrganisations>() {
            return Request::Organisations;
        }
        if let Some(m) = r.get::<ep::ListMunicipalities>() {
            return Request::Municipalities {
                prefecture: m.prefecture.clone(),
                q: m.q.clone(),
                cities_only: m.cities_only,
            };
        }
        if let Some(m) = r.get::<ep::ListMembers>() {
            return Request::Members {
                filter: m.filter.clone(),
                page: m.page,
                per_page: m.per_page,
                sort: m.sort,
                order: m.order,
            };
        }
        if let Some(ep::CreateMember(b)) = r.get() {
            return Request::CreateMember(b.clone());
        }
        if let Some(ep::GetMember { id }) = r.get() {
            return Request::Member { id: *id };
        }
        if let Some(ep::UpdateMemberNotes { id, body }) = r.get() {
            return Request::UpdateNotes {
                id: *id,
                body: body.clone(),
            };
        }
        if let Some(d) = r.get::<ep::Decide>() {
            return Request::Decide {
                id: d.id,
                prefecture: d.prefecture.clone(),
                body: d.body.clone(),
            };
        }
        if let Some(ep::Invite { id }) = r.get() {
            return Request::Invite { id: *id };
        }
        if let Some(d) = r.get::<DownloadTo<ep::ExportMembers>>() {
            return Request::Export {
                filter: d.endpoint.filter.clone(),
                encoding: d.endpoint.encoding,
                path: d.path.clone(),
            };
        }
        if let Some(ReadFile { path }) = r.get() {
            return Request::ReadFile { path: path.clone() };
        }
        if let Some(i) = r.get::<ep::ImportMembers>() {
            return Request::Import {
                csv: i.csv.clone(),
                prefecture: i.prefecture.clone(),
                dry_run: i.dry_run,
            };
        }
        if r.is::<ep::GetMyMember>() {
            return Request::MyMember;
        }
        if let Some(ep::UpdateMyProfile(b)) = r.get() {
            return Request::UpdateProfile(b.clone());
        }
        if let Some(o) = r.get::<ep::SetOffer>() {
            return Request::SetOffer {
                prefecture: o.prefecture.clone(),
                body: o.body.clone(),
            };
        }
        if let Some(ep::Withdraw(b)) = r.get() {
            return Request::Withdraw(b.clone());
        }
        if r.is::<ep::GetRegistrationTerms>() {
            return Request::RegistrationTerms;
        }
        if let Some(ep::Register(b)) = r.get() {
            return Request::Register(b.clone());
        }
        if let Some(ep::ChangeOwnPassword(b)) = r.get() {
            return Request::ChangeOwnPassword(b.clone());
        }
        if let Some(l) = r.get::<ep::ListInbox>() {
            return Request::Inbox {
                filter: l.filter.clone(),
                page: l.page,
            };
        }
        if r.is::<ep::CountUnread>() {
            return Request::Unread;
        }
        if let Some(ep::MarkRead { id }) = r.get() {
            return Request::MarkRead { id: *id };
        }
        if r.is::<ep::MarkAllRead>() {
            return Request::ReadAll;
        }
        if let Some(ep::PreviewBulkMail(d)) = r.get() {
            return Request::PreviewMail(d.clone());
        }
        if let Some(ep::SendBulkMail(b)) = r.get() {
            return Request::SendMail(b.clone());
        }
        if let Some(l) = r.get::<ep::ListBulkMails>() {
            return Request::Mails { page: l.page };
        }
        if let Some(ep::GetBulkMail { id }) = r.get() {
            return Request::Mail { id: *id };
        }
        if r.is::<ep::ListDispatchRequests>() {
            return Request::Dispatches;
        }
        if r.is::<ep::ListMyDispatchRequests>() {
            return Request::MyDispatches;
        }
        Request::Other(format!("{r:?}"))
    }
}

/// An answer a test gives.
#[derive(Debug, Clone)]
pub enum Reply {
    Session(Box<SessionCreated>),
    Me(Box<Me>),
    Accounts(Page<Account>),
    Organisations(Page<Organisation>),
    Municipalities(Vec<Municipality>),
    Members(Page<MemberSummary>),
    Member(Box<Member>),
    Decided(Box<DecisionResult>),
    Invitation(Invitation),
    Imported(ImportReport),
    Exported {
        path: PathBuf,
        bytes: u64,
    },
    File(Arc<Vec<u8>>),
    Terms(RegistrationTerms),
    Registered(Registered),
    Inbox(Page<InboxMessage>),
    Unread(UnreadCount),
    Message(Box<InboxMessage>),
    ReadAll(ReadAllResult),
    Preview(MailPreview),
    Mail(Box<BulkMail>),
    Mails(Page<BulkMail>),
    Dispatches(Page<DispatchSummary>),
    MyDispatches(Page<AskedRequest>),
    /// `GET /healthz` answers.
    Healthy,
    Done,
}

impl Reply {
    /// The value the client's ticket expects.
    pub fn into_any(self) -> Box<dyn Any + Send> {
        match self {
            Reply::Session(v) => Box::new(*v),
            Reply::Me(v) => Box::new(*v),
            Reply::Accounts(v) => Box::new(v),
            Reply::Organisations(v) => Box::new(v),
            Reply::Municipalities(v) => Box::new(v),
            Reply::Members(v) => Box::new(v),
            Reply::Member(v) => Box::new(*v),
            Reply::Decided(v) => Box::new(*v),
            Reply::Invitation(v) => Box::new(v),
            Reply::Imported(v) => Box::new(v),
            Reply::Exported { path, bytes } => Box::new(Written { path, bytes }),
            Reply::File(v) => Box::new(v),
            Reply::Terms(v) => Box::new(v),
            Reply::Registered(v) => Box::new(v),
            Reply::Inbox(v) => Box::new(v),
            Reply::Unread(v) => Box::new(v),
            Reply::Message(v) => Box::new(*v),
            Reply::ReadAll(v) => Box::new(v),
            Reply::Preview(v) => Box::new(v),
            Reply::Mail(v) => Box::new(*v),
            Reply::Mails(v) => Box::new(v),
            Reply::Dispatches(v) => Box::new(v),
            Reply::MyDispatches(v) => Box::new(v),
            Reply::Healthy => Box::new(Health {
                status: "ok".into(),
                database: "sqlite".into(),
            }),
            Reply::Done => Box::new(ep::Done),
        }
    }
}

/// The answer to call `id` as the network would deliver it.
pub fn response(id: RequestId, result: Result<Reply, ApiError>) -> Action {
    Action::Answer(Answer::boxed(id, true, result.map(Reply::into_any)))
}
