//! Project configuration: `[tool.pathfinder]` in `pyproject.toml`, a
//! `.pathfinder.toml` with the same keys at its top level, or `--config FILE`.
//!
//! Only the project folder is searched, and `.pathfinder.toml` wins over
//! `pyproject.toml`. Keys: `ruleset` (list), `exclude` (list), `fail-on` (list
//! or string), `skip-tests` (bool), `per-path-ignores` (table of glob → rule
//! ids), `severity-overrides` (table of rule id → severity), `output`, `jobs`,
//! `response-classes` and `cookie-helpers` (the project's own cookie models,
//! see `pathfinder_rules::models`).
//! An unknown key is an error that names it. Command-line flags win over the
//! file: a flag given replaces the key's value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The settings read from a configuration file; absent keys are `None`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Config {
    pub(crate) ruleset: Option<OneOrMany>,
    pub(crate) exclude: Option<OneOrMany>,
    pub(crate) fail_on: Option<OneOrMany>,
    pub(crate) skip_tests: Option<bool>,
    pub(crate) per_path_ignores: Option<BTreeMap<String, OneOrMany>>,
    pub(crate) severity_overrides: Option<BTreeMap<String, String>>,
    pub(crate) output: Option<String>,
    pub(crate) jobs: Option<usize>,
    /// The project's own response classes (see `pathfinder_rules::models`).
    pub(crate) response_classes: Option<Vec<ResponseClass>>,
    /// The project's own cookie helpers.
    pub(crate) cookie_helpers: Option<Vec<CookieHelper>>,
    /// Where the settings were read, for messages.
    #[serde(skip)]
    pub(crate) source: Option<PathBuf>,
}

/// `[[tool.pathfinder.response-classes]]`: instances of `class` are
/// `framework`'s responses.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseClass {
    pub(crate) class: String,
    pub(crate) framework: String,
}

/// `[[tool.pathfinder.cookie-helpers]]`: a call of `function` writes a
/// cookie whose flags are the named parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CookieHelper {
    pub(crate) function: String,
    pub(crate) framework: String,
    /// The positional parameters in order (`self` left out).
    #[serde(default)]
    pub(crate) params: Vec<String>,
    pub(crate) name: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) secure: Option<FlagParam>,
    pub(crate) httponly: Option<FlagParam>,
    pub(crate) samesite: Option<FlagParam>,
}

/// Which parameter sets one attribute, and its default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlagParam {
    pub(crate) param: String,
    /// `true`/`false`, or a string (`"Lax"`), or absent when the parameter
    /// has no default.
    pub(crate) default: Option<toml::Value>,
}

impl Config {
    /// The declared models, checked.
    pub(crate) fn models(
        &self,
    ) -> Result<std::sync::Arc<pathfinder_rules::models::UserModels>, String> {
        let responses: Vec<(String, String)> = self
            .response_classes
            .iter()
            .flatten()
            .map(|entry| (entry.class.clone(), entry.framework.clone()))
            .collect();
        let helpers: Vec<pathfinder_rules::models::HelperDeclaration> = self
            .cookie_helpers
            .iter()
            .flatten()
            .map(|helper| {
                let attributes = [
                    ("secure", &helper.secure),
                    ("httponly", &helper.httponly),
                    ("samesite", &helper.samesite),
                ]
                .into_iter()
                .filter_map(|(attribute, flag)| {
                    let flag = flag.as_ref()?;
                    let default = flag.default.as_ref().map(|value| match value {
                        toml::Value::Boolean(true) => "True".to_string(),
                        toml::Value::Boolean(false) => "False".to_string(),
                        toml::Value::String(text) if text.eq_ignore_ascii_case("none") => {
                            "None".to_string()
                        }
                        toml::Value::String(text) => format!("'{text}'"),
                        other => format!("{other:?}"),
                    });
                    Some((attribute.to_string(), flag.param.clone(), default))
                })
                .collect();
                pathfinder_rules::models::HelperDeclaration {
                    function: helper.function.clone(),
                    framework: helper.framework.clone(),
                    params: helper.params.clone(),
                    name: helper.name.clone(),
                    value: helper.value.clone(),
                    attributes,
                }
            })
            .collect();
        pathfinder_rules::models::UserModels::new(&responses, &helpers)
    }
}

/// A list, or one string standing for a list of one.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

impl Config {
    /// The configuration for `project`: `explicit` if given, else the
    /// project folder's `.pathfinder.toml`, else its `pyproject.toml`'s
    /// `[tool.pathfinder]`, else nothing.
    pub(crate) fn load(project: &Path, explicit: Option<&Path>) -> Result<Config, String> {
        if let Some(path) = explicit {
            return Config::read(path, true);
        }
        let folder = if project.is_file() {
            project.parent().unwrap_or(Path::new("."))
        } else {
            project
        };
        let dotfile = folder.join(".pathfinder.toml");
        if dotfile.is_file() {
            return Config::read(&dotfile, true);
        }
        let pyproject = folder.join("pyproject.toml");
        if pyproject.is_file() {
            return Config::read(&pyproject, false);
        }
        Ok(Config::default())
    }

    fn read(path: &Path, required: bool) -> Result<Config, String> {
        let text = read_text_file(path, MAX_CONFIG_BYTES)
            .map_err(|error| format!("cannot read config `{}`: {error}", path.display()))?;
        let mut config = Config::parse(&text, is_pyproject(path))
            .map_err(|error| format!("config `{}`: {error}", path.display()))?;
        if required || config.source.is_some() {
            config.source = Some(path.to_path_buf());
        }
        Ok(config)
    }

    /// Parses a file's text; `pyproject` selects the `[tool.pathfinder]` table.
    fn parse(text: &str, pyproject: bool) -> Result<Config, String> {
        let table: toml::Table = toml::from_str(text).map_err(|error| error.to_string())?;
        let settings = if pyproject {
            let Some(tool) = table.get("tool").and_then(|tool| tool.get("pathfinder")) else {
                return Ok(Config::default());
            };
            tool.clone()
        } else {
            toml::Value::Table(table)
        };
        let section = if pyproject {
            "[tool.pathfinder]"
        } else {
            "the file"
        };
        let mut config: Config = settings
            .try_into()
            .map_err(|error: toml::de::Error| explain(&error.to_string(), section))?;
        config.source = Some(PathBuf::new());
        Ok(config)
    }
}

/// A configuration file larger than this is refused.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The text of a file the user names (a configuration, a baseline, an
/// event file), read only when it is a regular file of at most `limit`
/// bytes: a device such as `/dev/zero` or a growing file must never make
/// the read endless, and a named pipe must never block it.
pub(crate) fn read_text_file(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err(if metadata.is_dir() {
            "it is a folder".to_string()
        } else {
            "not a regular file".to_string()
        });
    }
    let too_large = || format!("larger than the limit of {} MiB", limit / (1024 * 1024));
    if metadata.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|error| error.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == "pyproject.toml")
}

/// Serde's "unknown field `x`, expected one of ..." as a sentence that names the key.
fn explain(message: &str, section: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, _)) = rest.split_once('`')
    {
        return format!(
            "unknown key `{key}` in {section}; known keys: ruleset, exclude, fail-on, skip-tests, per-path-ignores, severity-overrides, output, jobs, response-classes, cookie-helpers"
        );
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_and_dotfile() {
        let config = Config::parse(
            "[project]\nname = 'x'\n[tool.pathfinder]\nruleset = ['python/django']\nfail-on = 'medium'\nskip-tests = false\n[tool.pathfinder.per-path-ignores]\n'legacy/**' = ['PYTHON-DJANGO-SEC-070']\n[tool.pathfinder.severity-overrides]\nPYTHON-DJANGO-SEC-070 = 'high'\n",
            true,
        )
        .unwrap();
        assert_eq!(
            config.ruleset.unwrap().into_vec(),
            vec!["python/django".to_string()]
        );
        assert_eq!(
            config.fail_on.unwrap().into_vec(),
            vec!["medium".to_string()]
        );
        assert_eq!(config.skip_tests, Some(false));
        assert_eq!(config.per_path_ignores.unwrap().len(), 1);
        assert_eq!(
            config.severity_overrides.unwrap()["PYTHON-DJANGO-SEC-070"],
            "high"
        );

        let none = Config::parse("[project]\nname = 'x'\n", true).unwrap();
        assert!(none.source.is_none() && none.ruleset.is_none());

        let dotfile = Config::parse("exclude = ['a/**']\njobs = 2\n", false).unwrap();
        assert_eq!(dotfile.jobs, Some(2));
    }

    #[test]
    fn unknown_keys_are_named() {
        let error = Config::parse("[tool.pathfinder]\nfail_on = 'high'\n", true).unwrap_err();
        assert!(
            error.contains("unknown key `fail_on` in [tool.pathfinder]"),
            "{error}"
        );
        let error = Config::parse("rulesets = []\n", false).unwrap_err();
        assert!(error.contains("unknown key `rulesets`"), "{error}");
        assert!(Config::parse("skip-tests = 'yes'\n", false).is_err());
    }
}
