use session_test::{session, Page};

fn login() -> session_test::Result<()> {
    session!(
        "alice",
        |page: &Page| page.visit("/login"),
        validate = |_: &Page| true,
        validate = |_: &Page| false,
        retries = 3,
    )?;
    Ok(())
}

fn check() -> session_test::Result<()> {
    session!("bob", |page: &Page| page.visit("/login"), validate = true)?;
    session!("carol", "not a closure")?;
    Ok(())
}

fn main() {}

fn persisted() -> session_test::Result<()> {
    session!("dave", |page: &session_test::Page| page.visit("/login"), persist = "yes")?;
    session!("erin", |page: &session_test::Page| page.visit("/login"), indexed_db = 1)?;
    session!("frank", |page: &session_test::Page| page.visit("/login"), passkeys = "on")?;
    Ok(())
}
