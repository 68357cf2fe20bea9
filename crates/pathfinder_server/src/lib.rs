//! `pathfinder server`: the Language Server Protocol over stdio.
//!
//! This is the only crate that knows LSP and JSON-RPC. Open Python
//! documents are checked from their in-memory text through the engine's one
//! entry point, [`pathfinder_engine::scan`], with the open documents as an
//! [`Overlay`](pathfinder_engine::Overlay) and the document as the one
//! explicit path; byte offsets become UTF-16 positions only at the edge.
//!
//! The loop reads everything the client has sent before acting on it, so a
//! `$/cancelRequest` that follows a request in the same burst is honoured.
//! Edits are debounced ([`DEBOUNCE`]); opening and saving check at once.
//! Requests about a document with a check pending wait for that check.

mod actions;
mod position;
mod server;
mod transport;

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::time::Duration;

use pathfinder_engine::Settings;

/// How long after the last edit a document is checked.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// Builds the scan settings for a workspace folder from its configuration
/// (`.pathfinder.toml`, `[tool.pathfinder]`); the rulesets, when given,
/// replace the configured ones. The command line supplies it, so the server
/// reads the configuration exactly as `pathfinder scan` does.
pub type LoadSettings = dyn Fn(&Path, Option<&[String]>) -> Result<Settings, String>;

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown`, or the input closed.
    Abrupt,
}

/// Serves one client over standard input and output until `exit` or the
/// end of the input.
pub fn run_stdio(load_settings: &LoadSettings) -> io::Result<Exit> {
    let stdout = io::stdout();
    run(
        Box::new(io::BufReader::new(io::stdin())),
        &mut stdout.lock(),
        load_settings,
    )
}

/// Serves one client reading `input` and writing `output`.
pub fn run(
    mut input: Box<dyn BufRead + Send>,
    output: &mut dyn Write,
    load_settings: &LoadSettings,
) -> io::Result<Exit> {
    let (sender, receiver) = crossbeam_channel::unbounded();
    // The reader is left running when the session ends: a blocked read of
    // standard input cannot be interrupted, and the process exits anyway.
    std::thread::Builder::new()
        .name("pathfinder-lsp-reader".to_string())
        .spawn(move || transport::read_all(&mut input, &sender))?;
    server::Server::new(output, load_settings).serve(&receiver)
}
