//! A stable hash of token streams: independent of whitespace, comments and spans, so the
//! same closure written at two call sites has the same fingerprint (SPEC C8).

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// FNV-1a over a canonical rendering of `parts`.
pub fn fingerprint(parts: &[TokenStream]) -> u64 {
    let mut text = String::new();
    for part in parts {
        render(part.clone(), &mut text);
        text.push('\u{1}');
    }
    let mut hash = fnv::FnvHasher::default();
    std::hash::Hasher::write(&mut hash, text.as_bytes());
    std::hash::Hasher::finish(&hash)
}

fn render(tokens: TokenStream, out: &mut String) {
    for tt in tokens {
        match tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                render(g.stream(), out);
                out.push_str(close);
            }
            TokenTree::Punct(p) => out.push(p.as_char()),
            other => out.push_str(&other.to_string()),
        }
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn whitespace_does_not_matter_but_tokens_do() {
        let a = quote!(|page: &Page| {
            page.visit("/login")?;
            Ok(())
        });
        let b: TokenStream = "|page:&Page|{page.visit(\"/login\")?;\n\n  Ok(())}"
            .parse()
            .unwrap();
        let c = quote!(|page: &Page| {
            page.visit("/logout")?;
            Ok(())
        });
        assert_eq!(fingerprint(std::slice::from_ref(&a)), fingerprint(&[b]));
        assert_ne!(fingerprint(std::slice::from_ref(&a)), fingerprint(&[c]));
        assert_ne!(
            fingerprint(&[a.clone(), quote!()]),
            fingerprint(&[quote!(), a])
        );
    }
}
