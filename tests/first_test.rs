//! The README's "A first test", followed as a new user would: a new crate outside the
//! workspace, the README's dependency (with this checkout's path) and test file, `cargo test`
//! against the demo app. Its build shares this workspace's target directory and lock file,
//! so it reuses the dependencies already built (cargo builds the project's own crates again:
//! it keys a path crate by its place relative to the workspace).

mod support;

use std::path::{Path, PathBuf};

use session_test_demo_app::DemoApp;

/// The first code block of `lang` after the heading `section` of the README.
fn block<'a>(readme: &'a str, section: &str, lang: &str) -> &'a str {
    let from = readme
        .find(&format!("\n{section}\n"))
        .unwrap_or_else(|| panic!("no `{section}` in the README"));
    let rest = &readme[from..];
    let open = format!("```{lang}\n");
    let start = rest
        .find(&open)
        .unwrap_or_else(|| panic!("no {lang} block under `{section}`"))
        + open.len();
    let len = rest[start..].find("```").expect("a closed block");
    &rest[start..start + len]
}

/// The workspace's target directory: this test binary is in `<target>/debug/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().to_path_buf()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Not a user's lines: the features the workspace's demo app and its async tests' axum app
/// turn on in crates session-test uses too (the passkey server's cryptography, tokio), so
/// that this crate resolves them as the workspace does and reuses what it built (else
/// headless_chrome and what depends on these build again: minutes on 2 cores).
const SAME_FEATURES: &str = "digest = { version = \"0.10\", features = [\"oid\", \"mac\"] }\n\
    generic-array = { version = \"0.14\", features = [\"zeroize\"] }\n\
    subtle = { version = \"2\", default-features = false, features = [\"i128\"] }\n\
    axum = { version = \"0.8\", default-features = false, features = [\"tokio\", \"http1\", \"form\"] }\n\
    tokio = { version = \"1\", features = [\"rt\", \"net\", \"time\", \"sync\"] }\n";

#[test]
fn a_new_crate_runs_the_readmes_first_test() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let dependency = block(&readme, "## A first test", "toml");
    let test = block(&readme, "## A first test", "rust,no_run");
    assert!(
        dependency.contains(r#"session-test = { path = "../session-test" }"#),
        "{dependency}"
    );
    let dir = std::env::temp_dir().join(format!("st-first-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"my-app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             publish = false\n\n{}{SAME_FEATURES}",
            dependency.replace("../session-test", &repo.display().to_string())
        ),
    );
    write(&dir.join("src/lib.rs"), "");
    write(&dir.join("tests/login.rs"), test);
    // The versions this workspace resolved and built (the build is offline anyway).
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let app = DemoApp::start("app.localhost").unwrap();
    let out = support::children::cargo()
        .current_dir(&dir)
        .args(["test", "--offline"])
        // The workspace's debug info settings (its Cargo.toml), else every dependency
        // would build again for the user's crate.
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("SESSION_TEST_BASE_URL", app.base_url())
        .output()
        .unwrap();
    let shown = support::children::text(&out);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("test greets_the_user ... ok"), "{shown}");
    // The dependencies came from the workspace's build: only the project's crates built
    // again. (A dependency's features that differ here make it build again: SAME_FEATURES.)
    assert!(
        !shown.contains("Compiling headless_chrome"),
        "the dependencies built again:\n{shown}"
    );
    assert_eq!(app.logins(), 1, "{shown}");
}
