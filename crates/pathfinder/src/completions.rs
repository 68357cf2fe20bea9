//! `pathfinder completions SHELL` and `pathfinder man [COMMAND]`: shell
//! completion scripts and manual pages, generated at run time from the clap
//! definition in `args.rs`, so they always match the binary that prints them.
//!
//! The man page is printed, not installed: `pathfinder man | man -l -` reads
//! it, and `pathfinder man > ~/.local/share/man/man1/pathfinder.1` installs
//! it for `man pathfinder`.

use std::io::{self, Write};

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::Outcome;
use crate::args::Cli;
use crate::commands::CommandError;

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// A subcommand (`scan`, `ci`, ...) whose page to print, as
    /// `pathfinder-scan(1)`; default: the page of `pathfinder` itself.
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Option<String>,
}

pub(crate) fn completions_command(args: &CompletionsArgs) -> Result<Outcome, CommandError> {
    // The generators panic when a write fails, so the script is written to
    // memory first; a closed pipe then is an ordinary error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "pathfinder", &mut script);
    write_stdout(&script)
}

pub(crate) fn man_command(args: &ManArgs) -> Result<Outcome, CommandError> {
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .filter(|sub| *sub != "help")
                    .collect();
                return Err(CommandError::Usage(format!(
                    "no command `{name}`; pages exist for {}",
                    names.join(", ")
                )));
            };
            // The page is `pathfinder-scan(1)`; its synopsis reads
            // `pathfinder scan [OPTIONS]`.
            sub.clone()
                .name(format!("pathfinder-{}", sub.get_name()))
                .bin_name(format!("pathfinder {}", sub.get_name()))
                .version(env!("PATHFINDER_VERSION"))
        }
    };
    let mut roff = Vec::new();
    // The footer names the version only; the commit is in the VERSION section.
    clap_mangen::Man::new(page)
        .source(concat!("pathfinder ", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    write_stdout(&roff)
}

fn write_stdout(bytes: &[u8]) -> Result<Outcome, CommandError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Outcome::Clean)
}
