//! The event loop: terminal input, network answers and timers, drawn once per batch.

use super::App;
use crate::app::Action;
use crate::{event, terminal};
use color_eyre::eyre::Result;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Runs the full-screen client until the operator quits.
pub async fn run(mut app: App, mut rx: UnboundedReceiver<Action>, mouse: bool) -> Result<()> {
    let (mut terminal, guard) = terminal::enter(mouse)?;
    if let Some(tx) = app.sender() {
        event::spawn_signals(tx.clone());
        event::spawn_input(tx);
    }
    let result = async {
        loop {
            // Drawn once per batch of actions: nothing redraws while nothing happens.
            if std::mem::take(&mut app.redraw) {
                terminal.clear()?;
            }
            terminal.draw(|f| app.draw(f))?;
            if let Some(text) = app.copy.take() {
                terminal::copy_osc52(&text);
            }
            if app.quit {
                return Ok(());
            }
            // No frame timer: wait for something to happen; tick the spinner only while
            // something loads.
            let action = if app.is_loading() {
                tokio::select! {
                    a = rx.recv() => a,
                    _ = tokio::time::sleep(Duration::from_millis(100)) => Some(Action::Tick),
                }
            } else {
                rx.recv().await
            };
            let Some(action) = action else {
                return Ok(());
            };
            app.update(action);
            while let Ok(a) = rx.try_recv() {
                app.update(a);
            }
        }
    }
    .await;
    drop(terminal);
    drop(guard);
    result
}
