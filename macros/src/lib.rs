//! Procedural macros of [session-test](https://docs.rs/session-test). Use them through the
//! `session-test` crate, which re-exports them; generated code names only
//! `::session_test::__private`.

#![warn(missing_docs)]

mod ctxt;
mod define;
mod fingerprint;
mod options;
mod session;
mod session_options;
mod test_attr;

use proc_macro::TokenStream;

/// Marks a browser test. See `session_test::session_test` for the documentation.
#[proc_macro_attribute]
pub fn session_test(args: TokenStream, item: TokenStream) -> TokenStream {
    test_attr::expand(args.into(), item.into()).into()
}

/// Creates or restores a session. See `session_test::session!` for the documentation.
#[proc_macro]
pub fn session(input: TokenStream) -> TokenStream {
    session::expand(input.into()).into()
}

/// Defines a named session at item level. See `session_test::define_session!`.
#[proc_macro]
pub fn define_session(input: TokenStream) -> TokenStream {
    define::expand(input.into()).into()
}

/// Uses a `define_session!` by path. See `session_test::use_session!`.
#[proc_macro]
pub fn use_session(input: TokenStream) -> TokenStream {
    define::expand_use(input.into()).into()
}
