//! `pathfinder playground`: serves the playground page on 127.0.0.1 (the
//! server lives in the `pathfinder_playground` crate).

use std::io::Write;
use std::process::{Command, Stdio};

use clap::Args;
use pathfinder_playground::Playground;

use crate::Outcome;
use crate::commands::CommandError;

#[derive(Debug, Args)]
pub(crate) struct PlaygroundArgs {
    /// The port to listen on, on 127.0.0.1 only [default: 8000]; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 8000)]
    pub(crate) port: u16,

    /// Open the page in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
}

pub(crate) fn playground_command(args: &PlaygroundArgs) -> Result<Outcome, CommandError> {
    let playground = Playground::bind(args.port).map_err(|error| {
        CommandError::Usage(format!("cannot listen on 127.0.0.1:{}: {error}", args.port))
    })?;
    let url = playground.url();
    {
        // The tests (and scripts) read the address from the first line. A
        // closed standard error must not stop the server.
        let mut stderr = anstream::stderr();
        let _ = writeln!(
            stderr,
            "pathfinder playground: listening on {url}\npress Ctrl-C to stop"
        );
    }
    if args.open {
        open_browser(&url);
    }
    playground.serve()?;
    Ok(Outcome::Clean)
}

/// Asks the desktop to open `url`; a failure is reported, not fatal.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(error) = spawned {
        let mut stderr = anstream::stderr();
        let _ = writeln!(
            stderr,
            "cannot open a browser ({program}: {error}); open {url}"
        );
    }
}
