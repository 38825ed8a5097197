//! `regi pin set` and `regi pin clear`: the manager PIN is typed twice without echo (or piped in
//! on standard input, so installs can be scripted), checked, hashed and written into regi.toml.
//! Nothing here prints or logs the PIN.

use crate::ui::strings::LangStrings as _;
use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, anyhow};

use crate::ui::strings::Strings;
use regi_config::{Lang, ManagerPin, ManagerPinHash, remove_pin, write_pin_hash};
use regi_core::secret::Secret;

/// More than any PIN and its repeat: a runaway pipe is not read to the end.
const MAX_PIPED_BYTES: u64 = 1024;

/// Asks for a new manager PIN and stores its hash in the TOML file at `config_path`.
pub fn set(config_path: &Path, lang: Lang) -> anyhow::Result<()> {
    let s = lang.strings();
    let hash = new_pin_hash(lang)?;
    if let Some(dir) = config_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    write_pin_hash(config_path, &hash)?;
    println!("{} ({})", s.pin_set_done, config_path.display());
    Ok(())
}

/// Asks for a new PIN (typed twice without echo, or piped in) and hashes it; the PIN itself is
/// dropped here. Also `regi staff add`'s PIN.
pub fn new_pin_hash(lang: Lang) -> anyhow::Result<ManagerPinHash> {
    let s = lang.strings();
    let pin = if std::io::stdin().is_terminal() {
        typed_pin(s)?
    } else {
        piped_pin(s)?
    };
    ManagerPinHash::new(&pin).map_err(|e| anyhow!(e))
}

/// Removes the manager PIN from the TOML file at `config_path`.
pub fn clear(config_path: &Path, lang: Lang) -> anyhow::Result<()> {
    let s = lang.strings();
    if remove_pin(config_path)? {
        println!("{} ({})", s.pin_cleared, config_path.display());
    } else {
        println!("{}", s.pin_was_not_set);
    }
    Ok(())
}

/// Asks for the manager PIN before a guarded command (`regi drawer in|out|count`): typed without
/// echo at a terminal, else the first line of standard input. Checked by the caller.
pub fn ask_manager_pin(lang: Lang) -> anyhow::Result<Secret<String>> {
    let s = lang.strings();
    if std::io::stdin().is_terminal() {
        return Ok(Secret::new(rpassword::prompt_password(
            s.drawer_pin_prompt,
        )?));
    }
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_PIPED_BYTES)
        .read_to_string(&mut text)
        .context("reading the PIN from standard input")?;
    let text = Secret::new(text);
    Ok(Secret::new(
        text.expose()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    ))
}

/// Typed at the terminal twice, without echo.
fn typed_pin(s: &Strings) -> anyhow::Result<ManagerPin> {
    let first = Secret::new(rpassword::prompt_password(s.pin_new_prompt)?);
    let pin = valid(first.expose(), s)?;
    let again = Secret::new(rpassword::prompt_password(s.pin_again_prompt)?);
    if !pin.matches(again.expose().trim()) {
        return Err(anyhow!(s.pin_mismatch));
    }
    Ok(pin)
}

/// From a pipe: the first line is the PIN; a second line, when there is one, must repeat it.
fn piped_pin(s: &Strings) -> anyhow::Result<ManagerPin> {
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_PIPED_BYTES)
        .read_to_string(&mut text)
        .context("reading the PIN from standard input")?;
    let text = Secret::new(text);
    let mut lines = text.expose().lines().map(str::trim);
    let pin = valid(lines.next().unwrap_or_default(), s)?;
    match lines.find(|line| !line.is_empty()) {
        Some(again) if !pin.matches(again) => Err(anyhow!(s.pin_mismatch)),
        _ => Ok(pin),
    }
}

fn valid(entered: &str, s: &Strings) -> anyhow::Result<ManagerPin> {
    ManagerPin::try_from(entered.trim().to_string()).map_err(|_| anyhow!(s.pin_invalid))
}

/// The data directory holds the configuration and the journal: owner only.
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}
