//! Prints the Django settings modules of a project as the settings rules see
//! them: role, reason and the effective value of each cookie setting.
//!
//! `cargo run -p pathfinder_engine --example django_settings -- PROJECT...`

#![allow(clippy::print_stdout, reason = "a report printed for a person")]

use std::path::Path;

use pathfinder_rules::settings::{COOKIE_SETTINGS, Role};

fn main() {
    for project in std::env::args().skip(1) {
        println!("# {project}");
        for module in pathfinder_engine::django_settings(Path::new(&project)) {
            let role = module.role.as_str();
            println!("{} [{role}: {}]", module.name, module.reason);
            if let Some(opaque) = &module.opaque {
                println!("    opaque: {opaque}");
            }
            if module.role.is_reported() || std::env::var_os("ALL").is_some() {
                let evaluated: Vec<String> =
                    module.evaluated().iter().map(ToString::to_string).collect();
                println!("    evaluated: {}", evaluated.join(" -> "));
                for setting in COOKIE_SETTINGS {
                    println!("    {setting} = {}", module.describe(setting));
                }
            }
        }
        println!();
    }
}
