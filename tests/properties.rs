//! Property tests of the library over generated news-like text (issue 6): whatever the text,
//! extraction does not panic, every offset and quoted text is right (`check::invariants`), the
//! document survives JSON, a leading byte-order mark changes nothing, the flags each token
//! carries agree with its text, and the output is the same whatever the number of threads.
//!
//! The generator mixes plain words, capitalised names, country names, relation triggers,
//! titles, punctuation, quotes and brackets, line ends (LF, CRLF, CR, blank lines), a BOM,
//! emoji, combining marks, CJK and right-to-left scripts, and arbitrary characters. Case
//! counts are modest so the file runs in seconds in a debug build; failures are not persisted
//! to disk: turn a shrunk failure into a test in `tests/hardening.rs`.

use std::sync::OnceLock;

use extract::{check::invariants, to_json_line, Document, Extractor};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;
use rayon::prelude::*;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        Extractor::builder()
            .build()
            .expect("embedded gazetteers and rules load")
    })
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "on",
    "of",
    "and",
    "said",
    "government",
    "hackers",
    "group",
    "company",
    "men",
    "two",
    "individuals",
    "it",
    "they",
    "was",
    "were",
    "by",
    "against",
    "over",
    "its",
    "that",
    "officials",
    "attack",
    "campaign",
    "cyber",
    "espionage",
    "Monday",
    "statement",
    "ministry",
    "not",
    "has",
    "also",
    "linked",
    "to",
    "behind",
    "state-backed",
    "believed",
    "alleged",
];
const NAMES: &[&str] = &[
    "Ivan Petrov",
    "Oleg Sokolov",
    "Zhao Guangzong",
    "Ni Gaobin",
    "Oliver Dowden",
    "Dowden",
    "Mr. Dowden",
    "Sir Iain Duncan Smith",
    "Acme Widgets Ltd",
    "Wuhan Xiaoruizhi Science and Technology Company",
    "APT31",
    "APT28",
    "Lazarus Group",
    "Fancy Bear",
    "the GRU",
    "the FBI",
    "Treasury",
    "the Kremlin",
    "the European Union",
    "NCSC",
    "Advanced Persistent Threat Group 31 (APT31)",
];
const COUNTRIES: &[&str] = &[
    "China",
    "Russia",
    "Iran",
    "North Korea",
    "Britain",
    "the UK",
    "the United States",
    "U.S.",
    "France",
    "Germany",
    "Chinese",
    "Russian",
    "Beijing",
    "Moscow",
    "UK’s",
    "China's",
];
const TRIGGERS: &[&str] = &[
    "sanctioned",
    "imposed sanctions on",
    "sanctions against",
    "asset freeze",
    "travel ban",
    "accused",
    "charged",
    "indicted",
    "blamed",
    "attributed",
    "was behind",
    "is a member of",
    "denied",
    "rejected the accusations",
    "threatened to sanction",
    "called for sanctions on",
    "did not sanction",
    "were sanctioned by",
    "was accused of",
];
const TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Dr.",
    "Sir",
    "Deputy PM",
    "Foreign Secretary",
    "spokesman",
    "Sen.",
    "Gen.",
];
const PUNCT: &[&str] = &[
    ".", ",", ";", ":", "!", "?", "...", "…", "-", "—", "–", "'s", "’s", "&", "/", "%", "$", "#",
];
const QUOTES: &[&str] = &[
    "\"", "'", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "「", "」", "（", "）",
];
const BREAKS: &[&str] = &[
    "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u{2028}", "\u{2029}", "\t", "\u{a0}", "   ",
];
const EMOJI: &[&str] = &[
    "🎉",
    "👨‍👩‍👧‍👦",
    "🇬🇧",
    "🇷🇺",
    "💻",
    "\u{1F600}\u{FE0F}",
    "❤️",
    "🏳️‍🌈",
];
const COMBINING: &[&str] = &[
    "e\u{301}",
    "Jose\u{301}",
    "a\u{308}\u{304}",
    "Z\u{335}\u{31b}a\u{336}",
    "n\u{303}",
    "\u{301}",
    "\u{200d}",
    "\u{200b}",
    "\u{ad}",
];
const CJK: &[&str] = &[
    "中国",
    "外交部",
    "发言人表示",
    "制裁。",
    "北朝鮮",
    "ハッカー",
    "「ラザルス」",
    "대한민국",
    "、",
    "。",
];
const RTL: &[&str] = &[
    "روسيا",
    "عقوبات",
    "قالت",
    "ישראל",
    "\u{200f}",
    "\u{202e}",
    "\u{202c}",
    "؟",
    "،",
];

/// One piece of text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(WORDS).prop_map(String::from),
        4 => select(NAMES).prop_map(String::from),
        4 => select(COUNTRIES).prop_map(String::from),
        3 => select(TRIGGERS).prop_map(String::from),
        2 => select(TITLES).prop_map(String::from),
        4 => select(PUNCT).prop_map(String::from),
        2 => select(QUOTES).prop_map(String::from),
        2 => select(BREAKS).prop_map(String::from),
        1 => select(EMOJI).prop_map(String::from),
        1 => select(COMBINING).prop_map(String::from),
        1 => select(CJK).prop_map(String::from),
        1 => select(RTL).prop_map(String::from),
        1 => Just("\u{feff}".to_string()),
        1 => "[A-Z][a-z]{1,8}",
        1 => "[A-Z]{2,6}[0-9]{0,2}",
        1 => "\\PC{1,4}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// What goes between pieces: mostly a space, sometimes nothing (glued tokens).
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just(" "), 2 => Just(""), 1 => Just("\n"), 1 => Just(", ")]
}

/// A news-like text of up to `max` pieces, sometimes with a leading BOM.
fn text(max: usize) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec((piece(), separator()), 0..max),
    )
        .prop_map(|(bom, parts)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            for (p, sep) in parts {
                s.push_str(&p);
                s.push_str(sep);
            }
            s
        })
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn extract_checked(text: &str) -> Result<Document, TestCaseError> {
    let doc = extractor().extract("prop.txt", text);
    let problems = invariants(&doc, text);
    prop_assert!(
        problems.is_empty(),
        "invariants broken for {:?}:\n{}",
        text,
        problems.join("\n")
    );
    Ok(doc)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn no_panic_and_offsets_hold(text in text(80)) {
        let doc = extract_checked(&text)?;
        prop_assert_eq!(doc.schema.as_str(), "extract/1");
        // Deterministic: a second run gives the same document.
        prop_assert_eq!(&extractor().extract("prop.txt", &text), &doc);
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        extract_checked(&text)?;
    }

    #[test]
    fn token_flags_agree_with_their_text(text in prop_oneof![text(60), any::<String>()]) {
        // What each token carries so later stages need not look again: its word hash, the
        // case of its first character, and whether it is plain ASCII letters and digits.
        let a = extract::tokenize::tokenize(&text);
        for (i, t) in a.tokens.iter().enumerate() {
            let (tok, lower) = (a.tok(i), a.lower(i));
            prop_assert_eq!(t.hash, extract::words::word_hash(lower), "{:?}", tok);
            let first = tok.chars().next().unwrap();
            let case = if extract::text::starts_upper(tok) {
                extract::tokenize::Case::Capital
            } else if first.is_lowercase() {
                extract::tokenize::Case::Lower
            } else {
                extract::tokenize::Case::Uncased
            };
            prop_assert_eq!(t.case, case, "{:?}", tok);
            if t.alnum {
                prop_assert!(tok.bytes().all(|b| b.is_ascii_alphanumeric()), "{:?}", tok);
            }
        }
    }

    #[test]
    fn the_document_survives_json(text in text(60)) {
        let doc = extract_checked(&text)?;
        let line = to_json_line(&doc);
        prop_assert!(!line.contains('\n'));
        let back: Document = serde_json::from_str(&line).expect("JSON line parses");
        prop_assert_eq!(&back, &doc);
        let pretty: serde_json::Value = serde_json::from_str(&extract::to_json_pretty(&doc)).expect("pretty JSON parses");
        let compact: serde_json::Value = serde_json::from_str(&line).unwrap();
        prop_assert_eq!(pretty, compact);
    }

    #[test]
    fn a_leading_bom_changes_nothing(text in text(60)) {
        prop_assume!(!text.starts_with('\u{feff}'));
        let plain = extract_checked(&text)?;
        let with_bom = extract_checked(&format!("\u{feff}{text}"))?;
        prop_assert_eq!(to_json_line(&plain), to_json_line(&with_bom));
    }
}

/// The documents of `texts` as JSON lines, extracted in parallel on `threads` threads.
fn in_pool(threads: usize, texts: &[String]) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| {
        texts
            .par_iter()
            .enumerate()
            .map(|(i, t)| to_json_line(&extractor().extract(&format!("doc{i}"), t)))
            .collect()
    })
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn same_output_for_any_thread_count(texts in prop::collection::vec(text(50), 1..12)) {
        let one = in_pool(1, &texts);
        let two = in_pool(2, &texts);
        prop_assert_eq!(&one, &two);
        let sequential: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| to_json_line(&extractor().extract(&format!("doc{i}"), t)))
            .collect();
        prop_assert_eq!(&one, &sequential);
    }
}
