//! Organisations, read and changed within the caller's scope.

use super::audit::{write_audit, NewEntry};
use super::sql::{bind_args, fetch_page, PagedSql, Sql};
use super::{in_write, on_read, Store};
use crate::error::ApiError;
use crate::scope::{Actor, Scope};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    CreateOrganisationRequest, Organisation, OrganisationFilter, Page, PageQuery,
};
use ouen_shared::text::{escape_like, fold};
use ouen_shared::{InstitutionKind, OrgKind, PartnerKind, Problem, Profession, Role};

const COLUMNS: &str = "o.id, o.kind, o.name, o.prefecture_code, o.municipality_code, o.parent_id, p.name AS parent_name, \
     o.institution_kind, o.partner_kind, o.professions, \
     (SELECT COUNT(*) FROM accounts a WHERE a.organisation_id = o.id AND a.disabled_at IS NULL) AS account_count, o.created_at";
/// The same for a member, whose organisation holds every member: it counts only itself, so
/// the size of the bank does not leak.
const MEMBER_COLUMNS: &str = "o.id, o.kind, o.name, o.prefecture_code, o.municipality_code, o.parent_id, p.name AS parent_name, \
     o.institution_kind, o.partner_kind, o.professions, CAST(1 AS BIGINT) AS account_count, o.created_at";

fn columns(actor: &Actor) -> &'static str {
    if actor.role == Role::Member {
        MEMBER_COLUMNS
    } else {
        COLUMNS
    }
}
const FROM: &str = "FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id";

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    kind: String,
    name: String,
    prefecture_code: Option<String>,
    municipality_code: Option<String>,
    parent_id: Option<i64>,
    parent_name: Option<String>,
    institution_kind: Option<String>,
    partner_kind: Option<String>,
    professions: String,
    account_count: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = ApiError;
    fn try_from(r: OrganisationRow) -> Result<Self, ApiError> {
        Ok(Organisation {
            id: r.id,
            kind: OrgKind::from_code(&r.kind)
                .ok_or_else(|| ApiError::Internal(format!("unknown kind {}", r.kind)))?,
            name: r.name,
            prefecture_code: r.prefecture_code,
            municipality_code: r.municipality_code,
            parent_id: r.parent_id,
            parent_name: r.parent_name,
            institution_kind: r
                .institution_kind
                .as_deref()
                .and_then(InstitutionKind::from_code),
            partner_kind: r.partner_kind.as_deref().and_then(PartnerKind::from_code),
            professions: r
                .professions
                .split(',')
                .filter_map(Profession::from_code)
                .collect(),
            account_count: r.account_count,
            created_at: r.created_at,
        })
    }
}

impl Store {
    /// Lists the organisations the actor can see.
    pub async fn list_organisations(
        &self,
        actor: &Actor,
        filter: &OrganisationFilter,
        page: &PageQuery,
    ) -> Result<Page<Organisation>, ApiError> {
        let column = match page
            .sort_column(&["name", "kind", "prefecture", "created_at"])
            .map_err(|i| ApiError::Invalid(vec![i]))?
        {
            "name" => "o.name_fold",
            "kind" => "o.kind",
            "prefecture" => "o.prefecture_code",
            _ => "o.created_at",
        };
        let mut filters = Sql::new(" WHERE ");
        actor.push_org_visibility(&mut filters, "o");
        if let Some(q) = filter.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
            filters
                .push(" AND o.name_fold LIKE ")
                .arg(format!("%{}%", escape_like(&q)))
                .push(" ESCAPE '\\'");
        }
        if let Some(kind) = filter.kind {
            filters.push(" AND o.kind = ").arg(kind.code());
        }
        if let Some(p) = &filter.prefecture_code {
            filters.push(" AND o.prefecture_code = ").arg(p.as_str());
        }
        if let Some(parent) = filter.parent_id {
            filters.push(" AND o.parent_id = ").arg(parent);
        }
        let order = page.order.unwrap_or_default().sql();
        let paged = PagedSql::new(
            columns(actor),
            FROM,
            filters,
            &format!("{column} {order}, o.id {order}"),
            page,
        );
        let (total, rows): (i64, Vec<OrganisationRow>) = fetch_page!(self, paged);
        let items = rows
            .into_iter()
            .map(Organisation::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One organisation, or `NotFound` when it does not exist or is outside the actor's scope.
    pub async fn get_organisation(&self, actor: &Actor, id: i64) -> Result<Organisation, ApiError> {
        let mut sql = Sql::new(&format!("SELECT {} {FROM} WHERE o.id = ", columns(actor)));
        sql.arg(id).push(" AND ");
        actor.push_org_visibility(&mut sql, "o");
        let row: Option<OrganisationRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)?.try_into()
    }

    /// Creates a health centre (prefecture, city or admin) or an institution or partner (admin).
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        request: &CreateOrganisationRequest,
    ) -> Result<Organisation, ApiError> {
        if !actor.may_write() {
            return Err(ApiError::Forbidden);
        }
        let kind = request
            .kind
            .ok_or_else(|| ApiError::invalid("kind", Problem::Required))?;
        let (parent_id, prefecture_code) = match kind {
            OrgKind::HealthCentre => {
                if !matches!(actor.role, Role::Admin | Role::Prefecture | Role::City) {
                    return Err(ApiError::Forbidden);
                }
                let parent_id = request.parent_id.unwrap_or(actor.organisation_id);
                let parent =
                    self.get_organisation(actor, parent_id)
                        .await
                        .map_err(|e| match e {
                            ApiError::NotFound => {
                                ApiError::invalid("parent_id", Problem::OutsideScope)
                            }
                            other => other,
                        })?;
                if !matches!(parent.kind, OrgKind::Prefecture | OrgKind::City) {
                    return Err(ApiError::invalid(
                        "parent_id",
                        Problem::NotAllowed {
                            ja: "保健所は都道府県または保健所設置市・特別区に属します。",
                            en: "A health centre belongs to a prefecture or a city / special ward.",
                        },
                    ));
                }
                (Some(parent.id), parent.prefecture_code)
            }
            OrgKind::Institution | OrgKind::Partner => {
                if actor.role != Role::Admin {
                    return Err(ApiError::Forbidden);
                }
                (None, request.prefecture_code.clone())
            }
            _ => return Err(ApiError::Forbidden),
        };
        let name = request.name.trim().to_string();
        let professions: Vec<&str> = request.professions.iter().map(|p| p.code()).collect();
        let at = super::now();
        let id: i64 = in_write!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (kind, name, name_fold, prefecture_code, parent_id, institution_kind, partner_kind, professions, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(kind.code())
            .bind(name.as_str())
            .bind(fold(&name))
            .bind(prefecture_code.as_deref())
            .bind(parent_id)
            .bind(request.institution_kind.map(|k| k.code()))
            .bind(request.partner_kind.map(|k| k.code()))
            .bind(professions.join(","))
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let entry = NewEntry::by(actor, "organisation.create", "organisation", id)
                .detail(serde_json::json!({ "kind": kind.code(), "name": name, "parent_id": parent_id }));
            write_audit!(tx, entry);
            id
        });
        self.get_organisation(actor, id).await
    }

    /// Renames a health centre, institution or partner the actor manages.
    pub async fn rename_organisation(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
    ) -> Result<Organisation, ApiError> {
        let current = self.get_organisation(actor, id).await?;
        let allowed = actor.may_write()
            && match current.kind {
                OrgKind::HealthCentre => matches!(
                    actor.scope(),
                    Scope::Everything | Scope::Prefecture(_) | Scope::City { .. }
                ),
                OrgKind::Institution | OrgKind::Partner => actor.role == Role::Admin,
                _ => false,
            };
        if !allowed {
            return Err(ApiError::Forbidden);
        }
        let name = name.trim().to_string();
        in_write!(self, tx => {
            sqlx::query("UPDATE organisations SET name = $1, name_fold = $2 WHERE id = $3")
                .bind(name.as_str())
                .bind(fold(&name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let entry = NewEntry::by(actor, "organisation.update", "organisation", id)
                .detail(serde_json::json!({ "name": { "from": current.name, "to": name } }));
            write_audit!(tx, entry);
        });
        self.get_organisation(actor, id).await
    }
}
