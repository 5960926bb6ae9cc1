//! Jobs a view runs through the network that are not one plain call: reading a file to send,
//! and a download written to disk readable by its owner only.

use super::net::{Job, Reporter};
use crate::api::files::{self, Existing};
use crate::api::{ApiError, Client};
use ouen_shared::endpoints::Endpoint;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Reads a local file (to import it).
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub path: PathBuf,
}

impl Job for ReadFile {
    type Output = Arc<Vec<u8>>;
    fn is_read(&self) -> bool {
        true
    }
    async fn run(self, _client: Client, _progress: Reporter) -> Result<Arc<Vec<u8>>, ApiError> {
        files::read(self.path).await
    }
}

/// A download written to `path` with mode 0600; an existing file is kept unless `existing`
/// says to replace it. The file is opened before anything is fetched, so a refusal is at once.
#[derive(Debug, Clone)]
pub struct DownloadTo<E> {
    pub endpoint: E,
    pub path: PathBuf,
    pub existing: Existing,
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
}

impl<E: Endpoint> Job for DownloadTo<E> {
    type Output = Written;
    fn is_read(&self) -> bool {
        true
    }
    async fn run(self, client: Client, progress: Reporter) -> Result<Written, ApiError> {
        let path = self.path.clone();
        let existing = self.existing;
        let open = tokio::task::spawn_blocking(move || files::create_private(&path, existing));
        let mut file = open
            .await
            .map_err(|e| ApiError::Protocol(e.to_string()))??;
        let report = move |done, total| progress.report(done, total);
        let fetched = client.download(&self.endpoint, &report).await;
        let path = self.path.clone();
        let written = tokio::task::spawn_blocking(move || {
            let data = fetched?;
            let io = |e: std::io::Error| ApiError::File {
                path: path.clone(),
                write: true,
                reason: e.to_string(),
            };
            file.write_all(&data)
                .and_then(|()| file.sync_all())
                .map_err(io)?;
            Ok(Written {
                path: path.clone(),
                bytes: data.len() as u64,
            })
        })
        .await
        .map_err(|e| ApiError::Protocol(e.to_string()))?;
        if written.is_err() {
            // Nothing half-written stays behind.
            let _ = tokio::fs::remove_file(&self.path).await;
        }
        written
    }
}
