use session_test::{session_test, Page};

#[session_test]
fn no_generics<T: Default>(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

fn main() {}
