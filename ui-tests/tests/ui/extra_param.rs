use session_test::{session_test, Page};

#[session_test]
fn one_param_only(page: &Page, user: &str) -> session_test::Result<()> {
    page.visit(user)
}

fn main() {}
