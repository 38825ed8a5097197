//! Owner-only state files. An emulator's state holds its secret key, so every file here is
//! readable by its owner only (0600, tightened when it existed with a looser mode) and a
//! directory made for one is 0700. A whole state is replaced atomically ([`replace_private`]:
//! a sibling file renamed over it, so a crash leaves the old state or the new one); a state
//! kept as a log is appended to ([`AppendLog`]).

mod append_log;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use append_log::AppendLog;

/// Creates (or empties) a file only its owner can read.
pub fn create_private(path: &Path) -> io::Result<File> {
    open_owner_only(path, true)
}

/// Opens a file only its owner can read, creating it empty if it is missing and keeping what
/// it holds otherwise.
pub fn open_private(path: &Path) -> io::Result<File> {
    open_owner_only(path, false)
}

/// Writes `bytes` as the whole of `path`, readable by its owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Replaces `path` with `bytes` at once: written to a sibling `.tmp` file (0600), synced, then
/// renamed over it. A missing parent directory is created 0700.
pub fn replace_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        create_private_dir(dir)?;
    }
    let temporary = sibling(path, ".tmp");
    let mut file = create_private(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temporary, path)
}

/// Creates a directory (and its missing parents) only its owner can enter.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes an existing file readable by its owner only (a state file copied in with looser
/// permissions still holds a key).
pub fn tighten(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn open_owner_only(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // A file that existed keeps its mode through `open`: tighten it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_replaced_file_is_private_in_a_private_new_directory_and_leaves_no_sibling() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("state.json");
        replace_private(&path, b"one").unwrap();
        replace_private(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert!(!sibling(&path, ".tmp").exists());
    }

    #[test]
    fn an_existing_file_is_tightened_whether_emptied_or_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regi.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        open_private(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");

        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"new").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");

        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        tighten(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_new_file_is_private_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        open_private(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
    }
}
