//! `pathfinder settings`: the Django settings model as the settings rules
//! see it, for a reviewer who doubts a finding. Every settings module found,
//! its role and the evidence for it, what it was evaluated through, and the
//! effective value of each cookie setting with the file and line it comes from.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use pathfinder_rules::settings::{COOKIE_SETTINGS, SettingsModule};

use crate::Outcome;
use crate::args::SettingsArgs;
use crate::commands::CommandError;

pub(crate) fn settings_command(args: &SettingsArgs) -> Result<Outcome, CommandError> {
    if !args.project.is_dir() {
        return Err(CommandError::Usage(format!(
            "project path `{}` is not a folder",
            args.project.display()
        )));
    }
    let root = args.project.canonicalize()?;
    let modules = pathfinder_engine::django_settings(&root);
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let list: Vec<serde_json::Value> = modules
            .iter()
            .map(|module| module_json(&root, module))
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "settings_modules": list }))
            .map_err(io::Error::from)?;
        writeln!(out)?;
    } else if modules.is_empty() {
        writeln!(out, "No Django settings module found.")?;
    } else {
        for module in &modules {
            write_module(&mut out, &root, module)?;
        }
        let reported = modules
            .iter()
            .filter(|module| module.role.is_reported())
            .count();
        writeln!(
            out,
            "{} settings module{}, {reported} reported (deployed or template).",
            modules.len(),
            if modules.len() == 1 { "" } else { "s" }
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// `path:line` of a setting's assignment, relative to the project.
fn site(root: &Path, module: &SettingsModule, setting: &str) -> Option<String> {
    let slot = module.get(setting)?;
    let source = std::fs::read_to_string(&slot.site.path).ok()?;
    let offset = usize::from(slot.site.range.start()).min(source.len());
    let line = source[..offset].matches('\n').count() + 1;
    Some(format!("{}:{line}", relative(root, &slot.site.path)))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn write_module(out: &mut impl Write, root: &Path, module: &SettingsModule) -> io::Result<()> {
    let reason = if module.reason.is_empty() {
        "no evidence of what it is for".to_string()
    } else {
        module.reason.clone()
    };
    writeln!(
        out,
        "{}  {}\n  role: {} ({reason})",
        relative(root, &module.path),
        module.name,
        module.role.as_str()
    )?;
    let evaluated: Vec<String> = module.evaluated().iter().map(ToString::to_string).collect();
    if evaluated.len() > 1 {
        writeln!(out, "  evaluated through: {}", evaluated.join(" → "))?;
    }
    for path in module.included() {
        writeln!(out, "  included: {}", relative(root, path))?;
    }
    if let Some(opaque) = &module.opaque {
        writeln!(out, "  cannot see every name: {opaque}")?;
    }
    for setting in COOKIE_SETTINGS {
        let value = module.describe(setting);
        match site(root, module, setting) {
            Some(at) => writeln!(out, "    {setting:<24} {value}  ({at})")?,
            None => writeln!(out, "    {setting:<24} {value}  (Django's default)")?,
        }
    }
    writeln!(out)
}

fn module_json(root: &Path, module: &SettingsModule) -> serde_json::Value {
    let settings: serde_json::Map<String, serde_json::Value> = COOKIE_SETTINGS
        .iter()
        .map(|setting| {
            (
                (*setting).to_string(),
                serde_json::json!({
                    "value": module.describe(setting),
                    "set_at": site(root, module, setting),
                }),
            )
        })
        .collect();
    serde_json::json!({
        "path": relative(root, &module.path),
        "name": &*module.name,
        "role": module.role.as_str(),
        "reported": module.role.is_reported(),
        "evidence": module.reason,
        "evaluated_through": module.evaluated().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "included": module.included().iter().map(|path| relative(root, path)).collect::<Vec<_>>(),
        "opaque": module.opaque,
        "settings": settings,
    })
}
