//! The `key = value` options of `session!` and `define_session!`: one parser and one model
//! for both, each error at its own span (an unknown or repeated key, an ill-typed value).

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Expr, ExprAssign};

use crate::ctxt::Ctxt;
use crate::options;

/// Every option either macro takes; each macro accepts its own subset of the keys.
#[derive(Default)]
pub struct SessionOptions {
    pub setup: Option<Expr>,
    pub validate: Option<Expr>,
    pub before: Option<Expr>,
    pub after: Option<Expr>,
    pub persist: bool,
    pub indexed_db: bool,
    pub rotating: bool,
    pub passkeys: bool,
    pub max_age: Option<u64>,
    /// Keys given so far, for "given twice".
    seen: Vec<String>,
}

/// The options, by name.
#[derive(Clone, Copy)]
enum Key {
    Setup,
    Validate,
    Before,
    After,
    Persist,
    IndexedDb,
    Rotating,
    Passkeys,
    MaxAge,
}

impl Key {
    fn of(name: &str) -> Option<Key> {
        Some(match name {
            "setup" => Key::Setup,
            "validate" => Key::Validate,
            "before" => Key::Before,
            "after" => Key::After,
            "persist" => Key::Persist,
            "indexed_db" => Key::IndexedDb,
            "rotating" => Key::Rotating,
            "passkeys" => Key::Passkeys,
            "max_age" => Key::MaxAge,
            _ => return None,
        })
    }
}

/// A closure or a path to a function.
pub fn is_callable(e: &Expr) -> bool {
    matches!(e, Expr::Closure(_) | Expr::Path(_))
}

impl SessionOptions {
    /// Whether `key` was given, even with a value that was rejected.
    pub fn given(&self, key: &str) -> bool {
        self.seen.iter().any(|k| k == key)
    }

    /// True once any option was read (positional arguments come before them).
    pub fn any_given(&self) -> bool {
        !self.seen.is_empty()
    }

    /// Reads one `key = value`; `known` are the keys the macro takes.
    pub fn read(&mut self, cx: &mut Ctxt, assign: ExprAssign, known: &[&str]) {
        let key = match &*assign.left {
            Expr::Path(p) => p.path.get_ident().cloned(),
            _ => None,
        };
        let Some(key) = key else {
            cx.error_spanned_by(
                &assign.left,
                format!(
                    "unknown option; expected one of {}",
                    options::expected(known)
                ),
            );
            return;
        };
        if !options::check_name(cx, &key, known, &mut self.seen) {
            return;
        }
        let value = *assign.right;
        let name = key.to_string();
        let Some(option) = Key::of(&name) else {
            // `known` names a key this model does not have: the macro's bug, said at the key.
            cx.error_spanned_by(&key, format!("option `{name}` is not implemented"));
            return;
        };
        let flag = |cx: &mut Ctxt| options::bool_expr(cx, &name, &value).unwrap_or(false);
        match option {
            Key::Persist => self.persist = flag(cx),
            Key::IndexedDb => self.indexed_db = flag(cx),
            Key::Rotating => self.rotating = flag(cx),
            Key::Passkeys => self.passkeys = flag(cx),
            Key::MaxAge => self.max_age = options::seconds_expr(cx, &name, &value),
            Key::Setup | Key::Validate | Key::Before | Key::After if !is_callable(&value) => cx
                .error_spanned_by(
                    &value,
                    format!("`{name}` expects a closure `|page: &Page| …` or a path to a function"),
                ),
            Key::Setup => self.setup = Some(value),
            Key::Validate => self.validate = Some(value),
            Key::Before => self.before = Some(value),
            Key::After => self.after = Some(value),
        }
    }

    /// What the definition's fingerprint hashes besides the setup (SPEC C8): other code or
    /// other options make another definition. Options left at their default add nothing, so
    /// definitions written before an option existed keep their fingerprint (and their files).
    pub fn fingerprint_parts(&self, setup: &Expr) -> Vec<TokenStream> {
        let (persist, indexed_db) = (self.persist, self.indexed_db);
        let mut parts = vec![
            setup.to_token_stream(),
            self.validate.to_token_stream(),
            quote!(#persist),
            quote!(#indexed_db),
        ];
        if self.rotating {
            parts.push(quote!(rotating));
        }
        if self.passkeys {
            parts.push(quote!(passkeys));
        }
        if let Some(secs) = self.max_age {
            parts.push(quote!(max_age = #secs));
        }
        parts
    }

    /// Whether one test at a time holds the session, saved again when it lets go: rotating
    /// tokens, and passkeys, whose signature counter must only grow.
    pub fn held(&self) -> bool {
        self.rotating || self.passkeys
    }

    /// `max_age` as the runtime's `Option<u64>` of seconds.
    pub fn max_age_tokens(&self) -> TokenStream {
        match self.max_age {
            Some(secs) => quote!(::core::option::Option::Some(#secs)),
            None => quote!(::core::option::Option::None),
        }
    }
}
