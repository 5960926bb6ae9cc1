//! The `ouen-server` binary as an operator scripts it: `create-admin` reads the password from
//! standard input, `serve` answers on its port, and SIGTERM shuts it down cleanly.

use ouen_tests::TestDatabase;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The server binary, built by cargo next to this test's executable.
fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target directory");
    let binary = dir.join("ouen-server");
    assert!(
        binary.exists(),
        "{} is missing: build the workspace (cargo test --workspace builds it)",
        binary.display()
    );
    binary
}

fn create_admin(database: &str, login: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(server_binary())
        .args(["--database", database, "create-admin", login])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start create-admin");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write password");
    child.wait_with_output().expect("create-admin output")
}

#[tokio::test]
async fn create_admin_then_serve_then_stop_on_sigterm() {
    let database = TestDatabase::create().await;

    let weak = create_admin(&database.url, "jimukyoku", "short");
    assert_eq!(weak.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("password"),
        "{weak:?}"
    );

    let made = create_admin(&database.url, "jimukyoku", "Sup3r-secret-pass");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("created admin account jimukyoku"));

    let again = create_admin(&database.url, "jimukyoku", "Sup3r-secret-pass");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));

    let mut server = Command::new(server_binary())
        .args([
            "--database",
            &database.url,
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("OUEN_LOG", "info")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(server.stderr.take().expect("stderr")).lines();
    let address = ouen_tests::listening_address(&mut lines);
    // Keep draining the log so the server never blocks on a full pipe, and collect it.
    let log =
        std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"));

    let base = format!("http://{address}");
    let http = reqwest::Client::new();
    let health = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let login = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&serde_json::json!({ "login": "jimukyoku", "password": "Sup3r-secret-pass" }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 201);
    let token = login.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    // A forged request id and a refused read: both must show in the log as they are.
    let missing = http
        .get(format!("{base}/api/v1/accounts/999999"))
        .bearer_auth(&token)
        .header("x-request-id", "INJECTED-id")
        .send()
        .await
        .expect("missing account");
    assert_eq!(missing.status(), 404);
    let missing_id = missing.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = server.wait().expect("server exit");
    assert!(
        status.success(),
        "graceful shutdown exits 0, got {status:?}"
    );
    let log = log.join().expect("log thread");
    assert!(log.contains("shutting down"), "{log}");
    // One line per request at the default level, with the route template and status.
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" request ") || l.contains("request refused"))
        .collect();
    let healthz: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("route=/healthz"))
        .collect();
    assert_eq!(healthz.len(), 1, "{log}");
    assert!(
        healthz[0].contains("INFO") && healthz[0].contains("status=200"),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("route=/api/v1/sessions") && l.contains("status=201")),
        "{log}"
    );
    let refused: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("route=/api/v1/accounts/{id}"))
        .collect();
    assert_eq!(refused.len(), 1, "{log}");
    assert!(
        refused[0].contains("WARN") && refused[0].contains("status=404"),
        "{log}"
    );
    assert!(
        refused[0].contains(&format!("request_id={missing_id}")),
        "{log}"
    );
    assert!(
        refused[0].contains("client_request_id=INJECTED-id"),
        "{log}"
    );
    assert!(refused[0].contains("account_id="), "{log}");
    assert!(!log.contains(" request_id=INJECTED"), "{log}");
    assert!(
        !log.contains(&token) && !log.contains("Sup3r-secret-pass"),
        "no secrets in logs:\n{log}"
    );
}
