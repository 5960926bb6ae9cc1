//! The login screen. It also takes over when the session expires, leaving the views behind
//! it as they were.

use crate::api::ApiError;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, Registry};
use crate::i18n::T;
use crate::ui::centered;
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::text::{clean, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::api::{LoginRequest, RegistrationTerms, SessionCreated};
use ouen_shared::endpoints::{GetRegistrationTerms, Login as LoginCall};
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
    pending: Option<Pending<SessionCreated>>,
    /// The terms of use, asked for before the registration form opens.
    terms_req: Option<Pending<RegistrationTerms>>,
    pub error: Option<String>,
    /// The error shown says the server cannot be reached.
    offline_error: bool,
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
            offline_error: false,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some() || self.terms_req.is_some()
    }

    /// The server typed in, when it is a URL.
    fn server_url(&mut self, ctx: &Ctx) -> Option<String> {
        let server = self.server.value();
        let server = server.trim();
        let valid = (server.starts_with("http://") || server.starts_with("https://"))
            && reqwest::Url::parse(server).is_ok_and(|u| u.host_str().is_some());
        if valid {
            Some(server.to_string())
        } else {
            self.error = Some(format!(
                "{}: {}",
                T::LoginServer.get(ctx.lang),
                T::BadServerUrl.get(ctx.lang)
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
        self.terms_req = Some(ctx.net.call(GetRegistrationTerms));
    }

    fn field(&mut self, i: usize) -> &mut Input {
        match i {
            0 => &mut self.server,
            1 => &mut self.login,
            _ => &mut self.password,
        }
    }

    /// The server answers again: a message that it cannot be reached is out of date.
    pub fn reconnected(&mut self) {
        if std::mem::take(&mut self.offline_error) {
            self.error = None;
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
        let mut req = LoginRequest {
            login: self.login.value().trim().to_string(),
            password: self.password.value(),
        };
        req.normalize();
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
        self.pending = Some(ctx.net.call(LoginCall(req)));
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

    pub fn answer(
        &mut self,
        answer: &mut Answer,
        registry: &Registry,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if let Some(result) = claim(&mut self.terms_req, answer) {
            return Some(match result {
                Ok(terms) => vec![Action::PushPopup((registry.registration_form)(
                    &terms, ctx.lang,
                ))],
                Err(e) => {
                    self.error = Some(e.message(ctx.lang));
                    Vec::new()
                }
            });
        }
        Some(match claim(&mut self.pending, answer)? {
            Ok(s) => {
                self.password.set_value("");
                vec![Action::LoggedIn(Box::new(s))]
            }
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
                // A refused password is never left in the field to be sent again.
                self.password.set_value("");
                if b.code == ErrorCode::InvalidCredentials {
                    self.focus = 2;
                }
                Vec::new()
            }
            Err(e) => {
                self.offline_error = matches!(e, ApiError::Offline(_));
                self.error = Some(e.message(ctx.lang));
                Vec::new()
            }
        })
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 60, 15);
        crate::ui::clear(frame, r);
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
