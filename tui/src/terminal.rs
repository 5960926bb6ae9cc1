//! Entering and leaving the full-screen terminal, on every path: normal exit, error, panic.

use color_eyre::eyre::Result;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{stdout, Stdout};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped.
pub struct Guard {
    mouse: bool,
}

/// Switches to raw mode and the alternate screen.
pub fn enter(mouse: bool) -> Result<(Term, Guard)> {
    enable_raw_mode()?;
    let guard = Guard { mouse };
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}

/// Leaves the alternate screen, shows the cursor and ends raw mode (each step is tried even
/// when an earlier one fails).
pub fn restore(mouse: bool) {
    if mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore(self.mouse);
    }
}

/// Installs color-eyre's error report and a panic hook that restores the terminal before the
/// panic is reported.
pub fn install_hooks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default()
            .display_env_section(false)
            .into_hooks();
        let _ = eyre_hook.install();
        let panic_hook = panic_hook.into_panic_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Mouse capture off too, in case it was on.
            restore(true);
            panic_hook(info);
        }));
    });
}

/// Puts text on the clipboard of the operator's terminal with OSC 52 (works over SSH).
pub fn copy_osc52(text: &str) {
    let _ = execute!(
        stdout(),
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
    );
}
