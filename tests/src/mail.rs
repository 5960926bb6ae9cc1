//! Real parts for the e-mail tests: the `ouen-server` binary as a child process (its outbox
//! worker runs only in `serve`), and an SMTP server on loopback (Python's `aiosmtpd`, with the
//! handler in `tests/smtp_sink.py`) that saves what it receives.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary, built by cargo next to the test executables.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target directory");
    dir.join("ouen-server")
}

/// The Python with `aiosmtpd`: `OUEN_TEST_AIOSMTPD_PYTHON`, else the venv `.ci/run` makes under
/// `target/ci-aiosmtpd`. `None` (the test is skipped with a notice) when neither exists.
pub fn aiosmtpd_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OUEN_TEST_AIOSMTPD_PYTHON") {
        return Some(PathBuf::from(p));
    }
    // Not canonicalised: the venv's `python` is a symlink whose location selects the venv.
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ci-aiosmtpd/bin/python");
    let works = Command::new(&venv)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    works.then_some(venv)
}

/// A loopback port free at the time of asking.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Polls `check` until it answers something or `seconds` pass.
pub fn wait_for<T>(seconds: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An SMTP server on loopback saving each message it accepts in a folder.
pub struct SmtpSink {
    pub port: u16,
    pub folder: tempfile::TempDir,
    child: Child,
    python: PathBuf,
}

impl SmtpSink {
    /// Starts the server; `mode` as in `tests/smtp_sink.py` (`ok`, `550`, `451:N`, `slow:S`).
    pub fn start(python: &Path, mode: &str) -> SmtpSink {
        SmtpSink::start_with(python, mode, &[])
    }

    /// Starts the server with more `aiosmtpd` options (e.g. `--tlscert`/`--tlskey` for
    /// STARTTLS, `--smtpscert`/`--smtpskey` for implicit TLS).
    pub fn start_with(python: &Path, mode: &str, options: &[&str]) -> SmtpSink {
        let folder = tempfile::tempdir().expect("mail folder");
        let port = free_port();
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(options)
            .args(["-c", "smtp_sink.Sink"])
            .arg(folder.path())
            .arg(mode)
            .env("PYTHONPATH", env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        wait_for(20, "aiosmtpd to listen", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        SmtpSink {
            port,
            folder,
            child,
            python: python.to_path_buf(),
        }
    }

    /// The messages received so far, decoded by Python's e-mail parser.
    pub fn received(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.folder.path())
            .expect("mail folder")
            .flatten()
        {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) == Some("json") {
                let text = std::fs::read_to_string(&path).expect("message");
                out.push(serde_json::from_str(&text).expect("message JSON"));
            }
        }
        out
    }

    /// Decodes one `.eml` file the same way.
    pub fn decode(&self, eml: &Path) -> Value {
        decode_with(&self.python, eml)
    }
}

/// Decodes one `.eml` file with Python's e-mail parser.
pub fn decode_with(python: &Path, eml: &Path) -> Value {
    let out = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp_sink.py"))
        .arg("decode")
        .arg(eml)
        .output()
        .expect("decode");
    serde_json::from_slice(&out.stdout).expect("decoded message")
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ouen-server serve` as a child process on a free loopback port.
pub struct ServerProcess {
    pub base: String,
    child: Child,
}

impl ServerProcess {
    /// Starts `serve` over `database_url` with extra `OUEN_…` variables; waits until it listens.
    pub fn start(database_url: &str, env: &[(&str, String)]) -> ServerProcess {
        ServerProcess::start_listening(database_url, "127.0.0.1:0", env)
    }

    /// Starts `serve` on a free loopback port that is also its public address, so the links
    /// in the e-mail it writes lead back to it.
    pub fn start_public(database_url: &str, env: &[(&str, String)]) -> ServerProcess {
        let listen = format!("127.0.0.1:{}", free_port());
        let mut env = env.to_vec();
        env.push(("OUEN_PUBLIC_URL", format!("http://{listen}")));
        ServerProcess::start_listening(database_url, &listen, &env)
    }

    /// Starts `serve` over `database_url` listening on `listen`.
    pub fn start_listening(
        database_url: &str,
        listen: &str,
        env: &[(&str, String)],
    ) -> ServerProcess {
        let mut command = Command::new(server_binary());
        command
            .args(["--database", database_url, "serve", "--listen", listen])
            .env("OUEN_LOG", "info")
            .env("OUEN_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "10000")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let address = crate::listening_address(&mut lines);
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        ServerProcess {
            base: format!("http://{address}"),
            child,
        }
    }

    /// SIGKILL: the process dies at once, whatever it was doing.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("server exit")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The one-click opt-out link of a received message (its `List-Unsubscribe` header), if any.
pub fn opt_out_link(message: &Value) -> Option<String> {
    let value = message["headers"]["List-Unsubscribe"].as_str()?;
    let link = value.trim().strip_prefix('<')?.strip_suffix('>')?;
    Some(link.to_string())
}

/// Follows a message's opt-out link as a mail client does (RFC 8058: a POST of
/// `List-Unsubscribe=One-Click`); answers the status, or `None` for a message without a link.
pub async fn one_click(http: &reqwest::Client, message: &Value) -> Option<reqwest::StatusCode> {
    let link = opt_out_link(message)?;
    let answer = http
        .post(link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click opt-out");
    Some(answer.status())
}

/// The settings pointing the server at `sink` with tiny delays, so tests never wait long.
pub fn smtp_env(sink: &SmtpSink) -> Vec<(&'static str, String)> {
    vec![
        ("OUEN_MAIL_SMTP_HOST", "127.0.0.1".into()),
        ("OUEN_MAIL_SMTP_PORT", sink.port.to_string()),
        ("OUEN_MAIL_TLS", "none".into()),
        ("OUEN_MAIL_POLL_MS", "50".into()),
        ("OUEN_MAIL_RETRY_BASE_MS", "20".into()),
        ("OUEN_MAIL_RETRY_MAX_MS", "200".into()),
        ("OUEN_MAIL_LEASE_SECONDS", "1".into()),
    ]
}

/// The text of a single-part message as written to an `.eml` file (its body decoded from
/// base64 or quoted-printable as its `Content-Transfer-Encoding` says; UTF-8).
pub fn eml_text(raw: &str) -> String {
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .expect("headers and a body");
    let encoding = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-transfer-encoding")
                .then(|| value.trim().to_ascii_lowercase())
        })
        .unwrap_or_default();
    let bytes = match encoding.as_str() {
        "base64" => base64_decode(body),
        "quoted-printable" => quoted_printable_decode(body),
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8(bytes).expect("a UTF-8 body")
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, s)| n | (u32::from(*s) << (18 - 6 * i)));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn quoted_printable_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if bytes[i + 1..].starts_with(b"\n") => i += 2,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).expect("a quoted-printable escape"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Waits (bounded) until the outbox has delivered everything, i.e. written every `.eml` file.
pub async fn drained(server: &crate::TestServer, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let counts = server.get("/api/v1/outbox/counts", token).await;
        assert_eq!(counts.status, reqwest::StatusCode::OK, "{:?}", counts.body);
        if counts.body["queued"] == 0 && counts.body["sending"] == 0 {
            assert_eq!(counts.body["failed"], 0, "{:?}", counts.body);
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the outbox to drain: {:?}",
            counts.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_bodies_decode() {
        let b64 = "Content-Transfer-Encoding: base64\r\n\r\n5Zue562U44Gv44GT44Gh44KJ\r\nOiBodHRwOi8vYS9i\r\n";
        assert_eq!(super::eml_text(b64), "回答はこちら: http://a/b");
        let qp =
            "Content-Transfer-Encoding: quoted-printable\r\n\r\nhttp://a/=\r\nb=3Dc =E5=9B=9E\r\n";
        assert_eq!(super::eml_text(qp), "http://a/b=c 回\r\n");
    }
}
