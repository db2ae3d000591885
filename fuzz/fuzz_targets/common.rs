//! What both targets check on one extracted text.

use std::sync::OnceLock;

use extract::{Document, Extractor};

/// One extractor for the whole fuzzing process (building it loads every gazetteer).
pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        Extractor::builder()
            .build()
            .expect("embedded gazetteers and rules load")
    })
}

/// Extracts `text` and asserts that nothing is lost or misplaced: every offset and quoted
/// text is right, ids resolve, the order is the contract's, and the document serializes to
/// one line of JSON that reads back as the same document.
pub fn check_text(id: &str, text: &str) -> Document {
    let doc = extractor().extract(id, text);
    let problems = extract::check::invariants(&doc, text);
    assert!(
        problems.is_empty(),
        "invariants broken for {text:?}:\n{}",
        problems.join("\n")
    );
    assert_eq!(doc.id, id);
    let line = extract::to_json_line(&doc);
    assert!(
        !line.contains('\n'),
        "a JSON Lines document holds a line break"
    );
    let back: Document = serde_json::from_str(&line).expect("the JSON line parses back");
    assert_eq!(back, doc, "the document changes through JSON");
    doc
}
