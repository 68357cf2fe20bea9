//! The diagnostic type every rule produces and every output format consumes.
//!
//! Positions are byte offsets ([`TextSize`]) into the analysed source. Lines and
//! columns are computed only at the edges, through a [`LineIndex`]. This crate
//! knows nothing about Python: it is the leaf every other crate depends on.

mod line_index;

pub use line_index::{LineColumn, LineIndex};
pub use ruff_text_size::{Ranged, TextLen, TextRange, TextSize};

use std::fmt;

/// How urgently a finding deserves a reviewer's attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses `critical`, `high`, `medium` or `low`, in any case.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// How loudly every output format marks a finding of this severity: the
    /// one mapping from severity to level (SARIF `level`, GitHub workflow
    /// commands, the text report's headers).
    pub fn level(self) -> Level {
        match self {
            Severity::Critical | Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low => Level::Note,
        }
    }

    /// The score GitHub code scanning reads from `properties.security-severity`.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How loudly a finding is shown, from [`Severity::level`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    /// `error`, `warning` or `note`, as SARIF spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// The state of one cookie attribute at a cookie write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeState {
    /// Set to a safe value.
    Set,
    /// Absent, and the framework's default is safe.
    DefaultOk,
    /// Absent, and the framework's default is unsafe.
    Missing,
    /// Explicitly false, `None`, `0` or empty.
    False,
    /// `SameSite=None`: the cookie travels with cross-site requests.
    NoneValue,
    /// Known only at run time.
    Dynamic,
}

impl AttributeState {
    pub fn is_insecure(self) -> bool {
        matches!(
            self,
            AttributeState::Missing | AttributeState::False | AttributeState::NoneValue
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeState::Set => "set",
            AttributeState::DefaultOk => "default-ok",
            AttributeState::Missing => "missing",
            AttributeState::False => "false",
            AttributeState::NoneValue => "none",
            AttributeState::Dynamic => "dynamic",
        }
    }
}

/// What one attribute of a cookie write was found to be, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeFinding {
    /// The attribute's canonical name: `secure`, `httponly` or `samesite`.
    pub attribute: &'static str,
    pub state: AttributeState,
    /// A short reason, such as `missing (Django default False)`.
    pub reason: String,
}

/// Whether applying a fix keeps the program's intended behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Shown, never applied.
    DisplayOnly,
    /// Overrides an explicit decision; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Repairs an oversight; applied by `--fix`.
    Safe,
}

/// One text replacement. An insertion has an empty range; a deletion has no content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub content: Option<Box<str>>,
}

impl Edit {
    pub fn insertion(content: impl Into<Box<str>>, at: TextSize) -> Edit {
        Edit {
            range: TextRange::empty(at),
            content: Some(content.into()),
        }
    }

    pub fn deletion(range: TextRange) -> Edit {
        Edit {
            range,
            content: None,
        }
    }

    pub fn replacement(content: impl Into<Box<str>>, range: TextRange) -> Edit {
        Edit {
            range,
            content: Some(content.into()),
        }
    }
}

/// A set of edits that together repair one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Sorted by start offset; never overlapping.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// An imperative description such as "Add `secure=True`".
    pub title: String,
}

/// One finding of one rule in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's id, such as `PYTHON-DJANGO-SEC-070`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The range of the whole offending expression; reports use its start line.
    pub range: TextRange,
    pub message: String,
    /// One entry per examined attribute; the insecure ones are reported.
    pub details: Vec<AttributeFinding>,
    pub fix: Option<Fix>,
    /// Other places that explain the finding: the write inside a helper
    /// function a call site reaches, or the call that reaches it.
    pub related: Vec<Related>,
}

/// A place in the project that explains a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file: absolute when a rule makes it; relative to the project
    /// root, with `/`, once the engine reports it.
    pub path: String,
    /// One-based line and column of the place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    /// The names of the insecure attributes, in the order they were examined.
    pub fn insecure_attributes(&self) -> Vec<&'static str> {
        self.details
            .iter()
            .filter(|detail| detail.state.is_insecure())
            .map(|detail| detail.attribute)
            .collect()
    }
}

impl Ranged for Diagnostic {
    fn range(&self) -> TextRange {
        self.range
    }
}
