//! The demo's dispatch request: Tokyo asks its approved members for three days of help at a
//! health centre (a day slot and an overnight slot each day), most of them answer, and the
//! grid is auto-filled, so the request stands in planning and a newcomer sees a real grid.

use super::roster::tokyo_member_logins;
use super::{err, login};
use crate::api::Client;
use chrono::{Duration, TimeZone};
use color_eyre::eyre::{eyre, Result};
use ouen_shared::api::{AnswerDraft, DispatchDraft, SlotAnswer, SlotSeries, TargetQuery};
use ouen_shared::dispatch::Duty;
use ouen_shared::endpoints::{
    AnswerDispatchRequest, AutoFill, CreateDispatchRequest, GetMyDispatchRequest,
    ListOrganisations, SendDispatchRequest,
};
use ouen_shared::time::{jst, today_jst};
use ouen_shared::{Lang, OrgKind, Profession as P};

/// The health centre the demo's request goes to.
const CENTRE: &str = "多摩府中保健所";

/// Which slots (by index) each answering member can work; those past the list stay silent.
const ANSWERS: &[&[usize]] = &[
    &[0, 2, 4],
    &[0, 1, 2],
    &[1, 3, 5],
    &[0, 2],
    &[2, 3, 4, 5],
    &[],
    &[0, 4],
    &[1, 2, 3],
    &[0, 1, 2, 3, 4, 5],
    &[4, 5],
];

/// Writes, sends, answers and auto-fills the demo's request.
pub(super) async fn seed_dispatch(base: &str) -> Result<()> {
    let tokyo = Client::new(base, Lang::Ja);
    login(&tokyo, super::DEMO_LOGIN).await?;
    let centres = tokyo
        .call(&ListOrganisations {
            kind: Some(OrgKind::HealthCentre),
        })
        .await
        .map_err(err)?;
    let centre = centres
        .items
        .iter()
        .find(|o| o.name == CENTRE)
        .ok_or_else(|| eyre!("the demo's health centre is missing"))?;
    let first = today_jst() + Duration::days(3);
    let deadline = jst()
        .from_local_datetime(
            &(today_jst() + Duration::days(2))
                .and_hms_opt(17, 0, 0)
                .unwrap_or_default(),
        )
        .single()
        .ok_or_else(|| eyre!("no deadline"))?
        .to_utc();
    let series = |start: &str, end: &str, needed: u32, professions: Vec<P>| SlotSeries {
        from: first,
        to: first + Duration::days(2),
        start: start.into(),
        end: end.into(),
        weekdays_only: false,
        needed,
        professions,
    };
    let request = tokyo
        .call(&CreateDispatchRequest(DispatchDraft {
            title: "新型感染症 積極的疫学調査の応援".into(),
            health_centre_id: centre.id,
            duties: vec![Duty::ActiveInvestigation, Duty::HealthObservation],
            other_duty: String::new(),
            answer_deadline: deadline,
            notes:
                "陽性者への聞き取りと健康観察の電話です。初日 8:45 に保健所2階へお越しください。"
                    .into(),
            slots: Vec::new(),
            series: vec![
                series(
                    "09:00",
                    "17:00",
                    2,
                    vec![P::PublicHealthNurse, P::Nurse, P::Doctor],
                ),
                series("22:00", "06:00", 1, vec![P::Nurse, P::PublicHealthNurse]),
            ],
        }))
        .await
        .map_err(err)?;
    tokyo
        .call(&SendDispatchRequest {
            id: request.id,
            body: TargetQuery::default(),
        })
        .await
        .map_err(err)?;

    // Most members answer from their own accounts (the rest stay silent).
    for (member, available) in tokyo_member_logins().iter().zip(ANSWERS) {
        let c = Client::new(base, Lang::Ja);
        login(&c, member).await?;
        let asked = c
            .call(&GetMyDispatchRequest { id: request.id })
            .await
            .map_err(err)?;
        let slots = asked
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| SlotAnswer {
                slot_id: s.id,
                available: available.contains(&i),
                duties: if available.contains(&i) {
                    asked.duties.clone()
                } else {
                    Vec::new()
                },
            })
            .collect();
        c.call(&AnswerDispatchRequest {
            id: request.id,
            body: AnswerDraft {
                slots,
                note: String::new(),
            },
        })
        .await
        .map_err(err)?;
    }
    tokyo
        .call(&AutoFill { id: request.id })
        .await
        .map_err(err)?;
    Ok(())
}
