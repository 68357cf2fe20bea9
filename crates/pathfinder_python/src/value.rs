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
    /// leaves it unset, when that is known.
    Dynamic {
        source: Option<Box<str>>,
        default: Option<Box<Value>>,
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
        }
    }

    /// A value known only at run time, from the quoted code.
    pub fn dynamic_from(source: impl Into<Box<str>>) -> Value {
        Value::Dynamic {
            source: Some(source.into()),
            default: None,
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
            Value::Dict(_) | Value::Dynamic { .. } => None,
        }
    }

    /// The value when every environment variable is unset, when known.
    pub fn default_value(&self) -> Option<Value> {
        match self {
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
            Value::Dynamic { source, default } => match (source, default) {
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
