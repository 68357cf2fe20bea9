//! Which views a Django project routes to, as far as its settings say:
//! the URLconf named by `ROOT_URLCONF`, and the URLconfs it includes by
//! name (`include("blog.urls")`, `include("django.conf.urls.i18n")`).
//!
//! Settings rules use it when a cookie is written by one view only (the
//! language cookie by `django.views.i18n.set_language`): the finding needs
//! evidence that the view is reachable. The search is textual within each
//! URLconf, so a mention in a comment counts; the walk stops after
//! [`MAX_URLCONFS`] modules.

use std::collections::BTreeSet;

use pathfinder_python::{ModuleSummary, Value};

use super::SettingsModule;
use crate::project::Project;

/// The most URLconf modules one search reads.
const MAX_URLCONFS: usize = 64;

/// What a search looks for: a URLconf included by name (Django's own
/// `django.conf.urls.i18n`), or a text in one of the project's URLconfs.
pub(crate) struct Wanted {
    pub(crate) included: &'static str,
    pub(crate) text: fn(&str) -> bool,
}

/// Whether the root URLconf of `module`, or a URLconf it includes by name,
/// includes `wanted.included` or has a text `wanted.text` accepts.
pub(crate) fn urlconf_reaches(
    project: &Project<'_>,
    module: &SettingsModule,
    wanted: &Wanted,
) -> bool {
    let Some(Value::Str(root)) = module.get("ROOT_URLCONF").map(|slot| slot.value) else {
        return false;
    };
    let Some(parsed) = project.loader.parsed(&module.path) else {
        return false;
    };
    let name = project.loader.module_name(&module.path).unwrap_or_default();
    let importer = ModuleSummary::build(parsed.module(), &name, module.path.clone());
    let mut queue: Vec<String> = vec![root.to_string()];
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if seen.len() >= MAX_URLCONFS || !seen.insert(name.clone()) {
            continue;
        }
        if name == wanted.included {
            return true;
        }
        let Some(summary) = project.loader.load(&name, &importer) else {
            continue;
        };
        let Some(source) = project.loader.source(&summary.path) else {
            continue;
        };
        if (wanted.text)(&source) {
            return true;
        }
        queue.extend(included_names(&source));
    }
    false
}

/// The module names given as string literals to `include(...)`, also in
/// the tuple form `include(("blog.urls", "blog"))`.
fn included_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("include(") {
        rest = &rest[at + "include(".len()..];
        let argument = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '[');
        let Some(quote) = argument.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = &argument[1..];
        let Some(end) = body.find(quote) else {
            continue;
        };
        let name = &body[..end];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            names.push(name.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_by_name() {
        let source = "urlpatterns = [\n    path('i18n/', include('django.conf.urls.i18n')),\n    path('blog/', include((\"blog.urls\", 'blog'))),\n    path('x/', include(x_patterns)),\n    path('y/', include( 'bad name')),\n]\n";
        assert_eq!(
            included_names(source),
            vec!["django.conf.urls.i18n".to_string(), "blog.urls".to_string()]
        );
    }
}
