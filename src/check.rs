//! Golden-file checks: compares `X.json` with the extraction of `X.txt`, checks what no
//! blessing can accept (exact offsets, resolvable ids, contract order, hand-written `X.must`
//! expectations), and rewrites golden files on request.
//!
//! `extract check DIR` and the project's own golden test both run [`check_dir`].

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::Document;
use crate::text::strip_bom;
use crate::Extractor;

/// The outcome for one golden case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Output equals the golden file and every check passed.
    Pass,
    /// The golden file was (re)written.
    Blessed,
    /// Something failed; the text says what (a diff, broken invariants, unmet expectations).
    Fail(String),
}

/// One golden case and its outcome.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The case's id: the `.txt` path relative to the directory.
    pub id: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Lists every `*.txt` file below `dir`, sorted.
pub fn cases(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(std::io::Error::other)?;
        let p = entry.path();
        if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "txt") {
            out.push(p.to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

/// The id of a file found under `dir` (a golden case, or an input of a directory walk): its
/// path relative to `dir`, with `/` separators.
pub fn case_id(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs every case under `dir`; with `bless`, rewrites golden files that differ (but never
/// accepts broken invariants or unmet `.must` lines). `only` keeps cases whose id contains it.
pub fn check_dir(
    ex: &Extractor,
    dir: &Path,
    bless: bool,
    only: Option<&str>,
) -> std::io::Result<Vec<CaseReport>> {
    let mut reports = Vec::new();
    for txt in cases(dir)? {
        let id = case_id(dir, &txt);
        if only.is_some_and(|f| !id.contains(f)) {
            continue;
        }
        let outcome = check_case(ex, &id, &txt, bless)?;
        reports.push(CaseReport { id, outcome });
    }
    Ok(reports)
}

fn check_case(ex: &Extractor, id: &str, txt: &Path, bless: bool) -> std::io::Result<Outcome> {
    let bytes = std::fs::read(txt)?;
    let Ok(input) = String::from_utf8(bytes) else {
        return Ok(Outcome::Fail(format!("{} is not UTF-8", txt.display())));
    };
    let doc = ex.extract(id, &input);
    let mut problems = invariants(&doc, &input);
    let must = txt.with_extension("must");
    if let Ok(spec) = std::fs::read_to_string(&must) {
        problems.extend(
            check_must(&doc, &spec)
                .into_iter()
                .map(|p| format!("{}: {p}", must.display())),
        );
    }
    let actual = crate::model::to_json_pretty(&doc) + "\n";
    let golden = txt.with_extension("json");
    let expected = std::fs::read_to_string(&golden)
        .ok()
        .map(|s| s.replace("\r\n", "\n"));
    let differs = expected.as_deref() != Some(actual.as_str());
    if !problems.is_empty() {
        let mut msg = problems.join("\n");
        if differs {
            msg.push('\n');
            msg.push_str(&diff(expected.as_deref().unwrap_or(""), &actual));
        }
        return Ok(Outcome::Fail(msg));
    }
    if !differs {
        return Ok(Outcome::Pass);
    }
    if bless {
        std::fs::write(&golden, &actual)?;
        return Ok(Outcome::Blessed);
    }
    Ok(Outcome::Fail(match expected {
        None => format!(
            "{} is missing (run with --bless to create it)",
            golden.display()
        ),
        Some(e) => diff(&e, &actual),
    }))
}

/// A readable line diff of expected and actual output.
pub fn diff(expected: &str, actual: &str) -> String {
    let d = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for group in d.grouped_ops(2) {
        for op in group {
            for change in d.iter_changes(&op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                let _ = write!(out, "{sign}{}", change);
                if !change.to_string().ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        out.push_str("...\n");
    }
    out
}

/// Checks what a golden file can never make right: every quoted text equals the input sliced
/// by code points, ids resolve, and entities and relations are in contract order.
pub fn invariants(doc: &Document, input: &str) -> Vec<String> {
    let text = strip_bom(input);
    let chars: Vec<char> = text.chars().collect();
    let mut problems = Vec::new();
    let mut bad_text = Vec::new();
    let mut check = |what: &str, quoted: &str, start: usize, end: usize| {
        let ok = start <= end
            && end <= chars.len()
            && chars[start..end].iter().copied().eq(quoted.chars());
        if !ok {
            bad_text.push(format!(
                "{what}: text {quoted:?} is not the input at [{start}, {end})"
            ));
        }
    };
    let mut first_mentions = Vec::new();
    for (i, e) in doc.entities.iter().enumerate() {
        if e.id != format!("e{}", i + 1) {
            check(&format!("entity {} numbered out of order", e.id), "", 1, 0);
        }
        if e.mentions.is_empty() {
            check(&format!("entity {} has no mention", e.id), "", 1, 0);
        }
        for m in &e.mentions {
            check(&format!("entity {} mention", e.id), &m.text, m.start, m.end);
        }
        first_mentions.push(e.mentions.first().map_or(usize::MAX, |m| m.start));
    }
    let ids: HashSet<&str> = doc.entities.iter().map(|e| e.id.as_str()).collect();
    let rel_ids: HashSet<&str> = doc.relations.iter().map(|r| r.id.as_str()).collect();
    let mut last = (0usize, 0usize);
    for (i, r) in doc.relations.iter().enumerate() {
        if r.id != format!("r{}", i + 1) {
            problems.push(format!("relation {} numbered out of order", r.id));
        }
        check(
            &format!("relation {} trigger", r.id),
            &r.trigger.text,
            r.trigger.start,
            r.trigger.end,
        );
        if let Some(c) = &r.cue {
            check(&format!("relation {} cue", r.id), &c.text, c.start, c.end);
        }
        for a in &r.arguments {
            check(
                &format!("relation {} argument {}", r.id, a.role),
                &a.text,
                a.start,
                a.end,
            );
            if let Some(e) = &a.entity {
                if !ids.contains(e.as_str()) {
                    problems.push(format!(
                        "relation {} argument {} names unknown entity {e}",
                        r.id, a.role
                    ));
                }
            }
        }
        if let Some(s) = &r.source {
            if !ids.contains(s.as_str()) {
                problems.push(format!("relation {} source names unknown entity {s}", r.id));
            }
        }
        for x in r.refers_to.iter().flatten() {
            if !rel_ids.contains(x.as_str()) {
                problems.push(format!("relation {} refers to unknown relation {x}", r.id));
            }
        }
        if r.evidence.start > r.trigger.start || r.evidence.end < r.trigger.end {
            problems.push(format!(
                "relation {} evidence does not hold its trigger",
                r.id
            ));
        }
        let key = (r.evidence.start, r.trigger.start);
        if key < last {
            problems.push(format!(
                "relation {} is out of order (evidence start, trigger start)",
                r.id
            ));
        }
        last = key;
        if !(0.0..=1.0).contains(&r.confidence) {
            problems.push(format!(
                "relation {} confidence {} outside [0, 1]",
                r.id, r.confidence
            ));
        }
    }
    if first_mentions.windows(2).any(|w| w[0] > w[1]) {
        problems.push("entities are not ordered by first mention".to_string());
    }
    bad_text.extend(problems);
    bad_text
}

/// Checks a `.must` file's expectations (format in `fixtures/README.md`); returns the lines
/// that fail. `xfail` lines never fail.
pub fn check_must(doc: &Document, spec: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for (n, raw) in spec.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("xfail") {
            continue;
        }
        let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let ok = match verb {
            "entity" => {
                let (kind, name) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                doc.entities
                    .iter()
                    .any(|e| e.kind == kind && names(e).any(|x| x == name.trim()))
            }
            "no-entity" => !doc.entities.iter().any(|e| names(e).any(|x| x == rest)),
            "relation" => relation_matches(doc, rest),
            "no-relation" => !relation_matches(doc, rest),
            _ => {
                failures.push(format!("line {}: unknown expectation {verb:?}", n + 1));
                continue;
            }
        };
        if !ok {
            failures.push(format!("line {}: not met: {line}", n + 1));
        }
    }
    failures
}

fn names(e: &crate::model::Entity) -> impl Iterator<Item = &str> {
    std::iter::once(e.name.as_str()).chain(e.mentions.iter().map(|m| m.text.as_str()))
}

/// Splits `type key=value key=value` where values may hold spaces.
fn parse_conditions(spec: &str) -> (String, Vec<(String, String)>) {
    let mut words = spec.split_whitespace();
    let kind = words.next().unwrap_or("").to_string();
    let mut conds: Vec<(String, String)> = Vec::new();
    for w in words {
        match w.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic() || c == '_') =>
            {
                conds.push((k.to_string(), v.to_string()))
            }
            _ => {
                if let Some(last) = conds.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(w);
                }
            }
        }
    }
    (kind, conds)
}

/// Whether some relation of the document satisfies `type key=value ...` (see `check_must`).
pub fn relation_matches(doc: &Document, spec: &str) -> bool {
    let (kind, conds) = parse_conditions(spec);
    doc.relations
        .iter()
        .any(|r| r.kind == kind && conds.iter().all(|(k, v)| condition_holds(doc, r, k, v)))
}

/// Whether relation `r` satisfies one `key=value` condition.
pub fn condition_holds(doc: &Document, r: &crate::model::Relation, key: &str, value: &str) -> bool {
    let entity_named = |id: &str| {
        doc.entities
            .iter()
            .find(|e| e.id == id)
            .is_some_and(|e| names(e).any(|x| x == value))
    };
    match key {
        "modality" => r.modality == value,
        "source" => r.source.as_deref().is_some_and(entity_named),
        "rule" => r.rule == value,
        _ => r.arguments.iter().any(|a| {
            a.role == key
                && (a.text == value
                    || a.value.as_deref() == Some(value)
                    || a.entity.as_deref().is_some_and(entity_named))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_keep_spaces_in_values() {
        let (k, c) = parse_conditions(
            "sanction imposer=United Kingdom target=Zhao Guangzong measure=asset_freeze",
        );
        assert_eq!(k, "sanction");
        assert_eq!(
            c,
            [
                ("imposer".into(), "United Kingdom".into()),
                ("target".into(), "Zhao Guangzong".into()),
                ("measure".into(), "asset_freeze".into())
            ]
        );
    }
}
