//! The ouen HTTP server as a library: the `ouen-server` binary is a thin wrapper, and tests and
//! the client's demo mode start the same server in-process.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod csv_file;
pub mod error;
pub mod honoraria_csv;
pub mod http;
pub mod input;
pub mod live;
pub mod mail;
pub mod openapi;
pub mod planner;
pub mod policy;
pub mod reference;
pub mod roster_csv;
pub mod routes;
pub mod scope;
pub mod state;
pub mod store;
pub mod training_payments_csv;
pub mod utilisation_csv;

pub use app::{router, spawn, state_for, AppState, RunningServer};
pub use config::Config;
pub use store::Store;
