//! Where an answer from the network goes: the offline probe, the account being fetched, the
//! login screen, the dialogs (topmost first), then the views; nobody else's is dropped.

use super::login::Login;
use super::App;
use crate::api::ApiError;
use crate::app::net::{claim, Answer};
use crate::i18n::T;
use ouen_shared::endpoints::GetMe;

impl App {
    pub(super) fn on_answer(&mut self, mut answer: Answer) {
        if let Some(result) = claim(&mut self.ping, &mut answer) {
            match result {
                Ok(_) => {
                    self.offline = None;
                    self.status = Some((T::BackOnline.get(self.lang).to_string(), false));
                    if self.me_req.is_some() || (self.me.is_none() && self.login.is_none()) {
                        self.me_req = Some(self.net.call(GetMe));
                    } else {
                        self.refresh_all();
                    }
                    for p in &mut self.popups {
                        p.reconnected(self.lang);
                    }
                    if let Some(l) = &mut self.login {
                        l.reconnected();
                    }
                }
                Err(_) => self.go_offline(),
            }
            return;
        }
        match answer.error() {
            Some(ApiError::Offline(_)) => {
                if self.offline.is_none() {
                    self.go_offline();
                }
            }
            None => self.offline = None,
            Some(_) => {}
        }
        let unauthenticated = answer.error().is_some_and(ApiError::is_unauthenticated);
        if let Some(result) = self.me_req.as_ref().and_then(|p| p.claim(&mut answer)) {
            match result {
                Ok(me) => {
                    self.me_req = None;
                    self.open_tabs(me);
                }
                // Asked again when the server is back (the ticket stays meanwhile).
                Err(ApiError::Offline(_)) => {}
                Err(e) => {
                    self.me_req = None;
                    let msg = e.message(self.lang);
                    let mut login = Login::new(&self.net.client.base(), "", false);
                    if !e.is_unauthenticated() {
                        login.error = Some(msg);
                    }
                    self.login = Some(login);
                }
            }
            return;
        }
        let in_login = self.login.is_some();
        if let Some(login) = &mut self.login {
            let ctx = ctx!(self);
            if let Some(actions) = login.answer(&mut answer, self.registry, &ctx) {
                self.push_all(actions);
                return;
            }
        }
        if !in_login && unauthenticated {
            // The session ended: log in again on top of the views, which stay as they are.
            let login = self
                .me
                .as_ref()
                .map(|m| m.login.clone())
                .unwrap_or_default();
            self.login = Some(Login::new(&self.net.client.base(), &login, true));
        }
        let ctx = ctx!(self);
        for p in self.popups.iter_mut().rev() {
            if let Some(actions) = p.answer(&mut answer, &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        for (_, c) in &mut self.tabs {
            if let Some(actions) = c.answer(&mut answer, &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        // Nobody waits for it any more: a stale answer, dropped.
    }
}
