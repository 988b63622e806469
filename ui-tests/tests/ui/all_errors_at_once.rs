use session_test::{session_test, Page};

// One build shows every problem: two bad options, a duplicate, an extra parameter.
#[session_test(retries = 3, timeout = 10, timeout = 20, ignore = "yes")]
async fn everything_wrong(page: &Page, extra: u32) {
    let _ = (page, extra);
}

fn main() {}
