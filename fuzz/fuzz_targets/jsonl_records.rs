//! Arbitrary bytes as one JSON Lines record line: whatever parses as JSON has every string
//! value in it (the `text` field first, as the reader takes it) extracted, with the other
//! fields of an object carried under `meta` as the binary does, and the document must
//! serialize and read back unchanged.
//!
//! The record reader itself lives in the binary (`src/cli/input.rs`) and cannot be linked
//! here; this target covers what it hands to the library: any string a JSON parser can
//! produce (escapes, surrogate pairs, control characters, U+0000, very long values) and any
//! `meta` map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "common.rs"]
mod common;

fn strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let line = data.strip_suffix(b"\n").unwrap_or(data);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Ok(value) = serde_json::from_slice::<Value>(line) else {
        return;
    };
    if let Value::Object(mut obj) = value.clone() {
        let id = match obj.remove("id") {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Null) | None => "line 1".to_string(),
            Some(other) => other.to_string(),
        };
        if let Some(Value::String(text)) = obj.remove("text") {
            let mut doc = common::check_text(&id, &text);
            doc.meta = (!obj.is_empty()).then_some(obj);
            let line = extract::to_json_line(&doc);
            let back: extract::Document =
                serde_json::from_str(&line).expect("the record's document parses back");
            assert_eq!(back, doc, "meta changes through JSON");
        }
    }
    let mut all = Vec::new();
    strings(&value, &mut all);
    for s in all.into_iter().take(8) {
        common::check_text("value", s);
    }
});
