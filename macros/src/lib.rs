//! Procedural macros of [session-test](https://docs.rs/session-test). Use them through the
//! `session-test` crate, which re-exports them; generated code names only
//! `::session_test::__private`.

mod ctxt;
mod fingerprint;
mod options;
mod session;
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
