//! Schema crate of ouen: every request and response type, the enums with their Japanese and
//! English labels, reference data that both sides need, and input validation shared by the
//! server and the terminal client.
//!
//! It depends on serde and chrono only (plus Unicode normalisation for search folding); the
//! `openapi` feature adds schema derives for the server's OpenAPI description.

pub mod api;
pub mod dates;
pub mod dispatch;
pub mod endpoints;
pub mod error;
pub mod holidays;
pub mod lang;
pub mod municipality;
pub mod normalize;
pub mod notice;
pub mod prefecture;
pub mod role;
pub mod roster;
pub mod text;
pub mod time;
pub mod trainings;
pub mod validate;

pub use error::{ErrorBody, ErrorCode, FieldError};
pub use lang::Lang;
pub use notice::NoticeKind;
pub use role::{InstitutionKind, OrgKind, PartnerKind, Profession, Role};
pub use roster::{ExperienceField, HelpWay, Language, MembershipStatus, RegistrationCode};
pub use validate::{FieldIssue, Problem, Validate};
