//! `session!(id, setup, validate = …)`: the parsed arguments, the fingerprint of the
//! definition, and the expansion into a call of the runtime.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use crate::ctxt::Ctxt;
use crate::fingerprint::fingerprint;
use crate::session_options::{is_callable, SessionOptions};

const OPTIONS: [&str; 6] = [
    "validate",
    "persist",
    "indexed_db",
    "rotating",
    "passkeys",
    "max_age",
];

/// The validated arguments of one `session!` call.
struct SessionCall {
    id: Expr,
    setup: Expr,
    options: SessionOptions,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match parse(input) {
        Ok(call) => render(&call),
        Err(e) => {
            let err = e.to_compile_error();
            // Keep the expression's type so that `session!(…)?` reports nothing more.
            quote!({ #err; ::core::result::Result::<::session_test::SessionStatus, ::session_test::Error>::Ok(::session_test::SessionStatus::Created) })
        }
    }
}

const USAGE: &str = "expected `session!(id, |page: &Page| { setup }, validate = |page: &Page| …)`";

fn parse(input: TokenStream) -> Result<SessionCall, syn::Error> {
    let args = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(input)?;
    let mut cx = Ctxt::default();
    let mut positional = Vec::new();
    let mut options = SessionOptions::default();
    for arg in args {
        match arg {
            Expr::Assign(assign) => options.read(&mut cx, assign, &OPTIONS),
            arg => {
                if options.any_given() {
                    cx.error_spanned_by(
                        &arg,
                        "positional arguments (id, setup) come before options",
                    );
                }
                positional.push(arg);
            }
        }
    }
    let mut positional = positional.into_iter();
    let id = positional.next();
    let setup = positional.next();
    for extra in positional {
        cx.error_spanned_by(&extra, format!("unexpected argument; {USAGE}"));
    }
    if let Some(setup) = &setup {
        if !is_callable(setup) {
            cx.error_spanned_by(
                setup,
                "the setup must be a closure `|page: &Page| { … }` or a path to a function",
            );
        }
    }
    let (Some(id), Some(setup)) = (id, setup) else {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!("session! needs an id and a setup; {USAGE}"),
        ));
        return Err(cx.check().unwrap_err());
    };
    if is_async(&setup) && options.held() {
        cx.error_spanned_by(
            &setup,
            "a rotating or passkeys session takes a blocking setup: in an async test, \
             run its login helper with `page.run(|_| login())`",
        );
    }
    cx.check()?;
    Ok(SessionCall { id, setup, options })
}

/// An async closure (`async |page| …`, or `|page| async move { … }`): the session is set up
/// with awaits, in an async test.
fn is_async(setup: &Expr) -> bool {
    match setup {
        Expr::Closure(c) => c.asyncness.is_some() || matches!(&*c.body, Expr::Async(_)),
        _ => false,
    }
}

fn render(call: &SessionCall) -> TokenStream {
    let SessionCall { id, setup, options } = call;
    let fp = fingerprint(&options.fingerprint_parts(setup));
    let SessionOptions {
        persist,
        indexed_db,
        rotating,
        passkeys,
        ..
    } = options;
    let max_age = options.max_age_tokens();
    let settings = quote! {
        ::session_test::__private::SessionOptions {
            fingerprint: #fp,
            location: ::core::concat!(::core::file!(), ":", ::core::line!()),
            persist: #persist,
            indexed_db: #indexed_db,
            rotating: #rotating,
            passkeys: #passkeys,
            max_age_secs: #max_age,
        }
    };
    if is_async(setup) {
        let validate = match &options.validate {
            Some(v) => quote!(::core::option::Option::Some(#v)),
            None => quote!(::session_test::__private::no_async_validate()),
        };
        return quote! {
            ::session_test::__with_tokio!(
                "a session! with an async setup needs",
                session_async(&(#id), #setup, #validate, #settings)
            )
        };
    }
    // A rotating session's validate runs again when the test lets the session go, after the
    // call returned: it must own what it uses (`'static`).
    let (entry, validate) = match (&options.validate, options.held()) {
        (Some(v), true) => (
            quote!(session_rotating),
            quote!(::session_test::__private::kept_validate(#v)),
        ),
        (None, true) => (
            quote!(session_rotating),
            quote!(::session_test::__private::no_kept_validate()),
        ),
        (Some(v), false) => (
            quote!(session),
            quote!(::session_test::__private::validate_fn(#v)),
        ),
        (None, false) => (
            quote!(session),
            quote!(::session_test::__private::no_validate()),
        ),
    };
    quote! {
        ::session_test::__private::#entry(
            &(#id),
            ::session_test::__private::setup_fn(#setup),
            #validate,
            #settings,
        )
    }
}
