//! The three published crates package cleanly (offline, as `cargo publish` would build
//! them): each ships its sources and both licence texts, and nothing of the workspace's
//! tests, fixtures, demo app or build output.

use std::process::Command;

/// Runs `cargo package` with `args`; returns its stdout and everything it printed.
fn cargo_package(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["package", "--offline", "--allow-dirty"])
        .args(args)
        .output()
        .unwrap();
    let shown = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "cargo package {args:?}:\n{shown}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), shown)
}

#[test]
fn each_crate_ships_its_sources_and_licences_only() {
    for (krate, must) in [
        (
            "session-test",
            &["src/lib.rs", "README.md", "BENCHMARKS.md"][..],
        ),
        ("session-test-macros", &["src/lib.rs"][..]),
        (
            "session-test-runtime",
            &["src/lib.rs", "src/locator/query.js"][..],
        ),
    ] {
        let (listed, _) = cargo_package(&["--list", "-p", krate]);
        let files: Vec<&str> = listed.lines().collect();
        for file in must
            .iter()
            .chain(&["Cargo.toml", "LICENSE-MIT", "LICENSE-APACHE"])
        {
            assert!(files.contains(file), "{krate} lacks {file}:\n{listed}");
        }
        for file in &files {
            let allowed = file.starts_with("src/")
                || file.starts_with("LICENSE-")
                || file.starts_with("Cargo.")
                || [".cargo_vcs_info.json", "README.md", "BENCHMARKS.md"].contains(file);
            assert!(allowed, "{krate} would ship {file}");
        }
    }
}

/// Together, as `cargo publish --workspace` would: the facade's dependencies on the other two
/// resolve, the unpublished demo app and UI tests are no dependency of anything published, and the
/// metadata draws no warning.
#[test]
fn the_workspace_packages_without_warnings() {
    let (_, shown) = cargo_package(&[
        "--workspace",
        "--exclude",
        "session-test-demo-app",
        "--exclude",
        "session-test-ui-tests",
        "--no-verify",
    ]);
    for krate in [
        "session-test-macros",
        "session-test-runtime",
        "session-test ",
    ] {
        assert!(shown.contains(&format!("Packaging {krate}")), "{shown}");
    }
    let warnings: Vec<&str> = shown
        .lines()
        .filter(|l| {
            l.starts_with("warning") && !l.contains("is not included in the published package")
        })
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}\n{shown}");
}
