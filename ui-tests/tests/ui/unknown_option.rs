use session_test::{session_test, Page};

#[session_test(retries = 3)]
fn unknown(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

fn main() {}
