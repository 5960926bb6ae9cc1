//! A small parser of server-sent-event frames (the `text/event-stream` format): bytes go in
//! as they arrive, in chunks of any size; whole events come out. Lines end in LF, CR LF or CR;
//! `data:` lines of one event are joined with line feeds; lines starting with `:` are comments
//! (keep-alives); a blank line ends an event; an event without data is dropped, but its `id:`
//! is still remembered, as the format says.

/// One event of the stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    /// The `event:` field; `message` when absent.
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last `id:` seen so far in the stream (what to send back as `Last-Event-ID`).
    pub id: Option<String>,
}

/// Turns the bytes of a stream into [`Frame`]s.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes of a line not ended yet.
    line: Vec<u8>,
    /// The last byte was a CR: a LF right after it ends nothing more.
    after_cr: bool,
    event: String,
    data: Vec<String>,
    last_id: Option<String>,
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// The id of the last event seen.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Feeds bytes; answers the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        for &b in bytes {
            if self.after_cr && b == b'\n' {
                self.after_cr = false;
                continue;
            }
            self.after_cr = b == b'\r';
            if b == b'\n' || b == b'\r' {
                let line = std::mem::take(&mut self.line);
                if let Some(frame) = self.line_ended(&String::from_utf8_lossy(&line)) {
                    out.push(frame);
                }
            } else {
                self.line.push(b);
            }
        }
        out
    }

    fn line_ended(&mut self, line: &str) -> Option<Frame> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let data = std::mem::take(&mut self.data);
            if data.is_empty() {
                return None;
            }
            return Some(Frame {
                event: if event.is_empty() {
                    "message".into()
                } else {
                    event
                },
                data: data.join("\n"),
                id: self.last_id.clone(),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => self.data.push(value.to_string()),
            // An id with a NUL is ignored, as the format says.
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_event_with_its_fields() {
        let mut p = Parser::new();
        let f = p.feed(b"id: 7\nevent: inbox_message\ndata: {\"id\":7}\n\n");
        assert_eq!(
            f,
            vec![Frame {
                event: "inbox_message".into(),
                data: "{\"id\":7}".into(),
                id: Some("7".into()),
            }]
        );
        assert_eq!(p.last_id(), Some("7"));
    }

    #[test]
    fn data_lines_are_joined() {
        let mut p = Parser::new();
        let f = p.feed(b"data: one\ndata:two\ndata\n\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, "one\ntwo\n");
        assert_eq!(f[0].event, "message");
        assert_eq!(f[0].id, None);
    }

    #[test]
    fn comments_and_keep_alives_make_no_event() {
        let mut p = Parser::new();
        assert!(p.feed(b": keep-alive\n\n:\n\n").is_empty());
        let f = p.feed(b": hi\ndata: x\n: between\n\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, "x");
    }

    #[test]
    fn crlf_and_cr_end_lines() {
        let mut p = Parser::new();
        let f = p.feed(b"id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r");
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].data.as_str(), f[0].id.as_deref()), ("a", Some("1")));
        assert_eq!((f[1].data.as_str(), f[1].id.as_deref()), ("b", Some("2")));
    }

    #[test]
    fn chunks_split_anywhere() {
        let stream = b"id: 3\r\nevent: member\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: ka\n\n";
        for cut in 0..stream.len() {
            let mut p = Parser::new();
            let mut frames = p.feed(&stream[..cut]);
            frames.extend(p.feed(&stream[cut..]));
            assert_eq!(frames.len(), 1, "cut at {cut}");
            assert_eq!(frames[0].event, "member");
            assert_eq!(frames[0].data, "{\"a\":\n1}");
            assert_eq!(frames[0].id.as_deref(), Some("3"));
        }
        // One byte at a time.
        let mut p = Parser::new();
        let frames: Vec<Frame> = stream.iter().flat_map(|b| p.feed(&[*b])).collect();
        assert_eq!(frames.len(), 1);
    }

    #[test]
    fn an_id_without_data_is_remembered_and_the_event_dropped() {
        let mut p = Parser::new();
        assert!(p.feed(b"id: 9\nevent: member\n\n").is_empty());
        assert_eq!(p.last_id(), Some("9"));
        let f = p.feed(b"data: x\n\n");
        assert_eq!(f[0].id.as_deref(), Some("9"));
        assert_eq!(f[0].event, "message", "the event name does not carry over");
    }

    #[test]
    fn an_unfinished_event_waits() {
        let mut p = Parser::new();
        assert!(p.feed(b"data: x\n").is_empty());
        assert_eq!(p.feed(b"\n").len(), 1);
    }
}
