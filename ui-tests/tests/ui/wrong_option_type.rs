use session_test::{session_test, Page};

#[session_test(timeout = "30s")]
fn timeout_is_seconds(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

#[session_test(test_isolation = 0)]
fn isolation_is_bool(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

#[session_test(timeout = 0)]
fn timeout_is_positive(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

fn main() {}
