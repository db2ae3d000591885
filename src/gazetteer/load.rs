//! Reads gazetteer files (`gazetteers/*.tsv`) into entries, checking every line.
//!
//! The format is documented in `gazetteers/README.md`: six TAB-separated columns
//! `surface type canonical name attributes source`, `#` comments and blank lines ignored.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use crate::error::Error;

/// The kind of thing a gazetteer line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryType {
    /// A person.
    Person,
    /// An organisation: government body, agency, company, international body...
    Org,
    /// A geo-political entity: country, city, region.
    Gpe,
    /// A named intrusion set (APT31).
    ThreatActor,
    /// A person's title or role (Sir, Deputy PM, ambassador); not an entity by itself.
    Title,
}

impl EntryType {
    /// The type's name in gazetteers and in the output (`PERSON`, `ORG`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Person => "PERSON",
            EntryType::Org => "ORG",
            EntryType::Gpe => "GPE",
            EntryType::ThreatActor => "THREAT_ACTOR",
            EntryType::Title => "TITLE",
        }
    }

    fn parse(s: &str) -> Option<EntryType> {
        Some(match s {
            "PERSON" => EntryType::Person,
            "ORG" => EntryType::Org,
            "GPE" => EntryType::Gpe,
            "THREAT_ACTOR" => EntryType::ThreatActor,
            "TITLE" => EntryType::Title,
            _ => return None,
        })
    }
}

/// How a surface refers to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// The name or an alias.
    Name,
    /// A demonym or adjective (`Chinese`, `Britons`).
    Adjective,
    /// A capital city standing for the government (`Beijing`).
    Capital,
    /// A seat of government (`the Kremlin`, `Whitehall`).
    Seat,
    /// An abbreviation (`FCDO`).
    Abbreviation,
}

/// One line of a gazetteer.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The text to match.
    pub surface: String,
    /// What it names.
    pub kind: EntryType,
    /// A stable id (`ISO3166:CN`, `ATTACK:G0128`), if the source has one.
    pub canonical: Option<String>,
    /// The display name shared by all surfaces of the entity.
    pub name: String,
    /// `key=value` attributes other than the ones the matcher interprets.
    pub attributes: Vec<(String, String)>,
    /// How the surface refers to the entity.
    pub form: Form,
    /// Whether any letter case matches (else only the exact surface, see the matcher).
    pub fold: bool,
    /// Whether a mention needs a document about cyber matters.
    pub cyber_context: bool,
    /// Where it came from: `file:line`.
    pub origin: String,
}

impl Entry {
    /// The value of attribute `key`.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses one gazetteer file. `path` names it in errors.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Entry>, Error> {
    let err = |line: usize, message: String| Error::Gazetteer {
        path: path.to_string(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        err(line, format!("invalid UTF-8 at byte {}", e.valid_up_to()))
    })?;
    let text = crate::text::strip_bom(text);
    // Room for a line per 64 bytes (the lists' lines average over 90): counting the line
    // breaks first cost a twentieth of the parse.
    let lines = text.len() / 64 + 1;
    let mut entries = Vec::with_capacity(lines);
    // Surfaces borrowed from `text`: no key is copied.
    let mut seen: HashMap<(&str, EntryType), usize> = HashMap::default();
    seen.reserve(lines);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if trim(raw).is_empty() || raw.starts_with('#') {
            continue;
        }
        let Some(cols) = columns(raw) else {
            let found = raw.bytes().filter(|&b| b == b'\t').count() + 1;
            return Err(err(line, format!("expected 6 tab-separated columns (surface, type, canonical, name, attributes, source), found {found}")));
        };
        let surface = trim(cols[0]);
        if surface.is_empty() {
            return Err(err(line, "empty surface form".into()));
        }
        if !surface.starts_with(char::is_alphanumeric) {
            return Err(err(
                line,
                "surface form must start with a letter or digit (a match starts on a word)".into(),
            ));
        }
        if surface.len() > 200 && surface.chars().count() > 200 {
            return Err(err(line, "surface form longer than 200 characters".into()));
        }
        let kind = EntryType::parse(trim(cols[1])).ok_or_else(|| {
            err(
                line,
                format!(
                    "unknown type {:?} (expected PERSON, ORG, GPE, THREAT_ACTOR or TITLE)",
                    cols[1]
                ),
            )
        })?;
        let canonical = match trim(cols[2]) {
            "" | "-" => None,
            c => Some(c.to_string()),
        };
        let name = trim(cols[3]);
        if name.is_empty() || name == "-" {
            return Err(err(line, "empty name".into()));
        }
        // Room for every pair at once: most lines have one or two.
        let mut attributes = match trim(cols[4]) {
            "" | "-" => Vec::new(),
            a => Vec::with_capacity(a.bytes().filter(|&b| b == b';').count() + 1),
        };
        let mut form = Form::Name;
        let mut fold = false;
        let mut cyber_context = false;
        for pair in cols[4]
            .split(';')
            .map(trim)
            .filter(|p| !p.is_empty() && *p != "-")
        {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(err(line, format!("attribute {pair:?} is not key=value")));
            };
            match k {
                "match" => {
                    fold = match v {
                        "fold" => true,
                        "exact" => false,
                        _ => {
                            return Err(err(
                                line,
                                format!("match must be exact or fold, not {v:?}"),
                            ))
                        }
                    }
                }
                "context" => cyber_context = v == "cyber",
                "form" => {
                    form = match v {
                        "adjective" | "demonym" => Form::Adjective,
                        "capital" => Form::Capital,
                        "seat" => Form::Seat,
                        "abbreviation" => Form::Abbreviation,
                        _ => Form::Name,
                    };
                    attributes.push((k.to_string(), v.to_string()));
                }
                _ => attributes.push((k.to_string(), v.to_string())),
            }
        }
        if let Some(first) = seen.insert((surface, kind), line) {
            return Err(err(
                line,
                format!(
                    "duplicate entry {surface:?} {} (first at line {first})",
                    trim(cols[1])
                ),
            ));
        }
        // A threat actor's name without a digit (Turla, Fancy Bear) is a threat actor only in a
        // document about cyber matters; APT28 or TA505 are names anywhere.
        if kind == EntryType::ThreatActor && !surface.chars().any(|c| c.is_ascii_digit()) {
            cyber_context = true;
        }
        entries.push(Entry {
            surface: surface.to_string(),
            kind,
            canonical,
            name: name.to_string(),
            attributes,
            form,
            fold,
            cyber_context,
            origin: origin(path, line),
        });
    }
    Ok(entries)
}

/// `s` without white space at either end, as [`str::trim`] gives it; a column that starts
/// and ends with a printable ASCII character (most do) is returned as it is, without a look
/// at its characters.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// The six tab-separated columns of `line`, if it has six. (A scan of the bytes: `str::split`
/// on a character costs several times more on lines this short.)
fn columns(line: &str) -> Option<[&str; 6]> {
    let mut cols = [""; 6];
    let mut n = 0;
    let mut from = 0;
    for (i, b) in line.bytes().enumerate() {
        if b == b'\t' {
            *cols.get_mut(n)? = &line[from..i];
            n += 1;
            from = i + 1;
        }
    }
    *cols.get_mut(n)? = &line[from..];
    (n == 5).then_some(cols)
}

/// `path:line`, written without the formatting machinery (once per gazetteer line).
fn origin(path: &str, line: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(line);
    let mut origin = String::with_capacity(path.len() + 1 + digits.len());
    origin.push_str(path);
    origin.push(':');
    origin.push_str(digits);
    origin
}

/// The gazetteers built into the binary, as `(file name, contents)`.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../gazetteers/countries.tsv"),
    ),
    (
        "gov_bodies.tsv",
        include_str!("../../gazetteers/gov_bodies.tsv"),
    ),
    (
        "intelligence_agencies.tsv",
        include_str!("../../gazetteers/intelligence_agencies.tsv"),
    ),
    (
        "international.tsv",
        include_str!("../../gazetteers/international.tsv"),
    ),
    ("people.tsv", include_str!("../../gazetteers/people.tsv")),
    ("places.tsv", include_str!("../../gazetteers/places.tsv")),
    (
        "sanctioned_cyber.tsv",
        include_str!("../../gazetteers/sanctioned_cyber.tsv"),
    ),
    (
        "sanctioned_un.tsv",
        include_str!("../../gazetteers/sanctioned_un.tsv"),
    ),
    (
        "threat_actors.tsv",
        include_str!("../../gazetteers/threat_actors.tsv"),
    ),
    ("titles.tsv", include_str!("../../gazetteers/titles.tsv")),
];

/// The given names the recognizer uses to type unknown names as people.
pub const GIVEN_NAMES: &str = include_str!("../../gazetteers/given_names.txt");

/// Reads every `*.tsv` file in `dir` (sorted by name).
pub fn parse_dir(dir: &Path) -> Result<Vec<Entry>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no .tsv gazetteer files in this directory",
            ),
        });
    }
    let mut entries = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|source| Error::Io {
            path: f.clone(),
            source,
        })?;
        entries.extend(parse(&f.display().to_string(), &bytes)?);
    }
    Ok(entries)
}

/// Checks that no canonical id is given two different names or types across `entries`.
pub fn check_ids(entries: &[Entry]) -> Result<(), Error> {
    let mut ids: HashMap<&str, &Entry> =
        HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for e in entries {
        let Some(id) = e.canonical.as_deref() else {
            continue;
        };
        match ids.get(id) {
            Some(first) if first.kind != e.kind || first.name != e.name => {
                let (path, line) = split_origin(&e.origin);
                return Err(Error::Gazetteer {
                    path,
                    line,
                    message: format!(
                        "duplicate id {id}: named {:?} ({:?}) here but {:?} ({:?}) at {}",
                        e.name, e.kind, first.name, first.kind, first.origin
                    ),
                });
            }
            Some(_) => {}
            None => {
                ids.insert(id, e);
            }
        }
    }
    Ok(())
}

fn split_origin(origin: &str) -> (String, usize) {
    match origin.rsplit_once(':') {
        Some((p, l)) => (p.to_string(), l.parse().unwrap_or(0)),
        None => (origin.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_good_line() {
        let e = parse(
            "t.tsv",
            b"# c\n\nChina\tGPE\tISO3166:CN\tChina\tcountry=CN;match=fold\tfactbook\n",
        )
        .unwrap();
        assert_eq!(e.len(), 1);
        assert!(e[0].fold);
        assert_eq!(e[0].attr("country"), Some("CN"));
        assert_eq!(e[0].origin, "t.tsv:3");
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let cases: &[(&[u8], &str)] = &[
            (b"a\tGPE\t-\ta\t-\n", "t.tsv:1: expected 6"),
            (b"a\tGPE\t-\ta\t-\ts\tx\n", "t.tsv:1: expected 6"),
            (b"# x\na\tPLACE\t-\ta\t-\ts\n", "t.tsv:2: unknown type"),
            (b"\tGPE\t-\ta\t-\ts\n", "t.tsv:1: empty surface"),
            (
                b"[x]\tGPE\t-\ta\t-\ts\n",
                "t.tsv:1: surface form must start",
            ),
            (b"a\tGPE\t-\t\t-\ts\n", "t.tsv:1: empty name"),
            (b"a\tGPE\t-\ta\tcountry\ts\n", "t.tsv:1: attribute"),
            (
                b"a\tGPE\t-\ta\t-\ts\na\tGPE\t-\ta\t-\ts\n",
                "t.tsv:2: duplicate entry",
            ),
            (
                b"ok\tGPE\t-\ta\t-\ts\n\xff\tGPE\t-\ta\t-\ts\n",
                "t.tsv:2: invalid UTF-8",
            ),
        ];
        let seven = parse("t.tsv", b"a\tGPE\t-\ta\t-\ts\tx\n").unwrap_err();
        assert!(seven.to_string().ends_with("found 7"), "{seven}");
        for (input, want) in cases {
            let got = parse("t.tsv", input).unwrap_err().to_string();
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\t",
            "\u{a0}a",
            "a\u{3000}",
            "é",
            " é ",
            "a b",
            "\u{b}x",
            "x\u{b}",
            "-",
            "ab\u{85}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let e = parse(
            "t.tsv",
            b"A\tORG\tX:1\tAlpha\t-\ts\nB\tORG\tX:1\tBeta\t-\ts\n",
        )
        .unwrap();
        let got = check_ids(&e).unwrap_err().to_string();
        assert!(got.starts_with("t.tsv:2: duplicate id X:1"), "{got}");
    }

    #[test]
    fn embedded_gazetteers_load() {
        let mut all = Vec::new();
        for (name, text) in EMBEDDED {
            all.extend(parse(&format!("embedded:{name}"), text.as_bytes()).unwrap());
        }
        check_ids(&all).unwrap();
        assert!(all.len() > 1000);
    }
}
