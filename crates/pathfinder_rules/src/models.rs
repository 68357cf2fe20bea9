//! A project's own cookie models, declared in its configuration: response
//! classes the analysis cannot see through (a class from a private package,
//! a C extension), and cookie helpers with a house convention for their
//! flags. Each names the framework whose rule reports it.
//!
//! ```toml
//! [[tool.pathfinder.response-classes]]
//! class = "shop.http.ApiResponse"
//! framework = "django"
//!
//! [[tool.pathfinder.cookie-helpers]]
//! function = "shop.cookies.store"        # or "shop.cookies.Jar.store"
//! framework = "django"
//! params = ["response", "name", "value", "secure"]   # positional order
//! name = "name"
//! value = "value"
//! secure = { param = "secure", default = false }
//! httponly = { param = "http_only", default = true }
//! samesite = { param = "same_site", default = "Lax" }
//! ```
//!
//! A call of a declared helper is a cookie write whose attributes are the
//! arguments of the declared parameters, or their defaults when the call does
//! not pass them. An attribute the declaration leaves out is one the helper
//! sets safely itself.

use std::sync::Arc;

use crate::frameworks::{AttributeParam, CookieMethod, Default, FRAMEWORKS, FrameworkCookies};

/// What one helper declaration says, as read from the configuration.
#[derive(Clone, Debug)]
pub struct HelperDeclaration {
    pub function: String,
    pub framework: String,
    pub params: Vec<String>,
    pub name: Option<String>,
    pub value: Option<String>,
    /// `(attribute, parameter, default)`; the default is `None` when the
    /// parameter has none (it must then be passed), else a Python literal
    /// as text: `False`, `True`, `None`, `'Lax'`.
    pub attributes: Vec<(String, String, Option<String>)>,
}

/// A declared cookie helper, ready for the analysis.
#[derive(Debug)]
pub struct UserHelper {
    /// Qualified name of the function or method.
    pub function: String,
    pub framework: &'static FrameworkCookies,
    pub signature: &'static CookieMethod,
}

/// No declarations.
pub static NO_MODELS: UserModels = UserModels {
    helpers: Vec::new(),
    responses: Vec::new(),
};

/// The models a project declares; empty by default.
#[derive(Debug, Default)]
pub struct UserModels {
    pub helpers: Vec<UserHelper>,
    /// Qualified class names whose instances are a framework's responses.
    pub responses: Vec<(String, &'static FrameworkCookies)>,
}

/// The framework of a declaration: its name as `pathfinder rules` shows it,
/// in any case.
fn framework_named(name: &str) -> Result<&'static FrameworkCookies, String> {
    FRAMEWORKS
        .iter()
        .copied()
        .find(|framework| framework.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let known: Vec<String> = FRAMEWORKS
                .iter()
                .map(|framework| framework.name.to_ascii_lowercase())
                .collect();
            format!("unknown framework '{name}' (known: {})", known.join(", "))
        })
}

fn leak(text: &str) -> &'static str {
    // Declarations are read once per configuration and live as long as the
    // rule tables they join.
    Box::leak(text.to_string().into_boxed_str())
}

impl UserModels {
    /// Checks and builds the declarations; an error names the bad entry.
    pub fn new(
        responses: &[(String, String)],
        helpers: &[HelperDeclaration],
    ) -> Result<Arc<UserModels>, String> {
        let mut models = UserModels::default();
        for (class, framework) in responses {
            if class.split('.').count() < 2 {
                return Err(format!(
                    "response class '{class}': give its qualified name (module.Class)"
                ));
            }
            models
                .responses
                .push((class.clone(), framework_named(framework)?));
        }
        for helper in helpers {
            let where_ = format!("cookie helper '{}'", helper.function);
            if helper.function.split('.').count() < 2 {
                return Err(format!(
                    "{where_}: give its qualified name (module.function)"
                ));
            }
            let framework =
                framework_named(&helper.framework).map_err(|e| format!("{where_}: {e}"))?;
            let mut attributes = Vec::new();
            for (attribute, param, default) in &helper.attributes {
                let default = match default.as_deref() {
                    None => Default::Safe("no default: always passed"),
                    Some(text) => {
                        let weak = match attribute.as_str() {
                            "samesite" => {
                                let value = text.trim_matches(['"', '\'']).to_ascii_lowercase();
                                !(value == "lax" || value == "strict")
                            }
                            _ => !text.eq_ignore_ascii_case("true"),
                        };
                        let shown = leak(&format!("declared default {text}"));
                        if weak {
                            Default::Unsafe(shown)
                        } else {
                            Default::Safe(shown)
                        }
                    }
                };
                let canonical: &'static str = match attribute.as_str() {
                    "secure" => "secure",
                    "httponly" => "httponly",
                    "samesite" => "samesite",
                    other => return Err(format!("{where_}: unknown attribute '{other}'")),
                };
                attributes.push(AttributeParam {
                    attribute: canonical,
                    param: leak(param),
                    default,
                    none_is_default: false,
                });
            }
            let positional: Vec<&'static str> = helper.params.iter().map(|p| leak(p)).collect();
            let signature: &'static CookieMethod = Box::leak(Box::new(CookieMethod {
                name: leak(helper.function.rsplit('.').next().unwrap_or_default()),
                positional: Box::leak(positional.into_boxed_slice()),
                key: leak(helper.name.as_deref().unwrap_or("")),
                value: leak(helper.value.as_deref().unwrap_or("")),
                max_age: None,
                expires: None,
                attributes: Box::leak(attributes.into_boxed_slice()),
                none_value_deletes: false,
            }));
            models.helpers.push(UserHelper {
                function: helper.function.clone(),
                framework,
                signature,
            });
        }
        Ok(Arc::new(models))
    }

    pub fn is_empty(&self) -> bool {
        self.helpers.is_empty() && self.responses.is_empty()
    }

    /// The texts a file must hold to call a declared helper: their last names.
    pub fn needles(&self) -> Vec<&'static str> {
        self.helpers
            .iter()
            .map(|helper| helper.signature.name)
            .collect()
    }

    pub(crate) fn helper(&self, qualified: &str) -> Option<&UserHelper> {
        self.helpers
            .iter()
            .find(|helper| helper.function == qualified)
    }

    pub(crate) fn response_class(&self, qualified: &str) -> Option<&'static FrameworkCookies> {
        self.responses
            .iter()
            .find(|(class, _)| class == qualified)
            .map(|(_, framework)| *framework)
    }
}
