//! The live-update stream `GET /api/v1/events` read frame by frame, each frame with a timeout,
//! so tests wait on what the server sends and never on the clock.

use crate::TestServer;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// How long one frame may take before the test fails.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(15);

/// One item of a stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Comment(String),
    Event { id: i64, event: String, data: Value },
}

/// An open stream, read frame by frame.
pub struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub async fn open(server: &TestServer, token: &str, last_event_id: Option<&str>) -> Stream {
        let response = request(server, token, last_event_id).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let mut stream = Stream {
            response,
            buffer: String::new(),
        };
        // The first frame tells the subscription is in place.
        assert_eq!(stream.next().await, Some(Item::Comment("connected".into())));
        stream
    }

    /// The next item; `None` when the stream ended.
    pub async fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                return Some(parse(&block));
            }
            let chunk = tokio::time::timeout(FRAME_TIMEOUT, self.response.chunk())
                .await
                .expect("a frame in time")
                .expect("the stream reads");
            match chunk {
                Some(bytes) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                None => return None,
            }
        }
    }

    /// The next event, skipping keep-alive comments.
    pub async fn next_event(&mut self) -> (i64, String, Value) {
        loop {
            match self.next().await.expect("an event before the stream ends") {
                Item::Event { id, event, data } => return (id, event, data),
                Item::Comment(_) => {}
            }
        }
    }
}

pub fn parse(block: &str) -> Item {
    let mut id = None;
    let mut event = String::new();
    let mut data = String::new();
    for line in block.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix(':') {
            return Item::Comment(comment.trim().to_string());
        }
        let (field, value) = line.split_once(": ").unwrap_or((line, ""));
        match field {
            "id" => id = value.parse().ok(),
            "event" => event = value.to_string(),
            "data" => data.push_str(value),
            other => panic!("unexpected field {other} in {block:?}"),
        }
    }
    let data: Value = serde_json::from_str(&data).expect("JSON data");
    let id = id.expect("every event has an id");
    assert_eq!(data["id"], id, "the data's id is the frame's");
    assert_eq!(
        data["kind"],
        event.as_str(),
        "the data's kind is the frame's"
    );
    Item::Event { id, event, data }
}

/// Opens the stream as `token`, resuming after `last` when given; answers the raw response.
pub async fn request(server: &TestServer, token: &str, last: Option<&str>) -> reqwest::Response {
    let mut r = server
        .http
        .get(format!("{}/api/v1/events", server.base))
        .bearer_auth(token);
    if let Some(last) = last {
        r = r.header("Last-Event-ID", last);
    }
    r.send().await.expect("HTTP request")
}
