//! Build script: gives the binary `PATHFINDER_VERSION`, the package version
//! and the commit it was built from (see `build/commit.rs`), for
//! `pathfinder --version`.

#![allow(
    clippy::print_stdout,
    reason = "cargo reads a build script's instructions from its standard output"
)]

#[path = "build/commit.rs"]
mod commit;

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/commit.rs");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    // The workspace root: the top of the git work tree in a checkout.
    let root = Path::new(&manifest_dir).join("../..");
    for path in commit::files_to_watch(&root) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let text = commit::version_text(&version, commit::head_commit(&root).as_ref());
    println!("cargo::rustc-env=PATHFINDER_VERSION={text}");
}
