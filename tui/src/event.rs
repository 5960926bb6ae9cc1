//! Sources of actions: terminal input on its own thread, and one-shot timers.

use crate::app::Action;
use crossterm::event::{Event, KeyEventKind};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Reads terminal events on a dedicated thread (crossterm's reader blocks) and forwards them.
pub fn spawn_input(tx: UnboundedSender<Action>) {
    std::thread::spawn(move || loop {
        let action = match crossterm::event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Action::Key(k),
            Ok(Event::Key(_)) => continue,
            Ok(Event::Paste(s)) => Action::Paste(s),
            Ok(Event::Mouse(m)) => Action::Mouse(m),
            Ok(Event::Resize(_, _)) => Action::Resize,
            Ok(_) => continue,
            Err(_) => {
                // The terminal is gone (hang-up): ask the application to end.
                let _ = tx.send(Action::ForceQuit);
                return;
            }
        };
        if tx.send(action).is_err() {
            return;
        }
    });
}

/// Sends `action` after `after`.
pub fn timer(tx: &UnboundedSender<Action>, after: Duration, action: Action) {
    let tx = tx.clone();
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async move {
            tokio::time::sleep(after).await;
            let _ = tx.send(action);
        });
    }
}

/// SIGTERM and SIGHUP end the client the normal way, so the terminal is restored.
pub fn spawn_signals(tx: UnboundedSender<Action>) {
    #[cfg(unix)]
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        use tokio::signal::unix::{signal, SignalKind};
        for kind in [SignalKind::terminate(), SignalKind::hangup()] {
            let tx = tx.clone();
            if let Ok(mut s) = signal(kind) {
                handle.spawn(async move {
                    if s.recv().await.is_some() {
                        let _ = tx.send(Action::ForceQuit);
                    }
                });
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tx;
}
