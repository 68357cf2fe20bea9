//! What the evaluation of settings modules must know about configuration
//! libraries: which calls read the environment, which helpers include other
//! files, which classes hold settings. The evaluator in `pathfinder_python`
//! knows no library; it asks these hooks.

use pathfinder_python::Origin;
use pathfinder_python::Term;
use pathfinder_python::ast::Expr;
use pathfinder_python::evaluate::{CallSite, ConfigRead, EvalHooks, IncludeShape};

/// The hooks of the settings audit (and of the cookie rules, which treat
/// values read from a settings module as deployment configuration).
pub(crate) struct SettingsHooks;

pub(crate) static HOOKS: SettingsHooks = SettingsHooks;

/// django-configurations' base class; its own attributes hide nothing.
const CONFIGURATION_CLASSES: &[&str] = &[
    "configurations.Configuration",
    "configurations.base.Configuration",
];

impl EvalHooks for SettingsHooks {
    fn config_read<'e>(&self, site: &CallSite<'_, 'e>) -> Option<ConfigRead<'e>> {
        let args = &site.call.arguments.args;
        let positional = |index: usize| {
            Some(ConfigRead {
                default: args.get(index),
            })
        };
        match site.qualified {
            // `getattr(configuration, "SESSION_COOKIE_SECURE", False)`.
            "builtins.getattr" => return positional(2),
            "os.getenv"
            | "os.environ.get"
            | "os.environ.setdefault"
            | "decouple.config"
            | "prettyconf.config" => return positional(1),
            name if name.starts_with("configurations.values.") => return positional(0),
            _ => {}
        }
        // django-environ and environs: `env = environ.Env()`, then `env("X")`,
        // `env.bool("X", default=False)`.
        let is_env = |origin: &Origin| matches!(origin, Origin::Call(name) if name.ends_with(".Env") || name == "Env");
        if let Term::Attr(receiver, _) = site.func
            && is_env(&site.resolver.origin(site.ctx, receiver))
        {
            return positional(1);
        }
        if is_env(&site.resolver.origin(site.ctx, site.func)) {
            return Some(ConfigRead { default: None });
        }
        // Project helpers such as `get_env_bool("X", False)` or
        // `env_setting("X")`, and an environment object imported from
        // another module (`from config.env import env`; `env.bool("X", default=True)`).
        let path = site.func.dotted()?;
        let last = path.last()?.to_ascii_lowercase();
        let receiver = path
            .len()
            .checked_sub(2)
            .map(|at| path[at].to_ascii_lowercase())
            .unwrap_or_default();
        let reads_variable = matches!(
            args.first(),
            Some(Expr::StringLiteral(name)) if is_variable_name(name.value.to_str())
        );
        if reads_variable
            && (last.contains("env")
                || last.contains("config")
                || last == "get"
                || receiver.contains("env")
                || receiver == "config")
        {
            return positional(1);
        }
        None
    }

    fn binds_names(&self, qualified: &str) -> bool {
        // django-split-settings calls other than `include` (handled below).
        qualified.starts_with("split_settings.") && self.includes_files(qualified).is_none()
    }

    fn includes_files(&self, qualified: &str) -> Option<IncludeShape> {
        matches!(
            qualified,
            "split_settings.tools.include" | "split_settings.include"
        )
        .then_some(IncludeShape {
            optional: "optional",
        })
    }

    fn is_deployment_value(&self, qualified: &str) -> bool {
        // Settings modules hold deployment configuration: each deployment
        // may override them, so a cookie call reading one is not judged by
        // the value the repository ships.
        qualified.split('.').any(|part| part == "settings")
    }

    fn marker_imports(&self) -> &[&str] {
        &["django", "configurations"]
    }

    fn class_settings_packages(&self) -> &[&str] {
        &["configurations"]
    }

    fn is_known_base(&self, qualified: &str) -> bool {
        qualified == "builtins.object" || CONFIGURATION_CLASSES.contains(&qualified)
    }
}

/// Whether a class derives from django-configurations' `Configuration`.
pub(crate) fn is_configuration_root(qualified: &str) -> bool {
    CONFIGURATION_CLASSES.contains(&qualified)
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
