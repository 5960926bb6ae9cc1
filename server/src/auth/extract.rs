//! Request extractors: the authenticated [`Actor`] and the request's audit context. Bodies,
//! query strings and path parameters are read by [`crate::input`] (re-exported here).

use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use std::net::SocketAddr;

pub use crate::input::{parse_json, ApiJson, ApiPath, ApiQuery};

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(RequestMeta {
            request_id,
            ip: forwarded.or(peer),
        })
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let meta = RequestMeta::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or(ApiError::Unauthenticated)?;
        let hash = crate::auth::token::hash(token);
        let actor = state
            .store
            .actor_for_session(&hash, crate::store::now(), meta)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        if let Some(slot) = parts
            .extensions
            .get::<crate::http::access_log::AccountSlot>()
        {
            slot.set(actor.account_id);
        }
        Ok(actor)
    }
}
