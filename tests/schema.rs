//! Validates output against the JSON Schema of contract v1 (`schema/output-v1.schema.json`):
//! every golden file, fresh output on every fixture, error records, and records with `meta`;
//! and checks that the schema rejects broken documents.

use std::path::Path;

use serde_json::{json, Value};

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/output-v1.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn golden_files_and_fresh_output_are_valid() {
    let v = validator();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let ex = extract::Extractor::builder().build().unwrap();
    let mut failures = Vec::new();
    let cases = extract::check::cases(&root).unwrap();
    for txt in &cases {
        let id = extract::check::case_id(&root, txt);
        let golden = txt.with_extension("json");
        if let Ok(s) = std::fs::read_to_string(&golden) {
            let doc: Value = serde_json::from_str(&s).unwrap();
            for e in errors(&v, &doc) {
                failures.push(format!("{}: {e}", golden.display()));
            }
        }
        let text = std::fs::read_to_string(txt).unwrap();
        let doc = serde_json::to_value(ex.extract(&id, &text)).unwrap();
        for e in errors(&v, &doc) {
            failures.push(format!("{id} (fresh): {e}"));
        }
    }
    assert!(!cases.is_empty());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_records_and_meta_are_valid() {
    let v = validator();
    let err = serde_json::to_value(extract::ErrorDocument {
        schema: "extract/1".into(),
        id: "bad.txt".into(),
        meta: None,
        error: "invalid UTF-8 at byte offset 3".into(),
    })
    .unwrap();
    assert!(errors(&v, &err).is_empty(), "{:?}", errors(&v, &err));
    let ex = extract::Extractor::builder().build().unwrap();
    let mut doc = ex.extract("r1", "France expelled two Russian diplomats.");
    doc.meta = Some(json!({"lang": "en", "n": 3}).as_object().unwrap().clone());
    let doc = serde_json::to_value(doc).unwrap();
    assert!(errors(&v, &doc).is_empty(), "{:?}", errors(&v, &doc));
}

#[test]
fn broken_documents_are_rejected() {
    let v = validator();
    let ex = extract::Extractor::builder().build().unwrap();
    let good = serde_json::to_value(ex.extract(
        "x",
        "Canada sanctioned Rosneft over the war. Russia denied the accusations.",
    ))
    .unwrap();
    assert!(errors(&v, &good).is_empty());
    assert!(
        !good["relations"].as_array().unwrap().is_empty(),
        "the example should have relations"
    );
    let mut bad_schema = good.clone();
    bad_schema["schema"] = json!("extract/2");
    let mut bad_type = good.clone();
    bad_type["relations"][0]["type"] = json!("war");
    let mut bad_modality = good.clone();
    bad_modality["relations"][0]["modality"] = json!("maybe");
    let mut bad_entity = good.clone();
    bad_entity["entities"][0]["type"] = json!("PLACE");
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("entities");
    for (name, doc) in [
        ("schema", bad_schema),
        ("type", bad_type),
        ("modality", bad_modality),
        ("entity type", bad_entity),
        ("missing", missing),
    ] {
        assert!(
            !errors(&v, &doc).is_empty(),
            "the schema accepted a document with a bad {name}"
        );
    }
}
