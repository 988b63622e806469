//! `key`, `key = value` option lists: unknown keys, duplicates and ill-typed values are
//! reported at their own span, all of them at once.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, Meta, Token};

use crate::ctxt::Ctxt;

/// One parsed option: its name (with span) and its value, if it had one.
pub struct RawOption {
    pub name: syn::Ident,
    pub value: Option<Expr>,
}

/// Parses `args` as a comma-separated option list whose keys must be in `known`.
pub fn parse(cx: &mut Ctxt, args: TokenStream, known: &[&str]) -> Vec<RawOption> {
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(m) => m,
        Err(e) => {
            cx.syn_error(e);
            return Vec::new();
        }
    };
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for meta in metas {
        let (path, value) = match meta {
            Meta::Path(p) => (p, None),
            Meta::NameValue(nv) => (nv.path, Some(nv.value)),
            Meta::List(list) => {
                cx.error_spanned_by(
                    &list,
                    format!(
                        "options are written `name` or `name = value`; expected one of {}",
                        expected(known)
                    ),
                );
                continue;
            }
        };
        let Some(name) = path.get_ident().cloned() else {
            cx.error_spanned_by(
                &path,
                format!("unknown option; expected one of {}", expected(known)),
            );
            continue;
        };
        if !check_name(cx, &name, known, &mut seen) {
            continue;
        }
        out.push(RawOption { name, value });
    }
    out
}

/// `` `a`, `b`, `c` ``
pub fn expected(known: &[&str]) -> String {
    known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports an unknown or repeated option name at its span; true when `name` is fine.
pub fn check_name(
    cx: &mut Ctxt,
    name: &syn::Ident,
    known: &[&str],
    seen: &mut Vec<String>,
) -> bool {
    let key = name.to_string();
    if !known.contains(&key.as_str()) {
        cx.error_spanned_by(
            name,
            format!(
                "unknown option `{key}`; expected one of {}",
                expected(known)
            ),
        );
        return false;
    }
    if seen.contains(&key) {
        cx.error_spanned_by(name, format!("option `{key}` is given twice"));
        return false;
    }
    seen.push(key);
    true
}

fn literal(value: &Expr) -> Option<&Lit> {
    match value {
        Expr::Lit(l) => Some(&l.lit),
        _ => None,
    }
}

/// `name` alone means true; `name = true|false`.
pub fn bool_value(cx: &mut Ctxt, opt: &RawOption) -> Option<bool> {
    match &opt.value {
        None => Some(true),
        Some(v) => match literal(v) {
            Some(Lit::Bool(b)) => Some(b.value),
            _ => {
                cx.error_spanned_by(v, format!("`{}` expects `true` or `false`", opt.name));
                None
            }
        },
    }
}

/// `name = <positive integer>`.
pub fn seconds_value(cx: &mut Ctxt, opt: &RawOption) -> Option<u64> {
    match &opt.value {
        Some(v) => seconds_expr(cx, &opt.name.to_string(), v),
        None => {
            cx.syn_error(seconds_error(opt.name.span(), &opt.name.to_string()));
            None
        }
    }
}

/// A whole number of seconds greater than 0; anything else is an error at its span.
pub fn seconds_expr(cx: &mut Ctxt, key: &str, value: &Expr) -> Option<u64> {
    match literal(value) {
        Some(Lit::Int(i)) => match i.base10_parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                cx.syn_error(seconds_error(i.span(), key));
                None
            }
        },
        _ => {
            cx.syn_error(syn::Error::new_spanned(value, seconds_message(key)));
            None
        }
    }
}

fn seconds_message(key: &str) -> String {
    format!("`{key}` expects a whole number of seconds greater than 0, e.g. `{key} = 30`")
}

fn seconds_error(span: Span, key: &str) -> syn::Error {
    syn::Error::new(span, seconds_message(key))
}

/// `true` or `false`; anything else is an error at its span.
pub fn bool_expr(cx: &mut Ctxt, key: &str, value: &syn::Expr) -> Option<bool> {
    match value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        other => {
            cx.error_spanned_by(other, format!("`{key}` expects `true` or `false`"));
            None
        }
    }
}

/// `name = "text"`; anything else is an error at its span.
pub fn string_value(cx: &mut Ctxt, opt: &RawOption) -> Option<String> {
    match opt.value.as_ref().map(|v| (v, literal(v))) {
        Some((_, Some(Lit::Str(s)))) => Some(s.value()),
        Some((v, _)) => {
            cx.error_spanned_by(
                v,
                format!("`{}` expects a string, e.g. `{0} = \"…\"`", opt.name),
            );
            None
        }
        None => {
            cx.error_spanned_by(
                &opt.name,
                format!("`{}` expects a string, e.g. `{0} = \"…\"`", opt.name),
            );
            None
        }
    }
}

/// `name = <whole number greater than 0>` of `what` (threads, …).
pub fn count_value(cx: &mut Ctxt, opt: &RawOption, what: &str) -> Option<usize> {
    let message = format!(
        "`{0}` expects a number of {what} greater than 0, e.g. `{0} = 2`",
        opt.name
    );
    match opt.value.as_ref().map(|v| (v, literal(v))) {
        Some((_, Some(Lit::Int(i)))) => match i.base10_parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                cx.syn_error(syn::Error::new(i.span(), message));
                None
            }
        },
        Some((v, _)) => {
            cx.error_spanned_by(v, message);
            None
        }
        None => {
            cx.error_spanned_by(&opt.name, message);
            None
        }
    }
}
