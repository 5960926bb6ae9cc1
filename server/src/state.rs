//! What every handler can reach: the store, the settings and the reference data.

use crate::config::Config;
use crate::live::Hub;
use crate::reference::Reference;
use crate::store::Store;
use std::sync::Arc;

/// The shared state of a running server; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub reference: Arc<Reference>,
    /// The live-update hub of this instance.
    pub events: Arc<Hub>,
}
