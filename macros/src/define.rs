//! `define_session!(name, setup = …, validate = …, before = …, after = …, persist = …,
//! indexed_db = …, rotating = …, passkeys = …, max_age = …)` and
//! `use_session!(path)`: the parsed definition and its expansion into a registered static.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use crate::ctxt::Ctxt;
use crate::fingerprint::fingerprint;
use crate::session_options::SessionOptions;

const KEYS: [&str; 9] = [
    "setup",
    "validate",
    "before",
    "after",
    "persist",
    "indexed_db",
    "rotating",
    "passkeys",
    "max_age",
];

/// The validated model of one definition.
struct Definition {
    name: syn::Ident,
    setup: Expr,
    options: SessionOptions,
}

const USAGE: &str =
    "expected `define_session!(name, setup = |page: &Page| { … }, validate = …, before = …, after = …)`";

pub fn expand(input: TokenStream) -> TokenStream {
    match parse(input) {
        Ok(def) => render(&def),
        Err(e) => e.to_compile_error(),
    }
}

fn parse(input: TokenStream) -> Result<Definition, syn::Error> {
    let args = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(input)?;
    let mut cx = Ctxt::default();
    let mut args = args.into_iter();
    let name = match args.next() {
        Some(Expr::Path(p)) if p.path.get_ident().is_some() => p.path.get_ident().cloned(),
        Some(other) => {
            cx.error_spanned_by(
                &other,
                format!("the first argument is the session's name; {USAGE}"),
            );
            None
        }
        None => None,
    };
    let mut options = SessionOptions::default();
    for arg in args {
        match arg {
            Expr::Assign(assign) => options.read(&mut cx, assign, &KEYS),
            arg => cx.error_spanned_by(&arg, format!("expected `key = value`; {USAGE}")),
        }
    }
    let Some(name) = name else {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!("define_session! needs a name; {USAGE}"),
        ));
        return Err(cx.check().unwrap_err());
    };
    let Some(setup) = options.setup.take() else {
        if !options.given("setup") {
            cx.error_spanned_by(
                &name,
                format!("session `{name}` has no `setup = …`; {USAGE}"),
            );
        }
        return Err(cx.check().unwrap_err());
    };
    cx.check()?;
    Ok(Definition {
        name,
        setup,
        options,
    })
}

/// A plain `fn(&Page) -> Result<(), String>` around the closure or path `f`: `bind` gives the
/// closure its `&Page` signature, `outcome` normalises what it returns.
fn step_with(f: &Expr, bind: TokenStream, outcome: TokenStream) -> TokenStream {
    quote! {{
        fn __step(page: &::session_test::Page) -> ::core::result::Result<(), ::session_test::Error> {
            ::session_test::__private::#outcome((::session_test::__private::#bind(#f))(page))
        }
        __step
    }}
}

/// Setup, before and after: `()` or `Result<()>`.
fn step(f: &Expr) -> TokenStream {
    step_with(f, quote!(setup_fn), quote!(step_outcome))
}

fn optional_step(f: &Option<Expr>) -> TokenStream {
    match f {
        Some(f) => {
            let s = step(f);
            quote!(::core::option::Option::Some(#s))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn render(def: &Definition) -> TokenStream {
    let Definition {
        name,
        setup,
        options,
    } = def;
    let fp = fingerprint(&options.fingerprint_parts(setup));
    let SessionOptions {
        validate,
        before,
        after,
        persist,
        indexed_db,
        rotating,
        passkeys,
        ..
    } = options;
    let max_age = options.max_age_tokens();
    let name_str = name.to_string();
    let setup = step(setup);
    let validate = match validate {
        Some(v) => {
            let v = step_with(v, quote!(validate_step), quote!(validate_outcome));
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    };
    let before = optional_step(before);
    let after = optional_step(after);
    quote! {
        #[allow(non_upper_case_globals)]
        pub static #name: ::session_test::__private::SessionDefinition =
            ::session_test::__private::SessionDefinition {
                name: #name_str,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
                fingerprint: #fp,
                persist: #persist,
                indexed_db: #indexed_db,
                rotating: #rotating,
                passkeys: #passkeys,
                max_age_secs: #max_age,
                setup: #setup,
                validate: #validate,
                before: #before,
                after: #after,
            };

        ::session_test::__private::inventory::submit! {
            ::session_test::__private::DefinitionRegistration(&#name)
        }
    }
}

/// `use_session!(path)`: the path must name a `define_session!` (a type error otherwise).
pub fn expand_use(input: TokenStream) -> TokenStream {
    match syn::parse2::<syn::Path>(input) {
        Ok(path) => quote!(::session_test::__private::use_definition(&#path)),
        Err(e) => {
            let err = syn::Error::new(
                e.span(),
                "expected the path of a `define_session!`, e.g. `use_session!(support::admin)`",
            )
            .to_compile_error();
            quote!({ #err; ::core::result::Result::<::session_test::SessionStatus, ::session_test::Error>::Ok(::session_test::SessionStatus::Created) })
        }
    }
}
