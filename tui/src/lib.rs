//! The terminal client of ouen: keyboard-driven, over SSH, Japanese data.
//!
//! Layers, each importing only those below it:
//! - [`api`]: the HTTP client over the schema crate's endpoint table;
//! - [`app`]: what views know of the application: actions, the context, the view and popup
//!   traits, and the network that runs calls on tasks and returns typed answers;
//! - [`ui`]: dialogs every view uses (forms, pickers, confirmations);
//! - [`shell`]: the application itself: tabs, popup stack, login, command line, help;
//! - [`views`]: one folder per tab, listed in the registry ([`tabs`]).

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod event;
pub mod i18n;
pub mod keymap;
pub mod live;
pub mod session;
pub mod shell;
pub mod tabs;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod views;
pub mod widgets;

pub use shell::run;
