//! Relation rules as data: the TOML schema of `rules/relations.toml`, its loading and checks.
//!
//! A rule names a frame (how arguments sit around the trigger), the trigger phrases, which
//! role each slot fills and what may fill it. Adding a trigger word or a rule over an existing
//! frame is an edit of the TOML file; see `rules/README.md`.

use rustc_hash::FxHashSet as HashSet;

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::error::Error;

/// The whole rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Word lists the frames read.
    pub lexicon: Lexicon,
    /// Sanction measures and their normalized values.
    #[serde(default)]
    pub measure: Vec<MeasureDef>,
    /// Modality cues.
    #[serde(default)]
    pub modality: Vec<ModalityDef>,
    /// The rules.
    pub rule: Vec<RuleDef>,
}

/// Word lists (all lower case) the frames read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Verbs that introduce reported speech ("said", "revealed").
    pub reporting: Vec<String>,
    /// Auxiliaries, modals and adverbs skipped between a subject and its verb.
    pub skip: Vec<String>,
    /// Forms of "be" that make a participle passive.
    pub be: Vec<String>,
    /// Words that end an argument phrase.
    pub barrier: Vec<String>,
    /// Words that join the members of a list ("and", "along with").
    pub list: Vec<String>,
    /// Nouns after a country that still stand for its government ("government", "authorities").
    pub government: Vec<String>,
    /// Verbs that carry a nominal trigger ("imposed sanctions on").
    pub support: Vec<String>,
    /// Words whose presence before the trigger in its clause makes it hypothetical ("if").
    pub hypothetical: Vec<String>,
    /// Heads of unnamed phrases that can be a party in a slot without entity types
    /// ("prosecutors", "the mayor"); a capitalised head always can.
    #[serde(default)]
    pub party_nouns: Vec<String>,
    /// Words that make a clause one of blame ("behind", "involved"), for `claim_nouns`.
    #[serde(default)]
    pub blame: Vec<String>,
    /// Words that make a denied clause one of business or private life, not blame ("denied
    /// reports that it *plans* to buy back stock"), unless a `blame` word stands there too.
    #[serde(default)]
    pub not_blame: Vec<String>,
    /// Nouns that describe parties ("companies", "officials"): an unnamed patient holding one
    /// fills the slot of a rule with `described_patients`.
    #[serde(default)]
    pub described_parties: Vec<String>,
    /// Nouns that a name may modify and still be the party ("the Peugeot *group*", "the Haft
    /// *family*"), for rules with `named_heads`.
    #[serde(default)]
    pub org_heads: Vec<String>,
}

/// One sanction measure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// The normalized value (`asset_freeze`...).
    pub value: String,
    /// Regular expressions over the lower-cased text; a match must cover whole tokens.
    pub patterns: Vec<String>,
}

/// Cues of one modality.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModalityDef {
    /// `hedged`, `proposed`, `threatened` or `negated`.
    pub kind: String,
    /// Phrases (lower case, whole tokens) that set it when they stand before the trigger in
    /// its clause, at most `window` tokens away.
    pub cues: Vec<String>,
    /// How many tokens before the trigger a cue may start.
    #[serde(default = "default_window")]
    pub window: usize,
    /// Phrases that set it when they stand after the trigger in its clause, starting at most
    /// `after_window` tokens after it (1: right after it).
    #[serde(default)]
    pub after: Vec<String>,
    /// How many tokens after the trigger an `after` cue may start.
    #[serde(default = "default_after_window")]
    pub after_window: usize,
    /// When not empty, a cue counts only when one of these nouns follows it within four
    /// tokens, before the trigger: "*vetoed* a *resolution* that would have imposed
    /// sanctions", not "rejected his veto of sanctions".
    #[serde(default)]
    pub objects: Vec<String>,
    /// When not empty, the families whose relations the entry governs: "possible sanctions"
    /// are proposed, "possible that it will be indicted" hedges an accusation.
    #[serde(default)]
    pub families: Vec<String>,
}

fn default_after_window() -> usize {
    1
}

fn default_window() -> usize {
    8
}

/// How the arguments of a rule sit around its trigger.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Frame {
    /// `AGENT trigger PATIENT`: "Britain sanctioned X", "X is associated with Y".
    Active,
    /// `PATIENT be trigger [by AGENT]`: "X was sanctioned by the EU".
    Passive,
    /// `[AGENT's] trigger on PATIENT [by AGENT]`, or `AGENT support-verb trigger on PATIENT`:
    /// "the EU's asset freeze against X", "Britain imposed sanctions on X".
    Noun,
}

/// What may fill a slot.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// Parties: entities, lists of them, or noun phrases naming them.
    #[default]
    Party,
    /// A stretch of text up to the end of the clause (an offense, a reason).
    Text,
}

/// A complement introduced by a preposition ("of", "for", "to").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complement {
    /// The role it fills.
    pub role: String,
    /// Prepositions (phrases) that introduce it.
    pub preps: Vec<String>,
    /// What fills it.
    #[serde(default)]
    pub kind: SlotKind,
    /// For a text complement: its head must hold one of these words, as for `patient_nouns`
    /// ("blamed X for the *attack*"). Empty: no such condition.
    #[serde(default)]
    pub nouns: Vec<String>,
}

/// One positive example: a text and what the rule must find in it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The text.
    pub text: String,
    /// `role=VALUE ...` that one relation from this rule must satisfy (`modality=`, `source=`
    /// allowed), as in fixtures' `.must` files.
    pub expect: String,
}

/// One rule as written in the TOML file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable dotted id (`sanction.active_verb`).
    pub id: String,
    /// The relation type it produces.
    pub family: String,
    /// How arguments sit around the trigger.
    pub frame: Frame,
    /// Trigger phrases (lower case, whole tokens).
    pub triggers: Vec<String>,
    /// The role of the agent slot (subject of an active verb, by-phrase of a passive, owner of
    /// a noun).
    #[serde(default)]
    pub agent: Option<String>,
    /// Entity types allowed in the agent slot (empty: any).
    #[serde(default)]
    pub agent_types: Vec<String>,
    /// The role of the patient slot (object of an active verb, subject of a passive, object
    /// of the noun's preposition).
    #[serde(default)]
    pub patient: Option<String>,
    /// What fills the patient slot.
    #[serde(default)]
    pub patient_kind: SlotKind,
    /// Entity types allowed in the patient slot (empty: any).
    #[serde(default)]
    pub patient_types: Vec<String>,
    /// For nouns: prepositions that introduce the patient ("on", "against").
    #[serde(default)]
    pub patient_preps: Vec<String>,
    /// The patient phrase must start with one of these words (within its first three tokens).
    #[serde(default)]
    pub patient_words: Vec<String>,
    /// The patient phrase must hold one of these words somewhere (`*suffix`: any word ending
    /// so): "behind the *attack*", "suspended *aid* to". Empty: no such condition.
    #[serde(default)]
    pub patient_nouns: Vec<String>,
    /// Whether an unnamed patient describing parties (a word of the lexicon's
    /// `described_parties` before its first preposition: "sanctioned two Chinese *companies*")
    /// stands in an asserted relation; otherwise an asserted relation needs a named patient.
    #[serde(default)]
    pub described_patients: bool,
    /// For a text patient: one of these words must follow it, and ends it ("called the
    /// claims *baseless*"). Empty: no such condition.
    #[serde(default)]
    pub patient_until: Vec<String>,
    /// For a text patient: unless its head holds one of these words ("the *allegations*") or
    /// it opens with a gerund ("denied *stealing* the data"), the rest of the clause must be
    /// about the agent (name it or hold a pronoun that agrees with it: "denied that *it* ...")
    /// or hold a word of the lexicon's `blame` list. Empty: no such condition.
    #[serde(default)]
    pub claim_nouns: Vec<String>,
    /// For sanctions: the measure values its relations take (empty: every measure the sentence
    /// states). When `requires` names `measure`, one of these must be stated.
    #[serde(default)]
    pub measures: Vec<String>,
    /// Complements after the trigger.
    #[serde(default)]
    pub complements: Vec<Complement>,
    /// Roles that must be filled for the rule to fire.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Words that, anywhere in the sentence, cancel the rule ("referee").
    #[serde(default)]
    pub veto: Vec<String>,
    /// Triggers whose agent may not touch them: in "Republican *members of* Congress" the
    /// name right before the trigger says what kind of members they are, not who.
    #[serde(default)]
    pub not_adjacent: Vec<String>,
    /// Words of which one must stand within `NEEDS_REACH` tokens of the trigger, in its
    /// sentence ("*lifted* the sanctions on", "sanctions on X were *eased*"). Empty: no such
    /// condition.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Words that may not come right before the trigger ("the accused").
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Words that lift `not_after` when one stands in the trigger's sentence at most ten
    /// tokens before it: "bought X *as* part of its plans" is no affiliation, "*identified* X
    /// *as* part of the ministry" is.
    #[serde(default)]
    pub not_after_unless: Vec<String>,
    /// Whether a form of "be" before the trigger is part of it ("is associated with", "was
    /// behind") rather than a mark of the passive.
    #[serde(default)]
    pub copular: bool,
    /// Whether a name fills a party slot only when it heads its phrase: in "part of *China*'s
    /// desire", "controlled by *Aloha* chairman Hung" or "part of the *Gannet* project" the
    /// name modifies a noun that is no party, unless that noun is one of the lexicon's
    /// `org_heads` or `government` ("part of the Peugeot SA group").
    #[serde(default)]
    pub named_heads: bool,
    /// A role filled by the sentence's subject when nothing nearer fills it ("The taskforce
    /// ... identified X behind Y": the attributor).
    #[serde(default)]
    pub sentence_subject: Option<String>,
    /// The modality the trigger itself carries ("linked to" is hedged).
    #[serde(default)]
    pub modality: Option<String>,
    /// Base confidence.
    pub confidence: f64,
    /// CAMEO code and PLOVER type.
    #[serde(default)]
    pub codes: Option<(String, String)>,
    /// Positive examples.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Sentences in which no relation of this rule's type may be found.
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

/// The relation types and the roles each may have (output contract v1).
pub const ROLES: &[(&str, &[&str])] = &[
    (
        "sanction",
        &["imposer", "target", "measure", "reason", "time"],
    ),
    (
        "accusation",
        &["accuser", "accused", "offense", "victim", "time"],
    ),
    (
        "attribution",
        &["attributor", "activity", "responsible", "time"],
    ),
    ("affiliation", &["member", "group"]),
    ("denial", &["denier", "denied"]),
];

const MODALITIES: &[&str] = &["asserted", "hedged", "proposed", "threatened", "negated"];
const TYPES: &[&str] = &["PERSON", "ORG", "GPE", "THREAT_ACTOR"];

/// The embedded rules file.
pub const EMBEDDED: &str = include_str!("../../rules/relations.toml");

/// Parses and checks a rules file.
pub fn parse(path: &str, text: &str) -> Result<RulesFile, Error> {
    let err = |message: String| Error::Rules {
        path: path.to_string(),
        message,
    };
    let file: RulesFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut ids = HashSet::default();
    for r in &file.rule {
        let roles = ROLES
            .iter()
            .find(|(f, _)| *f == r.family)
            .map(|(_, roles)| *roles)
            .ok_or_else(|| err(format!("rule {}: unknown family {:?}", r.id, r.family)))?;
        if !ids.insert(r.id.as_str()) {
            return Err(err(format!("rule {}: duplicate id", r.id)));
        }
        if !r.id.starts_with(&format!("{}.", r.family)) {
            return Err(err(format!(
                "rule {}: id must start with its family {:?}",
                r.id, r.family
            )));
        }
        let used = r
            .agent
            .iter()
            .chain(r.patient.iter())
            .chain(r.sentence_subject.iter())
            .chain(r.complements.iter().map(|c| &c.role))
            .chain(r.requires.iter());
        for role in used {
            if !roles.contains(&role.as_str()) {
                return Err(err(format!(
                    "rule {}: role {role:?} is not a role of {}",
                    r.id, r.family
                )));
            }
        }
        for t in r.agent_types.iter().chain(r.patient_types.iter()) {
            if !TYPES.contains(&t.as_str()) {
                return Err(err(format!("rule {}: unknown entity type {t:?}", r.id)));
            }
        }
        if let Some(m) = &r.modality {
            if !MODALITIES.contains(&m.as_str()) {
                return Err(err(format!("rule {}: unknown modality {m:?}", r.id)));
            }
        }
        if r.triggers.is_empty()
            || r.triggers
                .iter()
                .any(|t| t.trim().is_empty() || t.to_lowercase() != *t)
        {
            return Err(err(format!(
                "rule {}: triggers must be non-empty lower-case phrases",
                r.id
            )));
        }
        if !(0.0..=1.0).contains(&r.confidence) {
            return Err(err(format!("rule {}: confidence must be in [0, 1]", r.id)));
        }
        if r.examples.is_empty() || r.counter_examples.is_empty() {
            return Err(err(format!(
                "rule {}: every rule needs examples and counter_examples",
                r.id
            )));
        }
    }
    for m in &file.modality {
        if !MODALITIES.contains(&m.kind.as_str()) || m.kind == "asserted" {
            return Err(err(format!("unknown modality kind {:?}", m.kind)));
        }
        if let Some(f) = m
            .families
            .iter()
            .find(|f| !ROLES.iter().any(|(family, _)| family == f))
        {
            return Err(err(format!("modality {}: unknown family {f:?}", m.kind)));
        }
    }
    Ok(file)
}

/// A sanction measure's patterns in one regular expression, compiled for the text at hand.
///
/// Unicode word classes (`\w`) make a regular expression costly to compile (about forty
/// million instructions for the embedded measures), and almost every text is ASCII. On ASCII
/// text a pattern compiled with ASCII classes matches exactly where its Unicode form does, so
/// that form is compiled when the rules load and the Unicode form only when a text that is not
/// ASCII first needs it.
#[derive(Debug)]
pub struct Measure {
    /// The normalized value (`asset_freeze`...).
    pub value: String,
    /// The patterns joined into one alternation.
    pattern: String,
    /// The compiled forms of `pattern`.
    forms: Forms,
}

/// The compiled forms of a measure's pattern.
#[derive(Debug)]
enum Forms {
    /// A pattern with no ASCII form (a class that matches more than ASCII): Unicode only.
    Unicode(Regex),
    /// The ASCII form, and the Unicode form once a text that is not ASCII needs it.
    Both {
        ascii: Regex,
        unicode: OnceLock<Regex>,
    },
}

impl Measure {
    /// Compiles a measure's patterns; an error names the bad pattern.
    pub fn compile(path: &str, m: &MeasureDef) -> Result<Measure, Error> {
        let pattern = format!("(?:{})", m.patterns.join("|"));
        let forms = match RegexBuilder::new(&pattern).unicode(false).build() {
            Ok(ascii) => Forms::Both {
                ascii,
                unicode: OnceLock::new(),
            },
            Err(_) => Forms::Unicode(Regex::new(&pattern).map_err(|e| {
                let bad = m.patterns.iter().find(|p| Regex::new(p).is_err());
                Error::Rules {
                    path: path.to_string(),
                    message: format!(
                        "measure {}: bad pattern {:?}: {e}",
                        m.value,
                        bad.map_or("", |p| p.as_str())
                    ),
                }
            })?),
        };
        Ok(Measure {
            value: m.value.clone(),
            pattern,
            forms,
        })
    }

    /// The regular expression to search `text` with.
    pub fn regex(&self, text: &str) -> &Regex {
        match &self.forms {
            Forms::Unicode(re) => re,
            Forms::Both { ascii, .. } if text.is_ascii() => ascii,
            // The pattern compiled in ASCII form, so it is valid: only a Unicode form over
            // the regex size limit could fail, and then the ASCII form is the nearest reading.
            Forms::Both { ascii, unicode } => {
                unicode.get_or_init(|| Regex::new(&self.pattern).unwrap_or_else(|_| ascii.clone()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_parse() {
        let f = parse("embedded", EMBEDDED).unwrap();
        assert!(f.rule.len() >= 10);
    }

    #[test]
    fn bad_rules_are_refused() {
        let base = EMBEDDED.to_string();
        let bad_family = base.replacen("family = \"sanction\"", "family = \"sanctions\"", 1);
        assert!(parse("x", &bad_family)
            .unwrap_err()
            .to_string()
            .contains("unknown family"));
        let bad_role = base.replacen("agent = \"imposer\"", "agent = \"sanctioner\"", 1);
        assert!(parse("x", &bad_role)
            .unwrap_err()
            .to_string()
            .contains("is not a role"));
        assert!(parse("x", "rule = 3").is_err());
    }

    #[test]
    fn measures_compile_in_both_forms_and_agree() {
        let f = parse("embedded", EMBEDDED).unwrap();
        for m in &f.measure {
            let measure = Measure::compile("embedded", m).unwrap();
            assert!(
                matches!(measure.forms, Forms::Both { .. }),
                "{}: no ASCII form",
                m.value
            );
            assert!(Regex::new(&measure.pattern).is_ok(), "{}", m.value);
        }
        let m = MeasureDef {
            value: "asset_freeze".to_string(),
            patterns: vec![r"froze (?:\w+ )?assets".to_string()],
        };
        let measure = Measure::compile("x", &m).unwrap();
        let ascii = "they froze bank assets";
        let other = "they froze café assets";
        assert!(measure.regex(ascii).is_match(ascii));
        assert!(measure.regex(other).is_match(other));
        let Forms::Both { ascii, .. } = &measure.forms else {
            panic!("no ASCII form")
        };
        assert!(!ascii.is_match(other));
    }

    #[test]
    fn a_bad_measure_pattern_is_named() {
        let m = MeasureDef {
            value: "travel_ban".to_string(),
            patterns: vec!["travel bans?".to_string(), "visa (ban".to_string()],
        };
        let e = Measure::compile("x", &m).unwrap_err().to_string();
        assert!(e.contains("visa (ban"), "{e}");
    }
}
