use session_test::{session_test, Page};

#[session_test]
async fn no_async(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

fn main() {}
