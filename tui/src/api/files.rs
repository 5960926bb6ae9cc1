//! Local files a call reads from or writes to: a CSV to import, an export. Personal data is
//! written readable by its owner only, and never over an existing file unless asked.

use super::error::ApiError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads a whole file (on a blocking thread).
pub async fn read(path: PathBuf) -> Result<Arc<Vec<u8>>, ApiError> {
    tokio::fs::read(&path)
        .await
        .map(Arc::new)
        .map_err(|e| ApiError::File {
            path,
            write: false,
            reason: e.to_string(),
        })
}

/// Whether to replace a file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse with [`ApiError::File`] whose reason is [`EXISTS`].
    Keep,
    Replace,
}

/// The reason given when a file is kept because it exists.
pub const EXISTS: &str = "exists";

/// Opens `path` for writing with mode 0600 (on Unix). With [`Existing::Keep`] an existing file
/// is an error and stays untouched.
pub fn create_private(path: &Path, existing: Existing) -> Result<std::fs::File, ApiError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match existing {
        Existing::Keep => options.create_new(true),
        Existing::Replace => options.create(true).truncate(true),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| ApiError::File {
        path: path.to_path_buf(),
        write: true,
        reason: if e.kind() == std::io::ErrorKind::AlreadyExists {
            EXISTS.to_string()
        } else {
            e.to_string()
        },
    })?;
    // A replaced file keeps its old mode on open: narrow it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    Ok(file)
}

/// Writes `data` to `path` as [`create_private`] opens it (on a blocking thread).
pub async fn write_private(
    path: PathBuf,
    data: Vec<u8>,
    existing: Existing,
) -> Result<u64, ApiError> {
    let task = tokio::task::spawn_blocking(move || {
        let mut file = create_private(&path, existing)?;
        file.write_all(&data)
            .and_then(|()| file.sync_all())
            .map_err(|e| ApiError::File {
                path: path.clone(),
                write: true,
                reason: e.to_string(),
            })?;
        Ok(data.len() as u64)
    });
    task.await
        .unwrap_or_else(|e| Err(ApiError::Protocol(e.to_string())))
}

impl ApiError {
    /// Whether a write was refused because the file exists.
    pub fn is_existing_file(&self) -> bool {
        matches!(self, ApiError::File { write: true, reason, .. } if reason == EXISTS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_owner_only_and_keeps_existing_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("roster.csv");
        write_private(path.clone(), b"a".to_vec(), Existing::Keep)
            .await
            .expect("first write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = write_private(path.clone(), b"b".to_vec(), Existing::Keep).await;
        assert!(again.expect_err("kept").is_existing_file());
        assert_eq!(std::fs::read(&path).expect("read"), b"a");
        write_private(path.clone(), b"c".to_vec(), Existing::Replace)
            .await
            .expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"c");
    }
}
