//! The rules, their single registry, and the framework knowledge they share.
//!
//! [`registry`] is the one table of rules: the command line, `explain`, SARIF
//! and the documentation are all derived from it. [`check_module`] runs the
//! active rules over one parsed module; [`check_project`] runs the
//! project-level rules (the Django settings audit in [`settings`]) once per scan. Framework facts (response classes,
//! `set_cookie` signatures and defaults) live as data in [`frameworks`].

mod checker;
mod configured;
mod cookies;
mod fix;
pub mod frameworks;
mod helpers;
pub mod models;
mod morsels;
mod overrides;
mod project;
pub mod registry;
mod rules;
pub mod settings;

pub use checker::{ModuleCheck, SilentWrite, check_module, check_module_with_helpers};
pub use project::{
    FindCallers, Project, ProjectDiagnostic, ProjectFindings, ProjectSilent, STARTING_NEEDLES,
    check_project, no_callers, starts_from,
};
pub use registry::{Bundle, Needle, Rule, RuleStatus, find_rule, rules, select};
pub use rules::headers::insecure_set_cookie_header::{SetCookieHeader, read_set_cookie_header};
