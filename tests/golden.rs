//! Golden tests: for every `fixtures/**/X.txt`, the extractor must print exactly `X.json`, with
//! every offset exact, every id resolvable, contract order, and every line of `X.must` met.
//!
//! - `BLESS=1 cargo test --test golden` rewrites the `.json` files from current output (refused
//!   when `CI` is set); broken invariants and unmet `.must` lines still fail.
//! - `EXTRACT_FIXTURE=substr cargo test --test golden` runs only the matching fixtures.
//!
//! The same code backs `extract check DIR`.

use std::env;
use std::path::Path;

use extract::check::{check_dir, Outcome};

#[test]
fn golden() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let bless = env::var_os("BLESS").is_some_and(|v| v != "0" && !v.is_empty());
    assert!(
        !(bless && env::var_os("CI").is_some()),
        "BLESS is refused when CI is set"
    );
    let only = env::var("EXTRACT_FIXTURE").ok();
    let ex = extract::Extractor::builder()
        .build()
        .expect("embedded gazetteers and rules load");
    let reports = check_dir(&ex, &root, bless, only.as_deref()).expect("fixtures are readable");
    assert!(
        !reports.is_empty() || only.is_some(),
        "no fixtures under {}",
        root.display()
    );
    let failures: Vec<String> = reports
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail(msg) => Some(format!("--- {}\n{msg}", r.id)),
            Outcome::Blessed => {
                eprintln!("blessed {}", r.id);
                None
            }
            Outcome::Pass => None,
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) failed; if a change of output is intended, run \
         `BLESS=1 cargo test --test golden` and review `git diff fixtures/`\n\n{}",
        failures.len(),
        reports.len(),
        failures.join("\n\n")
    );
}

#[test]
fn there_are_enough_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cases = extract::check::cases(&root).unwrap();
    let tok = cases
        .iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("tok_"))
        .count();
    let rel = cases
        .iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("rel_"))
        .count();
    assert!(tok >= 10, "only {tok} tokenizer fixtures");
    assert!(rel >= 30, "only {rel} relation fixtures");
}
