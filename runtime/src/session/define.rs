//! Named session definitions (SPEC D6): `define_session!` at item level registers one
//! through inventory; `use_session!(path)` and `use_session("name")` run `before`, create or
//! restore it like `session!`, then `after`.

use super::{keep_validate, session, session_rotating, SessionOptions, SessionStatus};
use crate::error::{Error, Result};
use crate::page::Page;
use crate::test_context::current_page;

/// A step of a definition (setup, validate, before, after), its result normalised.
pub type DefinitionStep = fn(&Page) -> Result<()>;

/// What `define_session!` generates.
#[derive(Debug)]
pub struct SessionDefinition {
    /// The name, also the session id.
    pub name: &'static str,
    /// `file:line` of the definition.
    pub location: &'static str,
    /// Fingerprint of setup, validate and options.
    pub fingerprint: u64,
    /// `persist = true`.
    pub persist: bool,
    /// `indexed_db = true`.
    pub indexed_db: bool,
    /// `rotating = true`.
    pub rotating: bool,
    /// `passkeys = true`.
    pub passkeys: bool,
    /// `max_age = N`, seconds.
    pub max_age_secs: Option<u64>,
    /// Runs when the session is created.
    pub setup: DefinitionStep,
    /// Checks a created or restored session.
    pub validate: Option<DefinitionStep>,
    /// Runs before every use, for new and saved sessions alike.
    pub before: Option<DefinitionStep>,
    /// Runs after every use, for new and saved sessions alike.
    pub after: Option<DefinitionStep>,
}

/// The inventory item of a definition.
pub struct DefinitionRegistration(pub &'static SessionDefinition);

inventory::collect!(DefinitionRegistration);

fn all() -> Vec<&'static SessionDefinition> {
    inventory::iter::<DefinitionRegistration>
        .into_iter()
        .map(|r| r.0)
        .collect()
}

/// Uses a definition found by name at run time.
///
/// ```no_run
/// session_test::use_session("admin")?;
/// # Ok::<(), session_test::Error>(())
/// ```
pub fn use_session(name: &str) -> Result<SessionStatus> {
    let found: Vec<_> = all().into_iter().filter(|d| d.name == name).collect();
    match found.as_slice() {
        [] => {
            let mut names: Vec<&str> = all().iter().map(|d| d.name).collect();
            names.sort_unstable();
            names.dedup();
            Err(Error::UnknownSession {
                name: name.to_string(),
                defined: if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                },
            })
        }
        [one] => use_definition(one),
        [first, ..] => use_definition(first),
    }
}

/// Uses `def` (what `use_session!(path)` expands to).
pub fn use_definition(def: &'static SessionDefinition) -> Result<SessionStatus> {
    let mut places: Vec<&str> = all()
        .into_iter()
        .filter(|d| d.name == def.name)
        .map(|d| d.location)
        .collect();
    if places.len() > 1 {
        places.sort_unstable();
        return Err(Error::DuplicateSession {
            name: def.name.to_string(),
            places: places.join(" and "),
        });
    }
    let page = current_page("use_session")?;
    let hook = |which: &'static str, step: Option<DefinitionStep>| -> Result<()> {
        match step {
            Some(f) => f(&page).map_err(|cause| Error::HookFailed {
                name: def.name.to_string(),
                which,
                cause: Box::new(cause),
            }),
            None => Ok(()),
        }
    };
    hook("before", def.before)?;
    let options = SessionOptions {
        fingerprint: def.fingerprint,
        location: def.location,
        persist: def.persist,
        indexed_db: def.indexed_db,
        rotating: def.rotating,
        passkeys: def.passkeys,
        max_age_secs: def.max_age_secs,
    };
    let setup = def.setup;
    let validate = def.validate;
    let status = if def.rotating || def.passkeys {
        session_rotating(def.name, setup, keep_validate(validate), options)?
    } else {
        session(def.name, setup, validate, options)?
    };
    hook("after", def.after)?;
    Ok(status)
}
