use session_test::{session_test, Page};

struct Suite;

impl Suite {
    #[session_test]
    fn no_self(&self, page: &Page) -> session_test::Result<()> {
        page.visit("/")
    }
}

fn main() {}
