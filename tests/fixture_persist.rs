//! A fixture for `persist.rs`: run as separate processes against one demo server whose URL
//! comes in `$DEMO_APP_URL`. Its tests are ignored in a normal run.

use session_test::{session, session_test, Page};

fn app() -> String {
    std::env::var("DEMO_APP_URL").expect("DEMO_APP_URL")
}

fn check_home(page: &Page) -> session_test::Result<()> {
    page.visit(&format!("{}/home", app()))?;
    assert_eq!(page.text("#hello")?, "hello pia");
    Ok(())
}

#[session_test(ignore)]
fn persist_login(page: &Page) -> session_test::Result<()> {
    let status = session!(
        ["persist", "pia"],
        |page: &Page| {
            page.visit(&format!("{}/login", app()))?;
            page.fill("[data-test=name]", "pia")?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")
        },
        validate =
            |page: &Page| Ok(page.request().get(&format!("{}/whoami", app()))?.status() == 200),
        persist = true
    )?;
    println!("status: {status}");
    check_home(page)
}

/// The same id with other setup code: another definition, another file.
#[session_test(ignore)]
fn persist_login_changed(page: &Page) -> session_test::Result<()> {
    let status = session!(
        ["persist", "pia"],
        |page: &Page| {
            page.visit(&format!("{}/login", app()))?;
            page.fill("[data-test=name]", "pia")?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")?;
            page.wait_for("#hello")
        },
        validate =
            |page: &Page| Ok(page.request().get(&format!("{}/whoami", app()))?.status() == 200),
        persist = true
    )?;
    println!("status: {status}");
    check_home(page)
}

/// At most a minute old.
#[session_test(ignore)]
fn persist_login_max_age(page: &Page) -> session_test::Result<()> {
    let status = session!(
        ["persist", "pia", "young"],
        |page: &Page| {
            page.visit(&format!("{}/login", app()))?;
            page.fill("[data-test=name]", "pia")?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")
        },
        persist = true,
        max_age = 60
    )?;
    println!("status: {status}");
    check_home(page)
}
