//! `:export` against a real server: the roster is written to disk readable by its owner only,
//! and an existing file is kept unless the operator said to replace it.

use ouen::api::files::Existing;
use ouen::api::Client;
use ouen::app::jobs::{DownloadTo, Written};
use ouen::app::net::{Net, NetEvent};
use ouen_shared::api::{CsvEncoding, MemberFilter};
use ouen_shared::endpoints::ExportMembers;
use ouen_shared::Lang;
use ouen_tests::TestServer;
use serde_json::json;
use std::path::Path;

/// Runs the export job through the client's network and waits for its answer.
async fn export(client: &Client, path: &Path, existing: Existing) -> Result<Written, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let net = Net::new(client.clone(), move |event| {
        if let NetEvent::Answer(a) = event {
            let _ = tx.send(a);
        }
    });
    let pending = net.job(DownloadTo {
        endpoint: ExportMembers {
            filter: MemberFilter::default(),
            encoding: CsvEncoding::Utf8,
        },
        path: path.to_path_buf(),
        existing,
    });
    let mut answer = rx.recv().await.expect("an answer");
    match pending.claim(&mut answer).expect("this job's answer") {
        Ok(w) => Ok(w),
        Err(e) => Err(format!("{}|{}", e.is_existing_file(), e.message(Lang::En))),
    }
}

#[tokio::test]
async fn the_roster_is_written_owner_only_and_never_over_a_file_unasked() {
    let server = TestServer::start().await;
    let admin = server.admin("admin").await;
    let (_, tokyo) = server
        .issue(
            &admin,
            json!({"login": "tokyo", "display_name": "佐藤 美咲", "role": "prefecture",
                   "prefecture_code": "13"}),
        )
        .await;
    let client = Client::new(&server.base, Lang::Ja);
    client.set_token(Some(tokyo));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("roster.csv");

    let written = export(&client, &path, Existing::Keep)
        .await
        .expect("written");
    let bytes = std::fs::read(&path).expect("the file");
    assert_eq!(written.bytes, bytes.len() as u64);
    assert!(!bytes.is_empty(), "at least the header row");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "personal data for the owner only");
    }

    // Again without leave: refused at once, the file as it was.
    std::fs::write(&path, b"kept").expect("overwrite for the test");
    let refused = export(&client, &path, Existing::Keep)
        .await
        .expect_err("kept");
    assert!(refused.starts_with("true|"), "{refused}");
    assert_eq!(std::fs::read(&path).expect("the file"), b"kept");

    // With leave: replaced, still owner only.
    export(&client, &path, Existing::Replace)
        .await
        .expect("replaced");
    assert_eq!(std::fs::read(&path).expect("the file"), bytes);
}
