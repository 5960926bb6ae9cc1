//! The endpoints of trainings (研修) as their organisers work them.

use super::{encoding_query, Download};
use super::{paged, Endpoint, Method, Payload};
use crate::api::{
    AttendanceMarks, CompleteParticipants, Completion, DecideApplication, HonorariumQuery,
    MyTraining, Page, PaymentUpdate, Training, TrainingApplication, TrainingCancel, TrainingDraft,
    TrainingNotified, TrainingPayments, TrainingStatusChange,
};
use crate::trainings::TrainingStatus;

/// The trainings in the caller's scope, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListTrainings {
    pub page: u32,
    pub per_page: u32,
    pub status: Option<TrainingStatus>,
}
impl Endpoint for ListTrainings {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/trainings";
    type Body = ();
    type Response = Page<Training>;
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(
            self.page,
            self.per_page,
            &[("status", self.status.map(|s| s.code().to_string()))],
        )
    }
}
with_body!(
    /// Writes a draft training.
    CreateTraining(TrainingDraft),
    Post,
    "/api/v1/trainings",
    Training
);
on_id!(
    /// One training with its sessions and counts.
    GetTraining,
    Get,
    "/api/v1/trainings/{id}",
    Training
);
on_id!(
    /// Rewrites a training until it is held.
    UpdateTraining(TrainingDraft),
    Put,
    "/api/v1/trainings/{id}",
    Training
);
on_id!(
    /// Publishes a draft training and tells its targets.
    PublishTraining,
    Post,
    "/api/v1/trainings/{id}/publish",
    TrainingNotified
);
on_id!(
    /// Tells the members who became targets since publishing.
    NotifyTrainingTargets,
    Post,
    "/api/v1/trainings/{id}/notify",
    TrainingNotified
);
on_id!(
    /// Calls a training off, telling its applicants.
    CancelTraining(TrainingCancel),
    Post,
    "/api/v1/trainings/{id}/cancel",
    Training
);
on_id!(
    /// The applications to a training.
    ListTrainingApplications,
    Get,
    "/api/v1/trainings/{id}/applications",
    Vec<TrainingApplication>
);

/// Decides an application to a training.
#[derive(Debug, Clone)]
pub struct DecideTrainingApplication {
    pub training_id: i64,
    pub application_id: i64,
    pub decision: DecideApplication,
}
impl Endpoint for DecideTrainingApplication {
    const METHOD: Method = Method::Post;
    const ROUTE: &'static str = "/api/v1/trainings/{id}/applications/{application_id}/decide";
    type Body = DecideApplication;
    type Response = TrainingApplication;
    fn path(&self) -> String {
        format!(
            "/api/v1/trainings/{}/applications/{}/decide",
            self.training_id, self.application_id
        )
    }
    fn payload(&self) -> Payload<'_, DecideApplication> {
        Payload::Json(&self.decision)
    }
}
plain!(
    /// The trainings the signed-in member may see.
    ListMyTrainings,
    Get,
    "/api/v1/me/trainings",
    Vec<MyTraining>
);
on_id!(
    /// The signed-in member applies.
    ApplyTraining,
    Post,
    "/api/v1/me/trainings/{id}/apply",
    MyTraining
);
on_id!(
    /// The signed-in member withdraws.
    WithdrawTraining,
    Post,
    "/api/v1/me/trainings/{id}/withdraw",
    MyTraining
);
on_id!(
    /// Moves a training on (closed, held, completed).
    SetTrainingStatus(TrainingStatusChange),
    Post,
    "/api/v1/trainings/{id}/status",
    Training
);
on_id!(
    /// Records attendance of one session.
    RecordAttendance(AttendanceMarks),
    Post,
    "/api/v1/trainings/{id}/attendance",
    Training
);
on_id!(
    /// Marks participants done and issues their certificate numbers.
    CompleteTrainingParticipants(CompleteParticipants),
    Post,
    "/api/v1/trainings/{id}/completions",
    Completion
);
on_id!(
    /// The honorarium payments of a training.
    ListTrainingPayments,
    Get,
    "/api/v1/trainings/{id}/payments",
    TrainingPayments
);
on_id!(
    /// Makes the honorarium due for the completed participants.
    MakeTrainingPaymentsDue,
    Post,
    "/api/v1/trainings/{id}/payments",
    TrainingPayments
);

/// Records a payment paid, waived or due again.
#[derive(Debug, Clone)]
pub struct UpdateTrainingPayment {
    pub training_id: i64,
    pub payment_id: i64,
    pub update: PaymentUpdate,
}
impl Endpoint for UpdateTrainingPayment {
    const METHOD: Method = Method::Put;
    const ROUTE: &'static str = "/api/v1/trainings/{id}/payments/{payment_id}";
    type Body = PaymentUpdate;
    type Response = TrainingPayments;
    fn path(&self) -> String {
        format!(
            "/api/v1/trainings/{}/payments/{}",
            self.training_id, self.payment_id
        )
    }
    fn payload(&self) -> Payload<'_, PaymentUpdate> {
        Payload::Json(&self.update)
    }
}

/// A period's training honorarium payments as CSV.
#[derive(Debug, Clone, Default)]
pub struct ExportTrainingPayments(pub HonorariumQuery);
impl Endpoint for ExportTrainingPayments {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/training-payments/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(month) = &self.0.month {
            query.push(("month", month.clone()));
        }
        if let Some(year) = self.0.fiscal_year {
            query.push(("fiscal_year", year.to_string()));
        }
        if let Some(member) = self.0.member_id {
            query.push(("member_id", member.to_string()));
        }
        query.push(encoding_query(self.0.encoding.unwrap_or_default()));
        query
    }
}
