//! The command-line grammar (clap). Raw arguments are turned into the engine's
//! `Settings` by the commands, never passed on as they are.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "pathfinder",
    version = env!("PATHFINDER_VERSION"),
    about = "Finds insecure cookie handling in Python web applications",
    long_about = None,
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan a project and report insecure cookie writes.
    Scan(ScanArgs),
    /// Scan in CI: SARIF by default, and comments on the pull request
    /// (`--pr-inline`, `--pr-comment`) in GitHub Actions.
    Ci(CiArgs),
    /// List the rules and bundles.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Print the Django settings model: every settings module, its role and
    /// the evidence for it, and the effective value of each cookie setting.
    Settings(SettingsArgs),
    /// Serve the playground on 127.0.0.1: edit code in a browser and watch
    /// the findings and fixes as you type.
    Playground(crate::playground::PlaygroundArgs),
    /// Print a shell completion script.
    Completions(crate::completions::CompletionsArgs),
    /// Print the manual page (roff) of `pathfinder` or of one of its commands.
    Man(crate::completions::ManArgs),
    /// Run the language server on standard input and output, for editors.
    Server(crate::server_command::ServerArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SettingsArgs {
    /// The project folder.
    #[arg(long, short = 'p', value_name = "PATH", default_value = ".")]
    pub(crate) project: PathBuf,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Json,
    Sarif,
    Csv,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A GitLab SAST security report.
    Gitlab,
}

#[derive(Debug, Args)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per command-line switch"
)]
pub(crate) struct ScanArgs {
    /// Rule ids or bundles to run, such as `python/PYTHON-DJANGO-SEC-070` or
    /// `python/django`; may repeat or be comma-separated. Default: every rule.
    #[arg(long, short = 'r', value_name = "RULESET")]
    pub(crate) ruleset: Vec<String>,

    /// The project folder (or one file) to scan.
    #[arg(long, short = 'p', value_name = "PATH", default_value = ".")]
    pub(crate) project: PathBuf,

    /// The output format [default: text; sarif for `ci`].
    #[arg(long, short = 'o', value_enum)]
    pub(crate) output: Option<OutputFormat>,

    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,

    /// Exit with 1 when a finding has one of these severities or a higher one
    /// (`critical,high,medium,low`).
    #[arg(long, value_name = "SEVERITIES", value_delimiter = ',')]
    pub(crate) fail_on: Vec<String>,

    /// Leave out test files (`tests/`, `test/`, `test_*.py`, `*_test.py`,
    /// `tests.py`, `conftest.py`). On by default; `--skip-tests=false` scans them.
    #[arg(long, value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", action = clap::ArgAction::Set)]
    pub(crate) skip_tests: Option<bool>,

    /// Leave out paths matching this glob (relative to the project); may repeat.
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,

    /// Apply the safe fixes (adding missing attributes) to the files, then
    /// report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub(crate) fix: bool,

    /// Print the fixes as a unified diff instead of applying them; exit 1
    /// when there is something to fix.
    #[arg(long)]
    pub(crate) diff: bool,

    /// With --fix or --diff, also apply unsafe fixes (replacing explicit
    /// values such as `secure=False`).
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,

    /// Never draw the progress bar (it is drawn only on a terminal, and only
    /// for scans that take more than a second).
    #[arg(long)]
    pub(crate) no_progress: bool,

    /// Print the files seen, the files parsed and the time taken to standard
    /// error, and each cookie write left unreported with why (a flag known
    /// only at run time, a receiver whose type nothing tells).
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,

    /// Report only findings on lines added or changed since the merge base of
    /// `--base` and `--head` (uses git).
    #[arg(long)]
    pub(crate) diff_aware: bool,

    /// The branch or commit a diff-aware scan compares with, such as `origin/main`.
    #[arg(long, value_name = "REF")]
    pub(crate) base: Option<String>,

    /// The commit a diff-aware scan looks at [default: HEAD].
    #[arg(long, value_name = "REF")]
    pub(crate) head: Option<String>,

    /// Leave out the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// Record the findings of this scan in a baseline file.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,

    /// Read settings from this file instead of `.pathfinder.toml` or
    /// `pyproject.toml` `[tool.pathfinder]` in the project folder.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Report `# pathfinder: ignore` comments that suppress nothing.
    #[arg(long)]
    pub(crate) report_unused_ignores: bool,

    /// Report and fix only these files, which must lie in the project; the
    /// rest of the project is still analysed (imports, helpers, settings), and
    /// excluded files stay out. The pre-commit hook passes the staged files.
    #[arg(value_name = "FILES")]
    pub(crate) files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CiArgs {
    #[command(flatten)]
    pub(crate) scan: ScanArgs,

    /// The GitHub token [default: the `GITHUB_TOKEN` environment variable]. Never printed.
    #[arg(long, value_name = "TOKEN")]
    pub(crate) github_token: Option<String>,

    /// The repository as `owner/name` [default: `GITHUB_REPOSITORY`].
    #[arg(long, value_name = "OWNER/NAME")]
    pub(crate) github_repo: Option<String>,

    /// The pull request number [default: read from `GITHUB_EVENT_PATH`].
    #[arg(long, value_name = "NUMBER")]
    pub(crate) github_pr: Option<u64>,

    /// Post or update one summary comment on the pull request.
    #[arg(long)]
    pub(crate) pr_comment: bool,

    /// Post one review comment per finding on the lines the pull request changed.
    #[arg(long)]
    pub(crate) pr_inline: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Print the list as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The rule id, such as `PYTHON-DJANGO-SEC-070` (the `python/` prefix is optional).
    pub(crate) rule: String,
}
