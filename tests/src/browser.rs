//! A real headless Chromium driven over WebDriver (chromedriver, plain JSON over HTTP), for
//! the server-rendered pages. Without Chromium a test says it skipped; with `CI=true` it fails
//! instead.

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The W3C WebDriver key of an element reference.
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver on a loopback port, ended when dropped.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn found(path: &str) -> bool {
    std::path::Path::new(path).exists()
}

impl Driver {
    /// Starts chromedriver, or `None` (with a notice) when Chromium or chromedriver is missing.
    pub async fn start(test: &str) -> Option<Driver> {
        let (browser, driver) = ("/usr/bin/chromium", "/usr/bin/chromedriver");
        if !found(browser) || !found(driver) {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: CI requires chromium and chromium-driver (see .ci/run)"
            );
            eprintln!("{test}: skipped: no {browser} or {driver}");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        // Ready once its status says so (bounded).
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
            {
                if let Ok(v) = r.json::<Value>().await {
                    if v["value"]["ready"] == json!(true) {
                        break;
                    }
                }
            }
            assert!(Instant::now() < deadline, "chromedriver never became ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(driver)
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("webdriver JSON");
        assert!(answer["value"]["error"].is_null(), "{path}: {answer}");
        answer["value"].clone()
    }

    /// A call whose WebDriver error (e.g. a stale element during navigation) answers `None`.
    pub async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> Option<Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if !body.is_null() {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.ok()?.json().await.ok()?;
        answer["value"]["error"]
            .is_null()
            .then(|| answer["value"].clone())
    }

    /// A headless session with a window of `width` × `height`.
    pub async fn session(&self, width: u32, height: u32) -> String {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                // A phone's viewport (a desktop window cannot be narrower than about 500 px).
                "mobileEmulation": { "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0 } }
            }
        }}});
        let value = self
            .call(reqwest::Method::POST, "/session", Some(caps))
            .await;
        value["sessionId"].as_str().expect("session id").to_string()
    }
}

impl Driver {
    /// The element `css` selects on session `s` (`/session/{id}`).
    pub async fn find(&self, s: &str, css: &str) -> String {
        let found = self
            .call(
                reqwest::Method::POST,
                &format!("{s}/element"),
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {found}"))
            .to_string()
    }

    /// Clicks the element `css` selects.
    pub async fn click(&self, s: &str, css: &str) {
        let element = self.find(s, css).await;
        self.call(
            reqwest::Method::POST,
            &format!("{s}/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// Types `text` into the element `css` selects.
    pub async fn type_into(&self, s: &str, css: &str, text: &str) {
        let element = self.find(s, css).await;
        self.call(
            reqwest::Method::POST,
            &format!("{s}/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Waits (bounded) until the page's source holds `text`, e.g. after a form post loads the
    /// next page; answers the source.
    pub async fn wait_for(&self, s: &str, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let source = self
                .try_call(reqwest::Method::GET, &format!("{s}/source"), Value::Null)
                .await;
            if let Some(source) = source.as_ref().and_then(Value::as_str) {
                if source.contains(text) {
                    return source.to_string();
                }
            }
            assert!(
                Instant::now() < deadline,
                "never showed {text:?}: {source:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
