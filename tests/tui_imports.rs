//! No circle of imports inside `src/tui`: the workbench's modules form layers (the loop in
//! `tui/mod.rs` on top, then `app` and the drawing, then the features, then what every feature
//! reads: `feature`, `keymap`, `input`, `kinds`, `text`, `theme`…). This test reads the sources,
//! builds the graph of which top-level module of `src/tui` names which (`use` lines and paths
//! written inline, `super::…` and `crate::tui::…`), and fails on any cycle, naming it.
//!
//! `tui/mod.rs` declares every module, so a module that names an item of `tui/mod.rs` itself
//! (`super::update`, `crate::tui::Options`) closes a circle too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under src/tui: `forms/draw.rs` → [forms, draw], `forms/mod.rs` →
/// [forms], `mod.rs` → [].
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The source without comments, string literals and in-file test modules (whose `super` is the
/// file itself).
fn code_of(source: &str) -> String {
    let mut kept = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    // Comments and strings out, character by character.
    let chars: Vec<char> = kept.chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next.is_some_and(|n| n != '\\') && chars.get(i + 2) == Some(&'\'') {
            // A char literal ('a'); lifetimes have no closing quote.
            i += 3;
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_at(chars: &[char], mut i: usize) -> (String, usize) {
    let mut s = String::new();
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        s.push(chars[i]);
        i += 1;
    }
    (s, i)
}

/// The first names of a `{…}` group's items (`{a, b::c, d::{e}}` → a, b, d).
fn group_heads(chars: &[char], start: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut i = start;
    let mut expect_head = true;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' => {
                depth += 1;
                expect_head = depth == 1;
                i += 1;
            }
            '}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                expect_head = true;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            c if (c.is_alphanumeric() || c == '_') && expect_head && depth == 1 => {
                let (name, j) = ident_at(chars, i);
                heads.push(name);
                expect_head = false;
                i = j;
            }
            '*' if expect_head && depth == 1 => {
                heads.push("*".into());
                expect_head = false;
                i += 1;
            }
            _ => {
                if depth == 1 {
                    expect_head = false;
                }
                i += 1;
            }
        }
    }
    heads
}

/// Every path this code names from the tui tree, made absolute (segments below `tui`).
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if !boundary {
            i += 1;
            continue;
        }
        let rest: String = chars[i..(i + 12).min(chars.len())].iter().collect();
        let (mut base, mut j): (Vec<String>, usize) = if rest.starts_with("crate::tui::") {
            (Vec::new(), i + 12)
        } else if rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut j = i;
            loop {
                let r: String = chars[j..(j + 7).min(chars.len())].iter().collect();
                if r == "super::" {
                    base.pop();
                    j += 7;
                } else {
                    break;
                }
            }
            (base, j)
        } else {
            i += 1;
            continue;
        };
        if chars.get(j) == Some(&'{') {
            for head in group_heads(&chars, j) {
                let mut p = base.clone();
                if head != "*" && head != "self" {
                    p.push(head);
                }
                found.push(p);
            }
        } else if chars.get(j) == Some(&'*') {
            found.push(base.clone());
        } else {
            let (name, k) = ident_at(&chars, j);
            if !name.is_empty() {
                base.push(name);
            }
            j = k;
            found.push(base);
        }
        i = j.max(i + 1);
    }
    found
}

#[test]
fn no_circle_of_imports_inside_src_tui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    // The top-level modules: files and folders directly in src/tui.
    let tops: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&root).unwrap()))
        .filter_map(|m| m.first().cloned())
        .collect();
    assert!(tops.len() > 10, "read src/tui: {tops:?}");
    const ROOT: &str = "tui (mod.rs)";
    let node = |path: &[String]| -> String {
        match path.first() {
            Some(first) if tops.contains(first) => first.clone(),
            _ => ROOT.to_string(),
        }
    };
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for top in &tops {
        // tui/mod.rs declares every module.
        edges
            .entry(ROOT.into())
            .or_default()
            .insert(top.clone(), "mod".into());
    }
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let module = module_of(rel);
        let from = node(&module);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for path in named_paths(&code, &module) {
            let to = node(&path);
            if to != from {
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| format!("{} names {}", rel.display(), path.join("::")));
            }
        }
    }
    // The reader sees the layers it should (it is not blind).
    for (from, to) in [
        ("app", "forms"),
        ("app", "search"),
        ("ui", "app"),
        ("forms", "feature"),
    ] {
        assert!(
            edges.get(from).is_some_and(|e| e.contains_key(to)),
            "{from} → {to} not seen: {edges:?}"
        );
    }
    // Depth-first search for a back edge; the cycle is the stack from its target.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for (m, why) in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                0 => visit(m, edges, state, stack, cycles),
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let mut ring: Vec<String> = stack[at..].to_vec();
                    ring.push(m.clone());
                    cycles.push(format!("{} (closing: {why})", ring.join(" → ")));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    let nodes: Vec<String> = edges.keys().cloned().chain(tops.iter().cloned()).collect();
    for n in &nodes {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            visit(n, &edges, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "circles of imports inside src/tui:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_reader_finds_inline_paths_groups_and_globs() {
    let code = code_of(
        "use super::{app::App, feature::{Cx, Effect}};\n// super::ui in a comment\nfn f() { super::super::search::poll(); let s = \"super::text\"; }\nuse crate::tui::keymap::*;\n#[cfg(test)]\nmod tests { use super::forms; }\n",
    );
    let paths = named_paths(&code, &["forms".to_string(), "draw".to_string()]);
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(joined, ["forms::app", "forms::feature", "search", "keymap"]);
}
