//! One runnable example per common login flow (`examples/`): each runs its tests against the
//! demo app and logs in exactly as often as it has users.

use std::process::Command;

fn run_example(name: &str) -> String {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    assert!(
        path.is_file(),
        "build the examples first: {}",
        path.display()
    );
    let out = Command::new(&path).output().unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name}: {shown}");
    shown
}

#[test]
fn every_login_flow_example_passes_and_logs_in_once_per_user() {
    for (example, tests, logins) in [
        ("form_login", 2, 1),
        ("api_login", 2, 1),
        ("token_second_origin", 2, 1),
        // Two users signed in at once, in two contexts of one test; then a switch.
        ("two_users_at_once", 4, 3),
        // One login on the auth site, one session the app's callback creates.
        ("cross_origin_login", 2, 2),
        // One test at a time: one login, taken on from test to test.
        ("rotating_tokens", 4, 1),
        // The login happens in a popup on the auth site; the later tests restore it.
        ("popup_sign_in", 3, 1),
        // The login happens in a cross-site iframe; its partitioned storage is restored.
        ("iframe_widget", 3, 1),
        // A service worker answers the app's pages; restores go on as usual.
        ("service_worker_app", 3, 1),
        // Restored while younger than its max_age.
        ("session_age", 3, 1),
        // Routes stub, fail once and change the provider's answers; the login is waited for.
        ("network", 4, 1),
        // One passkey registration (its sign-up is the login); each test's step-up is
        // verified with the strict counter rule.
        ("passkey_login", 3, 1),
        // An axum app served on each async test's own runtime; one login for its three tests.
        ("axum_app", 3, 1),
    ] {
        let shown = run_example(example);
        assert!(
            shown.contains(&format!("test result: ok. {tests} passed; 0 failed")),
            "{example}: {shown}"
        );
        assert!(
            shown.contains(&format!("server logins: {logins}\n")),
            "{example}: {shown}"
        );
        if example == "rotating_tokens" {
            assert!(shown.contains("refused refreshes: 0\n"), "{shown}");
        }
        if example == "passkey_login" {
            for line in [
                "passkey registrations: 1\n",
                "passkey step-ups: 3\n",
                "refused counters: 0\n",
            ] {
                assert!(shown.contains(line), "{line}: {shown}");
            }
        }
    }
}
