//! The outbox worker: claims due e-mails from the store in small batches with a lease, delivers
//! them over SMTP (or writes `.eml` files when no relay is configured) and records the outcome.
//! Temporary failures are retried with exponential backoff and jitter; a permanent refusal (5xx)
//! fails the message at once and marks the member's address bouncing.

use crate::config::{MailConfig, MailTls};
use crate::store::opt_out::{is_opt_out_token, opt_out_footer, opt_out_link};
use crate::store::outbox::ClaimedMail;
use crate::store::{now, Store};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ouen_shared::{Lang, NoticeKind};
use rand::Rng;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::watch;

/// Where messages go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// How one attempt ended.
enum Outcome {
    Sent,
    /// Worth trying again later (4xx, connection or TLS trouble).
    Temporary(String),
    /// Never worth repeating; `bounced` when the receiving server refused the address.
    Permanent {
        error: String,
        bounced: bool,
    },
}

/// A running worker; [`MailWorker::stop`] stops claiming and waits for the batch in flight.
pub struct MailWorker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl MailWorker {
    /// Starts the worker for `store` with `config`; `outbox_dir` is where `.eml` files go when
    /// no SMTP host is set.
    /// `public_url` is the server's base URL for the links messages carry (the opt-out page).
    pub fn start(
        store: Store,
        config: MailConfig,
        outbox_dir: Option<PathBuf>,
        public_url: String,
    ) -> Result<MailWorker, String> {
        if !crate::config::public_url_is_valid(&public_url) {
            return Err(format!("public_url: cannot use {public_url:?} in links"));
        }
        let from: Mailbox = config.from.parse().map_err(|e| format!("mail.from: {e}"))?;
        if let Some(domain) = from.email.to_string().rsplit('@').next() {
            store.set_mail_domain(domain);
        }
        let transport = if config.smtp_host.trim().is_empty() {
            let dir = outbox_dir.ok_or("mail: no SMTP host and no directory for .eml files")?;
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            Transport::Files(dir)
        } else {
            Transport::Smtp(smtp_transport(&config)?)
        };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(store, config, from, transport, public_url, stopped));
        Ok(MailWorker { stop, task })
    }

    /// Stops claiming, lets the batch in flight finish (or hands it back) and returns.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

fn smtp_transport(config: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let host = config.smtp_host.trim();
    let tls = |h: &str| {
        let mut builder = TlsParameters::builder(h.to_string());
        if !config.ca_file.trim().is_empty() {
            let path = config.ca_file.trim();
            let pem = std::fs::read(path).map_err(|e| format!("mail.ca_file {path}: {e}"))?;
            let cert =
                Certificate::from_pem(&pem).map_err(|e| format!("mail.ca_file {path}: {e}"))?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| format!("mail TLS: {e}"))
    };
    let tls = match config.tls {
        MailTls::None => Tls::None,
        MailTls::Starttls => Tls::Required(tls(host)?),
        MailTls::Tls => Tls::Wrapper(tls(host)?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(config.smtp_port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(PoolConfig::new().max_size(config.pool_size));
    if !config.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            config.username.clone(),
            config.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// What every delivery of one worker shares.
struct Context {
    store: Store,
    config: MailConfig,
    from: Mailbox,
    transport: Transport,
    worker: String,
    public_url: String,
}

async fn run(
    store: Store,
    config: MailConfig,
    from: Mailbox,
    transport: Transport,
    public_url: String,
    mut stopped: watch::Receiver<bool>,
) {
    let worker = {
        let mut bytes = [0u8; 8];
        rand::thread_rng().fill(&mut bytes);
        hex::encode(bytes)
    };
    let signal = store.outbox_signal();
    let poll = Duration::from_millis(config.poll_ms);
    let lease = chrono::Duration::seconds(config.lease_seconds as i64);
    // Up to `pool_size` messages go out at once, one per pooled connection.
    let parallel = config.pool_size.max(1) as usize;
    let ctx = std::sync::Arc::new(Context {
        store,
        config,
        from,
        transport,
        worker,
        public_url,
    });
    loop {
        if *stopped.borrow() {
            return;
        }
        let at = now();
        let batch = match ctx
            .store
            .claim_mail(&ctx.worker, ctx.config.batch_size, at, at + lease)
            .await
        {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(error = %e, "claiming e-mail failed");
                Vec::new()
            }
        };
        let full = batch.len() as i64 >= ctx.config.batch_size;
        for (i, chunk) in batch.chunks(parallel).enumerate() {
            if *stopped.borrow() {
                let rest: Vec<i64> = batch[i * parallel..].iter().map(|m| m.id).collect();
                if let Err(e) = ctx.store.release_mail(&rest, &ctx.worker).await {
                    tracing::warn!(error = %e, "releasing e-mail at shutdown failed");
                }
                return;
            }
            let mut sending = tokio::task::JoinSet::new();
            for mail in chunk.iter().cloned() {
                let ctx = ctx.clone();
                sending.spawn(async move {
                    let outcome = deliver(&ctx.from, &ctx.transport, &ctx.public_url, &mail).await;
                    if let Err(e) = record(&ctx.store, &ctx.config, &ctx.worker, &mail, outcome).await {
                        tracing::warn!(error = %e, id = mail.id, "recording an e-mail's outcome failed");
                    }
                });
            }
            while sending.join_next().await.is_some() {}
        }
        if full {
            continue;
        }
        tokio::select! {
            _ = signal.woken() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// `List-Unsubscribe: <https://…/unsubscribe/TOKEN>` (RFC 2369, one-click per RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .into(),
        ))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// The text of a message and, for a kind a member can opt out of, its opt-out link (then also
/// at the end of the text, in the recipient's language).
fn body_and_link(mail: &ClaimedMail, public_url: &str) -> Result<(String, Option<String>), String> {
    let optional = NoticeKind::from_code(&mail.kind).is_some_and(NoticeKind::can_opt_out);
    if !optional {
        return Ok((mail.body.clone() + &answer_footer(mail, public_url), None));
    }
    let token = mail
        .opt_out_token
        .as_deref()
        .filter(|t| is_opt_out_token(t))
        .ok_or("no opt-out token for a message that must carry one")?;
    if !crate::config::public_url_is_valid(public_url.trim_end_matches('/')) {
        return Err("public_url cannot stand in a link".into());
    }
    let link = opt_out_link(public_url, token);
    let lang = Lang::parse(&mail.lang).unwrap_or_default();
    // The footer's link opens the page in the recipient's language (Japanese needs no query).
    let page = match lang {
        Lang::Ja => link.clone(),
        Lang::En => format!("{link}?lang=en"),
    };
    Ok((mail.body.clone() + &opt_out_footer(lang, &page), Some(link)))
}

/// For a message about a dispatch request the member was asked, the lines with its personal
/// link to the answer page (for a seat to report or a report, to that seat's report page), in
/// the recipient's language; nothing for any other message, or when `public_url` cannot stand
/// in a link (the client still takes the answer).
fn answer_footer(mail: &ClaimedMail, public_url: &str) -> String {
    let Some(token) = mail.answer_token.as_deref().filter(|t| is_opt_out_token(t)) else {
        return String::new();
    };
    if !crate::config::public_url_is_valid(public_url.trim_end_matches('/')) {
        return String::new();
    }
    let link = crate::routes::dispatch_answer::answer_link(public_url, token);
    if let Some(seat) = mail.report_assignment {
        let link = crate::routes::report_page::report_link(&link, seat);
        return match Lang::parse(&mail.lang).unwrap_or_default() {
            Lang::Ja => format!("\n\n--\n日報はこちらから（ログイン不要）:\n{link}\nこのリンクはあなた専用です。他の人に転送しないでください。"),
            Lang::En => format!("\n\n--\nFile your report here (no sign-in needed):\n{link}?lang=en\nThis link is yours alone: please do not forward it."),
        };
    }
    match Lang::parse(&mail.lang).unwrap_or_default() {
        Lang::Ja => format!("\n\n--\n回答はこちらから（回答期限まで有効・ログイン不要）:\n{link}\nこのリンクはあなた専用です。他の人に転送しないでください。"),
        Lang::En => format!("\n\n--\nAnswer here (valid until the deadline, no sign-in needed):\n{link}?lang=en\nThis link is yours alone: please do not forward it."),
    }
}

/// The message as sent: UTF-8 plain text, headers from the outbox row. A message of a kind the
/// member can opt out of carries the one-click opt-out headers and a footer with the link;
/// without a well-formed token (and a usable `public_url`) it is not built at all.
fn message(
    from: &Mailbox,
    to: Mailbox,
    mail: &ClaimedMail,
    public_url: &str,
) -> Result<Message, String> {
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .date_now()
        .header(ContentType::TEXT_PLAIN);
    let (body, link) = body_and_link(mail, public_url)?;
    if let Some(link) = link {
        builder = builder
            .header(ListUnsubscribe(link))
            .header(ListUnsubscribePost);
    }
    builder
        .body(body)
        .map_err(|e| format!("building the message: {e}"))
}

async fn deliver(
    from: &Mailbox,
    transport: &Transport,
    public_url: &str,
    mail: &ClaimedMail,
) -> Outcome {
    let optional = NoticeKind::from_code(&mail.kind).is_some_and(NoticeKind::can_opt_out);
    if optional && mail.opted_out {
        // Opted out after the message was queued: honoured all the same.
        return Outcome::Permanent {
            error: "recipient opted out".into(),
            bounced: false,
        };
    }
    let Some(address) = mail.address.as_deref() else {
        return Outcome::Permanent {
            error: "recipient erased".into(),
            bounced: false,
        };
    };
    let Ok(to) = address.parse::<Mailbox>() else {
        return Outcome::Permanent {
            error: "invalid address".into(),
            bounced: false,
        };
    };
    let message = match message(from, to, mail, public_url) {
        Ok(m) => m,
        Err(error) => {
            return Outcome::Permanent {
                error,
                bounced: false,
            }
        }
    };
    match transport {
        Transport::Smtp(smtp) => match smtp.send(message).await {
            Ok(_) => Outcome::Sent,
            Err(e) if e.is_permanent() => Outcome::Permanent {
                error: e.to_string(),
                bounced: true,
            },
            Err(e) => Outcome::Temporary(e.to_string()),
        },
        Transport::Files(dir) => match write_eml(dir, &mail.message_id, &message.formatted()) {
            Ok(()) => Outcome::Sent,
            Err(e) => Outcome::Temporary(e),
        },
    }
}

/// Writes `<dir>/<message id>.eml` atomically: a temporary file renamed into place.
fn write_eml(dir: &std::path::Path, message_id: &str, bytes: &[u8]) -> Result<(), String> {
    let name: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@.-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{name}.eml"));
    let temp = dir.join(format!(".{name}.eml.tmp"));
    std::fs::write(&temp, bytes).map_err(|e| format!("{}: {e}", temp.display()))?;
    std::fs::rename(&temp, &path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The delay before attempt `attempts + 1`: base × 2^(attempts-1), capped, with ±25% jitter.
fn backoff(config: &MailConfig, attempts: i64) -> chrono::Duration {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    let delay = config
        .retry_base_ms
        .saturating_mul(1u64 << exp)
        .min(config.retry_max_ms);
    let jitter = rand::thread_rng().gen_range(0.75..=1.25);
    chrono::Duration::milliseconds((delay as f64 * jitter) as i64)
}

async fn record(
    store: &Store,
    config: &MailConfig,
    worker: &str,
    mail: &ClaimedMail,
    outcome: Outcome,
) -> Result<(), crate::error::ApiError> {
    let at = now();
    match outcome {
        Outcome::Sent => store.mail_sent(mail.id, worker, at).await,
        Outcome::Temporary(error) if mail.attempts < config.max_attempts => {
            tracing::info!(id = mail.id, attempts = mail.attempts, %error, "e-mail deferred");
            store
                .mail_retry(mail.id, worker, &error, at + backoff(config, mail.attempts))
                .await
        }
        Outcome::Temporary(error) => {
            tracing::warn!(id = mail.id, %error, "e-mail given up after its last attempt");
            store.mail_failed(mail.id, worker, &error, false, at).await
        }
        Outcome::Permanent { error, bounced } => {
            tracing::warn!(id = mail.id, %error, "e-mail failed");
            store
                .mail_failed(mail.id, worker, &error, bounced, at)
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let config = MailConfig {
            retry_base_ms: 1000,
            retry_max_ms: 5000,
            ..MailConfig::default()
        };
        let first = backoff(&config, 1).num_milliseconds();
        assert!((750..=1250).contains(&first), "{first}");
        let second = backoff(&config, 2).num_milliseconds();
        assert!((1500..=2500).contains(&second), "{second}");
        let late = backoff(&config, 20).num_milliseconds();
        assert!((3750..=6250).contains(&late), "{late}");
    }

    #[test]
    fn japanese_subjects_are_mime_encoded() {
        let mail = ClaimedMail {
            id: 1,
            member_id: 1,
            kind: "registration_result".into(),
            subject: "東京都への登録が承認されました".into(),
            body: "本文".into(),
            message_id: "<outbox-1@ouen.example.jp>".into(),
            attempts: 1,
            address: Some("a@example.jp".into()),
            lang: "ja".into(),
            opt_out_token: None,
            answer_token: None,
            report_assignment: None,
            opted_out: false,
        };
        let from: Mailbox = "ouen <noreply@ouen.example.jp>".parse().unwrap();
        let to: Mailbox = "a@example.jp".parse().unwrap();
        let text = String::from_utf8(
            message(&from, to, &mail, "https://ouen.example.jp")
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(text.contains("Subject: =?utf-8?b?"), "{text}");
        assert!(
            text.contains("Message-ID: <outbox-1@ouen.example.jp>"),
            "{text}"
        );
    }

    fn mail_of(kind: NoticeKind, lang: &str, token: Option<&str>) -> ClaimedMail {
        ClaimedMail {
            id: 7,
            member_id: 3,
            kind: kind.code().into(),
            subject: "お知らせ".into(),
            body: "本文です。".into(),
            message_id: "<outbox-7@ouen.example.jp>".into(),
            attempts: 1,
            address: Some("a@example.jp".into()),
            lang: lang.into(),
            opt_out_token: token.map(str::to_string),
            answer_token: None,
            report_assignment: None,
            opted_out: false,
        }
    }

    fn formatted(mail: &ClaimedMail, public_url: &str) -> Result<String, String> {
        let from: Mailbox = "ouen <noreply@ouen.example.jp>".parse().unwrap();
        let to: Mailbox = "a@example.jp".parse().unwrap();
        message(&from, to, mail, public_url).map(|m| String::from_utf8(m.formatted()).unwrap())
    }

    /// The decoded text body of a formatted message (lettre writes UTF-8 as base64 or QP).
    fn unfolded(text: &str) -> String {
        text.replace("\r\n ", " ").replace("\r\n\t", " ")
    }

    #[test]
    fn optional_mail_carries_the_one_click_opt_out() {
        let token = "ab".repeat(32);
        let link = format!("https://ouen.example.jp/unsubscribe/{token}");
        for (kind, lang, footer) in [
            (NoticeKind::BulkMail, "ja", "配信停止"),
            (NoticeKind::Newsletter, "en", "To stop receiving"),
        ] {
            let mail = mail_of(kind, lang, Some(&token));
            let text = unfolded(&formatted(&mail, "https://ouen.example.jp/").unwrap());
            assert!(
                text.contains(&format!("List-Unsubscribe: <{link}>\r\n")),
                "{text}"
            );
            assert!(
                text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
                "{text}"
            );
            let (body, carried) = body_and_link(&mail, "https://ouen.example.jp/").unwrap();
            assert_eq!(carried.as_deref(), Some(link.as_str()));
            assert!(body.starts_with("本文です。"), "{body}");
            assert!(body.contains(footer) && body.contains(&link), "{body}");
            assert_eq!(body.contains("?lang=en"), lang == "en", "{body}");
        }
    }

    #[test]
    fn a_dispatch_request_carries_the_members_answer_link() {
        let token = "ef".repeat(32);
        for (lang, words, suffix) in [
            ("ja", "回答はこちら", ""),
            ("en", "Answer here", "?lang=en"),
        ] {
            let mut mail = mail_of(NoticeKind::DispatchRequest, lang, None);
            mail.answer_token = Some(token.clone());
            let (body, link) = body_and_link(&mail, "https://ouen.example.jp/").unwrap();
            assert_eq!(link, None, "no opt-out for a dispatch request");
            let answer = format!("https://ouen.example.jp/dispatch/answer/{token}{suffix}\n");
            assert!(body.contains(words) && body.contains(&answer), "{body}");
            // Without a usable public address, or with a token of another shape, no link.
            assert_eq!(body_and_link(&mail, "not a url").unwrap().0, "本文です。");
            mail.answer_token = Some("<script>".into());
            assert_eq!(
                body_and_link(&mail, "https://ouen.example.jp").unwrap().0,
                "本文です。"
            );
        }
    }

    #[test]
    fn other_mail_carries_no_opt_out() {
        let token = "cd".repeat(32);
        for kind in NoticeKind::ALL.iter().filter(|k| !k.can_opt_out()) {
            let mail = mail_of(*kind, "ja", Some(&token));
            let text = formatted(&mail, "https://ouen.example.jp").unwrap();
            assert!(!text.contains("List-Unsubscribe"), "{kind:?}: {text}");
            let (body, link) = body_and_link(&mail, "https://ouen.example.jp").unwrap();
            assert_eq!((body.as_str(), link), ("本文です。", None), "{kind:?}");
        }
    }

    #[test]
    fn optional_mail_without_a_sound_link_is_not_built() {
        let injected = format!("{}\r\nBcc: x@y.jp", "a".repeat(64));
        for token in [None, Some("short"), Some(injected.as_str())] {
            let mail = mail_of(NoticeKind::BulkMail, "ja", token);
            assert!(
                formatted(&mail, "https://ouen.example.jp").is_err(),
                "{token:?}"
            );
        }
        let mail = mail_of(NoticeKind::BulkMail, "ja", Some(&"ef".repeat(32)));
        assert!(formatted(&mail, "https://a.jp>\r\nBcc: <x@y.jp").is_err());
    }
}
