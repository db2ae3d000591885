//! Runs every relation rule's own examples (`rules/relations.toml`): each positive example must
//! yield a relation of the rule's type meeting its `expect` conditions, and each counter-example
//! must yield no relation of that type. All failures are reported together.

use extract::check::condition_holds;
use extract::Extractor;

fn conditions(spec: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for w in spec.split_whitespace() {
        match w.split_once('=') {
            Some((k, v)) if k.chars().all(|c| c.is_ascii_alphabetic() || c == '_') => {
                out.push((k.into(), v.into()))
            }
            _ => {
                let last = out.last_mut().expect("expect starts with key=value");
                last.1.push(' ');
                last.1.push_str(w);
            }
        }
    }
    out
}

#[test]
fn every_rule_meets_its_examples() {
    let ex = Extractor::builder().build().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in ex.rules().rules() {
        for example in &rule.examples {
            checked += 1;
            let doc = ex.extract("example", &example.text);
            let conds = conditions(&example.expect);
            let ok = doc.relations.iter().any(|r| {
                r.kind == rule.family && conds.iter().all(|(k, v)| condition_holds(&doc, r, k, v))
            });
            if !ok {
                failures.push(format!(
                    "{}: example not met\n  text:   {}\n  expect: {}\n  got:    {}",
                    rule.id,
                    example.text,
                    example.expect,
                    extract::to_json_line(&doc.relations)
                ));
            }
        }
        for text in &rule.counter_examples {
            checked += 1;
            let doc = ex.extract("counter", text);
            if let Some(r) = doc.relations.iter().find(|r| r.kind == rule.family) {
                failures.push(format!(
                    "{}: counter-example produced a {} ({})\n  text: {text}",
                    rule.id, r.kind, r.rule
                ));
            }
        }
    }
    assert!(checked > 40, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} rule example(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
