//! Standard output that was closed when the program started (`>&-`).
//!
//! The standard library reopens a closed standard descriptor on `/dev/null`
//! (read and write) before `main`, so that no file opened later takes its
//! number; a report written there is lost without a word and the scan would
//! exit 0. [`guard`] recognises that descriptor at start-up: on Linux,
//! `/proc/self/fd/1` names `/dev/null` opened for reading and writing, which
//! a shell redirection (`> /dev/null`, opened for writing only) never is.
//! [`stdout`] then refuses to write, and the command fails with exit code 2.
//! A reader that goes away (`| head`) is a different case, a broken pipe
//! (`EPIPE`), which `main` ends quietly as ripgrep does.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records whether standard output was closed before the program started.
pub(crate) fn guard() {
    STDOUT_CLOSED.store(stdout_was_closed(), Ordering::Relaxed);
}

#[cfg(target_os = "linux")]
fn stdout_was_closed() -> bool {
    /// The access mode bits of `open(2)` flags, and "read and write".
    const O_ACCMODE: u32 = 0o3;
    const O_RDWR: u32 = 0o2;
    let Ok(target) = std::fs::read_link("/proc/self/fd/1") else {
        return false;
    };
    if target != std::path::Path::new("/dev/null") {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & O_ACCMODE == O_RDWR)
}

#[cfg(not(target_os = "linux"))]
fn stdout_was_closed() -> bool {
    false
}

/// Standard output, or an error when it was closed at start-up.
pub(crate) fn stdout() -> io::Result<io::Stdout> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(io::Error::other(
            "cannot write the report: standard output is closed (write it with --output-file FILE)",
        ));
    }
    Ok(io::stdout())
}
