//! Roles, kinds of organisation and professions, each with Japanese and English labels.

use crate::Lang;

/// Defines a string-backed enum with a stable snake_case code and labels in both languages.
///
/// The code is taken as a `tt`, not a `literal`: a `literal` fragment reaches derive macros
/// wrapped in an invisible group, which serde reads but utoipa silently skips, so the OpenAPI
/// schema would list the Rust variant names instead of the codes on the wire.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:tt, $ja:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code stored in the database and used in the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses a stable code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The label in the given language.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($ja, $en),)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum! {
    /// The role of an account; every account has exactly one.
    Role {
        /// Ministry of Health: reads everything nationwide, changes nothing.
        National = "national", "厚生労働省", "National (Ministry)";
        /// The association that runs the system.
        Admin = "admin", "事務局", "Administrator";
        /// One of the 47 prefectures.
        Prefecture = "prefecture", "都道府県", "Prefecture";
        /// A health-centre-operating city or special ward under a prefecture.
        City = "city", "保健所設置市・特別区", "City / special ward";
        /// A registered professional.
        Member = "member", "登録者", "Member";
        /// A hospital, clinic or health centre posting openings.
        Institution = "institution", "医療機関等", "Institution";
        /// A distribution partner reading postings in its scope.
        Partner = "partner", "連携機関", "Partner";
    }
}

impl Role {
    /// The rank used for "nobody creates an account above its own level": higher is broader.
    pub fn level(self) -> u8 {
        match self {
            Role::Admin => 5,
            Role::National => 4,
            Role::Prefecture => 3,
            Role::City => 2,
            Role::Institution | Role::Partner => 1,
            Role::Member => 0,
        }
    }

    /// Whether this role may change data at all (the ministry only reads).
    pub fn may_write(self) -> bool {
        !matches!(self, Role::National)
    }

    /// The kind of organisation an account of this role belongs to.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Role::National => OrgKind::National,
            Role::Admin => OrgKind::Admin,
            Role::Prefecture => OrgKind::Prefecture,
            Role::City => OrgKind::City,
            Role::Member => OrgKind::Members,
            Role::Institution => OrgKind::Institution,
            Role::Partner => OrgKind::Partner,
        }
    }
}

labelled_enum! {
    /// The kind of an organisation.
    OrgKind {
        National = "national", "国", "National";
        Admin = "admin", "運営事務局", "Operating association";
        Prefecture = "prefecture", "都道府県", "Prefecture";
        City = "city", "保健所設置市・特別区", "City / special ward";
        HealthCentre = "health_centre", "保健所", "Health centre";
        Institution = "institution", "医療機関等", "Institution";
        Partner = "partner", "連携機関", "Partner";
        /// The organisation that holds member (professional) accounts.
        Members = "members", "登録者", "Members";
    }
}

labelled_enum! {
    /// What kind of institution posts openings.
    InstitutionKind {
        Hospital = "hospital", "病院", "Hospital";
        Clinic = "clinic", "診療所", "Clinic";
        HealthCentre = "health_centre", "保健所", "Health centre";
    }
}

labelled_enum! {
    /// What kind of distribution partner an organisation is.
    PartnerKind {
        LabourBureau = "labour_bureau", "労働局・ハローワーク", "Labour bureau / Hello Work";
        ProfessionalAssociation = "professional_association", "職能団体", "Professional association";
        NurseCentre = "nurse_centre", "都道府県ナースセンター", "Prefectural nurse centre";
        RecruitmentAgency = "recruitment_agency", "職業紹介事業者", "Recruitment agency";
    }
}

labelled_enum! {
    /// A health profession (IHEAT and Key-Net together).
    Profession {
        Doctor = "doctor", "医師", "Doctor";
        Dentist = "dentist", "歯科医師", "Dentist";
        Pharmacist = "pharmacist", "薬剤師", "Pharmacist";
        PublicHealthNurse = "public_health_nurse", "保健師", "Public-health nurse";
        Midwife = "midwife", "助産師", "Midwife";
        Nurse = "nurse", "看護師", "Nurse";
        AssistantNurse = "assistant_nurse", "准看護師", "Assistant nurse";
        RegisteredDietitian = "registered_dietitian", "管理栄養士", "Registered dietitian";
        RadiologicalTechnologist = "radiological_technologist", "診療放射線技師", "Radiological technologist";
        ClinicalLaboratoryTechnician = "clinical_laboratory_technician", "臨床検査技師", "Clinical laboratory technician";
        ClinicalEngineer = "clinical_engineer", "臨床工学技士", "Clinical engineer";
        Paramedic = "paramedic", "救急救命士", "Paramedic";
        Clerical = "clerical", "事務職", "Clerical";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(*role));
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.code()));
        }
        assert_eq!(
            Profession::from_code("public_health_nurse"),
            Some(Profession::PublicHealthNurse)
        );
        assert_eq!(Profession::PublicHealthNurse.label(Lang::Ja), "保健師");
        assert_eq!(Role::from_code("root"), None);
    }
}
