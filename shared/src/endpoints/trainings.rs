//! The endpoints of trainings (研修) as their organisers work them.

use super::{paged, Endpoint, Method, Payload};
use crate::api::{
    AttendanceMarks, CompleteParticipants, Completion, DecideApplication, MyTraining, Page,
    Training, TrainingApplication, TrainingCancel, TrainingDraft, TrainingNotified,
    TrainingStatusChange,
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
