//! The endpoints of the utilisation tables (利活用状況) and their CSV exports.

use super::{encoding_query, Download, Endpoint, Method};
use crate::api::{
    CapacityAhead, CapacityQuery, CsvEncoding, DispatchUtilisation, MemberCount, PeriodQuery,
    SeriesQuery, UtilisationStep,
};

plain!(
    /// Members by prefecture, profession and status, in the caller's scope.
    GetMemberCounts,
    Get,
    "/api/v1/utilisation/members",
    Vec<MemberCount>
);
/// How each prefecture's requests went in a period, in the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct GetDispatchUtilisation(pub PeriodQuery);
impl Endpoint for GetDispatchUtilisation {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/dispatch";
    type Body = ();
    type Response = Vec<DispatchUtilisation>;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(from) = self.0.from {
            query.push(("from", from.to_string()));
        }
        if let Some(to) = self.0.to {
            query.push(("to", to.to_string()));
        }
        query
    }
}
/// The member utilisation table as CSV.
#[derive(Debug, Clone, Default)]
pub struct ExportMemberCounts {
    pub encoding: CsvEncoding,
}
impl Endpoint for ExportMemberCounts {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/members/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![encoding_query(self.encoding)]
    }
}

/// A period's dispatch utilisation table as CSV.
#[derive(Debug, Clone, Default)]
pub struct ExportDispatchUtilisation {
    pub period: PeriodQuery,
    pub encoding: CsvEncoding,
}
impl Endpoint for ExportDispatchUtilisation {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/dispatch/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = GetDispatchUtilisation(self.period.clone()).query();
        query.push(encoding_query(self.encoding));
        query
    }
}

/// The query of a period's series.
fn series_query(q: &SeriesQuery) -> Vec<(&'static str, String)> {
    let mut query = GetDispatchUtilisation(q.period()).query();
    if let Some(interval) = q.interval {
        query.push(("interval", interval.code().to_string()));
    }
    query
}

/// The period cut into weeks or months, in the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct GetUtilisationSeries(pub SeriesQuery);
impl Endpoint for GetUtilisationSeries {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/series";
    type Body = ();
    type Response = Vec<UtilisationStep>;
    fn query(&self) -> Vec<(&'static str, String)> {
        series_query(&self.0)
    }
}

/// The series as CSV.
#[derive(Debug, Clone, Default)]
pub struct ExportUtilisationSeries {
    pub series: SeriesQuery,
    pub encoding: CsvEncoding,
}
impl Endpoint for ExportUtilisationSeries {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/series/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = series_query(&self.series);
        query.push(encoding_query(self.encoding));
        query
    }
}

fn capacity_query(q: &CapacityQuery) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(from) = q.from {
        query.push(("from", from.to_string()));
    }
    if let Some(days) = q.days {
        query.push(("days", days.to_string()));
    }
    query
}

/// Capacity ahead, in the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct GetCapacityAhead(pub CapacityQuery);
impl Endpoint for GetCapacityAhead {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/capacity";
    type Body = ();
    type Response = CapacityAhead;
    fn query(&self) -> Vec<(&'static str, String)> {
        capacity_query(&self.0)
    }
}

/// Capacity ahead as CSV.
#[derive(Debug, Clone, Default)]
pub struct ExportCapacityAhead {
    pub capacity: CapacityQuery,
    pub encoding: CsvEncoding,
}
impl Endpoint for ExportCapacityAhead {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/utilisation/capacity/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = capacity_query(&self.capacity);
        query.push(encoding_query(self.encoding));
        query
    }
}
