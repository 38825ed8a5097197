//! Waiting on file descriptors with a deadline (poll(2)).

use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

/// Which of the watched descriptors are ready; all false after a timeout.
pub fn wait(fds: &[(BorrowedFd<'_>, i16)], timeout: Duration) -> Result<Vec<bool>, String> {
    let mut entries: Vec<libc::pollfd> = fds
        .iter()
        .map(|(fd, events)| libc::pollfd {
            fd: fd.as_raw_fd(),
            events: *events,
            revents: 0,
        })
        .collect();
    let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    loop {
        // SAFETY: `entries` is a valid, exclusively borrowed array of `entries.len()` pollfds.
        let n = unsafe { libc::poll(entries.as_mut_ptr(), entries.len() as libc::nfds_t, millis) };
        if n >= 0 {
            return Ok(entries.iter().map(|e| e.revents != 0).collect());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("poll: {error}"));
        }
    }
}
