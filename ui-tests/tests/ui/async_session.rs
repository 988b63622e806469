// An async setup for a rotating session is an error (it is held until the test ends, and
// runs blocking); and without the `tokio` feature (these cases build session-test without
// its default features), any async session! is an error that names the feature.
use session_test::{session, Page};

async fn rotating() -> session_test::Result<()> {
    session!(
        "rotating",
        async |page: Page| page.visit("/login"),
        rotating = true
    )?;
    Ok(())
}

async fn without_tokio() -> session_test::Result<()> {
    session!("plain", |page: Page| async move { page.visit("/login") }).await?;
    Ok(())
}

fn main() {}
