use session_test::session;

fn login() -> session_test::Result<()> {
    session!("alice")?;
    Ok(())
}

fn main() {}
