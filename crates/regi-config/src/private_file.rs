//! Writing files that hold secrets (SDK `config.ini`, credentials) and the directories regi keeps
//! its journals and logs in: readable by the owner only.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` with mode 0600, replacing any previous file atomically: the data goes
/// to a fresh temporary file beside `path` (created 0600 with `O_EXCL`, which never follows a
/// symlink, so the secret is never world-readable, not even for a moment) which is then renamed
/// over `path`. A symlink at `path` is refused: whoever planted it wanted the secret elsewhere.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link; refusing to write a secret through it",
                path.display()
            ),
        ));
    }
    let tmp = temporary_sibling(path)?;
    let result = write_new_private(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Creates `path` and any missing parents with mode 0700 (a directory that already exists keeps
/// its mode: it may be the user's own).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Takes group and other access away from `path` (a directory or file regi made itself, perhaps
/// with a wider mode by an earlier version).
pub fn make_owner_only(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::symlink_metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn temporary_sibling(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file path", path.display()),
        )
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    Ok(path.with_file_name(tmp_name))
}

fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_file_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ini");
        write_private_file(&path, b"CLIENT_SECRET=x\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"CLIENT_SECRET=x\n");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn replacing_a_world_readable_file_makes_it_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ini");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_private_file(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(mode(&path), 0o600);
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_symlink_in_place_of_the_file_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bashrc");
        fs::write(&target, b"keep me").unwrap();
        let path = dir.path().join("config.ini");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let err = write_private_file(&path, b"CLIENT_SECRET=x\n").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"keep me");
        assert!(
            fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[test]
    fn private_dirs_are_created_owner_only_with_their_parents() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("data").join("logs");
        create_private_dir(&deep).unwrap();
        assert_eq!(mode(&deep), 0o700);
        assert_eq!(mode(&dir.path().join("data")), 0o700);
        create_private_dir(&deep).unwrap();
    }

    #[test]
    fn make_owner_only_takes_away_group_and_other_access() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("regi.log.2026-12-06");
        fs::write(&file, b"x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        make_owner_only(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        let sub = dir.path().join("logs");
        fs::create_dir(&sub).unwrap();
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).unwrap();
        make_owner_only(&sub).unwrap();
        assert_eq!(mode(&sub), 0o700);
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("config.ini");
        assert!(write_private_file(&path, b"x").is_err());
    }
}
