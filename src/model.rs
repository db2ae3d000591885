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
