//! Organisations: prefectures, their child cities, health centres, institutions and partners.

use crate::validate::{Checker, Validate};
use crate::{FieldIssue, InstitutionKind, OrgKind, PartnerKind, Problem, Profession};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub prefecture_code: Option<String>,
    /// For cities and special wards: their local-government code.
    pub municipality_code: Option<String>,
    /// The organisation it belongs to (a health centre's prefecture or city).
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub institution_kind: Option<InstitutionKind>,
    pub partner_kind: Option<PartnerKind>,
    /// For professional associations: the professions they represent.
    #[serde(default)]
    pub professions: Vec<Profession>,
    /// How many enabled accounts belong to it.
    pub account_count: i64,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/organisations`: a health centre (by a prefecture or city) or an institution
/// or partner (by the admin).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationRequest {
    pub kind: Option<OrgKind>,
    pub name: String,
    /// For a health centre: the prefecture or city organisation it belongs to (default: the
    /// caller's own organisation).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// For institutions and partners: where they are (nurse centres need it).
    #[serde(default)]
    pub prefecture_code: Option<String>,
    #[serde(default)]
    pub institution_kind: Option<InstitutionKind>,
    #[serde(default)]
    pub partner_kind: Option<PartnerKind>,
    #[serde(default)]
    pub professions: Vec<Profession>,
}

impl Validate for CreateOrganisationRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        c.text("name", &self.name, 1, 200);
        if let Some(p) = &self.prefecture_code {
            c.prefecture("prefecture_code", p);
        }
        match self.kind {
            None => c.add("kind", Problem::Required),
            Some(OrgKind::HealthCentre) => {}
            Some(OrgKind::Institution) => {
                if self.institution_kind.is_none() {
                    c.add("institution_kind", Problem::Required);
                }
                if self.prefecture_code.is_none() {
                    c.add("prefecture_code", Problem::Required);
                }
            }
            Some(OrgKind::Partner) => match self.partner_kind {
                None => c.add("partner_kind", Problem::Required),
                Some(PartnerKind::NurseCentre) if self.prefecture_code.is_none() => {
                    c.add("prefecture_code", Problem::Required)
                }
                Some(PartnerKind::ProfessionalAssociation) if self.professions.is_empty() => {
                    c.add("professions", Problem::Required)
                }
                _ => {}
            },
            Some(_) => c.add(
                "kind",
                Problem::NotAllowed {
                    ja: "この種別の組織は作成できません。",
                    en: "Organisations of this kind cannot be created here.",
                },
            ),
        }
        c.finish()
    }
}

/// `PATCH /api/v1/organisations/{id}`: rename.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationRequest {
    pub name: String,
}

impl Validate for UpdateOrganisationRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        c.text("name", &self.name, 1, 200);
        c.finish()
    }
}

/// Filters of `GET /api/v1/organisations`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrganisationFilter {
    pub q: Option<String>,
    pub kind: Option<OrgKind>,
    pub prefecture_code: Option<String>,
    pub parent_id: Option<i64>,
}
