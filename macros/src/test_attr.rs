//! `#[session_test]`: the parsed model of the function and its options, then the expansion.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, ReturnType};

use crate::ctxt::Ctxt;
use crate::options;

const OPTIONS: [&str; 5] = [
    "ignore",
    "test_isolation",
    "timeout",
    "flavor",
    "worker_threads",
];

/// The validated model of one `#[session_test]`.
struct TestFn {
    item: ItemFn,
    takes_page: bool,
    ignore: bool,
    timeout_secs: Option<u64>,
    test_isolation: bool,
    /// The runtime of an async test; `None` for a plain one.
    runtime: Option<Runtime>,
}

/// An async test's tokio runtime, as `#[tokio::test]` takes it.
enum Runtime {
    CurrentThread,
    MultiThread { worker_threads: Option<usize> },
}

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let err = syn::Error::new(
                e.span(),
                "#[session_test] goes on a function: `fn name(page: &Page) -> Result<(), E>`",
            )
            .to_compile_error();
            return quote!(#err #item);
        }
    };
    match parse(args, item_fn.clone()) {
        Ok(model) => render(&model),
        // Still emit the function so that IDEs keep resolving it.
        Err(e) => {
            let err = e.to_compile_error();
            quote!(#err #[allow(dead_code)] #item_fn)
        }
    }
}

fn parse(args: TokenStream, item: ItemFn) -> Result<TestFn, syn::Error> {
    let mut cx = Ctxt::default();
    let mut ignore = false;
    let mut timeout_secs = None;
    let mut test_isolation = true;
    let (mut flavor, mut worker_threads) = (None, None);
    for opt in options::parse(&mut cx, args, &OPTIONS) {
        match opt.name.to_string().as_str() {
            "ignore" => ignore = options::bool_value(&mut cx, &opt).unwrap_or(false),
            "test_isolation" => test_isolation = options::bool_value(&mut cx, &opt).unwrap_or(true),
            "timeout" => timeout_secs = options::seconds_value(&mut cx, &opt),
            "flavor" => flavor = Some(opt),
            "worker_threads" => worker_threads = Some(opt),
            _ => unreachable!("options::parse only returns known options"),
        }
    }

    let sig = &item.sig;
    let runtime = runtime(&mut cx, sig.asyncness.is_some(), flavor, worker_threads);
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_spanned_by(&sig.generics, "#[session_test] functions cannot be generic");
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "#[session_test] functions cannot be variadic");
    }
    let mut takes_page = false;
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => cx.error_spanned_by(
                r,
                "#[session_test] functions cannot take `self`: write a free function",
            ),
            FnArg::Typed(_) if !takes_page => takes_page = true,
            FnArg::Typed(t) => cx.error_spanned_by(
                t,
                "#[session_test] functions take at most one parameter, `page: &Page`",
            ),
        }
    }
    cx.check()?;
    Ok(TestFn {
        item,
        takes_page,
        ignore,
        timeout_secs,
        test_isolation,
        runtime,
    })
}

/// The runtime an async test asks for with `flavor` and `worker_threads` (each reported at
/// its span when wrong, or given to a test that is not async).
fn runtime(
    cx: &mut Ctxt,
    is_async: bool,
    flavor: Option<options::RawOption>,
    worker_threads: Option<options::RawOption>,
) -> Option<Runtime> {
    for opt in flavor.iter().chain(&worker_threads).filter(|_| !is_async) {
        cx.error_spanned_by(
            &opt.name,
            format!(
                "`{}` is an option of async tests: write `async fn`",
                opt.name
            ),
        );
    }
    let multi = match flavor.as_ref().map(|f| (f, options::string_value(cx, f))) {
        None => false,
        Some((_, Some(name))) if name == "current_thread" => false,
        Some((_, Some(name))) if name == "multi_thread" => true,
        Some((opt, Some(name))) => {
            let at = opt.value.as_ref().map_or(opt.name.span(), |v| v.span());
            cx.syn_error(syn::Error::new(
                at,
                format!("unknown flavor `{name}`; expected \"current_thread\" or \"multi_thread\""),
            ));
            false
        }
        Some((_, None)) => false,
    };
    let workers = worker_threads.as_ref().and_then(|opt| {
        if !multi && is_async {
            cx.error_spanned_by(
                &opt.name,
                "`worker_threads` needs the multi-thread runtime: add `flavor = \"multi_thread\"`",
            );
        }
        options::count_value(cx, opt, "threads")
    });
    is_async.then_some(if multi {
        Runtime::MultiThread {
            worker_threads: workers,
        }
    } else {
        Runtime::CurrentThread
    })
}

fn render(model: &TestFn) -> TestTokens {
    let mut inner = model.item.clone();
    let name = inner.sig.ident.clone();
    let vis = std::mem::replace(&mut inner.vis, syn::Visibility::Inherited);
    let body_fn = format_ident!("__session_test_body_{}", name);
    let entry = format_ident!("__SESSION_TEST_ENTRY_{}", name);
    let call = if model.takes_page {
        quote!(#name(page))
    } else {
        quote!({ let _ = page; #name() })
    };
    let ret_span = match &inner.sig.output {
        ReturnType::Default => name.span(),
        ReturnType::Type(_, t) => t.span(),
    };
    let outcome = match &model.runtime {
        None => quote_spanned! {ret_span=>
            ::session_test::__private::IntoTestOutcome::into_test_outcome(#call)
        },
        Some(runtime) => {
            let flavor = match runtime {
                Runtime::CurrentThread => quote!(::session_test::__private::Flavor::CurrentThread),
                Runtime::MultiThread { worker_threads } => {
                    let workers = match worker_threads {
                        Some(n) => quote!(::core::option::Option::Some(#n)),
                        None => quote!(::core::option::Option::None),
                    };
                    quote!(::session_test::__private::Flavor::MultiThread { worker_threads: #workers })
                }
            };
            let awaited = quote_spanned! {ret_span=>
                ::session_test::__private::IntoTestOutcome::into_test_outcome(#call.await)
            };
            quote! {
                ::session_test::__with_tokio!(
                    "async #[session_test] functions need",
                    block_on_test(#flavor, page, |page| async move {
                        let page = &page;
                        #awaited
                    })
                )
            }
        }
    };
    let ignore_attr = model.ignore.then(|| quote!(#[ignore]));
    let ignore = model.ignore;
    let test_isolation = model.test_isolation;
    let timeout = match model.timeout_secs {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let name_str = name.to_string();
    let line = quote_spanned!(name.span()=> ::core::line!());
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #body_fn(page: &::session_test::Page) -> ::session_test::__private::TestOutcome {
            #inner
            #outcome
        }

        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        static #entry: ::session_test::__private::TestEntry = ::session_test::__private::TestEntry {
            path: ::core::concat!(::core::module_path!(), "::", #name_str),
            file: ::core::file!(),
            line: #line,
            ignore: #ignore,
            timeout_secs: #timeout,
            test_isolation: #test_isolation,
            body: #body_fn,
        };

        ::session_test::__private::inventory::submit! {
            ::session_test::__private::TestRegistration(&#entry)
        }

        #[test]
        #ignore_attr
        #vis fn #name() -> ::core::result::Result<(), ::session_test::__private::TestFailure> {
            ::session_test::__private::run_test(&#entry)
        }
    }
}

type TestTokens = TokenStream;
