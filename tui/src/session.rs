//! The session token, kept in the platform data directory with mode 0600 so that `ouen`
//! starts logged in until the session expires or `ouen logout` ends it.

use color_eyre::eyre::{eyre, Result, WrapErr};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

/// What the token file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub server: String,
    pub token: String,
    pub login: String,
}

/// `session.toml` in the data directory.
pub fn path() -> Option<PathBuf> {
    crate::config::project_dirs().map(|d| d.data_dir().join("session.toml"))
}

/// The saved session, if any (an unreadable file counts as none).
pub fn load() -> Option<Saved> {
    let text = std::fs::read_to_string(path()?).ok()?;
    toml::from_str(&text).ok()
}

/// Saves the session, readable by the owner only.
pub fn save(saved: &Saved) -> Result<()> {
    let path = path().ok_or_else(|| eyre!("no home directory for the session file"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).wrap_err_with(|| format!("creating {}", dir.display()))?;
    }
    let text = toml::to_string(saved)?;
    let tmp = path.with_extension("toml.tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts
        .open(&tmp)
        .wrap_err_with(|| format!("writing {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, &path).wrap_err_with(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Forgets the session.
pub fn clear() -> Result<()> {
    if let Some(path) = path() {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(eyre!("removing {}: {e}", path.display())),
        }
    }
    Ok(())
}
