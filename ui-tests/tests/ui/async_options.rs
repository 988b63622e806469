use session_test::session_test;

// The runtime options of async tests, each wrong in its own way.
#[session_test(flavor = "single")]
async fn unknown_flavor() {}

#[session_test(worker_threads = 2)]
async fn workers_without_multi_thread() {}

#[session_test(flavor = "multi_thread", worker_threads = 0)]
async fn no_workers() {}

#[session_test(flavor = "multi_thread")]
fn not_async() {}

fn main() {}
