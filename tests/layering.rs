//! The runtime's modules import one way: each names only modules of the layers below its
//! own (README, "How it is built"). This reads `runtime/src` and fails on a module that
//! names one of its own layer or of a layer above, or that is in no layer.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use session_test::regex::Regex;

/// The runtime's layers, lowest first, each with its top-level modules. A module may name
/// (`crate::…`) the modules of lower layers only; `lib.rs`, the crate's face, names them all.
const LAYERS: &[(&str, &[&str])] = &[
    // Values and settings: errors, deadlines, files for secrets, cookies and session data,
    // configuration, the test clock, the status log; a test's trace as values.
    ("values", &["error", "sync", "deadline", "private_file"]),
    ("settings", &["config", "data", "test_clock"]),
    ("log", &["log"]),
    ("trace", &["trace"]),
    // The DevTools connection: the WebSocket, its reader, replies and events to their owners.
    ("connection", &["cdp"]),
    // New targets (tabs) at birth, handed to their owner or let go.
    ("dispatcher", &["targets"]),
    ("browser", &["browser"]),
    // The app under test, started once per run.
    ("web server", &["web_server"]),
    // A browser context: created, disposed, and what its tabs, frames and workers share.
    ("context", &["context"]),
    // A tab (`Page`), its frames and workers, and the `Context` handle that hands out pages.
    ("page", &["page"]),
    // A document of a tab (`Frame`): it holds its page, which lists its frames.
    ("frame", &["frame"]),
    // What acts on a page: HTTP requests in its context, the test registry, the current
    // test and its screenshots; then locators and `expect`.
    (
        "acting on a page",
        &["registry", "request", "screenshots", "test_context"],
    ),
    ("locator", &["locator"]),
    // The run's record, the session lifecycle, the harness, the macros' entry points.
    ("report", &["report"]),
    ("session", &["session"]),
    // The async face of pages, locators and `expect`, and an async test's runtime.
    ("async face", &["async_api"]),
    ("harness", &["harness"]),
    ("macros' entry points", &["private"]),
];

/// One name of a module of a layer it may not name.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    names: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let layer = |m: &str| layer_of(m).map_or("none", |l| LAYERS[l].0);
        write!(
            f,
            "{}:{}: `{}` (layer {}) names `crate::{}` (layer {})",
            self.file,
            self.line,
            self.from,
            layer(&self.from),
            self.names,
            layer(&self.names)
        )
    }
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The top-level modules that `line` names: `crate::a::…` and `use crate::{a, b::c}`.
fn named_modules(line: &str) -> Vec<String> {
    static PATH: OnceLock<Regex> = OnceLock::new();
    let path = PATH.get_or_init(|| Regex::new(r"\bcrate::([a-z_][a-z0-9_]*)").unwrap());
    let mut names: Vec<String> = path.captures_iter(line).map(|c| c[1].to_string()).collect();
    if let Some(start) = line.find("crate::{") {
        // The first name of each item of the outermost braces.
        let mut depth = 0;
        let mut item = String::new();
        for ch in line[start + "crate::{".len()..].chars() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    names.extend(first_segment(&item));
                    item.clear();
                }
                c if depth == 0 => item.push(c),
                _ => {}
            }
        }
        names.extend(first_segment(&item));
    }
    names
}

fn first_segment(item: &str) -> Option<String> {
    let name = item.trim().split("::").next()?.trim();
    (!name.is_empty() && name != "self").then(|| name.to_string())
}

/// The `.rs` files under `dir`, as paths relative to it.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Every name in the tree at `src` of a module its module may not name.
fn violations(src: &Path) -> Vec<Violation> {
    let mut found = Vec::new();
    for rel in sources(src) {
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let file = format!("runtime/src/{}", rel.display());
        let Some(own) = layer_of(&module) else {
            found.push(Violation {
                file,
                line: 1,
                from: module.clone(),
                names: module,
            });
            continue;
        };
        // `use crate::{…}` may span lines: each is read with those it continues.
        let text = std::fs::read_to_string(src.join(&rel)).unwrap();
        let mut statement = String::new();
        let mut statement_line = 0;
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if statement.is_empty() {
                statement_line = i + 1;
            }
            statement.push_str(code);
            statement.push(' ');
            let open = statement.matches('{').count() > statement.matches('}').count();
            if statement.contains("crate::{") && open {
                continue;
            }
            for name in named_modules(&statement) {
                let lower = layer_of(&name).is_some_and(|l| l < own);
                if name != module && !lower {
                    found.push(Violation {
                        file: file.clone(),
                        line: statement_line,
                        from: module.clone(),
                        names: name,
                    });
                }
            }
            statement.clear();
        }
    }
    found
}

#[test]
fn runtime_modules_name_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
    let found = violations(&src);
    let lines: Vec<String> = found.iter().map(|v| v.to_string()).collect();
    assert!(
        found.is_empty(),
        "modules naming their own layer or one above, or in no layer (the layers are in \
         tests/layering.rs, LAYERS):\n  {}",
        lines.join("\n  ")
    );
    // Every layer's modules exist: a layer list that names nothing checks nothing.
    let files = sources(&src);
    for module in LAYERS.iter().flat_map(|(_, modules)| modules.iter()) {
        let exists = files.iter().any(|f| {
            let first = f.components().next().unwrap().as_os_str().to_string_lossy();
            first.trim_end_matches(".rs") == *module
        });
        assert!(
            exists,
            "LAYERS names `{module}`, which is not in runtime/src"
        );
    }
}

#[test]
fn an_upward_or_sideways_name_is_found_in_every_form() {
    let dir = std::env::temp_dir().join(format!("st-layering-{}", std::process::id()));
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub use harness::run_tests;\n");
    write(
        "page/mod.rs",
        "use crate::error::Result;\n// crate::session in a comment is no import\n\
         use crate::{\n    data::Cookie,\n    session::SessionStatus,\n};\n",
    );
    write(
        "page/calls.rs",
        "fn f() { crate::harness::current_page(\"x\"); }\n",
    );
    write("request.rs", "use crate::{page::Page, locator::Locator};\n");
    write("registry.rs", "use crate::test_context::current_page;\n");
    write("novel.rs", "use crate::error::Error;\n");
    let found = violations(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let seen: Vec<(&str, usize, &str)> = found
        .iter()
        .map(|v| (v.file.as_str(), v.line, v.names.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("runtime/src/novel.rs", 1, "novel"),
            ("runtime/src/page/calls.rs", 1, "harness"),
            ("runtime/src/page/mod.rs", 3, "session"),
            ("runtime/src/registry.rs", 1, "test_context"),
            ("runtime/src/request.rs", 1, "locator"),
        ]
    );
}

/// The longest a file of `runtime/src` may be, in lines.
const MAX_FILE_LINES: usize = 500;
/// The longest a function of `runtime/src` may be, in lines (signature to closing brace).
const MAX_FN_LINES: usize = 80;

/// Each function of `text` longer than `max` lines: its name, first line and length. A
/// function ends at the first `}` line indented as its `fn` line.
fn long_functions(text: &str, max: usize) -> Vec<(String, usize, usize)> {
    static FN: OnceLock<Regex> = OnceLock::new();
    let item = FN.get_or_init(|| {
        Regex::new(r"^(\s*)(?:pub(?:\([a-z]+\))? )?(?:const )?(?:unsafe )?fn ([a-z_0-9]+)").unwrap()
    });
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(c) = item.captures(lines[i]) else {
            i += 1;
            continue;
        };
        if lines[i].trim_end().ends_with(';') {
            i += 1;
            continue;
        }
        let close = format!("{}}}", &c[1]);
        let end = (i..lines.len())
            .find(|&j| lines[j].starts_with(&close))
            .unwrap_or(lines.len() - 1);
        let length = end - i + 1;
        if length > max {
            found.push((c[2].to_string(), i + 1, length));
        }
        i += 1;
    }
    found
}

#[test]
fn no_runtime_file_or_function_is_too_long() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
    let mut too_long = Vec::new();
    for rel in sources(&src) {
        let text = std::fs::read_to_string(src.join(&rel)).unwrap();
        let file = format!("runtime/src/{}", rel.display());
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            too_long.push(format!("{file}: {lines} lines (at most {MAX_FILE_LINES})"));
        }
        for (name, line, length) in long_functions(&text, MAX_FN_LINES) {
            too_long.push(format!(
                "{file}:{line}: fn {name} is {length} lines (at most {MAX_FN_LINES})"
            ));
        }
    }
    assert!(
        too_long.is_empty(),
        "split these (one concept per file, one step per function):\n  {}",
        too_long.join("\n  ")
    );
}

#[test]
fn a_long_function_is_found_and_a_short_one_is_not() {
    let body = "    x();\n".repeat(5);
    let text = format!(
        "fn short() {{\n    y();\n}}\n\nimpl A {{\n    pub(crate) fn long(&self) {{\n{body}    }}\n}}\n"
    );
    assert_eq!(long_functions(&text, 4), [("long".to_string(), 6, 7)]);
    assert!(long_functions(&text, 7).is_empty());
}
