//! Reads sanctions, accusations, attributions, affiliations and denials from a document's
//! tokens and entities, by the rules in `rules/relations.toml`.
//!
//! For every trigger phrase of a rule in a sentence (not a headline), the rule's frame finds the
//! slots' phrases around it (the `frames` module); the sentence's cues set the modality, a reporting
//! clause sets the source, and measures found in the sentence attach to sanctions. Then:
//! relations of one type in one sentence that complement each other merge; a relation stated
//! again later in the article merges into its first statement (listed under `restated`);
//! relations missing a required role are dropped; denials are linked to the accusations and
//! attributions they deny; the rest are ordered by evidence start, then trigger start.

mod frames;
mod phrases;
pub mod rules;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use crate::entities::Entities;
use crate::error::Error;
use crate::gazetteer::EntryType;
use crate::tokenize::{Analysis, TokenKind};
use crate::words::Words;
use crate::words::{is_calendar_token, is_calendar_word, WordSet, MONTHS, NUMBER_WORDS};
use frames::{Ctx, Lex, Np};
use phrases::PhraseSet;
use rules::{Frame, Measure, RuleDef, SlotKind};

/// A relation before serialization; token ranges and entity indexes.
#[derive(Clone, Debug)]
pub struct Found {
    /// Index of the rule in the [`RuleSet`].
    pub rule: usize,
    /// Relation type.
    pub family: String,
    /// Trigger tokens.
    pub trigger: Range<usize>,
    /// Sentence of the trigger.
    pub sentence: usize,
    /// Arguments.
    pub args: Vec<Arg>,
    /// Modality and its cue tokens.
    pub modality: (&'static str, Option<Range<usize>>),
    /// The stating entity.
    pub source: Option<usize>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Other statements: (sentence, trigger tokens).
    pub restated: Vec<(usize, Range<usize>)>,
    /// For denials: indexes (into the final list) of denied relations.
    pub refers_to: Vec<usize>,
}

/// One argument before serialization.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// Its role.
    pub role: String,
    /// The tokens it quotes.
    pub tokens: Range<usize>,
    /// The entity filling it.
    pub entity: Option<usize>,
    /// A normalized value.
    pub value: Option<String>,
    /// Whether it was reached through coreference or a modifier.
    pub indirect: bool,
}

/// The compiled rules.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<RuleDef>,
    triggers: PhraseSet<Vec<usize>>,
    lex: Lex,
    measures: Vec<Measure>,
    modality: Vec<Cues>,
    /// Per rule, its word and phrase lists in lookup form.
    lookup: Vec<RuleLookup>,
}

/// A rule's word and phrase lists in lookup form, built once (see `rules::RuleDef`).
#[derive(Debug)]
struct RuleLookup {
    patient_preps: PhraseSet<()>,
    /// One set per complement.
    complement_preps: Vec<PhraseSet<()>>,
    veto: Words<String>,
    needs: Words<String>,
    not_after: Words<String>,
    not_after_unless: Words<String>,
}

/// The cues of one modality entry in lookup form (see `rules::ModalityDef`).
#[derive(Debug)]
struct Cues {
    kind: &'static str,
    before: PhraseSet<()>,
    window: usize,
    after: PhraseSet<()>,
    after_window: usize,
    objects: PhraseSet<()>,
    families: Vec<String>,
}

/// How far (in tokens) a rule looks around its trigger, so long sentences cost linear time.
const MAX_REACH: usize = 60;

/// How close (in tokens) one of a rule's `not_after_unless` words must stand to its trigger.
const UNLESS_REACH: usize = 10;

/// How close (in tokens) one of a rule's `needs` words must stand to its trigger.
const NEEDS_REACH: usize = 4;

const MODALITY_ORDER: &[&str] = &["negated", "threatened", "proposed", "hedged"];

impl RuleSet {
    /// Compiles the embedded rules.
    pub fn embedded() -> Result<RuleSet, Error> {
        RuleSet::from_toml("embedded:rules/relations.toml", rules::EMBEDDED)
    }

    /// Compiles a rules file.
    pub fn from_toml(path: &str, text: &str) -> Result<RuleSet, Error> {
        let file = rules::parse(path, text)?;
        let mut by_phrase: std::collections::BTreeMap<String, Vec<usize>> =
            std::collections::BTreeMap::new();
        for (i, r) in file.rule.iter().enumerate() {
            for t in &r.triggers {
                by_phrase.entry(t.clone()).or_default().push(i);
            }
        }
        let triggers = PhraseSet::new(by_phrase.iter().map(|(p, v)| (p.as_str(), v.clone())));
        let l = &file.lexicon;
        let set = |v: &Vec<String>| v.iter().cloned().collect::<HashSet<String>>();
        let phrases = |v: &Vec<String>| PhraseSet::new(v.iter().map(|p| (p.as_str(), ())));
        let lex = Lex {
            reporting: phrases(&l.reporting),
            skip: set(&l.skip),
            skip_phrases: phrases(&l.skip),
            be: set(&l.be),
            barrier: set(&l.barrier),
            list: phrases(&l.list),
            government: set(&l.government),
            support: set(&l.support),
            hypothetical: phrases(&l.hypothetical),
            party_nouns: set(&l.party_nouns),
            org_heads: set(&l.org_heads),
            blame: set(&l.blame),
            not_blame: set(&l.not_blame),
            described_parties: set(&l.described_parties),
        };
        let measures = file
            .measure
            .iter()
            .map(|m| Measure::compile(path, m))
            .collect::<Result<_, _>>()?;
        let mut modality = Vec::new();
        for kind in MODALITY_ORDER {
            for m in file.modality.iter().filter(|m| m.kind == *kind) {
                modality.push(Cues {
                    kind,
                    before: phrases(&m.cues),
                    window: m.window,
                    after: phrases(&m.after),
                    after_window: m.after_window,
                    objects: phrases(&m.objects),
                    families: m.families.clone(),
                });
            }
        }
        let lookup = file
            .rule
            .iter()
            .map(|r| RuleLookup {
                patient_preps: phrases(&r.patient_preps),
                complement_preps: r.complements.iter().map(|c| phrases(&c.preps)).collect(),
                veto: Words::from_words(r.veto.iter().cloned()),
                needs: Words::from_words(r.needs.iter().cloned()),
                not_after: Words::from_words(r.not_after.iter().cloned()),
                not_after_unless: Words::from_words(r.not_after_unless.iter().cloned()),
            })
            .collect();
        Ok(RuleSet {
            rules: file.rule,
            triggers,
            lex,
            measures,
            modality,
            lookup,
        })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[RuleDef] {
        &self.rules
    }

    /// Finds the relations of a document.
    pub fn apply(&self, a: &Analysis, ents: &Entities) -> Vec<Found> {
        let ctx = Ctx::new(a, ents, &self.lex);
        let mut found = Vec::new();
        let mut measures: Option<Vec<(Range<usize>, String)>> = None;
        for (s, sent) in a.sentences.iter().enumerate() {
            if sent.headline || title_line(a, &sent.tokens) {
                continue;
            }
            let range = sent.tokens.clone();
            let sentence_from = found.len();
            for i in self.triggers.candidates(a, range.clone()) {
                if found.len() - sentence_from >= MAX_FOUND_PER_SENTENCE {
                    break;
                }
                for (n, rules) in self.triggers.at(a, i, range.end) {
                    let trigger = i..i + n;
                    if compound(a, &trigger) {
                        continue;
                    }
                    for &r in rules {
                        if let Some(mut f) = self.try_rule(&ctx, r, trigger.clone(), s) {
                            if f.family == "sanction" {
                                let m = measures.get_or_insert_with(|| self.find_measures(a));
                                attach_measures(&mut f, m, &range);
                                if !self.measures_fit(&mut f) {
                                    continue;
                                }
                            }
                            found.push(f);
                        }
                    }
                }
            }
        }
        let found = merge_in_sentence(found);
        let found: Vec<Found> = found.into_iter().filter(|f| self.complete(a, f)).collect();
        // Merging may have brought one party to both sides ("a unit of TLX Partners" merged
        // with "TLX Partners"): no party acts on itself.
        let found: Vec<Found> = found
            .into_iter()
            .map(|mut f| {
                let (agent, patient) = core_roles(&f.family);
                drop_self_relation(&mut f.args, agent, patient);
                f
            })
            .filter(|f| self.complete(a, f))
            .collect();
        let mut found = merge_restated(found);
        // Only a negated or proposed relation keeps a patient that names no party ("did not
        // sanction anyone", "called for sanctions on the contractors"); elsewhere such phrases
        // are noise beside the named patients.
        for f in &mut found {
            if !unnamed_patient_ok(a, f) {
                let r = &self.rules[f.rule];
                if let Some(patient) = r
                    .patient
                    .as_deref()
                    .filter(|_| r.patient_kind == SlotKind::Party)
                {
                    let described_ok = self.described_ok(a, f);
                    f.args.retain(|x| {
                        x.role != patient
                            || x.entity.is_some()
                            || (described_ok && self.described(a, &x.tokens))
                    });
                }
            }
        }
        found.sort_by(|x, y| {
            let ex = a.sentences[x.sentence].span.char_start;
            let ey = a.sentences[y.sentence].span.char_start;
            ex.cmp(&ey)
                .then(x.trigger.start.cmp(&y.trigger.start))
                .then(x.rule.cmp(&y.rule))
        });
        link_denials(&mut found);
        found
    }

    fn complete(&self, a: &Analysis, f: &Found) -> bool {
        let r = &self.rules[f.rule];
        // A negated or proposed relation may name no party: "New Zealand did not sanction
        // anyone", "senators urged the Treasury to sanction the contractors involved".
        let negated = f.modality.0 == "negated" && explicit_trigger(a, f);
        let unnamed = unnamed_patient_ok(a, f);
        // ... or none at all, when a named agent is denied the act: "Washington has not
        // imposed sanctions over the campaign".
        let named_agent = r
            .agent
            .as_deref()
            .is_some_and(|agent| entities_of(f, agent).next().is_some());
        let described_ok = self.described_ok(a, f);
        r.requires.iter().all(|role| {
            (negated && named_agent && r.patient.as_deref() == Some(role.as_str()))
                || f.args.iter().any(|x| {
                    x.role == *role
                        && (x.entity.is_some()
                            || unnamed
                            || !self.is_party_role(r, role)
                            || (described_ok && self.described(a, &x.tokens)))
                })
        })
    }

    /// Whether a relation may keep a described patient ("two Chinese companies"): its rule
    /// has `described_patients`, and either a named agent acts with a trigger that is no
    /// general word ("restrictions on banks" are mostly rules of trade), or the trigger names
    /// a punitive measure outright in a passive or nominal frame (an active verb with no named
    /// subject is more often a noun misread: "Brokers said sanctions against the agents").
    fn described_ok(&self, a: &Analysis, f: &Found) -> bool {
        let r = &self.rules[f.rule];
        let named_agent = r
            .agent
            .as_deref()
            .is_some_and(|agent| entities_of(f, agent).next().is_some());
        let general = f
            .trigger
            .clone()
            .any(|t| matches!(a.lower(t), "restrictions" | "measures" | "countermeasures"));
        r.described_patients
            && if named_agent {
                !general
            } else {
                r.frame != Frame::Active && names_a_measure(a, &f.trigger)
            }
    }

    /// Whether an unnamed party phrase describes parties: a word of the lexicon's
    /// `described_parties` stands in it before its first preposition, verb or relative word
    /// ("two Chinese *companies*", "eleven *companies* and individuals", not "the rate on
    /// loans to companies").
    fn described(&self, a: &Analysis, tokens: &Range<usize>) -> bool {
        tokens
            .clone()
            .take_while(|&t| {
                a.tokens[t].kind != TokenKind::Punct
                    && !matches!(
                        a.lower(t),
                        "of" | "in"
                            | "on"
                            | "at"
                            | "to"
                            | "for"
                            | "from"
                            | "with"
                            | "by"
                            | "who"
                            | "which"
                            | "that"
                            | "whose"
                            | "over"
                            | "after"
                    )
            })
            .any(|t| self.lex.described_parties.contains(a.lower(t)))
    }

    /// Keeps only the measures of the values the rule takes; false when the rule requires a
    /// measure and none of those is stated ("ordered the company closed and froze the assets"
    /// is no expulsion).
    fn measures_fit(&self, f: &mut Found) -> bool {
        let r = &self.rules[f.rule];
        if r.measures.is_empty() {
            return true;
        }
        f.args.retain(|x| {
            x.role != "measure" || x.value.as_ref().is_some_and(|v| r.measures.contains(v))
        });
        !r.requires.iter().any(|x| x == "measure") || f.args.iter().any(|x| x.role == "measure")
    }

    fn is_party_role(&self, r: &RuleDef, role: &str) -> bool {
        (r.agent.as_deref() == Some(role))
            || (r.patient.as_deref() == Some(role) && r.patient_kind == SlotKind::Party)
            || r.complements
                .iter()
                .any(|c| c.role == role && c.kind == SlotKind::Party)
    }

    fn find_measures(&self, a: &Analysis) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        for measure in &self.measures {
            for m in measure.regex(&a.folded).find_iter(&a.folded) {
                let Ok(s) = a
                    .tokens
                    .binary_search_by_key(&m.start(), |t| t.span.byte_start as usize)
                else {
                    continue;
                };
                let Ok(e) = a
                    .tokens
                    .binary_search_by_key(&m.end(), |t| t.span.byte_end as usize)
                else {
                    continue;
                };
                out.push((s..e + 1, measure.value.clone()));
            }
        }
        out.sort_by_key(|(r, _)| (r.start, r.end));
        out
    }

    fn try_rule(&self, ctx: &Ctx, r: usize, trigger: Range<usize>, s: usize) -> Option<Found> {
        let rule = &self.rules[r];
        let look = &self.lookup[r];
        let a = ctx.a;
        // Parties are never read across a dateline's dash ("WELLINGTON — New Zealand ...").
        let whole = a.sentences[s].tokens.clone();
        let sent = after_dateline(a, whole.clone())..whole.end;
        if trigger.start < sent.start {
            return None;
        }
        let lifted = || {
            (sent.start.max(trigger.start.saturating_sub(UNLESS_REACH))..trigger.start)
                .any(|i| look.not_after_unless.contains_token(a, i))
        };
        if trigger.start > sent.start
            && look.not_after.contains_token(a, trigger.start - 1)
            && !lifted()
        {
            return None;
        }
        let near = sent.start.max(trigger.start.saturating_sub(MAX_REACH))
            ..sent.end.min(trigger.end + MAX_REACH);
        if !look.veto.is_empty() && near.clone().any(|i| look.veto.contains_token(a, i)) {
            return None;
        }
        if !look.needs.is_empty() {
            let close = sent.start.max(trigger.start.saturating_sub(NEEDS_REACH))
                ..sent.end.min(trigger.end + NEEDS_REACH);
            if !close.clone().any(|i| look.needs.contains_token(a, i)) {
                return None;
            }
        }
        let lo = self.clause_start(ctx, sent.start, trigger.start);
        // A clause opened by "whether" is an open question ("asked whether Ottawa would lift
        // the sanctions"): the word that ends the clause search still counts as hypothetical,
        // up to the first comma ("whether to bid for Acme, a unit of Zenith" keeps the unit).
        let opened_by = if lo > sent.start
            && a.lower(lo - 1) == "whether"
            && !(lo..trigger.start).any(|i| a.lower(i) == ",")
        {
            lo - 1
        } else {
            lo
        };
        let hypothetical = &self.lex.hypothetical;
        if hypothetical
            .candidates(a, opened_by..trigger.start)
            .any(|i| hypothetical.longest_at(a, i, trigger.start).is_some())
        {
            return None;
        }
        let hi = ctx.clause_end(trigger.end, sent.end);
        if self.conditional(ctx, lo, &trigger, sent.end) {
            return None;
        }
        let mut args: Vec<Arg> = Vec::new();
        let mut after = trigger.end; // where complements may start
        let mut by_at: Option<usize> = None; // a passive's by-phrase after its complement
        match rule.frame {
            Frame::Active => {
                // A capitalised trigger opening its sentence is a noun, not a verb with no
                // subject: "Sanctions Japan has not lifted remain in place."; inside a
                // sentence a capitalised word is no verb either ("should U.S. Sanctions
                // materialise").
                let opens = (sent.start..trigger.start)
                    .all(|i| a.tokens[i].kind == crate::tokenize::TokenKind::Punct);
                let word = a.tok(trigger.start);
                let capitalised =
                    crate::text::starts_upper(word) && word.chars().skip(1).any(char::is_lowercase);
                if (opens || capitalised) && crate::text::starts_upper(word) {
                    return None;
                }
                // A verb is not followed by a modal or a form of "be": in "we think sanctions
                // must be applied" the trigger is a noun.
                if trigger.end < sent.end
                    && matches!(
                        a.lower(trigger.end),
                        "must"
                            | "should"
                            | "will"
                            | "would"
                            | "could"
                            | "can"
                            | "may"
                            | "might"
                            | "shall"
                            | "is"
                            | "are"
                            | "was"
                            | "were"
                            | "has"
                            | "have"
                            | "had"
                    )
                {
                    return None;
                }
                let passive = self.passive_before(ctx, sent.start, trigger.start)
                    || self
                        .coordinated_passive(ctx, sent.start, trigger.start)
                        .is_some();
                if passive && !rule.copular {
                    return None;
                }
                // The patient first: a trigger with none is let go before the costlier search
                // for its agents.
                let patient = match &rule.patient {
                    Some(role) => Some((
                        role,
                        self.patient_after(ctx, rule, trigger.end, hi, sent.end)?,
                    )),
                    None => None,
                };
                if let Some(role) = &rule.agent {
                    let mut agents = self.active_agents(ctx, lo, sent.start, &trigger);
                    if noun_compound(ctx, &agents, &trigger) {
                        return None;
                    }
                    let touching = agents
                        .last()
                        .is_some_and(|np| np.tokens.end == trigger.start);
                    // The trigger as written in the rule: built only when it can matter.
                    let phrase = || {
                        (trigger.start..trigger.end)
                            .map(|i| a.lower(i))
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    if touching
                        && !rule.not_adjacent.is_empty()
                        && rule.not_adjacent.contains(&phrase())
                    {
                        agents.pop();
                    }
                    if rule.named_heads {
                        agents.retain(|np| name_heads(ctx, np, trigger.start));
                    }
                    push_parties(&mut args, role, agents, &rule.agent_types, ctx);
                }
                if let Some((role, (mut nps, end))) = patient {
                    // "blamed Regan for the chaos that descended on the White House": a party
                    // named outright is no act blamed on someone ("the Medibank hack" is).
                    let takes_party = rule.complements.iter().any(|c| c.kind == SlotKind::Party);
                    if rule.patient_kind == SlotKind::Text
                        && takes_party
                        && nps
                            .first()
                            .is_some_and(|np| names_a_party(ctx, np, sent.end))
                    {
                        return None;
                    }
                    if rule.named_heads {
                        nps.retain(|np| name_heads(ctx, np, hi));
                    }
                    // "charged that Japan was dumping chips": the patient opens a clause, whose
                    // words are no complements of the trigger ("subsidy *for* corn").
                    let clause = rule.patient_kind == SlotKind::Party
                        && nps
                            .first()
                            .is_some_and(|np| a.lower(np.tokens.start) == "that");
                    let nps = nps.into_iter().map(|np| forward(ctx, np, s)).collect();
                    after = if clause { sent.end } else { end.max(after) };
                    push_slot(&mut args, role, nps, rule, ctx);
                }
            }
            Frame::Passive => {
                let be = self.passive_marker(ctx, sent.start, &trigger)?;
                if let Some(role) = &rule.patient {
                    let nps = ctx.parties_left(lo, be);
                    // A participle sharing an earlier "be" takes that verb's subject, which
                    // opens the clause ("A and B were arrested ... and accused of").
                    let shared = a.lower(trigger.start - 1) == "and" && be + 2 < trigger.start;
                    if shared && nps.first().is_none_or(|np| np.tokens.start > lo + 1) {
                        return None;
                    }
                    let nps = nps
                        .into_iter()
                        .map(|np| forward(ctx, np, s))
                        .filter(|n| {
                            // An unnamed subject must stand right before its verb ("Three firms
                            // were sanctioned"), not further back ("a list started by banks,
                            // has been sanctioned").
                            let subject = (n.tokens.end..be).all(|i| {
                                self.lex.skip.contains(a.lower(i))
                                    || self.lex.be.contains(a.lower(i))
                            });
                            !n.entities.is_empty()
                                || (rule.described_patients
                                    && subject
                                    && self.described(a, &n.tokens))
                        })
                        .collect();
                    push_parties(&mut args, role, nps, &rule.patient_types, ctx);
                }
                if let Some(role) = &rule.agent {
                    if let Some(i) = by_phrase(ctx, trigger.end, hi) {
                        // "X was charged by the Justice Department, together with Y": Y shares
                        // the subject's part, not the agent's.
                        let mut by_end = hi;
                        if let Some((j, n)) = self.comma_joiner(ctx, i + 1, hi) {
                            by_end = j;
                            if let Some(role) = &rule.patient {
                                let more = ctx.parties_right(j + 1 + n, hi);
                                push_parties(&mut args, role, more, &rule.patient_types, ctx);
                            }
                        }
                        let nps = ctx.parties_right(i + 1, by_end);
                        if i == trigger.end {
                            if let Some(last) = nps.last() {
                                after = of_named(ctx, last, hi).unwrap_or(last.tokens.end);
                            }
                        } else {
                            by_at = Some(i);
                        }
                        // "sanctioned by the referee", "sanctioned by the shareholders": an
                        // agent of a type the rule does not take gives the verb another sense.
                        let fits = |np: &Np| {
                            np.entities.iter().any(|&e| {
                                let kind = ctx.ents.list[e].kind.as_str();
                                rule.agent_types.iter().any(|t| t == kind)
                            })
                        };
                        if i == trigger.end && !rule.agent_types.is_empty() && !nps.iter().any(fits)
                        {
                            return None;
                        }
                        push_parties(&mut args, role, nps, &rule.agent_types, ctx);
                    }
                }
            }
            Frame::Noun => {
                if let Some(role) = &rule.agent {
                    let agents = self.noun_agents(ctx, lo, &trigger, hi);
                    push_parties(&mut args, role, agents, &rule.agent_types, ctx);
                }
                if let Some(role) = &rule.patient {
                    let mut i = trigger.end;
                    // "the restrictions the EU imposed on X": a relative clause's subject
                    // names the agent.
                    if let Some((agent, verb)) = self.relative_agent(ctx, i, hi) {
                        if let Some(role) = rule
                            .agent
                            .as_ref()
                            .filter(|_| !args.iter().any(|x| x.entity.is_some()))
                        {
                            push_parties(&mut args, role, vec![agent], &rule.agent_types, ctx);
                        }
                        i = verb;
                    }
                    // "sanctions imposed on", "travel bans were imposed on"
                    let mut k = 0;
                    while i + 1 < hi
                        && k < 4
                        && ctx.ents.at(i).is_none()
                        && self.lookup[r].patient_preps.longest_at(a, i, hi).is_none()
                        && (self.lex.be.contains(a.lower(i))
                            || a.lower(i).ends_with("ed")
                            || self.lex.support.contains(a.lower(i))
                            || self.lex.skip.contains(a.lower(i)))
                    {
                        i += 1;
                        k += 1;
                    }
                    let prep = self.lookup[r]
                        .patient_preps
                        .longest_at(a, i, hi)
                        .map(|(n, _)| n);
                    if let Some(n) = prep {
                        let nps: Vec<Np> = ctx
                            .parties_right(i + n, hi)
                            .into_iter()
                            .map(|np| forward(ctx, np, s))
                            .collect();
                        if nps.first().is_some_and(|np| !patient_fits(ctx, rule, np)) {
                            return None;
                        }
                        // "restrictions on NYSE members": a name modifying a common noun is
                        // not the party the measure targets.
                        let modifier = nps.last().is_some_and(|np| {
                            let end = np.tokens.end;
                            !np.indirect
                                && ctx.noun_tail(end, hi) > end
                                && HELD_NOUNS.contains(&a.lower(end))
                        });
                        if modifier && rule.patient_kind == SlotKind::Party {
                            return None;
                        }
                        // "restrictions on U.S. citrus imports", "on the bank's affiliate": a
                        // general word is a sanction only on a party that heads its phrase.
                        if restriction_word(a, &trigger)
                            && nps.iter().any(|np| !heads_phrase(ctx, np, hi))
                        {
                            return None;
                        }
                        if let Some(last) = nps.last() {
                            after = last.tokens.end;
                        }
                        // "allegations that Cooper's merger with Gardner would ...": the clause
                        // holds no complements of the trigger.
                        if a.lower(i) == "that" {
                            after = sent.end;
                        }
                        push_slot(&mut args, role, nps, rule, ctx);
                    }
                }
            }
        }
        for (c, set) in rule
            .complements
            .iter()
            .zip(&self.lookup[r].complement_preps)
        {
            // Not past a joined verb phrase: "sanctioned B and barred banks from handling
            // payments *for* its tankers" gives no reason for the sanction.
            let joined_verb = |i: usize| {
                matches!(a.lower(i), "and" | "," | "or") && ctx.verb_phrase_at(i + 1, sent.end)
            };
            let from = past_apposition(ctx, after, sent.end, set);
            let Some((p, n)) = (from..sent.end)
                .take(30)
                .take_while(|&i| !joined_verb(i))
                .find_map(|i| {
                    // Not inside a name, nor the end of a list joiner ("together *with*").
                    let in_joiner = self
                        .lex
                        .list
                        .ending_at(a, after, i + 1)
                        .is_some_and(|(start, _)| start < i);
                    if ctx.ents.at(i).is_some() || in_joiner {
                        return None;
                    }
                    set.longest_at(a, i, sent.end).map(|(n, _)| (i, n))
                })
            else {
                continue;
            };
            // A complement belongs to this clause: no full stop or semicolon before it.
            if (from..p).any(|i| matches!(a.lower(i), ";" | "." | "—")) {
                continue;
            }
            match c.kind {
                SlotKind::Text => {
                    let end = by_at.filter(|&b| b > p + n).unwrap_or(sent.end);
                    let text = ctx
                        .text_from(p + n, end)
                        .map(|t| end_before_joined_clause(ctx, &trigger, t));
                    if let Some(t) = text.filter(|t| head_holds(ctx, t, &c.nouns)) {
                        if c.role == "offense" {
                            victims(ctx, &t, &mut args);
                        }
                        // A reason keeps the words that introduce it ("over the attack", "in
                        // retaliation for ..."): they say how it relates to the measure.
                        let t = if c.role == "reason" {
                            // ... up to its first comma: "over its role in Ukraine, the bloc's
                            // toughest response yet" gives its reason before the comma.
                            let end = (t.clone()).find(|&i| a.lower(i) == ",").unwrap_or(t.end);
                            // "for Thursday", "for two years": a time, not a reason.
                            if is_time_phrase(a, p + n..end) {
                                continue;
                            }
                            p..end
                        } else {
                            trim_determiner(ctx, t)
                        };
                        args.push(Arg {
                            role: c.role.clone(),
                            tokens: t,
                            entity: None,
                            value: None,
                            indirect: false,
                        });
                    }
                }
                SlotKind::Party => {
                    let end = ctx.clause_end(p + n, sent.end);
                    let nps = ctx.parties_right(p + n, end);
                    push_parties(&mut args, &c.role, nps, &[], ctx);
                }
            }
        }
        if let (Some(agent), Some(patient)) = (&rule.agent, &rule.patient) {
            repoint_pronouns(ctx, &mut args, agent, patient);
            drop_self_relation(&mut args, agent, patient);
        }
        // A slot that asks for entity types wants a named party: an unnamed phrase there is
        // more often a misread word ("last year imposed", "an attempt to cut aid").
        if let Some(agent) = rule.agent.as_ref().filter(|_| !rule.agent_types.is_empty()) {
            args.retain(|x| x.role != *agent || x.entity.is_some());
        }
        // A slot of any type may hold an unnamed phrase, but only one that can be a party.
        if let Some(agent) = rule.agent.as_ref().filter(|_| rule.agent_types.is_empty()) {
            args.retain(|x| x.role != *agent || x.entity.is_some() || ctx.party_like(&x.tokens));
        }
        if !self.about_agent(ctx, rule, &args, trigger.end, hi) {
            return None;
        }
        // A required role that only a complement of this rule fills ("blamed the loss *on* X")
        // must be found here: another relation of the sentence cannot supply it.
        let complement_only = |role: &String| {
            rule.agent.as_ref() != Some(role)
                && rule.patient.as_ref() != Some(role)
                && rule.sentence_subject.as_ref() != Some(role)
                && rule.complements.iter().any(|c| c.role == *role)
        };
        if rule
            .requires
            .iter()
            .filter(|role| complement_only(role))
            .any(|role| !args.iter().any(|x| x.role == *role))
        {
            return None;
        }
        if let Some(role) = &rule.sentence_subject {
            if !args.iter().any(|x| x.role == *role) {
                // "According to the ministry, X was behind ...": the ministry.
                let opens_according = a.lower(sent.start) == "according"
                    && sent.start + 2 < trigger.start
                    && a.lower(sent.start + 1) == "to";
                let subject = if opens_according {
                    ctx.np_starting(sent.start + 2, trigger.start)
                } else {
                    ctx.np_starting(sent.start, trigger.start)
                };
                if let Some(np) = subject.filter(|np| {
                    np.tokens.end <= trigger.start
                        && !args.iter().any(|x| {
                            x.tokens.start < np.tokens.end && np.tokens.start < x.tokens.end
                        })
                }) {
                    push_parties(&mut args, role, vec![np], &[], ctx);
                }
            }
        }
        let (modality, cue) = self.modality(ctx, rule, &trigger, lo, sent.clone());
        let source = self.source(ctx, &trigger, sent.clone(), &args, rule);
        let source = source.or_else(|| {
            // The one who proposes or threatens: the subject of the cue verb.
            let cue = cue.as_ref()?;
            if !matches!(modality, "proposed" | "threatened") {
                return None;
            }
            let nps = ctx.parties_left(lo, cue.start);
            nps.last().and_then(|np| np.entities.first().copied())
        });
        let family = rule.family.clone();
        let mut confidence = rule.confidence;
        if args.iter().any(|x| x.indirect) {
            confidence -= 0.1;
        }
        if modality == "hedged" {
            confidence -= 0.05;
        }
        Some(Found {
            rule: r,
            family,
            trigger,
            sentence: s,
            args,
            modality: (modality, cue),
            source,
            confidence: (confidence.clamp(0.05, 1.0) * 100.0).round() / 100.0,
            restated: Vec::new(),
            refers_to: Vec::new(),
        })
    }

    /// For a rule with `claim_nouns`: whether its text patient names a claim of blame, opens
    /// with a gerund, or stands in a clause (from `from` to `hi`) that is about the agent or
    /// holds a word of blame. "Iran denied reports that *it* planned ..." is a denial; "he
    /// denied the cabinet was split" and "denied suggestions that the shares were cheap" are
    /// not.
    fn about_agent(&self, ctx: &Ctx, rule: &RuleDef, args: &[Arg], from: usize, hi: usize) -> bool {
        let (Some(patient), Some(agent)) = (&rule.patient, &rule.agent) else {
            return true;
        };
        let Some(p) = args.iter().find(|x| x.role == *patient) else {
            return true;
        };
        let a = ctx.a;
        if rule.claim_nouns.is_empty()
            || head_holds(ctx, &p.tokens, &rule.claim_nouns)
            || a.lower(p.tokens.start).ends_with("ing")
        {
            return true;
        }
        let agents: Vec<&Arg> = args.iter().filter(|x| x.role == *agent).collect();
        let person = agents.iter().any(|x| {
            x.entity
                .is_some_and(|e| ctx.ents.list[e].kind == EntryType::Person)
        });
        let named = agents.iter().any(|x| x.entity.is_some());
        let own: &[&str] = if !named {
            &[
                "he", "his", "she", "her", "it", "its", "they", "their", "we", "our", "i", "my",
            ]
        } else if agents.len() > 1 {
            &["they", "them", "their", "themselves", "we", "our", "us"]
        } else if person {
            &[
                "he", "him", "his", "himself", "she", "her", "herself", "i", "my", "me",
            ]
        } else {
            &[
                "it", "its", "itself", "they", "them", "their", "we", "our", "us",
            ]
        };
        let names_agent = |t: usize| {
            ctx.ents
                .at(t)
                .is_some_and(|m| agents.iter().any(|x| x.entity == Some(m.entity)))
        };
        // The clause's first words say what it is about: a word of blame far off ("... from
        // attacks by Iran") belongs to another matter.
        let end = hi.max(p.tokens.end).min(p.tokens.start + 15);
        let blame = (from..end).any(|t| self.lex.blame.contains(a.lower(t)));
        // "denied reports that it plans to buy back stock": about the agent, but no blame.
        let aside = (from..end).any(|t| self.lex.not_blame.contains(a.lower(t)));
        blame || (!aside && (from..end).any(|t| own.contains(&a.lower(t)) || names_agent(t)))
    }

    /// A comma followed by "together with", "along with" or "as well as" within a phrase list
    /// starting at `start`: the comma's position and the joiner's length.
    fn comma_joiner(&self, ctx: &Ctx, start: usize, hi: usize) -> Option<(usize, usize)> {
        let a = ctx.a;
        (start..hi.min(start + 20)).find_map(|j| {
            if a.lower(j) != "," || j + 1 >= hi {
                return None;
            }
            let (n, _) = self.lex.list.longest_at(a, j + 1, hi)?;
            (n > 1).then_some((j, n))
        })
    }

    /// Whether the trigger sits in the main clause of a conditional: a modal before it in its
    /// clause and "if" or "unless" after it ("creditors would seek sanctions against X if
    /// the card company is liquidated").
    fn conditional(&self, ctx: &Ctx, lo: usize, trigger: &Range<usize>, end: usize) -> bool {
        let a = ctx.a;
        let modal = (lo..trigger.start).any(|i| matches!(a.lower(i), "would" | "could" | "might"));
        modal
            && (trigger.end..end.min(trigger.end + 25))
                .any(|i| matches!(a.lower(i), "if" | "unless"))
    }

    /// The clause's first token: after the last "that", ";", ":" or clause-opening comma
    /// before the trigger.
    fn clause_start(&self, ctx: &Ctx, sent_start: usize, trigger: usize) -> usize {
        let mut i = trigger;
        let floor = sent_start.max(trigger.saturating_sub(MAX_REACH));
        while i > floor {
            let w = ctx.a.lower(i - 1);
            if matches!(
                w,
                ";" | ":" | "whether" | "because" | "while" | "but" | "although"
            ) {
                break;
            }
            // "According to the ministry, X did ...": the first comma closes the source phrase.
            if w == ","
                && ctx.a.lower(sent_start) == "according"
                && !(sent_start..i - 1).any(|j| ctx.a.lower(j) == ",")
            {
                break;
            }
            // "said that ..." opens a clause; "a group that works for ..." does not.
            if w == "that"
                && (self.reported_that(ctx, floor, i - 1)
                    || !(i >= 2
                        && (ctx.ents.at(i - 2).is_some()
                            || (is_noun_like(ctx.a, i - 2)
                                && self.lex.reporting.longest_at(ctx.a, i - 2, i - 1).is_none()))))
            {
                break;
            }
            i -= 1;
        }
        i
    }

    /// Whether the "that" at token `that` follows a reporting verb across a time phrase:
    /// "announced on Monday that", "said last week that", "told reporters on Friday that".
    fn reported_that(&self, ctx: &Ctx, floor: usize, that: usize) -> bool {
        let a = ctx.a;
        let mut j = that;
        let mut k = 0;
        while j > floor && k < 5 {
            let w = a.lower(j - 1);
            if k > 0 && self.lex.reporting.ending_at(a, floor, j).is_some() {
                return true;
            }
            let timeish = self.lex.skip.contains(w)
                || a.tokens[j - 1].kind == crate::tokenize::TokenKind::Number
                || MONTHS.contains(w);
            if !timeish || ctx.ents.at(j - 1).is_some() {
                return false;
            }
            j -= 1;
            k += 1;
        }
        false
    }

    fn passive_before(&self, ctx: &Ctx, sent_start: usize, trigger: usize) -> bool {
        let mut i = trigger;
        let mut k = 0;
        while i > sent_start && k < 3 {
            let w = ctx.a.lower(i - 1);
            if self.lex.be.contains(w) {
                return true;
            }
            if !(w.ends_with("ly")
                || matches!(
                    w,
                    "not" | "also" | "now" | "already" | "reportedly" | "jointly" | "formally"
                ))
            {
                return false;
            }
            i -= 1;
            k += 1;
        }
        false
    }

    /// The be-form before a passive participle, or the trigger itself for a reduced relative
    /// ("X, sanctioned by the EU, ...").
    fn passive_marker(
        &self,
        ctx: &Ctx,
        sent_start: usize,
        trigger: &Range<usize>,
    ) -> Option<usize> {
        let a = ctx.a;
        let mut i = trigger.start;
        let mut k = 0;
        while i > sent_start && k < 4 {
            let w = a.lower(i - 1);
            if self.lex.be.contains(w) {
                let mut j = i - 1;
                while j > sent_start
                    && (self.lex.be.contains(a.lower(j - 1))
                        || self.lex.skip.contains(a.lower(j - 1)))
                {
                    j -= 1;
                }
                return Some(j);
            }
            if !(w.ends_with("ly")
                || matches!(
                    w,
                    "not" | "also" | "now" | "already" | "jointly" | "formally"
                ))
            {
                break;
            }
            i -= 1;
            k += 1;
        }
        let by_follows = trigger.end < a.tokens.len() && a.lower(trigger.end) == "by";
        let comma_before = trigger.start > sent_start && a.lower(trigger.start - 1) == ",";
        if by_follows && comma_before {
            Some(trigger.start - 1)
        } else {
            self.coordinated_passive(ctx, sent_start, trigger.start)
        }
    }

    /// For a participle after "and" that shares an earlier passive's "be" ("were arrested in
    /// Malaysia and accused of ..."): the position of that "be".
    fn coordinated_passive(&self, ctx: &Ctx, sent_start: usize, trigger: usize) -> Option<usize> {
        let a = ctx.a;
        if trigger <= sent_start + 2 || a.lower(trigger - 1) != "and" {
            return None;
        }
        let floor = sent_start.max(trigger.saturating_sub(12));
        (floor..trigger - 2)
            .rev()
            .take_while(|&j| !matches!(a.lower(j), ";" | ":" | "—" | "–"))
            .find(|&j| self.lex.be.contains(a.lower(j)) && a.lower(j + 1).ends_with("ed"))
    }

    fn active_agents(
        &self,
        ctx: &Ctx,
        lo: usize,
        sent_start: usize,
        trigger: &Range<usize>,
    ) -> Vec<Np> {
        let a = ctx.a;
        let t = trigger.start;
        // "..., charging them with", "wrote to Mr Lark on Monday accusing him of": a
        // participle clause after the verb phrase; the sentence's subject.
        let after_time = t > sent_start + 1
            && (is_calendar_token(a, t - 1)
                || matches!(a.lower(t - 1), "today" | "yesterday" | "week" | "night"));
        if a.lower(t).ends_with("ing") && t > sent_start && (a.lower(t - 1) == "," || after_time) {
            return ctx
                .np_starting(sent_start, t)
                .filter(|np| !np.entities.is_empty())
                .into_iter()
                .collect();
        }
        // "the UK's decision to sanction": the possessor.
        if t > sent_start && a.lower(t - 1) == "to" {
            let poss = (t.saturating_sub(4).max(sent_start)..t)
                .rev()
                .find(|&i| matches!(a.tok(i), "'s" | "’s"));
            if let Some(p) = poss {
                return ctx.np_ending(sent_start, p).into_iter().collect();
            }
            // "X agreed on Tuesday to impose", "X decided to sanction": the subject of the verb
            // that governs "to".
            let mut j = t - 1;
            while j > lo && self.lex.skip.contains(a.lower(j - 1)) && a.lower(j - 1) != "to" {
                j -= 1;
            }
            let governing = j > lo + 1
                && a.lower(j - 1).ends_with("ed")
                && !crate::text::starts_upper(a.tok(j - 1))
                && ctx.ents.at(j - 1).is_none();
            if governing {
                return ctx.parties_left(lo, j - 1);
            }
        }
        let mut left = ctx.parties_left(lo, t);
        // "X expelled ten diplomats, sanctioned six companies and ...": the phrase before the
        // comma is the object of an earlier verb; the subject is that verb's.
        if t > sent_start && a.lower(t - 1) == "," {
            let verb = left.last().and_then(|np| {
                let s = np.tokens.start;
                [s, s.wrapping_sub(1)]
                    .into_iter()
                    .find(|&v| v >= lo && v < t && self.past_verb(ctx, v))
            });
            if let Some(v) = verb {
                return self.active_agents(ctx, lo, sent_start, &(v..v + 1));
            }
        }
        // "A and B, a unit of C", "A and B, a former unit of C": an apposition describes the
        // phrase right before it only.
        let apposition = (t.saturating_sub(3).max(sent_start)..t)
            .rev()
            .take_while(|&i| {
                a.lower(i) == ","
                    || (a.tokens[i].kind == TokenKind::Word
                        && !crate::text::starts_upper(a.tok(i))
                        && !ctx.lex.barrier.contains(a.lower(i)))
            })
            .any(|i| a.lower(i) == ",");
        if apposition && left.len() > 1 {
            left.drain(..left.len() - 1);
        }
        // "Moscow denied the claims and expelled ...": the subject of the first verb.
        if left.is_empty() && t > lo + 1 && a.lower(t - 1) == "and" {
            return ctx
                .np_starting(lo, t - 1)
                .filter(|np| !np.entities.is_empty() && np.tokens.end + 1 < t)
                .into_iter()
                .collect();
        }
        left
    }

    /// Whether token `v` reads as a verb in the past: a lower-case word ending in "-ed" that
    /// names no entity and is no auxiliary ("expelled", not "United" or "need").
    fn past_verb(&self, ctx: &Ctx, v: usize) -> bool {
        let w = ctx.a.tok(v);
        w.len() > 4
            && w.ends_with("ed")
            && !crate::text::starts_upper(w)
            && ctx.ents.at(v).is_none()
            && !self.lex.skip.contains(ctx.a.lower(v))
    }

    /// "... restrictions [the EU imposed] on X": a named party right after a nominal trigger
    /// followed by a support verb; the party and the verb's position.
    fn relative_agent(&self, ctx: &Ctx, start: usize, hi: usize) -> Option<(Np, usize)> {
        let a = ctx.a;
        let np = ctx.np_starting(start, hi)?;
        let verb = np.tokens.end;
        let named = !np.entities.is_empty() && !np.indirect && np.tokens.len() <= 5;
        (named && verb < hi && self.lex.support.contains(a.lower(verb))).then_some((np, verb))
    }

    fn noun_agents(&self, ctx: &Ctx, lo: usize, trigger: &Range<usize>, hi: usize) -> Vec<Np> {
        let a = ctx.a;
        // Owner before the noun: "the EU's new asset freeze", "British sanctions".
        let mut i = trigger.start;
        let mut k = 0;
        while i > lo && k < 3 {
            let p = i - 1;
            if matches!(a.tok(p), "'s" | "’s") {
                return ctx.np_ending(lo, p).into_iter().collect();
            }
            if let Some(m) = ctx.ents.at(p) {
                let kind = ctx.ents.list[m.entity].kind;
                if matches!(kind, EntryType::Gpe | EntryType::Org) {
                    return vec![Np {
                        tokens: m.tokens.clone(),
                        entities: vec![m.entity],
                        indirect: false,
                    }];
                }
                return Vec::new();
            }
            if a.tokens[p].kind != crate::tokenize::TokenKind::Word
                || crate::text::starts_upper(a.tok(p))
                || self.lex.support.contains(a.lower(p))
                || self.lex.barrier.contains(a.lower(p))
                || matches!(a.lower(p), "on" | "against" | "of" | "for" | "to")
            {
                break;
            }
            i = p;
            k += 1;
        }
        // "sanctions imposed by the EU", "travel bans were imposed on X by Britain"
        if let Some(j) = by_phrase(ctx, trigger.end, hi) {
            return ctx.parties_right(j + 1, hi);
        }
        // Subject of a support verb: "Britain imposed sanctions on".
        let support = (lo..trigger.start)
            .rev()
            .take(6)
            .find(|&i| self.lex.support.contains(a.lower(i)));
        match support {
            Some(v) if !(v > lo && a.lower(v - 1) == "to" && v >= 1) => ctx.parties_left(lo, v),
            Some(v) => self.active_agents(
                ctx,
                lo,
                a.sentences[a.sentence_of(v)].tokens.start,
                &(v..v + 1),
            ),
            None => Vec::new(),
        }
    }

    fn patient_after(
        &self,
        ctx: &Ctx,
        rule: &RuleDef,
        start: usize,
        hi: usize,
        sent_end: usize,
    ) -> Option<(Vec<Np>, usize)> {
        let a = ctx.a;
        let mut i = start;
        // Particles and adverbs: "has also accused", "charged formally".
        while i < hi && a.lower(i).ends_with("ly") && ctx.ents.at(i).is_none() {
            i += 1;
        }
        // "dismissed as groundless US claims that ...": the object follows the complement.
        if i + 2 < sent_end && a.lower(i) == "as" && ctx.ents.at(i + 1).is_none() {
            i += 2;
        }
        let nps = match rule.patient_kind {
            SlotKind::Party => {
                let mut nps = ctx.parties_right(i, hi);
                // "sanctioned A, which it said ..., and B": the list goes on after the
                // relative clause.
                if let Some(j) = ctx
                    .list_after_relative(hi, sent_end)
                    .filter(|_| !nps.is_empty())
                {
                    nps.extend(ctx.parties_right(j, ctx.clause_end(j, sent_end)));
                }
                nps
            }
            SlotKind::Text => {
                let np = ctx.np_starting(i, sent_end)?;
                let mut end = ctx.noun_tail(np.tokens.end, sent_end);
                // "Albania's claim that ...": the possessed noun.
                if end + 1 < sent_end && matches!(a.tok(end), "'s" | "’s") {
                    if let Some(owned) = ctx.np_starting(end + 1, sent_end) {
                        end = owned.tokens.end;
                    }
                }
                // "US claims that ...": a name modifying one of the patient words.
                while end < sent_end
                    && end < np.tokens.end + 2
                    && !matches!(a.lower(end), "the" | "any" | "that" | "it" | "them")
                    && rule.patient_words.iter().any(|w| w == a.lower(end))
                {
                    end += 1;
                }
                // "accusations of wrongdoing", "claims that it hacked ..." (unless the word
                // introduces one of the rule's complements: "blamed the outage *on* X").
                let complement_prep = rule
                    .complements
                    .iter()
                    .any(|c| c.preps.iter().any(|p| p == a.lower(end.min(sent_end - 1))));
                if end < sent_end
                    && matches!(a.lower(end), "of" | "against" | "over" | "on")
                    && !complement_prep
                {
                    if let Some(more) = ctx.np_starting(end + 1, sent_end) {
                        end = more.tokens.end;
                    }
                }
                if !rule.patient_until.is_empty() {
                    // "called the accusations groundless": the patient ends at the verdict.
                    let stop = (np.tokens.start + 1..(end + 1).min(sent_end))
                        .find(|&t| rule.patient_until.iter().any(|w| w == a.lower(t)))?;
                    end = stop;
                }
                let entities = np.entities.clone();
                vec![Np {
                    tokens: np.tokens.start..end,
                    entities,
                    indirect: true,
                }]
            }
        };
        let constrained = !rule.patient_words.is_empty() || !rule.patient_nouns.is_empty();
        match nps.first() {
            Some(first) if !patient_fits(ctx, rule, first) => return None,
            None if constrained => return None,
            _ => {}
        }
        let end = nps.last().map_or(start, |n| n.tokens.end);
        Some((nps, end))
    }

    fn modality(
        &self,
        ctx: &Ctx,
        rule: &RuleDef,
        trigger: &Range<usize>,
        lo: usize,
        sent: Range<usize>,
    ) -> (&'static str, Option<Range<usize>>) {
        let a = ctx.a;
        // A cue governs the verb group that carries a nominal trigger: in "urged the
        // government to impose trade sanctions" the window counts from "impose".
        let anchor = (trigger.start.saturating_sub(NEEDS_REACH).max(lo)..trigger.start)
            .find(|&i| self.lex.support.contains(a.lower(i)))
            .unwrap_or(trigger.start);
        let after_end = ctx.clause_end(trigger.end, sent.end);
        let governs = |m: &&Cues| m.families.is_empty() || m.families.contains(&rule.family);
        for m in self.modality.iter().filter(governs) {
            // Negation must sit in the trigger's clause; other cues may govern it from outside
            // ("it was highly likely that Russia was responsible"), and so may a blocked
            // proposal ("vetoed a resolution that would have imposed sanctions").
            let floor = if m.kind == "negated" && m.objects.is_empty() {
                lo.max(sent.start)
            } else {
                sent.start
            };
            let from = anchor.saturating_sub(m.window).max(floor);
            for i in (from..trigger.start).rev() {
                if let Some((n, _)) = m.before.longest_at(a, i, trigger.start) {
                    if m.objects.is_empty() || self.cue_object(a, &m.objects, i + n, trigger.start)
                    {
                        if matches!(m.kind, "proposed" | "threatened") {
                            if let Some(neg) = self.negation_before(a, i, lo.max(sent.start)) {
                                return ("negated", Some(neg));
                            }
                        }
                        return (m.kind, Some(i..i + n));
                    }
                }
            }
            let reach = after_end.min(trigger.end + m.after_window);
            for i in trigger.end..reach {
                if let Some((n, _)) = m.after.longest_at(a, i, after_end) {
                    return (m.kind, Some(i..i + n));
                }
            }
        }
        match rule.modality.as_deref() {
            Some("hedged") => ("hedged", Some(trigger.clone())),
            Some("proposed") => ("proposed", Some(trigger.clone())),
            Some("threatened") => ("threatened", Some(trigger.clone())),
            Some("negated") => ("negated", Some(trigger.clone())),
            _ => ("asserted", None),
        }
    }

    /// A negation cue within the window of the first negated entry before a proposal or threat
    /// cue at `cue`, not before `floor`: "no intention to impose sanctions", "did not call for
    /// sanctions", "is not prepared to sanction" say the measure is not wanted.
    fn negation_before(&self, a: &Analysis, cue: usize, floor: usize) -> Option<Range<usize>> {
        let neg = self
            .modality
            .iter()
            .find(|m| m.kind == "negated" && m.objects.is_empty())?;
        let from = cue.saturating_sub(neg.window).max(floor);
        (from..cue)
            .rev()
            .find_map(|i| neg.before.longest_at(a, i, cue).map(|(n, _)| i..i + n))
    }

    /// Whether one of `objects` (a proposal: "resolution", "move") starts within four tokens
    /// from `from`, before `end`, and the trigger at `end` belongs to it: no pronoun opens a
    /// clause of its own between them ("dropped the threat of action against banks *it* had
    /// accused" blocks the action, not the accusation).
    fn cue_object(&self, a: &Analysis, objects: &PhraseSet<()>, from: usize, end: usize) -> bool {
        let object = (from..end.min(from + 4)).find(|&i| objects.longest_at(a, i, end).is_some());
        object.is_some_and(|o| {
            !(o..end).any(|i| {
                matches!(
                    a.lower(i),
                    "it" | "they" | "he" | "she" | "we" | "i" | "you"
                )
            })
        })
    }

    /// The entity the sentence says is stating the relation: the subject of a reporting verb.
    fn source(
        &self,
        ctx: &Ctx,
        trigger: &Range<usize>,
        sent: Range<usize>,
        _args: &[Arg],
        _rule: &RuleDef,
    ) -> Option<usize> {
        let a = ctx.a;
        let mut best: Option<(usize, usize)> = None; // (distance, entity)
        let sent = sent.start.max(trigger.start.saturating_sub(MAX_REACH))
            ..sent.end.min(trigger.end + MAX_REACH);
        let mut i = sent.start;
        while i < sent.end {
            let Some((n, _)) = self.lex.reporting.longest_at(a, i, sent.end) else {
                i += 1;
                continue;
            };
            if i < trigger.end && i + n > trigger.start {
                i += n;
                continue;
            }
            let speaker = if a.lower(i) == "according" {
                ctx.parties_right(i + n, sent.end).into_iter().next()
            } else if i > sent.start
                && ctx.ents.at(i - 1).is_none()
                && i + n < sent.end
                && i > trigger.end
            {
                // "..., said the Treasury."
                ctx.parties_left(sent.start, i)
                    .pop()
                    .or_else(|| ctx.parties_right(i + n, sent.end).into_iter().next())
            } else {
                ctx.parties_left(
                    sent.start.max(if i > trigger.end {
                        trigger.end
                    } else {
                        sent.start
                    }),
                    i,
                )
                .pop()
            };
            if let Some(e) = speaker.and_then(|np| np.entities.first().copied()) {
                let kind = ctx.ents.list[e].kind;
                if kind != EntryType::ThreatActor {
                    // A reporting clause closing the sentence (", adviser Tom Bossert said on
                    // Tuesday.") governs all of it: it names the source before nearer verbs.
                    let closing = i > trigger.end
                        && (i + n..sent.end).all(|j| {
                            a.tokens[j].kind == crate::tokenize::TokenKind::Punct
                                || self.lex.skip.contains(a.lower(j))
                                || is_calendar_word(a.lower(j))
                        });
                    let d = if closing {
                        0
                    } else {
                        i.abs_diff(trigger.start)
                    };
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, e));
                    }
                }
            }
            i += n;
        }
        best.map(|(_, e)| e)
    }
}

/// Whether a relation may keep party slots filled by phrases that name no entity: a negated
/// or proposed one whose trigger is explicit ("did not sanction anyone", "urged sanctions on
/// the contractors"; "plans to impose restrictions on its labour market" is policy, "does
/// not place any restrictions on its actions" is no sanction, "who is not connected to the
/// case" no affiliation).
fn unnamed_patient_ok(a: &Analysis, f: &Found) -> bool {
    matches!(f.modality.0, "negated" | "proposed") && explicit_trigger(a, f)
}

/// Whether a sanction trigger names a punitive measure outright: "sanctions", "embargo",
/// "blacklisted", "expelled", "asset freeze", "travel ban"; not "restrictions" or "measures".
fn names_a_measure(a: &Analysis, trigger: &Range<usize>) -> bool {
    trigger.clone().any(|t| {
        let w = a.lower(t);
        ["sanction", "embargo", "blacklist", "expel"]
            .iter()
            .any(|p| w.starts_with(p))
            || matches!(w, "freeze" | "freezes" | "ban" | "bans")
    })
}

/// Whether a relation's trigger names its event outright ("sanctions", "accused", "charges"),
/// unlike words such as "restrictions" or "connected to" that also serve other meanings.
fn explicit_trigger(a: &Analysis, f: &Found) -> bool {
    f.trigger.clone().any(|t| {
        let w = a.lower(t);
        w.starts_with("sanction") || w.starts_with("accus") || w.starts_with("charg")
    })
}

/// Whether a patient phrase meets the rule's `patient_words` (within its first three tokens, or
/// the three after a possessor "X's"; a
/// function word such as "the" only where it opens the phrase: "denied the claims", not "would
/// not deny people the pay rise") and `patient_nouns` (in its head).
fn patient_fits(ctx: &Ctx, rule: &RuleDef, np: &Np) -> bool {
    let a = ctx.a;
    // "Ms Villalba's claims": the words are counted after a possessor.
    let start = np
        .tokens
        .clone()
        .take(5)
        .find(|&t| matches!(a.tok(t), "'s" | "’s"))
        .map_or(np.tokens.start, |p| p + 1);
    let words_ok = rule.patient_words.is_empty()
        || (start..np.tokens.end).take(3).any(|t| {
            let w = a.lower(t);
            (t == np.tokens.start || !FUNCTION_WORDS.contains(&w))
                && rule.patient_words.iter().any(|p| word_matches(w, p))
        });
    words_ok && head_holds(ctx, &np.tokens, &rule.patient_nouns)
}

/// Words that say when or how long ("years", "today"), besides dates, weekdays and numbers.
static TIME_WORDS: WordSet = WordSet::new(&[
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "now",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "night",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "hour",
    "hours",
    "several",
    "few",
    "many",
]);

/// Words that may stand around a time without making it anything else ("the next two years",
/// "early on Monday").
static TIME_FILLERS: WordSet = WordSet::new(&[
    "the", "a", "an", "of", "on", "next", "last", "this", "past", "coming", "early", "late", "mid",
    "until", "up", "to",
]);

/// Whether tokens `t` only say when or how long: a date, a weekday, a number, a span of years
/// ("Thursday", "two years", "the next 10 days", "1975"). After a reason's preposition they
/// are no reason ("sanctioned ... for Thursday", "banned for two years").
fn is_time_phrase(a: &Analysis, t: Range<usize>) -> bool {
    let mut time = false;
    for i in t {
        let token = &a.tokens[i];
        match token.kind {
            TokenKind::Number => time = true,
            TokenKind::Word
                if is_calendar_token(a, i)
                    || TIME_WORDS.contains_token(a, i)
                    || NUMBER_WORDS.contains_token(a, i) =>
            {
                time = true;
            }
            TokenKind::Word if TIME_FILLERS.contains_token(a, i) => {}
            TokenKind::Punct if a.lower_is(i, "-") => {}
            _ => return false,
        }
    }
    time
}

/// Whether the head of a phrase (up to its first preposition, verb or punctuation, so "the
/// bombing of the dam", not "the technical side of the operation") holds one of `nouns`
/// (`*suffix` patterns; `@name`: a head of capitalised words naming no person or place); true
/// when `nouns` is empty.
fn head_holds(ctx: &Ctx, phrase: &Range<usize>, nouns: &[String]) -> bool {
    if nouns.is_empty() {
        return true;
    }
    let a = ctx.a;
    // "part of a military aid programme": the head follows a quantity.
    let mut from = phrase.start;
    if from < phrase.end && FUNCTION_WORDS.contains(&a.lower(from)) {
        from += 1;
    }
    if from + 2 < phrase.end
        && matches!(
            a.lower(from),
            "part" | "some" | "all" | "most" | "much" | "half"
        )
        && a.lower(from + 1) == "of"
    {
        from += 2;
    }
    let head = from..ctx.head_end(from..phrase.end);
    head.clone()
        .any(|t| nouns.iter().any(|p| word_matches(a.lower(t), p)))
        || nouns.iter().any(|p| p == "@name") && names_an_act(ctx, &head)
}

/// Whether a phrase's head is a bare name that may name an operation or a piece of malware
/// ("was behind WannaCry"): capitalised words only, no person or country among them.
fn names_an_act(ctx: &Ctx, head: &Range<usize>) -> bool {
    let a = ctx.a;
    let person_or_place = head.clone().any(|t| {
        ctx.ents.at(t).is_some_and(|m| {
            matches!(
                ctx.ents.list[m.entity].kind,
                EntryType::Person | EntryType::Gpe
            )
        })
    });
    let all_name = head.clone().all(|t| {
        crate::text::starts_upper(a.tok(t))
            || a.tokens[t].kind == crate::tokenize::TokenKind::Number
            || a.tok(t) == "-"
    });
    !head.is_empty() && all_name && !person_or_place
}

/// Nouns of things or people a named party holds or counts, which a measure on them does not
/// aim at the party itself: "restrictions on NYSE *members*", "on Acme *shares*".
const HELD_NOUNS: &[&str] = &[
    "members",
    "member",
    "shares",
    "stock",
    "stocks",
    "stake",
    "bonds",
    "devices",
    "users",
    "customers",
    "clients",
    "employees",
    "workers",
    "staff",
    "subscribers",
    "accounts",
    "deposits",
    "branch",
    "branches",
    "shareholders",
    "investors",
    "dealers",
    "brokers",
];

/// Words that open a phrase and say nothing of what it names.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "any", "that", "it", "them", "this", "these",
];

/// Whether word `w` matches a rule's word pattern: the word itself, or `*suffix` for any
/// word of at least three more letters ending so ("*ing": "denied carrying out").
fn word_matches(w: &str, pattern: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => w.ends_with(suffix) && w.len() > suffix.len() + 2,
        None => w == pattern,
    }
}

/// After a dateline that runs into its sentence ("WELLINGTON — New Zealand accused ...",
/// "ROTTERDAM, Netherlands (Coast Wire) — The ..."), the story's first token; else the
/// sentence's start. A dateline opens a line with a word in capitals, holds only capitalised
/// words, numbers and ", ( ) / ." and ends at a spaced dash within 14 tokens.
fn after_dateline(a: &Analysis, sent: Range<usize>) -> usize {
    let first = sent.start;
    let opens_line = first == 0 || a.tokens[first].breaks_before > 0;
    let caps = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
    };
    if sent.is_empty() || !opens_line || !caps(a.tok(first)) {
        return first;
    }
    for i in first + 1..sent.end.min(first + 14) {
        let w = a.tok(i);
        if matches!(w, "—" | "–" | "-") && a.tokens[i].space_before {
            return i + 1;
        }
        let fits = a.tokens[i].kind == TokenKind::Number
            || matches!(w, "," | "(" | ")" | "/" | ".")
            || crate::text::starts_upper(w);
        if !fits {
            break;
        }
    }
    first
}

/// Whether a sanction trigger is a general word of rules and limits ("restrictions",
/// "restrictive measures") rather than of punishment.
fn restriction_word(a: &Analysis, trigger: &Range<usize>) -> bool {
    trigger
        .clone()
        .any(|t| matches!(a.lower(t), "restrictions" | "restrictive"))
}

/// Whether a party phrase names its party outright and ends its noun phrase: "Cuba" in
/// "restrictions on Cuba in May", not "U.S." in "on U.S. citrus imports" nor "Taiwanese
/// products" or "the bank's affiliate" (reached through a modifier or a possessor).
fn heads_phrase(ctx: &Ctx, np: &Np, hi: usize) -> bool {
    let a = ctx.a;
    let end = np.tokens.end;
    let ends = end >= hi || {
        let w = a.lower(end);
        let punct = a.tokens[end].kind == TokenKind::Punct && !matches!(w, "-" | "'s" | "’s");
        punct
            || ctx.lex.barrier.contains(w)
            || ctx.lex.skip.contains(w)
            || ctx.lex.be.contains(w)
            || ctx.lex.list.longest_at(a, end, hi).is_some()
    };
    !np.indirect && !np.entities.is_empty() && ends
}

/// For rules with `named_heads`: whether the last name of a party phrase heads it. It does
/// not when lower-case nouns follow it inside the phrase or right after it ("a next generation
/// DVD *technology*", "the Gannet *project*", "Aloha *chairman* Hung"), or a possessive does
/// ("China's *desire*", "Google's map *service*"), unless the last of those nouns is an
/// organisation's (`org_heads`, `government`: "the Cyacq investor *group*"). A place before
/// "-based" only says where the party is. Phrases without a name (pronouns, descriptions) are
/// left to the other checks.
fn name_heads(ctx: &Ctx, np: &Np, hi: usize) -> bool {
    let a = ctx.a;
    let Some(last) = np.tokens.clone().rev().find(|&t| ctx.ents.at(t).is_some()) else {
        return true;
    };
    let name_end = last + 1;
    let tail = if np.tokens.end > name_end {
        name_end..np.tokens.end
    } else if name_end + 1 < hi && matches!(a.tok(name_end), "'s" | "’s") {
        // "OPEC's Price Differentials Committee", "Microsoft's plans": up to the possessed
        // phrase's first function word or verb.
        let from = name_end + 1;
        let to = (from..hi.min(from + 6))
            .find(|&i| {
                let w = a.lower(i);
                ctx.lex.barrier.contains(w) || frames::is_pronoun(w) || !is_noun_like(a, i)
            })
            .unwrap_or(hi.min(from + 6));
        from..to
    } else {
        name_end..ctx.noun_tail(name_end, hi)
    };
    let based = tail.len() > 1 && a.tok(tail.start) == "-" && a.lower(tail.start + 1) == "based";
    if tail.is_empty() || based {
        return !based;
    }
    let tail = if a.tok(tail.start) == "-" {
        tail.start + 1..tail.end
    } else {
        tail
    };
    if tail.is_empty() || a.tokens[tail.start].kind != TokenKind::Word {
        return true;
    }
    // The head: the last noun before a participle or a determiner ("the Cyacq investor
    // *group* making a rival bid").
    let mut head = tail.start;
    for i in tail.clone() {
        let w = a.lower(i);
        let org = ctx.lex.org_heads.contains(w) || ctx.lex.government.contains(w);
        let stop = matches!(w, "a" | "an" | "the" | "this" | "that" | "its" | "their")
            || ((w.ends_with("ing") || w.ends_with("ed")) && !org);
        if i > tail.start && stop {
            break;
        }
        head = i;
    }
    // "Russia's GRU *military intelligence* service": a word of a state body anywhere in
    // the head keeps the name.
    crate::text::starts_upper(a.tok(head))
        || (tail.start..head + 1).any(|i| {
            let w = a.lower(i);
            ctx.lex.org_heads.contains(w) || ctx.lex.government.contains(w)
        })
}

/// Whether a sentence is a title in sentence case ("Kenteris denies faking road crash"): a
/// paragraph of its own, without closing punctuation, opening the text.
fn title_line(a: &Analysis, tokens: &Range<usize>) -> bool {
    if tokens.is_empty() || tokens.start > 0 && a.tokens[tokens.start].breaks_before == 0 {
        return false;
    }
    // Asked first: only the text's first sentence opens it, and the others are turned away
    // without reading their last word (in a long text, far from anything cached).
    let opens_text = a.tokens[..tokens.start]
        .iter()
        .all(|t| t.kind == crate::tokenize::TokenKind::Punct);
    if !opens_text {
        return false;
    }
    let last = a.tok(tokens.end - 1);
    let closed = matches!(last, "." | "!" | "?" | "\"" | "”" | "'" | "’" | ":" | ")");
    let paragraph_after = a
        .tokens
        .get(tokens.end)
        .is_some_and(|t| t.breaks_before >= 2);
    !closed && paragraph_after
}

/// Whether token `i` may end a noun phrase (a lower-case word that is no verb form the rules
/// know: not ending in -ed, not a form of "be").
fn is_noun_like(a: &Analysis, i: usize) -> bool {
    let w = a.lower(i);
    a.tokens[i].kind == crate::tokenize::TokenKind::Word
        && !w.ends_with("ed")
        && !matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "so"
                | "such"
                | "now"
                | "say"
                | "says"
                | "believe"
                | "believes"
                | "think"
                | "thinks"
                | "know"
                | "claim"
                | "claims"
                | "fear"
                | "suggest"
                | "suggests"
                | "warn"
                | "warns"
                | "assess"
                | "assesses"
                | "conclude"
                | "concludes"
        )
}

/// The first "by" after a trigger in its clause (within 15 tokens), not inside a name.
/// A "by" inside a clause of its own ("allegations that he abetted violations by a broker")
/// or before a gerund ("by protecting its equity": a means) names no agent.
fn by_phrase(ctx: &Ctx, start: usize, hi: usize) -> Option<usize> {
    let a = ctx.a;
    let gerund =
        |i: usize| i < hi && a.lower(i).ends_with("ing") && !crate::text::starts_upper(a.tok(i));
    (start..hi.min(start + 15))
        .take_while(|&i| !matches!(a.lower(i), "that" | "which" | "who" | "whom" | "whose"))
        .find(|&i| a.lower(i) == "by" && ctx.ents.at(i).is_none())
        .filter(|&i| !gerund(i + 1))
}

/// Whether an -s trigger read as a verb is rather the head of a noun compound: its "subject"
/// is a bare phrase naming no party right before it ("trade sanctions imposed on Japan",
/// "the child abuse charges he faces"); a verb's subject names a party, opens with a
/// determiner ("the ministry accuses") or is capitalised ("West blames").
fn noun_compound(ctx: &Ctx, agents: &[Np], trigger: &Range<usize>) -> bool {
    let a = ctx.a;
    let Some(last) = agents.last() else {
        return false;
    };
    a.lower(trigger.end - 1).ends_with('s')
        && last.entities.is_empty()
        && last.tokens.end == trigger.start
        && !DETERMINERS_OF_EVENTS.contains(&a.lower(last.tokens.start))
        && !last
            .tokens
            .clone()
            .any(|t| crate::text::starts_upper(a.tok(t)))
}

/// A trigger inside a hyphenated compound ("sanctions-busting", "anti-sanctions") is not one.
fn compound(a: &Analysis, t: &Range<usize>) -> bool {
    let n = a.tokens.len();
    let glued = |i: usize| i < n && !a.tokens[i].space_before;
    (t.end + 1 < n && a.tok(t.end) == "-" && glued(t.end) && glued(t.end + 1))
        || (t.start >= 2 && a.tok(t.start - 1) == "-" && glued(t.start) && glued(t.start - 1))
}

/// Resolves an indefinite phrase with no entity forward: "two individuals and a company have
/// been sanctioned. The individuals, A and B, ..." (the next two sentences).
fn forward(ctx: &Ctx, np: Np, s: usize) -> Np {
    if !np.entities.is_empty() {
        return np;
    }
    let a = ctx.a;
    let head = a.lower(np.tokens.end - 1);
    let first = a.lower(np.tokens.start);
    let count = match first {
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "a" | "an" | "one" => 1,
        _ => return np,
    };
    let want = match head {
        "individuals" | "men" | "women" | "people" | "nationals" | "persons" | "hackers"
        | "officers" | "suspects" | "man" | "woman" | "individual" | "person" | "national"
        | "officer" => EntryType::Person,
        "company" | "companies" | "firm" | "firms" | "entity" | "entities" | "business"
        | "businesses" => EntryType::Org,
        _ => return np,
    };
    let mut entities = Vec::new();
    let from = ctx.ents.mentions.partition_point(|m| m.sentence <= s);
    for m in ctx.ents.mentions[from..]
        .iter()
        .take_while(|m| m.sentence <= s + 2)
    {
        let info = &ctx.ents.list[m.entity];
        let fits = info.kind == want
            && (want != EntryType::Org || matches!(info.sub_kind(), None | Some("company")));
        // Only entities first mentioned after the phrase: they are what it announces.
        let first_mention = ctx.ents.first_sentence(m.entity) > s;
        if fits && first_mention && !entities.contains(&m.entity) {
            entities.push(m.entity);
        }
        if entities.len() == count {
            break;
        }
    }
    if entities.len() == count {
        Np {
            tokens: np.tokens,
            entities,
            indirect: true,
        }
    } else {
        np
    }
}

/// No party acts on itself. When one party fills both sides, the side that has other parties
/// gives it up ("Volt Typhoon ... backed by the Chinese government, saying the group ..."
/// keeps the government as the group); else the agent does ("the employees filed a suit
/// against TRW charging the company with fraud": TRW is the accused, not the accuser).
fn drop_self_relation(args: &mut Vec<Arg>, agent: &str, patient: &str) {
    let of = |args: &[Arg], role: &str| -> Vec<usize> {
        args.iter()
            .filter(|x| x.role == role)
            .filter_map(|x| x.entity)
            .collect()
    };
    let agents = of(args, agent);
    let patients = of(args, patient);
    let shared: Vec<usize> = agents
        .iter()
        .copied()
        .filter(|e| patients.contains(e))
        .collect();
    if shared.is_empty() {
        return;
    }
    let patient_has_more = patients.iter().any(|e| !shared.contains(e));
    let loser = if patient_has_more { patient } else { agent };
    args.retain(|x| x.role != loser || !x.entity.is_some_and(|e| shared.contains(&e)));
}

/// A pronoun never stands for the party on the other side of its own relation: in "Mr
/// Clarke accused him of ...", "him" is someone else, and in "Smith sued the bank, charging it
/// with fraud" the accuser is not the bank. Such a pronoun is resolved again past that party,
/// and dropped when nothing else fits.
fn repoint_pronouns(ctx: &Ctx, args: &mut Vec<Arg>, agent: &str, patient: &str) {
    // The object moves first: in "She charged him", both may have found the same person.
    repoint_role(ctx, args, patient, agent);
    repoint_role(ctx, args, agent, patient);
}

/// Resolves again each pronoun of `role` that stands for a party of `other`.
fn repoint_role(ctx: &Ctx, args: &mut Vec<Arg>, role: &str, other: &str) {
    let others: Vec<usize> = args
        .iter()
        .filter(|y| y.role == other)
        .filter_map(|y| y.entity)
        .collect();
    let mut i = 0;
    while i < args.len() {
        let x = &args[i];
        let pronoun = x.tokens.len() == 1
            && ctx.a.tokens[x.tokens.start].kind == crate::tokenize::TokenKind::Word
            && frames::is_pronoun(ctx.a.lower(x.tokens.start));
        if x.role != role || !pronoun || !x.entity.is_some_and(|e| others.contains(&e)) {
            i += 1;
            continue;
        }
        let again = ctx.pronoun_except(x.tokens.start, &others);
        let taken = |e: &usize| args.iter().any(|y| y.role == role && y.entity == Some(*e));
        match again.into_iter().find(|e| !taken(e)) {
            Some(e) => {
                args[i].entity = Some(e);
                i += 1;
            }
            None => {
                args.remove(i);
            }
        }
    }
}

fn push_parties(args: &mut Vec<Arg>, role: &str, nps: Vec<Np>, types: &[String], ctx: &Ctx) {
    let any_entity = nps.iter().any(|n| !n.entities.is_empty());
    for np in nps {
        if any_entity && np.entities.is_empty() {
            continue;
        }
        let tokens = trim_party(ctx, np.tokens.clone());
        if np.entities.is_empty() {
            let tokens = trim_described(ctx, trim_time(ctx.a, tokens));
            args.push(Arg {
                role: role.to_string(),
                tokens,
                entity: None,
                value: None,
                indirect: np.indirect,
            });
            continue;
        }
        let allowed = |e: usize| {
            let kind = ctx.ents.list[e].kind.as_str();
            types.is_empty() || types.iter().any(|t| t == kind)
        };
        // The name heading the phrase fills the slot; when its type does not fit, the names
        // modifying it do not stand in ("New Zealand businessman Allan Hawkins" is no
        // country).
        let head = ctx.ents.at(np.tokens.end - 1).map(|m| m.entity);
        if head.is_some_and(|h| np.entities.contains(&h) && !allowed(h)) {
            continue;
        }
        for e in np.entities {
            if !allowed(e) {
                continue;
            }
            args.push(Arg {
                role: role.to_string(),
                tokens: tokens.clone(),
                entity: Some(e),
                value: None,
                indirect: np.indirect,
            });
        }
    }
}

fn push_slot(args: &mut Vec<Arg>, role: &str, nps: Vec<Np>, rule: &RuleDef, ctx: &Ctx) {
    match rule.patient_kind {
        // A patient is a party the document names (or, for a negated relation, any phrase:
        // `complete` keeps those only when the relation is negated).
        SlotKind::Party => push_parties(args, role, nps, &rule.patient_types, ctx),
        SlotKind::Text => {
            for np in nps {
                let tokens = trim_determiner(ctx, np.tokens);
                args.push(Arg {
                    role: role.to_string(),
                    tokens,
                    entity: None,
                    value: None,
                    indirect: false,
                });
            }
        }
    }
}

/// A phrase without the time phrase that ends it: "Russian banks last week" is "Russian
/// banks".
fn trim_time(a: &Analysis, t: Range<usize>) -> Range<usize> {
    (t.start + 1..t.end)
        .find(|&i| is_time_phrase(a, i..t.end))
        .map_or(t.clone(), |i| t.start..i)
}

/// A description ends with its last party noun or a participle right after it: "Japanese
/// banks hurt London" is "Japanese banks"; "eleven companies and individuals" and "anyone
/// undermining the truce" stay whole.
fn trim_described(ctx: &Ctx, t: Range<usize>) -> Range<usize> {
    let a = ctx.a;
    // "anyone undermining the truce": a participle after the noun is kept.
    t.clone()
        .rev()
        .find(|&i| ctx.lex.described_parties.contains(a.lower(i)))
        .filter(|&i| i + 1 == t.end || !a.lower(i + 1).ends_with("ing"))
        .map_or(t.clone(), |i| t.start..i + 1)
}

/// After an unnamed agent of a by-phrase, the end of the "of" phrase naming whose it is
/// ("blamed by the parents *of 14-year-old Stefan Pakeerah*"): that phrase is no complement
/// of the trigger. `None` when the agent is named or no named "of" phrase follows ("accused
/// by officials *of hacking*" keeps its offense).
fn of_named(ctx: &Ctx, agent: &Np, hi: usize) -> Option<usize> {
    let a = ctx.a;
    let of = agent.tokens.end;
    if !agent.entities.is_empty() || of + 1 >= hi || a.lower(of) != "of" {
        return None;
    }
    let first = of + 1;
    let opens = crate::text::starts_upper(a.tok(first))
        || a.tokens[first].kind == TokenKind::Number
        || is_article(a, first);
    let np = ctx
        .np_starting(first, hi)
        .filter(|np| !np.entities.is_empty())?;
    opens.then_some(np.tokens.end)
}

/// Whether a phrase is a name standing for its party: named outright, with no noun or
/// possessive after it ("Regan", not "the Medibank *intrusion*" or "Russia's *role*").
fn names_a_party(ctx: &Ctx, np: &Np, hi: usize) -> bool {
    let end = np.tokens.end;
    let possessive = end < hi && matches!(ctx.a.tok(end), "'s" | "’s");
    !np.entities.is_empty()
        && ctx.ents.at(end - 1).is_some()
        && !possessive
        && ctx.noun_tail(end, hi) == end
}

/// Where a complement may start after `after`: past an apposition that a comma closes right
/// before one of the complement's prepositions ("accused Anand Jain*, a confidant of his
/// brother,* of playing ...").
fn past_apposition(ctx: &Ctx, after: usize, end: usize, preps: &PhraseSet<()>) -> usize {
    let a = ctx.a;
    if after + 2 >= end || a.lower(after) != "," || !matches!(a.lower(after + 1), "a" | "an") {
        return after;
    }
    (after + 2..end.min(after + 14))
        .find(|&i| matches!(a.lower(i), "," | "." | ";"))
        .filter(|&i| a.lower(i) == "," && preps.longest_at(a, i + 1, end).is_some())
        .map_or(after, |i| i + 1)
}

/// After a participle trigger, a text that opens with a noun ends before a clause joined by
/// "and" and another participle with a complement of its own: "accusing him of an error of
/// judgement *and calling for* him to apologise" (the second participle goes with the
/// trigger). A text opening with a gerund
/// keeps its coordinated gerunds ("of hacking the servers and stealing data"), and after a
/// finite trigger a gerund joins the list ("charged with fraud and damaging computers").
fn end_before_joined_clause(ctx: &Ctx, trigger: &Range<usize>, t: Range<usize>) -> Range<usize> {
    let a = ctx.a;
    let gerund = |i: usize| {
        let w = a.lower(i);
        w.len() > 4 && w.ends_with("ing") && !crate::text::starts_upper(a.tok(i))
    };
    if !gerund(trigger.start) || gerund(t.start) {
        return t;
    }
    // "and calling *for*", "and urging *him*": a verb with its own complement, not one more
    // offense with an object ("fraud, extortion and damaging protected computers").
    let own_clause = |i: usize| {
        i + 2 < t.end
            && gerund(i + 1)
            && (ctx.lex.barrier.contains(a.lower(i + 2)) || frames::is_pronoun(a.lower(i + 2)))
    };
    (t.start + 1..t.end.saturating_sub(1))
        .find(|&i| a.lower(i) == "and" && own_clause(i))
        .map_or(t.clone(), |i| t.start..i)
}

/// A party's quoted text without a leading conjunction "that" before a name or an article
/// ("charged *that* Japan ...", "possible *that* the firm ...") and without a leading
/// "the"/"a". A text argument keeps its "that" (see `trim_determiner`).
fn trim_party(ctx: &Ctx, t: Range<usize>) -> Range<usize> {
    let conjunction = t.len() > 1
        && ctx.a.lower(t.start) == "that"
        && (crate::text::starts_upper(ctx.a.tok(t.start + 1)) || is_article(ctx.a, t.start + 1));
    let t = if conjunction { t.start + 1..t.end } else { t };
    trim_determiner(ctx, t)
}

/// Whether token `i` is an article: "the", "a" or "an".
fn is_article(a: &Analysis, i: usize) -> bool {
    matches!(a.lower(i), "the" | "a" | "an")
}

/// Drops a leading "the"/"a" from an argument's quoted text.
fn trim_determiner(ctx: &Ctx, t: Range<usize>) -> Range<usize> {
    if t.len() > 1 && is_article(ctx.a, t.start) {
        t.start + 1..t.end
    } else {
        t
    }
}

/// Words that open a noun phrase naming a thing or event rather than a group of people.
const DETERMINERS_OF_EVENTS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those",
];

/// Victims inside an offense: "campaigns against MPs and the Electoral Commission".
fn victims(ctx: &Ctx, offense: &Range<usize>, args: &mut Vec<Arg>) {
    let Some(start) = victim_start(ctx, offense) else {
        return;
    };
    let a = ctx.a;
    let mut nps = ctx.parties_right(start, offense.end);
    // "from dozens of firms, including Siemens": the named examples are victims too.
    let including = (start..offense.end.saturating_sub(1))
        .find(|&i| a.lower(i) == "," && a.lower(i + 1) == "including");
    if let Some(i) = including {
        nps.extend(ctx.parties_right(i + 2, offense.end));
    }
    for np in nps {
        // "the computer systems of the agency", "the campaign of Emmanuel Macron": the owner.
        let np = match np.entities.is_empty() && np.tokens.end + 1 < offense.end {
            true if a.lower(np.tokens.end) == "of" => ctx
                .np_starting(np.tokens.end + 1, offense.end)
                .filter(|owner| !owner.entities.is_empty())
                .unwrap_or(np),
            _ => np,
        };
        // Victims are often unnamed groups ("MPs", "hospitals"): a bare phrase counts too, but
        // not one with a determiner, which in a list of offenses is usually another offense
        // ("the theft of $81 million").
        let tokens = trim_determiner(ctx, np.tokens.clone());
        let bare = !DETERMINERS_OF_EVENTS.contains(&a.lower(np.tokens.start));
        if np.entities.is_empty() && bare {
            args.push(Arg {
                role: "victim".into(),
                tokens: tokens.clone(),
                entity: None,
                value: None,
                indirect: np.indirect,
            });
        }
        for e in np.entities {
            args.push(Arg {
                role: "victim".into(),
                tokens: tokens.clone(),
                entity: Some(e),
                value: None,
                indirect: np.indirect,
            });
        }
    }
}

/// Where the victims of an offense start: after "against", "targeting", "on" (not "on
/// Monday", "on behalf of"), "into", "from" after a theft ("stealing data from"), or right
/// after a hostile verb opening the offense ("attacking Ukraine's grid").
fn victim_start(ctx: &Ctx, offense: &Range<usize>) -> Option<usize> {
    let a = ctx.a;
    let first = a.lower(offense.start);
    if offense.len() > 1 && HOSTILE_VERBS.contains(&first) {
        return Some(offense.start + 1);
    }
    let theft_before = |i: usize| {
        (offense.start.max(i.saturating_sub(4))..i).any(|j| {
            let w = a.lower(j);
            w.starts_with("steal") || w.starts_with("stole") || w.starts_with("theft")
        })
    };
    offense
        .clone()
        .find(|&i| {
            let w = a.lower(i);
            let on_time = w == "on"
                && i + 1 < offense.end
                // "on Monday" dates an act, it names no victim.
                && (is_calendar_word(a.lower(i + 1)) || a.lower(i + 1) == "behalf");
            let prep = matches!(w, "against" | "targeting" | "on" | "into")
                || (w == "from" && theft_before(i));
            prep && !on_time && ctx.ents.at(i).is_none()
        })
        .map(|p| p + 1)
}

/// Verbs whose object is the victim of the offense they open.
const HOSTILE_VERBS: &[&str] = &[
    "hacking",
    "attacking",
    "targeting",
    "breaching",
    "compromising",
    "infiltrating",
    "penetrating",
    "defrauding",
    "robbing",
    "extorting",
    "blackmailing",
];

fn attach_measures(f: &mut Found, measures: &[(Range<usize>, String)], sentence: &Range<usize>) {
    let from = measures.partition_point(|(r, _)| r.start < sentence.start);
    for (r, value) in measures[from..]
        .iter()
        .take_while(|(r, _)| r.start < sentence.end)
        .take(MAX_ARGS)
    {
        if r.end <= sentence.end {
            f.args.push(Arg {
                role: "measure".into(),
                tokens: r.clone(),
                entity: None,
                value: Some(value.clone()),
                indirect: false,
            });
        }
    }
}

fn entities_of<'f>(f: &'f Found, role: &'f str) -> impl Iterator<Item = usize> + 'f {
    f.args
        .iter()
        .filter(move |x| x.role == role)
        .filter_map(|x| x.entity)
}

fn core_roles(family: &str) -> (&'static str, &'static str) {
    match family {
        "sanction" => ("imposer", "target"),
        "accusation" => ("accuser", "accused"),
        "attribution" => ("attributor", "responsible"),
        "affiliation" => ("member", "group"),
        _ => ("denier", "denied"),
    }
}

fn compatible(x: &Found, y: &Found, role: &str) -> bool {
    let a: HashSet<usize> = entities_of(x, role).collect();
    let b: HashSet<usize> = entities_of(y, role).collect();
    a.is_empty() || b.is_empty() || !a.is_disjoint(&b)
}

/// How many arguments one relation keeps at most: beyond this a sentence is a list, not a
/// statement, and the cap keeps merging linear on pathological input.
const MAX_ARGS: usize = 64;

/// How many relations one sentence yields at most before merging. Each sanction carries the
/// sentence's measures, so a sentence of thousands of triggers ("X sanctioned Y with an asset
/// freeze and X sanctioned Y with ..." over a megabyte) held half a kilobyte of arguments per
/// byte of text; news sentences hold a handful.
const MAX_FOUND_PER_SENTENCE: usize = 256;

/// Whether text argument `x` is a spare reading of `y`, a text of the same role that two rules
/// cut differently: `x` starts inside `y` and ends with it ("trust and abuse" beside "breach
/// of trust and abuse", read past the "of" inside it). Texts that start together and end apart
/// are both kept: which cut is right depends on the words.
fn spare_text(x: &Arg, y: &Arg) -> bool {
    let text = |a: &Arg| a.entity.is_none() && a.value.is_none();
    let (s, t) = (&x.tokens, &y.tokens);
    x.role == y.role && text(x) && text(y) && s.start > t.start && s.end == t.end
}

fn union_args(into: &mut Found, from: &Found) {
    for arg in &from.args {
        if into.args.len() >= MAX_ARGS {
            break;
        }
        let dup = into.args.iter().any(|x| {
            x.role == arg.role
                && ((x.entity.is_some() && x.entity == arg.entity)
                    || (x.entity.is_none()
                        && arg.entity.is_none()
                        && (x.tokens == arg.tokens || x.value.is_some() && x.value == arg.value)))
        });
        if dup || into.args.iter().any(|x| spare_text(arg, x)) {
            continue;
        }
        into.args.retain(|x| !spare_text(x, arg));
        into.args.push(arg.clone());
    }
    if into.source.is_none() {
        into.source = from.source;
    }
    if into.modality.0 == "asserted"
        && from.modality.0 != "asserted"
        && from.sentence == into.sentence
    {
        into.modality = from.modality.clone();
    }
    into.confidence = into.confidence.max(from.confidence);
}

/// Merges relations of one type in one sentence that complement each other.
fn merge_in_sentence(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        let (agent, patient) = core_roles(&f.family);
        let target = out
            .iter_mut()
            .rev()
            .take_while(|g| g.sentence == f.sentence)
            .take(8)
            .find(|g| {
                g.family == f.family
                    && compatible(g, &f, agent)
                    && compatible(g, &f, patient)
                    && (g.family != "denial" || g.trigger == f.trigger)
            });
        match target {
            Some(g) => {
                // The rule that filled more roles names the relation.
                let g_roles = g.args.iter().filter(|x| x.entity.is_some()).count();
                let f_roles = f.args.iter().filter(|x| x.entity.is_some()).count();
                if f_roles > g_roles {
                    let mut f = f;
                    union_args(&mut f, g);
                    *g = f;
                } else {
                    union_args(g, &f);
                }
            }
            None => out.push(f),
        }
    }
    for f in &mut out {
        f.args
            .sort_by_key(|x| (role_rank(&f.family, &x.role), x.tokens.start, x.entity));
    }
    out
}

fn role_rank(family: &str, role: &str) -> usize {
    rules::ROLES
        .iter()
        .find(|(f, _)| *f == family)
        .and_then(|(_, r)| r.iter().position(|x| *x == role))
        .unwrap_or(99)
}

/// Merges a relation stated again later into its first statement: same type, same patients,
/// same modality, agents that do not conflict. Relations are indexed by that key, so the cost
/// stays linear in the number of relations.
fn merge_restated(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut by_key: HashMap<(String, Vec<usize>, &'static str), Vec<usize>> = HashMap::default();
    for f in found {
        let (agent, patient) = core_roles(&f.family);
        let mut pf: Vec<usize> = entities_of(&f, patient).collect();
        pf.sort_unstable();
        pf.dedup();
        if pf.is_empty() || f.family == "denial" {
            out.push(f);
            continue;
        }
        let key = (f.family.clone(), pf, f.modality.0);
        let candidates = by_key.entry(key).or_default();
        let target = candidates
            .iter()
            .copied()
            .find(|&i| compatible(&out[i], &f, agent));
        match target.map(|i| &mut out[i]) {
            Some(g) => {
                union_args(g, &f);
                g.restated.push((f.sentence, f.trigger.clone()));
                g.restated.extend(f.restated.iter().cloned());
                g.args
                    .sort_by_key(|x| (role_rank(&g.family, &x.role), x.tokens.start, x.entity));
            }
            None => {
                candidates.push(out.len());
                out.push(f);
            }
        }
    }
    out
}

/// Links each denial to the accusations and attributions against its denier.
fn link_denials(found: &mut [Found]) {
    // accused or responsible entity -> relations blaming it, in order
    let mut blamed: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, f) in found.iter().enumerate() {
        let role = match f.family.as_str() {
            "accusation" => "accused",
            "attribution" => "responsible",
            _ => continue,
        };
        for e in entities_of(f, role) {
            let v = blamed.entry(e).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    for (d, f) in found
        .iter_mut()
        .enumerate()
        .filter(|(_, f)| f.family == "denial")
    {
        let mut refs: Vec<usize> = Vec::new();
        for e in entities_of(f, "denier") {
            let Some(list) = blamed.get(&e) else { continue };
            // The nearest ones in the article, so that output stays linear in its length.
            let at = list.partition_point(|&i| i < d);
            let lo = at.saturating_sub(MAX_REFERS_TO);
            let mut near: Vec<usize> = list[lo..(at + MAX_REFERS_TO).min(list.len())].to_vec();
            near.sort_by_key(|&i| i.abs_diff(d));
            refs.extend(near.into_iter().take(MAX_REFERS_TO));
        }
        refs.sort_unstable();
        refs.dedup();
        refs.truncate(MAX_REFERS_TO);
        f.refers_to = refs;
    }
}

/// How many relations a denial links to at most (the nearest in the article).
const MAX_REFERS_TO: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn time(phrase: &str) -> bool {
        let a = tokenize(phrase);
        is_time_phrase(&a, 0..a.tokens.len())
    }

    #[test]
    fn times_are_no_reasons() {
        for t in [
            "Thursday",
            "two years",
            "the next 10 days",
            "1975",
            "early March",
            "today",
        ] {
            assert!(time(t), "{t:?} is a time");
        }
        for t in [
            "Thursday's missile test",
            "its role in the 2014 annexation",
            "two years of cyber attacks",
            "the attack",
            "the",
            "human rights abuses",
        ] {
            assert!(!time(t), "{t:?} is no time");
        }
    }
}
