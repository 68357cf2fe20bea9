//! What a project declares it depends on, read from its packaging files.
//!
//! A module that imports no web framework can still write cookies on the
//! framework's responses (a helper module handed a response). The rules use
//! the distributions a project declares to type such a receiver; a project
//! that declares no web framework stays silent on look-alikes.
//!
//! The declarations that cover a file are those of every folder from the
//! file's own up to the project root: `requirements*.txt` and
//! `requirements/*.txt` (also `*.in`), `pyproject.toml` (PEP 621, PEP 735
//! dependency groups, Poetry, PDM), `setup.cfg`, `setup.py`
//! (`install_requires`), `Pipfile`, and a `manage.py`, which makes a folder
//! a Django project. Names are normalised as PEP 503 says (lower case, runs
//! of `-`, `_` and `.` become one `-`). Each folder is read once per scan.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::overlay::Files;

/// Packaging files larger than this are not read.
const MAX_DECLARATION_BYTES: u64 = 1024 * 1024;

/// Requirement files read from a `requirements/` folder, at most.
const MAX_REQUIREMENT_FILES: usize = 32;

/// The distributions each folder of a project declares.
#[derive(Default)]
pub(crate) struct Declarations {
    /// A folder's own declarations.
    own: Mutex<HashMap<PathBuf, Arc<[Box<str>]>>>,
    /// Those of a folder and all its ancestors up to the root.
    inherited: Mutex<HashMap<PathBuf, Arc<[Box<str>]>>>,
}

impl Declarations {
    /// The distributions declared for the file at `path`, sorted.
    pub(crate) fn for_file(&self, files: &Files, root: &Path, path: &Path) -> Arc<[Box<str>]> {
        match path.parent() {
            Some(dir) if dir.starts_with(root) => self.for_dir(files, root, dir),
            _ => Arc::from(Vec::new()),
        }
    }

    fn for_dir(&self, files: &Files, root: &Path, dir: &Path) -> Arc<[Box<str>]> {
        if let Some(known) = lock(&self.inherited).get(dir) {
            return known.clone();
        }
        let own = self.own(files, dir);
        let all: Arc<[Box<str>]> = match dir.parent() {
            Some(parent) if dir != root && parent.starts_with(root) => {
                let above = self.for_dir(files, root, parent);
                if own.is_empty() {
                    above
                } else {
                    let merged: BTreeSet<Box<str>> =
                        above.iter().chain(own.iter()).cloned().collect();
                    merged.into_iter().collect()
                }
            }
            _ => own,
        };
        lock(&self.inherited).insert(dir.to_path_buf(), all.clone());
        all
    }

    fn own(&self, files: &Files, dir: &Path) -> Arc<[Box<str>]> {
        if let Some(known) = lock(&self.own).get(dir) {
            return known.clone();
        }
        let mut names = BTreeSet::new();
        read_folder(files, dir, &mut names);
        let names: Arc<[Box<str>]> = names.into_iter().collect();
        lock(&self.own).insert(dir.to_path_buf(), names.clone());
        names
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn read_folder(files: &Files, dir: &Path, names: &mut BTreeSet<Box<str>>) {
    let text = |name: &str| files.text(&dir.join(name), MAX_DECLARATION_BYTES);
    if files.is_file(&dir.join("manage.py")) {
        names.insert("django".into());
    }
    if let Some(text) = text("pyproject.toml") {
        pyproject(&text, names);
    }
    if let Some(text) = text("Pipfile") {
        pipfile(&text, names);
    }
    if let Some(text) = text("setup.cfg") {
        setup_cfg(&text, names);
    }
    if let Some(text) = text("setup.py") {
        setup_py(&text, names);
    }
    for path in requirement_files(files, dir) {
        if let Some(text) = files.text(&path, MAX_DECLARATION_BYTES) {
            requirements(&text, names);
        }
    }
}

/// `requirements*.txt` / `*.in` in `dir`, and every `.txt` / `.in` file of
/// `dir/requirements/`.
fn requirement_files(files: &Files, dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let is_list = |name: &str| {
        Path::new(name)
            .extension()
            .is_some_and(|ext| ext == "txt" || ext == "in")
    };
    let mut names_in = |folder: &Path, all: bool| {
        let mut names: Vec<String> = Vec::new();
        if let Ok(entries) = std::fs::read_dir(folder) {
            names.extend(
                entries
                    .flatten()
                    .map(|entry| entry.file_name().to_string_lossy().into_owned()),
            );
        }
        if let Some(overlay) = files.overlay() {
            names.extend(
                overlay
                    .under(folder)
                    .filter(|path| path.parent() == Some(folder))
                    .filter_map(|path| path.file_name())
                    .map(|name| name.to_string_lossy().into_owned()),
            );
        }
        names.sort();
        names.dedup();
        for name in names {
            if is_list(&name) && (all || name.starts_with("requirements")) {
                found.push(folder.join(name));
            }
        }
    };
    names_in(dir, false);
    let nested = dir.join("requirements");
    if nested.is_dir()
        || files
            .overlay()
            .is_some_and(|o| o.under(&nested).next().is_some())
    {
        names_in(&nested, true);
    }
    found.truncate(MAX_REQUIREMENT_FILES);
    found
}

/// The distribution a PEP 508 requirement names: the leading name, before
/// any extras, version, marker or URL.
fn requirement_name(text: &str) -> Option<Box<str>> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(normalise(name))
}

/// PEP 503 normalisation.
fn normalise(name: &str) -> Box<str> {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out.into()
}

fn requirements(text: &str, names: &mut BTreeSet<Box<str>>) {
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with(['#', '-']) || line.contains("://") {
            continue;
        }
        names.extend(requirement_name(line));
    }
}

fn pyproject(text: &str, names: &mut BTreeSet<Box<str>>) {
    let Ok(table) = text.parse::<toml::Table>() else {
        return;
    };
    let strings = |value: Option<&toml::Value>, names: &mut BTreeSet<Box<str>>| {
        for item in value.and_then(toml::Value::as_array).into_iter().flatten() {
            if let Some(text) = item.as_str() {
                names.extend(requirement_name(text));
            }
        }
    };
    let keys = |value: Option<&toml::Value>, names: &mut BTreeSet<Box<str>>| {
        for key in value
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(toml::Table::keys)
        {
            if key != "python" {
                names.extend(requirement_name(key));
            }
        }
    };
    if let Some(project) = table.get("project") {
        strings(project.get("dependencies"), names);
        for list in project
            .get("optional-dependencies")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(toml::Table::values)
        {
            strings(Some(list), names);
        }
    }
    for list in table
        .get("dependency-groups")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flat_map(toml::Table::values)
    {
        strings(Some(list), names);
    }
    let tool = table.get("tool");
    if let Some(poetry) = tool.and_then(|tool| tool.get("poetry")) {
        keys(poetry.get("dependencies"), names);
        keys(poetry.get("dev-dependencies"), names);
        for group in poetry
            .get("group")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(toml::Table::values)
        {
            keys(group.get("dependencies"), names);
        }
    }
    if let Some(pdm) = tool.and_then(|tool| tool.get("pdm")) {
        for list in pdm
            .get("dev-dependencies")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(toml::Table::values)
        {
            strings(Some(list), names);
        }
    }
}

fn pipfile(text: &str, names: &mut BTreeSet<Box<str>>) {
    let Ok(table) = text.parse::<toml::Table>() else {
        return;
    };
    for section in ["packages", "dev-packages"] {
        for key in table
            .get(section)
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(toml::Table::keys)
        {
            names.extend(requirement_name(key));
        }
    }
}

/// `install_requires` and `extras_require` of `setup.cfg`: a value on the
/// key's line and the indented lines after it.
fn setup_cfg(text: &str, names: &mut BTreeSet<Box<str>>) {
    let mut section = String::new();
    let mut in_list = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']']).trim().to_ascii_lowercase();
            in_list = false;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if indented && in_list {
            if !trimmed.starts_with(['#', ';']) {
                names.extend(requirement_name(trimmed));
            }
            continue;
        }
        in_list = false;
        if let Some((key, value)) = trimmed.split_once('=') {
            let key = key.trim();
            let listed = (section == "options" && key == "install_requires")
                || section == "options.extras_require";
            if listed {
                in_list = true;
                names.extend(requirement_name(value));
            }
        }
    }
}

/// The quoted strings of the list given to `install_requires` (and
/// `extras_require`'s lists) in `setup.py`.
fn setup_py(text: &str, names: &mut BTreeSet<Box<str>>) {
    for key in ["install_requires", "extras_require"] {
        let mut rest = text;
        while let Some(at) = rest.find(key) {
            rest = &rest[at + key.len()..];
            let Some(open) = rest.find(['[', '{']) else {
                break;
            };
            // Only a list written right after the keyword.
            if !rest[..open]
                .trim()
                .trim_start_matches([':', '='])
                .trim()
                .is_empty()
            {
                continue;
            }
            let body = &rest[open..];
            let close = matching_close(body).unwrap_or(body.len());
            let mut lists = &body[..close];
            if lists.starts_with('{') {
                // `extras_require={'dev': [...]}`: the keys are extras' names.
                while let Some(start) = lists.find('[') {
                    let list = &lists[start..];
                    let end = matching_close(list).unwrap_or(list.len());
                    for string in quoted(&list[..end]) {
                        names.extend(requirement_name(string));
                    }
                    lists = &list[end..];
                }
                continue;
            }
            for string in quoted(lists) {
                names.extend(requirement_name(string));
            }
        }
    }
}

fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

fn quoted(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(['"', '\''])?;
        let quote = rest[start..].chars().next()?;
        let body = &rest[start + 1..];
        let end = body.find(quote)?;
        let found = &body[..end];
        rest = &body[end + 1..];
        Some(found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(read: fn(&str, &mut BTreeSet<Box<str>>), text: &str) -> Vec<String> {
        let mut found = BTreeSet::new();
        read(text, &mut found);
        found.into_iter().map(String::from).collect()
    }

    #[test]
    fn requirement_lines() {
        assert_eq!(
            names(
                requirements,
                "# web\nDjango>=4.2  # LTS\n-r base.txt\n-e git+https://x/y#egg=z\nflask_login[extra]==0.6; python_version>'3'\n\nhttps://example.org/pkg.whl\n"
            ),
            ["django", "flask-login"]
        );
    }

    #[test]
    fn pyproject_tables() {
        let text = r#"
[project]
dependencies = ["Flask>=3", "requests"]
[project.optional-dependencies]
web = ["gunicorn"]
[dependency-groups]
dev = ["pytest", {include-group = "web"}]
[tool.poetry.dependencies]
python = "^3.11"
Django = "^5"
[tool.poetry.group.test.dependencies]
factory_boy = "*"
"#;
        assert_eq!(
            names(pyproject, text),
            [
                "django",
                "factory-boy",
                "flask",
                "gunicorn",
                "pytest",
                "requests"
            ]
        );
        assert!(names(pyproject, "not = [toml").is_empty());
    }

    #[test]
    fn setup_files() {
        let cfg = "[metadata]\nname = shop\n[options]\ninstall_requires =\n    django>=4\n    # comment\n    pillow\npython_requires = >=3.9\n[options.extras_require]\ntest = pytest\n";
        assert_eq!(names(setup_cfg, cfg), ["django", "pillow", "pytest"]);
        let py = "setup(name='shop', install_requires=[\n 'Flask>=2', \"itsdangerous\",\n], extras_require={'dev': ['black']})\n";
        assert_eq!(names(setup_py, py), ["black", "flask", "itsdangerous"]);
        assert_eq!(
            names(setup_py, "install_requires = reqs()\nx = ['flask']"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn pipfile_sections() {
        let text = "[packages]\nsanic = \"*\"\n[dev-packages]\nPyTest = \"*\"\n";
        assert_eq!(names(pipfile, text), ["pytest", "sanic"]);
    }

    #[test]
    fn folders_inherit_their_ancestors_declarations() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let root_path = root.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root_path.join("backend/app")).unwrap();
        std::fs::write(root_path.join("requirements.txt"), "tornado\n").unwrap();
        std::fs::create_dir_all(root_path.join("backend/requirements")).unwrap();
        std::fs::write(root_path.join("backend/requirements/prod.txt"), "Django\n").unwrap();
        std::fs::write(root_path.join("backend/manage.py"), "").unwrap();
        let files = Files::new(None);
        let declarations = Declarations::default();
        let file = root_path.join("backend/app/cookies.py");
        let found = declarations.for_file(&files, &root_path, &file);
        assert_eq!(&*found, [Box::from("django"), Box::from("tornado")]);
        let top = declarations.for_file(&files, &root_path, &root_path.join("x.py"));
        assert_eq!(&*top, [Box::from("tornado")]);
    }
}
