//! The one value type of the analysis.
//!
//! Both ways of evaluating Python in this crate produce a [`Value`]: the
//! [`Resolver`](crate::Resolver), which answers "what constant is this
//! expression" lazily from a module's bindings, and the
//! [`Evaluator`](crate::Evaluator), which runs a module's top level in order
//! (the way Python imports a configuration module). A value is known, or
//! [`Value::Dynamic`]: only known at run time, with the code it comes from and,
//! when it can be computed, the value it takes when the environment is unset.

use std::sync::Arc;

use crate::evaluate::ClassEval;

/// A value, as far as the analysis can know it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    None,
    /// A list or tuple display.
    Seq(Vec<Value>),
    Dict(DictValue),
    /// A `datetime`/`date` built from a literal year.
    Date {
        year: i64,
    },
    /// A class body evaluated attribute by attribute.
    Class(ClassHandle),
    /// Known only at run time. `source` quotes the code it comes from, when
    /// the evaluation kept it; `default` is its value when the environment
    /// leaves it unset, when that is known; `alternatives`, when not empty,
    /// are the values it may take (a name assigned on the branches of a
    /// condition known only at run time).
    Dynamic {
        source: Option<Box<str>>,
        default: Option<Box<Value>>,
        alternatives: Vec<Value>,
    },
}

/// A shared evaluated class; two handles are equal when they are the same class.
#[derive(Clone, Debug)]
pub struct ClassHandle(pub Arc<ClassEval>);

impl PartialEq for ClassHandle {
    fn eq(&self, other: &ClassHandle) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Value {
    /// A value known only at run time, with nothing more said about it.
    pub const fn dynamic() -> Value {
        Value::Dynamic {
            source: None,
            default: None,
            alternatives: Vec::new(),
        }
    }

    /// A value known only at run time, from the quoted code.
    pub fn dynamic_from(source: impl Into<Box<str>>) -> Value {
        Value::Dynamic {
            source: Some(source.into()),
            default: None,
            alternatives: Vec::new(),
        }
    }

    /// A value known only at run time with a default.
    pub fn dynamic_with_default(source: impl Into<Box<str>>, default: Option<Value>) -> Value {
        Value::Dynamic {
            source: Some(source.into()),
            default: default.map(Box::new),
            alternatives: Vec::new(),
        }
    }

    /// One of `alternatives`, chosen at run time; nested choices are
    /// flattened, and past [`MAX_ALTERNATIVES`] only "dynamic" is kept.
    pub fn one_of(source: impl Into<Box<str>>, alternatives: Vec<Value>) -> Value {
        let mut flat = Vec::new();
        for value in alternatives {
            match value {
                Value::Dynamic {
                    alternatives: inner,
                    ..
                } if !inner.is_empty() => flat.extend(inner),
                other => flat.push(other),
            }
        }
        if flat.len() > MAX_ALTERNATIVES {
            flat.clear();
        }
        Value::Dynamic {
            source: Some(source.into()),
            default: None,
            alternatives: flat,
        }
    }

    /// The values this may take: itself when known, its alternatives when
    /// it has some; `None` when it may be anything.
    pub fn possible_values(&self) -> Option<&[Value]> {
        match self {
            Value::Dynamic { alternatives, .. } if alternatives.is_empty() => None,
            Value::Dynamic { alternatives, .. } => Some(alternatives),
            known => Some(std::slice::from_ref(known)),
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Dynamic { .. })
    }

    /// Python truthiness, when it is known.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            Value::Int(value) => Some(*value != 0),
            Value::Str(value) => Some(!value.is_empty()),
            Value::None => Some(false),
            Value::Seq(items) => Some(!items.is_empty()),
            Value::Dict(dict) if !dict.open => Some(!dict.entries.is_empty()),
            Value::Date { .. } | Value::Class(_) => Some(true),
            // Every value it may take agrees.
            Value::Dynamic { alternatives, .. } if !alternatives.is_empty() => {
                let first = alternatives[0].truthy()?;
                alternatives
                    .iter()
                    .all(|value| value.truthy() == Some(first))
                    .then_some(first)
            }
            Value::Dict(_) | Value::Dynamic { .. } => None,
        }
    }

    /// The value when every environment variable is unset, when known.
    pub fn default_value(&self) -> Option<Value> {
        match self {
            // Whichever value it takes, the same one when the environment is unset.
            Value::Dynamic {
                default: None,
                alternatives,
                ..
            } if !alternatives.is_empty() => {
                let first = alternatives[0].default_value()?;
                alternatives
                    .iter()
                    .all(|value| value.default_value().as_ref() == Some(&first))
                    .then_some(first)
            }
            Value::Dynamic { default, .. } => default.as_deref().cloned(),
            known => Some(known.clone()),
        }
    }

    /// Python's `==` between two known values; `None` when it cannot be told.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => Some(a == b),
            (Value::Int(a), Value::Int(b)) => Some(a == b),
            (Value::Bool(a), Value::Int(b)) | (Value::Int(b), Value::Bool(a)) => {
                Some(i64::from(*a) == *b)
            }
            (Value::Str(a), Value::Str(b)) => Some(a == b),
            (Value::None, Value::None) => Some(true),
            (Value::None, _)
            | (_, Value::None)
            | (Value::Str(_), Value::Bool(_) | Value::Int(_))
            | (Value::Bool(_) | Value::Int(_), Value::Str(_)) => Some(false),
            _ => None,
        }
    }

    /// The value as Python would print it, such as `False`, `'Lax'`, `None`;
    /// a dynamic value says where it comes from.
    pub fn describe(&self) -> String {
        match self {
            Value::Bool(true) => "True".to_string(),
            Value::Bool(false) => "False".to_string(),
            Value::Int(value) => value.to_string(),
            Value::Str(value) => format!("'{value}'"),
            Value::None => "None".to_string(),
            Value::Seq(items) => format!("[{} items]", items.len()),
            Value::Dict(_) => "{...}".to_string(),
            Value::Date { year } => format!("a date in {year}"),
            Value::Class(class) => format!("class {}", class.0.name),
            Value::Dynamic {
                alternatives,
                source,
                ..
            } if !alternatives.is_empty() => {
                let shown: Vec<String> = alternatives.iter().map(Value::describe).collect();
                match source {
                    Some(source) => format!("one of {} (`{source}`)", shown.join(", ")),
                    None => format!("one of {}", shown.join(", ")),
                }
            }
            Value::Dynamic {
                source, default, ..
            } => match (source, default) {
                (Some(source), Some(default)) => {
                    format!("dynamic (`{source}`; {} when unset)", default.describe())
                }
                (Some(source), None) => format!("dynamic (`{source}`)"),
                (None, Some(default)) => format!("dynamic ({} when unset)", default.describe()),
                (None, None) => "dynamic".to_string(),
            },
        }
    }

    /// `bool(x)`, `str(x)` or `int(x)` of a known value, by the builtin's
    /// qualified name.
    pub fn convert(&self, builtin: &str) -> Option<Value> {
        match builtin {
            "builtins.bool" => self.truthy().map(Value::Bool),
            "builtins.int" => match self {
                Value::Int(value) => Some(Value::Int(*value)),
                Value::Bool(value) => Some(Value::Int(i64::from(*value))),
                Value::Str(text) => text.trim().parse().ok().map(Value::Int),
                _ => None,
            },
            "builtins.str" => match self {
                Value::Str(text) => Some(Value::Str(text.clone())),
                Value::Bool(_) | Value::Int(_) | Value::None => {
                    Some(Value::Str(self.describe().trim_matches('\'').into()))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The most alternatives a value keeps.
const MAX_ALTERNATIVES: usize = 8;

/// A dictionary whose string keys are known; `open` when other keys may exist.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DictValue {
    pub entries: Vec<(Box<str>, Value)>,
    pub open: bool,
}

impl DictValue {
    /// The value stored under `key`; the last write wins, as in Python.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .rev()
            .find(|(name, _)| name.as_ref() == key)
            .map(|(_, value)| value)
    }

    pub(crate) fn merge(&mut self, other: DictValue) {
        self.entries.extend(other.entries);
        self.open |= other.open;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_and_equality() {
        assert_eq!(Value::Seq(vec![]).truthy(), Some(false));
        assert_eq!(Value::dynamic().truthy(), None);
        assert_eq!(Value::Bool(true).equals(&Value::Int(1)), Some(true));
        assert_eq!(Value::Str("a".into()).equals(&Value::None), Some(false));
        assert_eq!(
            Value::Str(" 3 ".into()).convert("builtins.int"),
            Some(Value::Int(3))
        );
        assert_eq!(
            Value::Bool(false).convert("builtins.str"),
            Some(Value::Str("False".into()))
        );
    }
}
