//! `session!(id, setup, validate = …)`: the parsed arguments, the fingerprint of the
//! definition, and the expansion into a call of the runtime.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use crate::ctxt::Ctxt;
use crate::fingerprint::fingerprint;
use crate::options;

const OPTIONS: [&str; 3] = ["validate", "persist", "indexed_db"];

/// The validated arguments of one `session!` call.
struct SessionCall {
    id: Expr,
    setup: Expr,
    validate: Option<Expr>,
    persist: bool,
    indexed_db: bool,
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

fn is_callable(e: &Expr) -> bool {
    matches!(e, Expr::Closure(_) | Expr::Path(_))
}

fn parse(input: TokenStream) -> Result<SessionCall, syn::Error> {
    let args = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(input)?;
    let mut cx = Ctxt::default();
    let mut positional = Vec::new();
    let mut validate = None;
    let mut persist = false;
    let mut indexed_db = false;
    let mut seen: Vec<String> = Vec::new();
    for arg in args {
        let Expr::Assign(assign) = arg else {
            if !seen.is_empty() {
                cx.error_spanned_by(&arg, "positional arguments (id, setup) come before options");
            }
            positional.push(arg);
            continue;
        };
        let name = match &*assign.left {
            Expr::Path(p) if p.path.get_ident().is_some() => p.path.get_ident().cloned(),
            _ => None,
        };
        let Some(name) = name else {
            cx.error_spanned_by(
                &assign.left,
                format!(
                    "unknown option; expected one of {}",
                    options::expected(&OPTIONS)
                ),
            );
            continue;
        };
        if !options::check_name(&mut cx, &name, &OPTIONS, &mut seen) {
            continue;
        }
        let key = name.to_string();
        match key.as_str() {
            "validate" => {
                if is_callable(&assign.right) {
                    validate = Some(*assign.right);
                } else {
                    cx.error_spanned_by(
                        &assign.right,
                        "`validate` expects a closure `|page: &Page| …` or a path to a function",
                    );
                }
            }
            "persist" => {
                if let Some(b) = options::bool_expr(&mut cx, &key, &assign.right) {
                    persist = b;
                }
            }
            _ => {
                if let Some(b) = options::bool_expr(&mut cx, &key, &assign.right) {
                    indexed_db = b;
                }
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
    cx.check()?;
    Ok(SessionCall {
        id,
        setup,
        validate,
        persist,
        indexed_db,
    })
}

fn render(call: &SessionCall) -> TokenStream {
    let SessionCall {
        id,
        setup,
        validate,
        persist,
        indexed_db,
    } = call;
    // Different options make a different definition too (SPEC C8).
    let fp = fingerprint(&[
        setup.to_token_stream(),
        validate.to_token_stream(),
        quote!(#persist),
        quote!(#indexed_db),
    ]);
    let validate = match validate {
        Some(v) => quote!(::session_test::__private::validate_fn(#v)),
        None => quote!(::session_test::__private::no_validate()),
    };
    quote! {
        ::session_test::__private::session(
            &(#id),
            ::session_test::__private::setup_fn(#setup),
            #validate,
            ::session_test::__private::SessionOptions {
                fingerprint: #fp,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
                persist: #persist,
                indexed_db: #indexed_db,
            },
        )
    }
}
