//! `pathfinder server`: the language server, with the project configuration
//! read exactly as `pathfinder scan` reads it.

use clap::{Args, Parser};

use crate::Outcome;
use crate::args::{OutputFormat, ScanArgs};
use crate::commands::{CommandError, plan};

#[derive(Debug, Args)]
pub(crate) struct ServerArgs {
    /// Accepted for clients that pass it; standard input and output are the
    /// only transport.
    #[arg(long)]
    pub(crate) stdio: bool,
}

/// The scan flags, parsed from words, so the server's settings come from
/// the same merge of configuration and flags as a scan's.
#[derive(Debug, Parser)]
struct ScanWords {
    #[command(flatten)]
    scan: ScanArgs,
}

fn load_settings(
    root: &std::path::Path,
    ruleset: Option<&[String]>,
) -> Result<pathfinder_engine::Settings, String> {
    let mut words = vec![
        "pathfinder".to_string(),
        "--project".to_string(),
        root.to_string_lossy().into_owned(),
    ];
    for selector in ruleset.into_iter().flatten() {
        words.push("--ruleset".to_string());
        words.push(selector.clone());
    }
    let args = ScanWords::try_parse_from(words).map_err(|error| error.to_string())?;
    plan(&args.scan, OutputFormat::Text, None)
        .map(|plan| plan.settings)
        .map_err(|error| error.to_string())
}

pub(crate) fn server_command(_args: &ServerArgs) -> Result<Outcome, CommandError> {
    match pathfinder_server::run_stdio(&load_settings)? {
        pathfinder_server::Exit::Clean => Ok(Outcome::Clean),
        pathfinder_server::Exit::Abrupt => Ok(Outcome::Findings),
    }
}
