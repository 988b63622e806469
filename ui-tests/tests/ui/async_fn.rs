// Without the `tokio` feature (these cases build session-test without its default
// features), an async test is an error that names the feature.
use session_test::{session_test, Page};

#[session_test]
async fn no_async(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

fn main() {}
