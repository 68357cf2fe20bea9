//! The examples menu: for each rule, a vulnerable and a safe example. They
//! are the `## Example` and "Use instead:" code blocks of the rule's own
//! documentation, so the page and `pathfinder explain` show the same code;
//! a test checks that each vulnerable example is reported by its rule and
//! each safe one is not.

use pathfinder_rules::Rule;

/// Whether an example shows the problem or its remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vulnerable,
    Safe,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Vulnerable => "vulnerable",
            Kind::Safe => "safe",
        }
    }
}

/// One example of a rule.
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub kind: Kind,
    /// The file name the example is scanned as.
    pub path: String,
    pub source: String,
}

/// The examples of `rule`: the first Python block of its `## Example`
/// section (vulnerable) and the first after "Use instead:" (safe).
pub fn for_rule(rule: &Rule) -> Vec<Example> {
    let Some(section) = rule.section("Example") else {
        return Vec::new();
    };
    let (before, after) = section.split_once("Use instead:").unwrap_or((section, ""));
    let mut examples = Vec::new();
    for (text, kind) in [(before, Kind::Vulnerable), (after, Kind::Safe)] {
        if let Some(source) = first_python_block(text) {
            examples.push(Example {
                name: format!("{} ({})", rule.id, kind.as_str()),
                kind,
                path: path_of(rule, &source),
                source,
            });
        }
    }
    examples
}

fn first_python_block(text: &str) -> Option<String> {
    let start = text.find("```python\n")? + "```python\n".len();
    let end = text[start..].find("```")?;
    Some(text[start..start + end].to_string())
}

/// The file an example is scanned as: the path its first line names in a
/// comment (`# mysite/settings/production.py`), or else `settings.py` for a
/// project rule and `views.py` for the others.
fn path_of(rule: &Rule, source: &str) -> String {
    let named = source
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# "))
        .map(str::trim)
        .filter(|path| {
            std::path::Path::new(path)
                .extension()
                .is_some_and(|extension| extension == "py")
                && !path.starts_with('/')
                && !path.contains("..")
                && !path.contains(' ')
        });
    match named {
        Some(path) => path.to_string(),
        None if rule.checks_project() => "settings.py".to_string(),
        None => "views.py".to_string(),
    }
}
