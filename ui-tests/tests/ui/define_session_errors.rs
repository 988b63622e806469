use session_test::{define_session, use_session, Page};

// No setup.
define_session!(no_setup, validate = |_: &Page| true);

// An unknown key, a key given twice, and a value that is not a closure or path.
define_session!(
    bad_keys,
    setup = |_: &Page| Ok(()),
    retries = 3,
    before = |_: &Page| Ok(()),
    before = |_: &Page| Ok(()),
    after = 42,
);

fn uses() -> session_test::Result<()> {
    // Not the path of a definition: a type error at the call.
    let not_a_definition = 3;
    use_session!(not_a_definition)?;
    Ok(())
}

fn main() {}
