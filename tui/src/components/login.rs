//! The login screen. It also takes over when the session expires, leaving the views behind
//! it as they were.

use super::{centered, Ctx};
use crate::action::{Action, RequestId};
use crate::api::{ApiError, Reply, Request};
use crate::i18n::T;
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::text::{clean, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::api::LoginRequest;
use ouen_shared::{ErrorCode, Validate};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Login {
    pub server: Input,
    pub login: Input,
    pub password: Input,
    pub focus: usize,
    pub expired: bool,
    /// A dialog opened from here sits on top: no caret on this screen meanwhile.
    pub covered: bool,
    pending: Option<RequestId>,
    /// The terms of use, asked for before the registration form opens.
    terms_req: Option<RequestId>,
    pub error: Option<String>,
}

impl Login {
    pub fn new(server: &str, login: &str, expired: bool) -> Login {
        Login {
            server: Input::with_value(server, false),
            login: Input::with_value(login, false),
            password: Input::new(true),
            focus: if login.is_empty() { 1 } else { 2 },
            expired,
            covered: false,
            pending: None,
            terms_req: None,
            error: None,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some() || self.terms_req.is_some()
    }

    /// The server typed in, when it is a URL.
    fn server_url(&mut self, ctx: &Ctx) -> Option<String> {
        let server = self.server.value();
        let server = server.trim();
        if server.starts_with("http://") || server.starts_with("https://") {
            Some(server.to_string())
        } else {
            self.error = Some(format!(
                "{}: http://… / https://…",
                T::LoginServer.get(ctx.lang)
            ));
            self.focus = 0;
            None
        }
    }

    /// Ctrl-r: registration with the talent bank; the terms in force are fetched first.
    fn register(&mut self, ctx: &Ctx) {
        if self.expired || self.terms_req.is_some() {
            return;
        }
        let Some(server) = self.server_url(ctx) else {
            return;
        };
        ctx.net.client.set_base(&server);
        self.error = None;
        self.terms_req = Some(ctx.net.send(Request::RegistrationTerms));
    }

    fn field(&mut self, i: usize) -> &mut Input {
        match i {
            0 => &mut self.server,
            1 => &mut self.login,
            _ => &mut self.password,
        }
    }

    pub fn paste(&mut self, text: &str) {
        let f = self.focus;
        self.field(f).paste(text);
    }

    fn submit(&mut self, ctx: &Ctx) {
        if self.pending.is_some() {
            return;
        }
        let req = LoginRequest {
            login: self.login.value().trim().to_string(),
            password: self.password.value(),
        };
        if let Err(issues) = req.validate() {
            self.error = issues.first().map(|i| {
                format!(
                    "{}: {}",
                    self.label(&i.field, ctx),
                    i.problem.message(ctx.lang)
                )
            });
            self.focus = if issues.iter().any(|i| i.field == "login") {
                1
            } else {
                2
            };
            return;
        }
        let Some(server) = self.server_url(ctx) else {
            return;
        };
        ctx.net.client.set_base(&server);
        self.error = None;
        self.pending = Some(ctx.net.send(Request::Login(req)));
    }

    fn label(&self, field: &str, ctx: &Ctx) -> &'static str {
        match field {
            "login" => T::LoginId.get(ctx.lang),
            _ => T::Password.get(ctx.lang),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Action> {
        match key.code {
            KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.register(ctx);
            }
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % 3,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + 2) % 3,
            KeyCode::Enter => {
                if self.focus == 2 || (self.focus == 1 && !self.password.is_empty()) {
                    self.submit(ctx);
                } else {
                    self.focus += 1;
                }
            }
            _ => {
                let f = self.focus;
                self.field(f).key(key);
            }
        }
        Vec::new()
    }

    pub fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.terms_req == Some(id) {
            self.terms_req = None;
            return Some(match result {
                Ok(Reply::Terms(t)) => {
                    let form = super::form::Form::new(super::form::Purpose::Register {
                        terms_version: t.version.clone(),
                        terms_url: t.url.clone(),
                    })
                    .with_subject(&format!("{} {}", T::Terms.get(ctx.lang), t.version))
                    .with_note(&format!(
                        "{}: {}",
                        T::Terms.get(ctx.lang),
                        t.url
                    ));
                    vec![Action::PushPopup(Box::new(super::popup::Popup::Form(form)))]
                }
                Ok(_) => Vec::new(),
                Err(e) => {
                    self.error = Some(e.message(ctx.lang));
                    Vec::new()
                }
            });
        }
        if self.pending != Some(id) {
            return None;
        }
        self.pending = None;
        Some(match result {
            Ok(Reply::Session(s)) => {
                self.password.set_value("");
                vec![Action::LoggedIn(s.clone())]
            }
            Ok(_) => Vec::new(),
            Err(ApiError::Server(b)) => {
                self.error = Some(match (b.code, b.retry_after_seconds) {
                    (ErrorCode::Throttled, Some(s)) => format!(
                        "{} ({s}{})",
                        clean(&b.message),
                        ctx.lang
                            .pick("秒後に再試行できます", "s until you can retry")
                    ),
                    _ => clean(&b.message),
                });
                if b.code == ErrorCode::InvalidCredentials {
                    self.password.set_value("");
                    self.focus = 2;
                }
                Vec::new()
            }
            Err(e) => {
                self.error = Some(e.message(ctx.lang));
                Vec::new()
            }
        })
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 60, 15);
        super::clear(frame, r);
        let title = format!(
            " {} — {} ",
            T::AppName.get(ctx.lang),
            T::LoginTitle.get(ctx.lang)
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, ctx.theme.title))
            .border_style(ctx.theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 8 {
            return;
        }
        let lang = ctx.lang;
        let labels = [T::LoginServer, T::LoginId, T::Password];
        let label_w = 14u16;
        let mut y = inner.y;
        if self.expired {
            let text = wrap(T::SessionExpired.get(lang), inner.width as usize);
            for l in text.into_iter().take(2) {
                frame.render_widget(
                    Paragraph::new(Line::styled(l, ctx.theme.error)),
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
                y += 1;
            }
        }
        y += 1;
        let mut cursor = None;
        for (i, label) in labels.iter().enumerate() {
            let style = if i == self.focus {
                ctx.theme.focus
            } else {
                ctx.theme.title
            };
            frame.render_widget(
                Paragraph::new(Span::styled(label.get(lang), style)),
                Rect {
                    y,
                    width: label_w,
                    height: 1,
                    ..inner
                },
            );
            let a = Rect {
                x: inner.x + label_w,
                y,
                width: inner.width.saturating_sub(label_w + 1),
                height: 1,
            };
            if i == self.focus {
                cursor = Some(a);
            } else {
                self.field_ref(i).draw(frame, a, false, ctx.theme);
            }
            y += 2;
        }
        if let Some(e) = &self.error {
            for l in wrap(e, inner.width as usize).into_iter().take(2) {
                frame.render_widget(
                    Paragraph::new(Line::styled(l, ctx.theme.error)),
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
                y += 1;
            }
        } else if self.is_loading() {
            frame.render_widget(
                Paragraph::new(format!(
                    "{} {}",
                    spinner::frame(ctx.tick),
                    if self.terms_req.is_some() {
                        T::Loading
                    } else {
                        T::LoggingIn
                    }
                    .get(lang)
                )),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
        }
        let bottom = inner.y + inner.height - 1;
        if !self.expired {
            frame.render_widget(
                Paragraph::new(Line::styled(T::RegisterHint.get(lang), ctx.theme.dim)),
                Rect {
                    y: bottom - 1,
                    height: 1,
                    ..inner
                },
            );
        }
        frame.render_widget(
            Paragraph::new(Line::styled(T::LoginHint.get(lang), ctx.theme.dim)),
            Rect {
                y: bottom,
                height: 1,
                ..inner
            },
        );
        if let Some(a) = cursor {
            let f = self.focus;
            let covered = self.covered;
            self.field(f).draw(frame, a, !covered, ctx.theme);
        }
    }

    fn field_ref(&mut self, i: usize) -> &mut Input {
        self.field(i)
    }
}
