//! `session!` with async setup and validate closures, in async tests: the session's
//! machinery (blocking) runs on one of tokio's blocking threads, and each step awaits the
//! closure's future there on the test's runtime. A session is the same one a blocking
//! `session!` with the same id makes: same cache, same files.

use serde::Serialize;

use super::blocking::on_blocking_thread;
use super::Page;
use crate::data::SessionStatus;
use crate::error::{Error, Result};
use crate::session::{IntoSetupOutcome, IntoValidation, SessionOptions};

/// The runtime side of `session!(id, async |page| …)`: restores the session `id` into the
/// current test's page, or creates it with the async `setup`.
pub async fn session_async<I, S, SR, V, VR>(
    id: &I,
    mut setup: S,
    validate: Option<V>,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    I: Serialize + ?Sized,
    S: AsyncFnMut(Page) -> SR + Send + 'static,
    SR: IntoSetupOutcome,
    V: AsyncFnMut(Page) -> VR + Send + 'static,
    VR: IntoValidation,
{
    let id = serde_json::to_value(id).map_err(|e| Error::InvalidSessionId {
        reason: format!("it cannot be serialized: {e}"),
    })?;
    let page = crate::test_context::current_page("session!")?;
    let test = crate::test_context::current_test_name().unwrap_or_default();
    let (on, name) = (page.clone(), test.clone());
    on_blocking_thread(&on, &name, move || {
        let runtime = tokio::runtime::Handle::current();
        let face = |page: &crate::page::Page| Page::new(page.clone(), &test);
        let setup = |page: &crate::page::Page| runtime.block_on(setup(face(page)));
        let on_runtime = runtime.clone();
        let validate = validate.map(|mut validate| {
            move |page: &crate::page::Page| on_runtime.block_on(validate(face(page)))
        });
        crate::session::session(&id, setup, validate, options)
    })
    .await
}

/// The validate of an async `session!` without one.
pub fn no_async_validate() -> Option<fn(Page) -> std::future::Ready<bool>> {
    None
}
