//! The endpoints of trainings (研修) as their organisers work them.

use super::{paged, Endpoint, Method, Payload};
use crate::api::{Page, Training, TrainingCancel, TrainingDraft, TrainingNotified};
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
