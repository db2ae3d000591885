//! The extractor: owns the gazetteer and the rules, and runs every stage on a text.
//!
//! Build one [`Extractor`] (loading can fail), then call [`Extractor::extract`] on any number
//! of texts from any number of threads (extraction cannot fail).

use std::path::{Path, PathBuf};

use crate::entities::{self, Entities};
use crate::error::Error;
use crate::gazetteer::Gazetteer;
use crate::model::{self, Document};
use crate::relations::{Found, RuleSet};
use crate::text::{strip_bom, Span};
use crate::tokenize::{self, Analysis};

/// Builds an [`Extractor`].
#[derive(Debug, Default, Clone)]
pub struct ExtractorBuilder {
    gazetteer_dirs: Vec<PathBuf>,
}

impl ExtractorBuilder {
    /// Adds a directory of `.tsv` gazetteer files, loaded after the embedded lists; its lines
    /// replace embedded lines with the same surface and type.
    pub fn gazetteer_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.gazetteer_dirs.push(dir.into());
        self
    }

    /// Loads the gazetteers and rules.
    pub fn build(self) -> Result<Extractor, Error> {
        let dirs: Vec<&Path> = self.gazetteer_dirs.iter().map(PathBuf::as_path).collect();
        // Start-up is most of a small run's time: build both at once.
        let (gazetteer, rules) = rayon::join(|| Gazetteer::load(&dirs), RuleSet::embedded);
        let (gazetteer, rules) = (gazetteer?, rules?);
        Ok(Extractor { gazetteer, rules })
    }
}

/// Reads articles and returns their entities and relations. `Send + Sync`: share one across
/// threads.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
    rules: RuleSet,
}

impl Extractor {
    /// A builder with the embedded gazetteers and rules.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The relation rules in use.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Extracts the document of `text`, named `id`. A leading byte-order mark is skipped and
    /// offsets count from after it.
    pub fn extract(&self, id: &str, text: &str) -> Document {
        let text = strip_bom(text);
        let a = tokenize::tokenize(text);
        let hits = self.gazetteer.find(&a);
        let ents = entities::resolve(&a, &self.gazetteer, &hits);
        let found = self.rules.apply(&a, &ents);
        document(id, &a, ents, found, &self.rules)
    }
}

fn quote(a: &Analysis, span: Span) -> model::Quote {
    model::Quote {
        text: span.slice(a.text).to_string(),
        start: span.char_start as usize,
        end: span.char_end as usize,
    }
}

fn sentence_range(a: &Analysis, s: usize) -> model::Range {
    let span = a.sentences[s].span;
    model::Range {
        start: span.char_start as usize,
        end: span.char_end as usize,
    }
}

/// `prefix` and the decimal digits of `n` (`e1`, `r12`): output ids, made with `itoa`
/// rather than `format!`, whose formatting machinery costs several times more per id.
fn numbered(prefix: char, n: usize) -> String {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n);
    let mut id = String::with_capacity(1 + digits.len());
    id.push(prefix);
    id.push_str(digits);
    id
}

/// Builds the output document, moving the names, attributes and roles out of the
/// extraction results rather than copying them.
fn document(
    id: &str,
    a: &Analysis,
    ents: Entities,
    found: Vec<Found>,
    rules: &RuleSet,
) -> Document {
    // Each entity's mention list is sized once rather than grown push by push.
    let mut counts = vec![0usize; ents.list.len()];
    for m in &ents.mentions {
        counts[m.entity] += 1;
    }
    let mut entities: Vec<model::Entity> = ents
        .list
        .into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (e, n))| model::Entity {
            id: numbered('e', i + 1),
            kind: e.kind.as_str().to_string(),
            name: e.name,
            canonical: e.canonical,
            attributes: e.attributes,
            mentions: Vec::with_capacity(n),
        })
        .collect();
    for m in &ents.mentions {
        let q = quote(a, m.span);
        entities[m.entity].mentions.push(model::Mention {
            text: q.text,
            start: q.start,
            end: q.end,
            sentence: m.sentence,
        });
    }
    let relations = found
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let rule = &rules.rules()[f.rule];
            let arguments = f
                .args
                .into_iter()
                .map(|x| {
                    let q = quote(a, a.span_of(x.tokens.clone()));
                    model::Argument {
                        role: x.role,
                        entity: x.entity.map(|e| numbered('e', e + 1)),
                        text: q.text,
                        start: q.start,
                        end: q.end,
                        value: x.value,
                    }
                })
                .collect();
            let denial = f.family == "denial";
            model::Relation {
                id: numbered('r', i + 1),
                kind: f.family,
                trigger: quote(a, a.span_of(f.trigger.clone())),
                sentence: f.sentence,
                evidence: sentence_range(a, f.sentence),
                arguments,
                modality: f.modality.0.to_string(),
                cue: f.modality.1.clone().map(|c| quote(a, a.span_of(c))),
                source: f.source.map(|e| numbered('e', e + 1)),
                confidence: f.confidence,
                rule: rule.id.clone(),
                codes: rule
                    .codes
                    .clone()
                    .map(|(cameo, plover)| model::Codes { cameo, plover }),
                refers_to: denial
                    .then(|| f.refers_to.iter().map(|r| numbered('r', r + 1)).collect()),
                restated: f
                    .restated
                    .iter()
                    .map(|(s, t)| model::Statement {
                        sentence: *s,
                        trigger: quote(a, a.span_of(t.clone())),
                        evidence: sentence_range(a, *s),
                    })
                    .collect(),
            }
        })
        .collect();
    Document {
        schema: model::SCHEMA.to_string(),
        id: id.to_string(),
        meta: None,
        entities,
        relations,
    }
}
