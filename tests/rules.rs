//! Every rule the code and tests cite (`SPEC C8`, or a range such as `SPEC C1–C13`) is
//! written out in `docs/rules.md`, so the repository alone explains each reference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use session_test::regex::Regex;

/// The rules `docs/rules.md` writes out: its `- **C8.** …` items.
fn documented(root: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root.join("docs/rules.md")).unwrap();
    let item = Regex::new(r"(?m)^- \*\*([A-Z][0-9]+)\.\*\*").unwrap();
    item.captures_iter(&text)
        .map(|c| c[1].to_string())
        .collect()
}

/// The rules `text` cites, ranges spelled out: `SPEC D1–D5` cites D1 to D5.
fn cited(text: &str) -> Vec<String> {
    let cite = Regex::new(r"SPEC ([A-Z])([0-9]+)(?:[–-]([A-Z])?([0-9]+))?").unwrap();
    let mut out = Vec::new();
    for c in cite.captures_iter(text) {
        let section = &c[1];
        let first: u32 = c[2].parse().unwrap();
        let last: u32 = c.get(4).map_or(first, |m| m.as_str().parse().unwrap());
        out.extend((first..=last).map(|n| format!("{section}{n}")));
    }
    out
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "md" || e == "js")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_cited_rule_is_written_out_in_docs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = documented(root);
    assert!(
        rules.len() > 40,
        "docs/rules.md lists {} rules",
        rules.len()
    );
    let mut sources = vec![root.join("README.md")];
    for dir in [
        "runtime/src",
        "macros/src",
        "src",
        "tests",
        "examples",
        "demo-app/src",
    ] {
        files(&root.join(dir), &mut sources);
    }
    let mut missing = Vec::new();
    let mut seen = 0;
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        for rule in cited(&text) {
            seen += 1;
            if !rules.contains(&rule) {
                let file = path.strip_prefix(root).unwrap().display();
                missing.push(format!("{file} cites SPEC {rule}"));
            }
        }
    }
    assert!(
        seen > 30,
        "only {seen} citations found: is the pattern right?"
    );
    assert!(
        missing.is_empty(),
        "rules cited but not in docs/rules.md:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn ranges_are_spelled_out() {
    assert_eq!(cited("(SPEC D1–D3) and SPEC C8"), ["D1", "D2", "D3", "C8"]);
    assert_eq!(cited("SPEC F2-F3"), ["F2", "F3"]);
}
