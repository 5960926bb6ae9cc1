//! `ouen demo`: the real server in-process on a loopback port, a temporary SQLite database
//! (or an empty database the operator names) filled through the real API with Japanese demo
//! data, and the client logged in as the Tokyo prefecture operator.

mod dispatch;
mod roster;

use crate::api::{ApiError, Client};
use color_eyre::eyre::{eyre, Result, WrapErr};
use ouen_shared::api::{CreateAccountRequest, CreateOrganisationRequest, LoginRequest};
use ouen_shared::endpoints::{
    CreateAccount, CreateOrganisation, DisableAccount, ListMunicipalities, Login,
};
use ouen_shared::{Lang, OrgKind, Role};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo2026pass";
/// The account the demo opens with.
pub const DEMO_LOGIN: &str = "tokyo";

/// The running demo: dropping it stops the server and deletes the database.
pub struct Demo {
    pub base_url: String,
    pub token: String,
    server: Option<ouen_server::RunningServer>,
    mail: Option<ouen_server::mail::MailWorker>,
    outbox_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Demo {
    /// Where the demo's e-mails are written, one `.eml` file each (there is no SMTP server).
    pub fn outbox_dir(&self) -> &std::path::Path {
        &self.outbox_dir
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
        if let Some(m) = self.mail.take() {
            m.stop().await;
        }
    }
}

const PREFECTURES: &[(&str, &str, &str)] = &[
    ("13", "tokyo", "佐藤 美咲"),
    ("27", "osaka", "田中 健一"),
    ("14", "kanagawa", "鈴木 陽子"),
    ("01", "hokkaido", "高橋 大輔"),
    ("40", "fukuoka", "伊藤 直子"),
    ("47", "okinawa", "比嘉 さくら"),
];

/// (search text, login, display name, the city's own health centre)
const TOKYO_CITIES: &[(&str, &str, &str, &str)] = &[
    ("八王子市", "hachioji", "中村 真由美", "八王子市保健所"),
    ("渋谷区", "shibuya", "小林 拓也", "渋谷区保健所"),
    ("世田谷区", "setagaya", "加藤 恵", "世田谷保健所"),
    ("町田市", "machida", "吉田 誠", "町田市保健所"),
];

const TOKYO_CENTRES: &[&str] = &[
    "多摩府中保健所",
    "多摩立川保健所",
    "南多摩保健所",
    "西多摩保健所",
    "多摩小平保健所",
    "島しょ保健所",
];

fn err(e: ApiError) -> color_eyre::Report {
    eyre!("{}", e.message(Lang::En))
}

async fn login(client: &Client, login: &str) -> Result<String> {
    client.set_token(None);
    let s = client
        .call(&Login(LoginRequest {
            login: login.into(),
            password: DEMO_PASSWORD.into(),
        }))
        .await
        .map_err(err)?;
    client.set_token(Some(s.token.clone()));
    Ok(s.token)
}

fn account(login: &str, name: &str, role: Role) -> CreateAccountRequest {
    CreateAccountRequest {
        login: login.into(),
        display_name: name.into(),
        role: Some(role),
        password: Some(DEMO_PASSWORD.into()),
        ..Default::default()
    }
}

/// Starts the server and fills it: `database` is an empty database to use instead of a
/// temporary SQLite file.
pub async fn start(database: Option<String>) -> Result<Demo> {
    let dir = tempfile::tempdir().wrap_err("creating a temporary directory")?;
    let db = dir.path().join("demo.db");
    // Bound first, so that the links in the demo's e-mail lead back to this server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut config = ouen_server::Config {
        database_url: database.unwrap_or_else(|| format!("sqlite://{}", db.display())),
        listen: addr.to_string(),
        ..Default::default()
    };
    // Every demo applicant registers from this one address.
    config.roster.registrations_per_address_per_hour = 1_000;
    let state = ouen_server::state_for(config)
        .await
        .map_err(|e| eyre!("starting the demo database: {e}"))?;
    let hash = ouen_server::auth::password::hash(DEMO_PASSWORD.into())
        .await
        .map_err(|e| eyre!("{e}"))?;
    state
        .store
        .create_admin_from_cli("admin", "IHEAT事務局 渡辺 浩", hash)
        .await
        .map_err(|e| eyre!("{e}"))?;
    // E-mail as `ouen-server serve` delivers it without SMTP: `.eml` files.
    let outbox_dir = dir.path().join("outbox");
    let mail = ouen_server::mail::MailWorker::start(
        state.store.clone(),
        state.config.mail.clone(),
        Some(outbox_dir.clone()),
        state.config.public_url(),
    )
    .map_err(|e| eyre!("starting the demo's e-mail: {e}"))?;
    let server = ouen_server::spawn(listener, state)?;
    let base_url = format!("http://{}", server.addr);
    let client = Client::new(&base_url, Lang::Ja);

    // The admin issues the prefecture accounts, all at once.
    login(&client, "admin").await?;
    let mut jobs = Vec::new();
    for (code, login, name) in PREFECTURES {
        let mut req = account(login, name, Role::Prefecture);
        req.prefecture_code = Some((*code).into());
        let c = client.clone();
        jobs.push(tokio::spawn(async move {
            c.call(&CreateAccount(req)).await.map(|_| ())
        }));
    }
    let mut second = account("tokyo-yamamoto", "山本 翔太", Role::Prefecture);
    second.prefecture_code = Some("13".into());
    let c = client.clone();
    jobs.push(tokio::spawn(async move {
        c.call(&CreateAccount(second)).await.map(|_| ())
    }));
    for j in jobs {
        j.await?.map_err(err)?;
    }

    // Tokyo issues its cities' accounts and registers its health centres.
    let token = login(&client, DEMO_LOGIN).await?;
    let mut jobs = Vec::new();
    for (search, login, name, centre) in TOKYO_CITIES {
        let c = client.clone();
        jobs.push(tokio::spawn(async move {
            let list = c
                .call(&ListMunicipalities {
                    prefecture: Some("13".into()),
                    q: (*search).into(),
                    cities_only: true,
                })
                .await?;
            let Some(m) = list.iter().find(|m| m.name == *search) else {
                return Ok(());
            };
            let mut req = account(login, name, Role::City);
            req.municipality_code = Some(m.code.clone());
            let a = c.call(&CreateAccount(req)).await?;
            c.call(&CreateOrganisation(CreateOrganisationRequest {
                kind: Some(OrgKind::HealthCentre),
                name: (*centre).into(),
                parent_id: Some(a.account.organisation_id),
                ..Default::default()
            }))
            .await?;
            Ok::<(), ApiError>(())
        }));
    }
    for name in TOKYO_CENTRES {
        let c = client.clone();
        jobs.push(tokio::spawn(async move {
            c.call(&CreateOrganisation(CreateOrganisationRequest {
                kind: Some(OrgKind::HealthCentre),
                name: (*name).into(),
                ..Default::default()
            }))
            .await
            .map(|_| ())
        }));
    }
    for j in jobs {
        j.await?.map_err(err)?;
    }
    // A retired account, disabled, so the list shows both states.
    let mut old = account("machida-old", "旧担当 岡田 修", Role::City);
    if let Ok(list) = client
        .call(&ListMunicipalities {
            prefecture: Some("13".into()),
            q: "町田市".into(),
            cities_only: true,
        })
        .await
    {
        if let Some(m) = list.first() {
            old.municipality_code = Some(m.code.clone());
            if let Ok(a) = client.call(&CreateAccount(old)).await {
                client
                    .call(&DisableAccount { id: a.account.id })
                    .await
                    .map_err(err)?;
            }
        }
    }
    roster::seed_roster(&base_url).await?;
    dispatch::seed_dispatch(&base_url).await?;
    Ok(Demo {
        base_url,
        token,
        server: Some(server),
        mail: Some(mail),
        outbox_dir,
        _dir: dir,
    })
}
