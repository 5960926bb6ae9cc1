//! Every route × every role, with the status each must answer. The list of routes comes from
//! the served OpenAPI description, so a new route without an entry in the matrix
//! (`ouen_tests::matrix`) fails the test.

use ouen_tests::matrix::{self, ROLES};
use ouen_tests::TestServer;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_route_answers_every_role_as_expected() {
    let server = TestServer::start_with(matrix::configure).await;
    let fixture = matrix::set_up(&server).await;

    let cells = matrix::cells(&fixture);
    let mut failures = Vec::new();
    for cell in &cells {
        for (i, role) in ROLES.iter().enumerate() {
            // A fresh session for every cell, so logouts and resets do not affect the others.
            let token = matrix::token(&server, role).await;
            let answer = matrix::send(&server, cell, role, token.as_deref(), &fixture).await;
            if answer.status.as_u16() != cell.expect[i] {
                failures.push(format!(
                    "{} {} as {role}: expected {}, got {} {}",
                    cell.method, cell.path, cell.expect[i], answer.status, answer.text
                ));
            }
            if answer.status.is_client_error() && cell.path != "/api/openapi.json" {
                // Every error has the standard body.
                let body = answer.json();
                assert!(
                    body["code"].is_string() && body["message"].is_string(),
                    "{} {}: {}",
                    cell.method,
                    cell.path,
                    answer.text
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} unexpected statuses:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The matrix covers exactly the described routes.
    let described = matrix::described_routes(&server).await;
    let mut covered = BTreeSet::new();
    let mut stale = Vec::new();
    for c in cells.iter().filter(|c| c.path != "/api/openapi.json") {
        match matrix::template(&described, &c.method, &c.path) {
            Some(t) => {
                covered.insert(t.to_string());
            }
            None => stale.push(format!("{} {}", c.method, c.path)),
        }
    }
    let missing: Vec<_> = described.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix entries for routes that do not exist: {stale:?}"
    );
}
