//! Findings the project chose to leave out: inline comments and per-path ignores.
//!
//! The first step of the [`crate::pipeline`], for every finding. Only our
//! own markers suppress our findings:
//!
//! - `# pathfinder: ignore[RULE-ID, ...]` or a bare `# pathfinder: ignore`, on
//!   the line where the finding starts or on the line before it;
//! - `# noqa: RULE-ID, ...` naming one of our rules, on the finding's start
//!   line;
//! - `# nosec` (the security linters' marker, for every rule) on the
//!   finding's start line.
//!
//! A bare `# noqa`, or one that names only other tools' codes
//! (`# noqa: F403` on a star import), silences a linter, not a security
//! finding: it suppresses nothing here.
//!
//! Rule ids compare without case and with or without the `python/` prefix.
//! A `# pathfinder: ignore` that suppresses nothing is reported as an
//! [`UnusedIgnore`] when asked; `nosec` and `noqa` belong to other tools too,
//! so they are never reported. Comments are found by a scan of each line that
//! skips quoted strings on that line; a `#` inside a string that spans lines
//! is not told apart from a comment.

use globset::{Glob, GlobMatcher};

/// A `# pathfinder: ignore` comment that suppressed no finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedIgnore {
    /// Relative to the project, with `/`.
    pub path: String,
    /// One-based line and column of the `#`.
    pub line: usize,
    pub column: usize,
    /// The comment as written, such as `# pathfinder: ignore[PYTHON-DJANGO-SEC-070]`.
    pub comment: String,
}

impl UnusedIgnore {
    /// The message every output format shows.
    pub fn message(&self) -> String {
        format!("`{}` suppresses nothing; remove it", self.comment)
    }
}

/// `[tool.pathfinder.per-path-ignores]`: files matching a glob skip some rules.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub glob: String,
    /// Rule ids; `*` or `all` means every rule.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pathfinder,
    Nosec,
    Noqa,
}

/// One suppression comment.
#[derive(Debug, Clone)]
pub(crate) struct Directive {
    kind: Kind,
    /// Zero-based line of the comment.
    line: usize,
    /// Zero-based column (in characters) of the comment's `#`.
    column: usize,
    /// `None` for every rule.
    rules: Option<Vec<String>>,
    comment: String,
    used: bool,
}

/// The suppression comments of one file.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    /// Finds the suppression comments of `source`. Cheap when there are none.
    pub(crate) fn parse(source: &str) -> Suppressions {
        let mut directives = Vec::new();
        let mentions = |word: &str| {
            source
                .as_bytes()
                .windows(word.len())
                .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
        };
        if !(mentions("pathfinder") || mentions("nosec") || mentions("noqa")) {
            return Suppressions { directives };
        }
        for (line_number, line) in source.lines().enumerate() {
            let Some((column, comment)) = comment_of(line) else {
                continue;
            };
            directives.extend(
                parse_comment(comment)
                    .into_iter()
                    .map(|(kind, rules)| Directive {
                        kind,
                        line: line_number,
                        column,
                        rules,
                        comment: comment.trim_end().to_string(),
                        used: false,
                    }),
            );
        }
        Suppressions { directives }
    }

    /// Whether a finding of `rule` starting on zero-based `line` is suppressed;
    /// marks the comments that suppress it as used.
    pub(crate) fn suppresses(&mut self, rule: &str, line: usize) -> bool {
        let mut suppressed = false;
        for directive in &mut self.directives {
            let on_line = match directive.kind {
                Kind::Pathfinder => directive.line == line || directive.line + 1 == line,
                Kind::Nosec | Kind::Noqa => directive.line == line,
            };
            let names_rule = directive
                .rules
                .as_ref()
                .is_none_or(|rules| rules.iter().any(|name| same_rule(name, rule)));
            if on_line && names_rule {
                directive.used = true;
                suppressed = true;
            }
        }
        suppressed
    }

    /// The `# pathfinder: ignore` comments that suppressed nothing. A comment
    /// that names only rules outside `active` is left alone: those rules did
    /// not run, so it may well be needed.
    pub(crate) fn unused(&self, path: &str, active: &[&str]) -> Vec<UnusedIgnore> {
        self.directives
            .iter()
            .filter(|directive| directive.kind == Kind::Pathfinder && !directive.used)
            .filter(|directive| {
                directive.rules.as_ref().is_none_or(|rules| {
                    rules
                        .iter()
                        .any(|name| active.iter().any(|rule| same_rule(name, rule)))
                })
            })
            .map(|directive| UnusedIgnore {
                path: path.to_string(),
                line: directive.line + 1,
                column: directive.column + 1,
                comment: directive.comment.clone(),
            })
            .collect()
    }
}

/// Per-path ignores, compiled.
#[derive(Debug, Default)]
pub(crate) struct PathIgnores {
    entries: Vec<(GlobMatcher, Vec<String>)>,
}

impl PathIgnores {
    pub(crate) fn new(ignores: &[PathIgnore]) -> Result<PathIgnores, String> {
        let mut entries = Vec::new();
        for ignore in ignores {
            let glob = Glob::new(&ignore.glob)
                .map_err(|error| format!("per-path-ignores `{}`: {error}", ignore.glob))?;
            entries.push((glob.compile_matcher(), ignore.rules.clone()));
        }
        Ok(PathIgnores { entries })
    }

    /// Whether `rule` is switched off for the project-relative `path`.
    pub(crate) fn ignores(&self, path: &str, rule: &str) -> bool {
        self.entries.iter().any(|(glob, rules)| {
            glob.is_match(path)
                && rules.iter().any(|name| {
                    name == "*" || name.eq_ignore_ascii_case("all") || same_rule(name, rule)
                })
        })
    }
}

/// Rule ids compare without case and with or without `python/`.
fn same_rule(name: &str, rule: &str) -> bool {
    let name = name.trim();
    let name = name
        .strip_prefix("python/")
        .or_else(|| name.strip_prefix("PYTHON/"))
        .unwrap_or(name);
    name.eq_ignore_ascii_case(rule)
}

/// The zero-based character column and text of the comment on `line`, if any,
/// skipping `#` inside string literals that open and close on this line.
fn comment_of(line: &str) -> Option<(usize, &str)> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (column, (offset, character)) in line.char_indices().enumerate() {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == open {
                quote = None;
            }
            continue;
        }
        match character {
            '\'' | '"' => quote = Some(character),
            '#' => return Some((column, &line[offset..])),
            _ => {}
        }
    }
    None
}

/// The suppressions in one comment; a comment may hold several, such as
/// `# noqa: E501  # pathfinder: ignore[PYTHON-DJANGO-SEC-070]`.
fn parse_comment(comment: &str) -> Vec<(Kind, Option<Vec<String>>)> {
    let mut found = Vec::new();
    for part in comment
        .split('#')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let lower = part.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("pathfinder:") {
            let rest_original = &part[part.len() - rest.len()..];
            let Some(after) = rest.trim_start().strip_prefix("ignore") else {
                continue;
            };
            let after_original = &rest_original[rest_original.len() - after.len()..];
            let after_original = after_original.trim_start();
            if let Some(list) = after_original.strip_prefix('[') {
                let list = list.split(']').next().unwrap_or_default();
                found.push((Kind::Pathfinder, Some(split_rules(list))));
            } else if after.is_empty() || after.starts_with(char::is_whitespace) {
                found.push((Kind::Pathfinder, None));
            }
        } else if lower == "nosec" || lower.starts_with("nosec ") || lower.starts_with("nosec:") {
            found.push((Kind::Nosec, None));
        } else if lower.starts_with("noqa:") {
            // Only a list can name our rules; a bare `noqa` is a linter's.
            let rules = split_rules(&part["noqa:".len()..]);
            if !rules.is_empty() {
                found.push((Kind::Noqa, Some(rules)));
            }
        }
    }
    found
}

fn split_rules(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(ToString::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "PYTHON-DJANGO-SEC-070";

    /// Which zero-based lines' findings of `RULE` are suppressed, and which
    /// ignore comments stay unused.
    fn check(source: &str, finding_lines: &[usize], suppressed: &[usize], unused: &[usize]) {
        let mut suppressions = Suppressions::parse(source);
        let actual: Vec<usize> = finding_lines
            .iter()
            .copied()
            .filter(|&line| suppressions.suppresses(RULE, line))
            .collect();
        assert_eq!(actual, suppressed, "suppressed lines of:\n{source}");
        let actual_unused: Vec<usize> = suppressions
            .unused("a.py", &[RULE])
            .iter()
            .map(|ignore| ignore.line - 1)
            .collect();
        assert_eq!(actual_unused, unused, "unused ignores of:\n{source}");
    }

    #[test]
    fn pathfinder_ignore_on_the_line_or_the_line_before() {
        check("r.set_cookie('a')  # pathfinder: ignore\n", &[0], &[0], &[]);
        check(
            "# pathfinder: ignore[PYTHON-DJANGO-SEC-070]\nr.set_cookie('a')\n",
            &[1],
            &[1],
            &[],
        );
        check(
            "# pathfinder: ignore[python/python-django-sec-070, OTHER-1]\n\nr.set_cookie('a')\n",
            &[2],
            &[],
            &[0],
        );
        check(
            "r.set_cookie('a')  # pathfinder: ignore[OTHER-1]\n",
            &[0],
            &[],
            &[],
        );
        check("x = 1  # pathfinder:ignore\n", &[], &[], &[0]);
        check("x = 1  # pathfinder: ignored\n", &[], &[], &[]);
    }

    #[test]
    fn nosec_and_noqa_only_on_the_line() {
        check("r.set_cookie('a')  # nosec\n", &[0], &[0], &[]);
        check("r.set_cookie('a')  # nosec B105\n", &[0], &[0], &[]);
        check("# nosec\nr.set_cookie('a')\n", &[1], &[], &[]);
        check("r.set_cookie('a')  # noqa\n", &[0], &[], &[]);
        check("r.set_cookie('a')  # noqa:F403\n", &[0], &[], &[]);
        check(
            "r.set_cookie('a')  # NOQA: python-django-sec-070\n",
            &[0],
            &[0],
            &[],
        );
        check(
            "r.set_cookie('a')  # noqa: E501, PYTHON-DJANGO-SEC-070\n",
            &[0],
            &[0],
            &[],
        );
        check("r.set_cookie('a')  # noqa: E501\n", &[0], &[], &[]);
        check(
            "r.set_cookie('a')  # noqa: E501  # pathfinder: ignore\n",
            &[0],
            &[0],
            &[],
        );
    }

    #[test]
    fn strings_are_not_comments() {
        check("r.set_cookie('#', 'a')  \n", &[0], &[], &[]);
        check(
            "r.set_cookie('# pathfinder: ignore', \"a\")\n",
            &[0],
            &[],
            &[],
        );
        check("r.set_cookie('it\\'s # x')  # nosec\n", &[0], &[0], &[]);
    }

    #[test]
    fn per_path_ignores() {
        let ignores = PathIgnores::new(&[
            PathIgnore {
                glob: "legacy/**".to_string(),
                rules: vec![RULE.to_string()],
            },
            PathIgnore {
                glob: "scripts/*.py".to_string(),
                rules: vec!["*".to_string()],
            },
        ])
        .unwrap();
        assert!(ignores.ignores("legacy/old/views.py", RULE));
        assert!(!ignores.ignores("legacy/old/views.py", "OTHER-1"));
        assert!(ignores.ignores("scripts/run.py", "OTHER-1"));
        assert!(!ignores.ignores("shop/views.py", RULE));
        assert!(
            PathIgnores::new(&[PathIgnore {
                glob: "[".to_string(),
                rules: vec![],
            }])
            .is_err()
        );
    }
}
