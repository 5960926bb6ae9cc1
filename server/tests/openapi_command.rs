//! `ouen-server openapi` prints the description of every route (and, by existing, makes cargo
//! build the binary that the end-to-end command-line tests run).

use std::process::Command;

#[test]
fn openapi_command_prints_every_route() {
    let output = Command::new(env!("CARGO_BIN_EXE_ouen-server"))
        .arg("openapi")
        .output()
        .expect("run ouen-server");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/healthz",
        "/api/v1/sessions",
        "/api/v1/accounts/{id}/password",
        "/api/v1/audit",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn a_broken_config_file_is_reported_with_its_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:1\"\n[security]\nsession_ttl_minutes = \"long\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ouen-server"))
        .arg("--config")
        .arg(&path)
        .arg("migrate")
        .output()
        .expect("run ouen-server");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("server.toml") && stderr.contains("line 3"),
        "{stderr}"
    );
}
