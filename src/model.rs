//! The output contract, version 1: the serde types of what `extract` prints.
//!
//! These are the only types that know JSON field names; field order here is the order in the
//! output. The contract itself is the team's output-v1 specification (summarised in README) and the
//! JSON Schema in `schema/output-v1.schema.json`. In short:
//!
//! - a [`Document`] is `{schema, id, [meta], entities, relations}`; an input that could not be
//!   read is an [`ErrorDocument`] `{schema, id, [meta], error}`;
//! - every `start`/`end` is a code-point offset into the input after byte-order-mark removal,
//!   end exclusive, and every `text` equals that slice;
//! - entities are ordered by first mention and numbered `e1`, `e2`...; relations are ordered by
//!   evidence start, then trigger start, and numbered `r1`, `r2`...;
//! - optional fields are left out rather than printed as `null`, except `canonical` and
//!   `source`, which the contract shows as `null`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The value of every document's `schema` field.
pub const SCHEMA: &str = "extract/1";

/// The result of extraction on one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The input's name: `-` for stdin, a path, or a JSON Lines record's `id`.
    pub id: String,
    /// Fields of a JSON Lines input record other than `id` and `text`, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Entities, ordered by first mention.
    pub entities: Vec<Entity>,
    /// Relations, ordered by evidence start, then trigger start.
    pub relations: Vec<Relation>,
}

/// The line printed for an input that could not be processed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDocument {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The input's name.
    pub id: String,
    /// Fields of a JSON Lines input record other than `id` and `text`, if it had any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// What went wrong.
    pub error: String,
}

/// A party the article is about, with every place it is mentioned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `e1`, `e2`, ... in order of first mention.
    pub id: String,
    /// `PERSON`, `ORG`, `GPE` or `THREAT_ACTOR`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The fullest form seen in the text, or the gazetteer's canonical name.
    pub name: String,
    /// A stable id (`ISO3166:CN`, `ATTACK:G0128`) where a gazetteer supplies one.
    pub canonical: Option<String>,
    /// More specific fields: `kind`, `country`, `title`, `aliases`, `sponsor`...
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

/// One place an entity is referred to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The mention's text.
    pub text: String,
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Index of the sentence holding it.
    pub sentence: usize,
}

/// A quoted piece of the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The text.
    pub text: String,
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
}

/// A range of the input without its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
}

/// One sanction, accusation, attribution, affiliation or denial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// `r1`, `r2`, ... in output order.
    pub id: String,
    /// `sanction`, `accusation`, `attribution`, `affiliation` or `denial`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The word or words that signal the relation.
    pub trigger: Quote,
    /// Index of the sentence holding the trigger.
    pub sentence: usize,
    /// The sentence or sentences the relation was read from.
    pub evidence: Range,
    /// The parties and other roles.
    pub arguments: Vec<Argument>,
    /// `asserted`, `hedged`, `proposed`, `threatened` or `negated`.
    pub modality: String,
    /// The words that set a modality other than `asserted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<Quote>,
    /// The entity the text says makes the statement.
    pub source: Option<String>,
    /// How sure the rule is, in [0, 1].
    pub confidence: f64,
    /// The id of the rule that produced it.
    pub rule: String,
    /// CAMEO code and PLOVER type, where one applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<Codes>,
    /// For a denial: the ids of the relations it denies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<Vec<String>>,
    /// Every other place the article states the same relation, in text order (left out when
    /// it is stated once). An addition to contract v1, as the contract allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restated: Vec<Statement>,
}

/// Another place where a relation is stated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Index of the sentence holding the trigger.
    pub sentence: usize,
    /// The trigger there.
    pub trigger: Quote,
    /// The sentence or sentences it was read from.
    pub evidence: Range,
}

/// One role of a relation, filled by an entity or by a piece of text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    /// The role (`imposer`, `target`, `measure`, ...).
    pub role: String,
    /// The entity filling it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The text that fills it.
    pub text: String,
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// A normalized value (a sanction measure's kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Event codes in the CAMEO and PLOVER ontologies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Codes {
    /// CAMEO event code (`163`).
    pub cameo: String,
    /// PLOVER event type (`SANCTION`).
    pub plover: String,
}

/// Serializes a document (or error document) as pretty JSON, without a trailing newline.
pub fn to_json_pretty<T: Serialize>(doc: &T) -> String {
    serde_json::to_string_pretty(doc).expect("output types always serialize")
}

/// Serializes a document (or error document) on one line, without a trailing newline.
pub fn to_json_line<T: Serialize>(doc: &T) -> String {
    // Most documents print to a few kilobytes: start there rather than grow from 128 bytes.
    let mut out = Vec::with_capacity(8 * 1024);
    serde_json::to_writer(&mut out, doc).expect("output types always serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A hand-written compact writer for [`Document`], byte for byte what `serde_json` prints for
/// it (the tests compare the two). The batch path prints millions of keys and short strings;
/// writing keys as fixed bytes and copying strings that need no escape whole makes this several
/// times cheaper than the generic serializer. Field names and order follow the types above.
mod line {
    use std::collections::BTreeMap;

    use super::{Argument, Codes, Document, Entity, Mention, Quote, Range, Relation, Statement};

    /// The bytes [`string`] escapes, one look-up per byte instead of three comparisons.
    static ESCAPED: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
            b += 1;
        }
        t
    };

    /// A string as JSON, escaped as `serde_json` escapes it (see [`body`]).
    pub(super) fn string(out: &mut String, s: &str) {
        out.push('"');
        body(out, s);
        out.push('"');
    }

    /// A string's JSON form without its quotes, escaped as `serde_json` escapes it: `"` and
    /// `\`, the short escapes `\b \t \n \f \r`, and `\u00xx` for other control characters;
    /// everything else raw. Almost every string needs no escape and is copied whole; the
    /// writers below put the quotes into the key before it and the text after it.
    pub(super) fn body(out: &mut String, s: &str) {
        match s.bytes().position(|b| ESCAPED[b as usize]) {
            None => out.push_str(s),
            Some(first) => escape_from(out, s, first),
        }
    }

    /// [`body`] for a string whose first byte to escape is at `first`.
    #[cold]
    fn escape_from(out: &mut String, s: &str, first: usize) {
        let bytes = s.as_bytes();
        out.push_str(&s[..first]);
        let mut from = first;
        for (i, &b) in bytes.iter().enumerate().skip(first) {
            if !ESCAPED[b as usize] {
                continue;
            }
            out.push_str(&s[from..i]);
            from = i + 1;
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x08 => out.push_str("\\b"),
                b'\t' => out.push_str("\\t"),
                b'\n' => out.push_str("\\n"),
                0x0c => out.push_str("\\f"),
                b'\r' => out.push_str("\\r"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(b >> 4) as usize] as char);
                    out.push(HEX[(b & 0xf) as usize] as char);
                }
            }
        }
        out.push_str(&s[from..]);
    }

    /// A non-negative integer in decimal.
    fn number(out: &mut String, n: usize) {
        out.push_str(itoa::Buffer::new().format(n));
    }

    /// Anything else (attribute values, meta, floats) through `serde_json` itself.
    fn value<T: serde::Serialize + ?Sized>(out: &mut String, v: &T) {
        out.push_str(&serde_json::to_string(v).expect("output values always serialize"));
    }

    /// `[a,b,...]` with `item` writing each element.
    fn list<T>(out: &mut String, items: &[T], item: impl Fn(&mut String, &T)) {
        out.push('[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item(out, x);
        }
        out.push(']');
    }

    /// A string or `null`.
    fn opt_string(out: &mut String, s: &Option<String>) {
        match s {
            Some(s) => string(out, s),
            None => out.push_str("null"),
        }
    }

    pub(super) fn document(out: &mut String, d: &Document) {
        out.push_str("{\"schema\":\"");
        body(out, &d.schema);
        out.push_str("\",\"id\":\"");
        body(out, &d.id);
        out.push('"');
        if let Some(meta) = &d.meta {
            out.push_str(",\"meta\":");
            value(out, meta);
        }
        out.push_str(",\"entities\":");
        list(out, &d.entities, entity);
        out.push_str(",\"relations\":");
        list(out, &d.relations, relation);
        out.push('}');
    }

    /// `{"id":ID,"type":KIND` opening an entity or a relation.
    fn id_and_type(out: &mut String, id: &str, kind: &str) {
        out.push_str("{\"id\":\"");
        body(out, id);
        out.push_str("\",\"type\":\"");
        body(out, kind);
        out.push('"');
    }

    fn entity(out: &mut String, e: &Entity) {
        id_and_type(out, &e.id, &e.kind);
        out.push_str(",\"name\":\"");
        body(out, &e.name);
        out.push_str("\",\"canonical\":");
        opt_string(out, &e.canonical);
        out.push_str(",\"attributes\":");
        attributes(out, &e.attributes);
        out.push_str(",\"mentions\":");
        list(out, &e.mentions, mention);
        out.push('}');
    }

    /// An entity's attributes, in key order as `serde_json` writes a map: string values (all
    /// but a few) written here, the others through `serde_json`.
    fn attributes(out: &mut String, attrs: &BTreeMap<String, serde_json::Value>) {
        out.push('{');
        for (i, (key, v)) in attrs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, key);
            out.push(':');
            match v {
                serde_json::Value::String(s) => string(out, s),
                other => value(out, other),
            }
        }
        out.push('}');
    }

    fn mention(out: &mut String, m: &Mention) {
        out.push_str("{\"text\":\"");
        body(out, &m.text);
        out.push_str("\",\"start\":");
        number(out, m.start);
        out.push_str(",\"end\":");
        number(out, m.end);
        out.push_str(",\"sentence\":");
        number(out, m.sentence);
        out.push('}');
    }

    fn quote(out: &mut String, q: &Quote) {
        out.push_str("{\"text\":\"");
        body(out, &q.text);
        out.push_str("\",\"start\":");
        number(out, q.start);
        out.push_str(",\"end\":");
        number(out, q.end);
        out.push('}');
    }

    fn range(out: &mut String, r: &Range) {
        out.push_str("{\"start\":");
        number(out, r.start);
        out.push_str(",\"end\":");
        number(out, r.end);
        out.push('}');
    }

    fn relation(out: &mut String, r: &Relation) {
        id_and_type(out, &r.id, &r.kind);
        out.push_str(",\"trigger\":");
        quote(out, &r.trigger);
        out.push_str(",\"sentence\":");
        number(out, r.sentence);
        out.push_str(",\"evidence\":");
        range(out, &r.evidence);
        out.push_str(",\"arguments\":");
        list(out, &r.arguments, argument);
        out.push_str(",\"modality\":");
        string(out, &r.modality);
        if let Some(cue) = &r.cue {
            out.push_str(",\"cue\":");
            quote(out, cue);
        }
        out.push_str(",\"source\":");
        opt_string(out, &r.source);
        out.push_str(",\"confidence\":");
        value(out, &r.confidence);
        out.push_str(",\"rule\":");
        string(out, &r.rule);
        if let Some(codes) = &r.codes {
            out.push_str(",\"codes\":");
            self::codes(out, codes);
        }
        if let Some(refers_to) = &r.refers_to {
            out.push_str(",\"refers_to\":");
            list(out, refers_to, |out, s| string(out, s));
        }
        if !r.restated.is_empty() {
            out.push_str(",\"restated\":");
            list(out, &r.restated, statement);
        }
        out.push('}');
    }

    fn codes(out: &mut String, c: &Codes) {
        out.push_str("{\"cameo\":");
        string(out, &c.cameo);
        out.push_str(",\"plover\":");
        string(out, &c.plover);
        out.push('}');
    }

    fn statement(out: &mut String, s: &Statement) {
        out.push_str("{\"sentence\":");
        number(out, s.sentence);
        out.push_str(",\"trigger\":");
        quote(out, &s.trigger);
        out.push_str(",\"evidence\":");
        range(out, &s.evidence);
        out.push('}');
    }

    fn argument(out: &mut String, a: &Argument) {
        out.push_str("{\"role\":\"");
        body(out, &a.role);
        if let Some(e) = &a.entity {
            out.push_str("\",\"entity\":\"");
            body(out, e);
        }
        out.push_str("\",\"text\":\"");
        body(out, &a.text);
        out.push_str("\",\"start\":");
        number(out, a.start);
        out.push_str(",\"end\":");
        number(out, a.end);
        if let Some(v) = &a.value {
            out.push_str(",\"value\":");
            string(out, v);
        }
        out.push('}');
    }
}

impl Document {
    /// The document on one line, without a trailing newline: the same bytes as
    /// [`to_json_line`], written faster (see the `line` module).
    pub fn json_line(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        line::document(&mut out, self);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str, start: usize) -> Quote {
        Quote {
            text: text.to_string(),
            start,
            end: start + text.chars().count(),
        }
    }

    /// A document with every optional field filled, and strings that need escapes.
    fn full() -> Document {
        let mut attributes = BTreeMap::new();
        attributes.insert("kind".to_string(), "company".into());
        attributes.insert(
            "aliases".to_string(),
            serde_json::json!(["A \"B\"", "c\\d"]),
        );
        let mut meta = serde_json::Map::new();
        meta.insert("lang".to_string(), "en".into());
        meta.insert(
            "n".to_string(),
            serde_json::json!({"x": [1, 2.5, null, true]}),
        );
        Document {
            schema: SCHEMA.to_string(),
            id: "a/b\tc\u{1}\u{1f}\u{7f}".to_string(),
            meta: Some(meta),
            entities: vec![Entity {
                id: "e1".to_string(),
                kind: "ORG".to_string(),
                name: "Café \"Ōsaka\"\n\r\u{8}\u{c}/".to_string(),
                canonical: Some("X:1".to_string()),
                attributes,
                mentions: vec![Mention {
                    text: "Café".to_string(),
                    start: 0,
                    end: 4,
                    sentence: 12345678901,
                }],
            }],
            relations: vec![Relation {
                id: "r1".to_string(),
                kind: "denial".to_string(),
                trigger: quote("denied", 10),
                sentence: 0,
                evidence: Range { start: 0, end: 40 },
                arguments: vec![Argument {
                    role: "measure".to_string(),
                    entity: Some("e1".to_string()),
                    text: "“frozen” assets".to_string(),
                    start: 3,
                    end: 18,
                    value: Some("asset_freeze".to_string()),
                }],
                modality: "hedged".to_string(),
                cue: Some(quote("may", 7)),
                source: Some("e1".to_string()),
                confidence: 0.1 + 0.2,
                rule: "deny-1".to_string(),
                codes: Some(Codes {
                    cameo: "163".to_string(),
                    plover: "SANCTION".to_string(),
                }),
                refers_to: Some(vec!["r2".to_string(), "r3".to_string()]),
                restated: vec![Statement {
                    sentence: 2,
                    trigger: quote("denies", 50),
                    evidence: Range { start: 45, end: 60 },
                }],
            }],
        }
    }

    #[test]
    fn hand_written_line_equals_serde_json() {
        let doc = full();
        assert_eq!(doc.json_line(), to_json_line(&doc));
        // Every optional field left out, and nothing in the lists.
        let mut bare = full();
        bare.meta = None;
        bare.entities[0].canonical = None;
        bare.entities[0].attributes.clear();
        let r = &mut bare.relations[0];
        (r.cue, r.source, r.codes, r.refers_to) = (None, None, None, None);
        (r.arguments[0].entity, r.arguments[0].value) = (None, None);
        r.restated.clear();
        r.confidence = 1.0;
        assert_eq!(bare.json_line(), to_json_line(&bare));
        bare.entities.clear();
        bare.relations.clear();
        assert_eq!(bare.json_line(), to_json_line(&bare));
    }

    #[test]
    fn strings_escape_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é “q” \u{2028}\u{2029} 😀 \\\"");
        for s in [
            "",
            "\"",
            "plain",
            "a long plain string of more than eight bytes",
            "ends with a quote\"",
            "\ttab then text",
            all.as_str(),
        ] {
            let mut out = String::new();
            line::string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn string_bodies_match_serde_json_whether_or_not_they_need_escapes() {
        // The fast path (nothing to escape) and the slow path (an escape first, last, in the
        // middle, or several in a row), next to non-ASCII text, which is copied raw.
        for s in [
            "",
            "x",
            "Café Ōsaka “quoted” — 😀",
            "\u{2028}line\u{2029}separators",
            "New\nYork",
            "\"",
            "\\",
            "\u{0}",
            "\u{1f}",
            "\u{7f}",
            "ends with a tab\t",
            "\r\n\u{8}\u{c}\"\\ all at once",
            "é\"é",
            "'apostrophes' and -hyphens- and 123 digits",
        ] {
            let mut out = String::from("{");
            line::body(&mut out, s);
            let quoted = serde_json::to_string(s).unwrap();
            assert_eq!(out, format!("{{{}", &quoted[1..quoted.len() - 1]), "{s:?}");
        }
    }

    #[test]
    fn hand_written_line_of_an_extraction() {
        let ex = crate::Extractor::builder().build().unwrap();
        let text = "Ministers in Ruritania said on Monday they would impose sanctions on \
                    Northwind Shipping Ltd. The company denied the claim.\n\n\"We did \
                    nothing wrong,\" its chief executive, Mara Velt, said.";
        let doc = ex.extract("sample", text);
        assert_eq!(doc.json_line(), to_json_line(&doc));
    }
}
