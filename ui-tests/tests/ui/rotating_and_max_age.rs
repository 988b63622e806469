use session_test::{session, Page};

fn borrowed(user: &str) -> session_test::Result<()> {
    // A rotating session's validate runs again at the end of the test: it may not borrow.
    session!(
        ["rotating", user],
        |page: &Page| page.visit("/login"),
        validate = |page: &Page| Ok(page.url()?.contains(user)),
        rotating = true
    )?;
    Ok(())
}

fn bad_values() -> session_test::Result<()> {
    session!("a", |page: &Page| page.visit("/login"), max_age = 0)?;
    session!("b", |page: &Page| page.visit("/login"), max_age = "1h")?;
    session!("c", |page: &Page| page.visit("/login"), rotating = 1)?;
    Ok(())
}

fn main() {}
