//! Inputs: standard input, files, directory walks and JSON Lines records, each read into text
//! (or an error that names the input) without ever stopping the batch.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// One unit of work: something to read and extract.
#[derive(Debug)]
pub enum Job {
    /// Standard input as one article.
    Stdin,
    /// A file; `id` is the path as given, or relative to the directory argument.
    File { path: PathBuf, id: String },
    /// One JSON Lines record (the raw line without its line end) and its 1-based line number.
    Record { line: usize, bytes: Vec<u8> },
    /// An input that failed before reading (a walk error).
    Failed { id: String, error: String },
}

impl Job {
    /// Its input's size in bytes as far as known before reading: a record's line, a file's
    /// length; 0 for standard input and failed inputs.
    pub fn size(&self) -> u64 {
        match self {
            Job::Record { bytes, .. } => bytes.len() as u64,
            Job::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
            Job::Stdin | Job::Failed { .. } => 0,
        }
    }
}

/// What a job read: the text with its id and meta, or an error.
pub struct Loaded {
    /// The document id.
    pub id: String,
    /// Extra record fields.
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The text, or what went wrong.
    pub text: Result<String, String>,
}

/// How inputs are read.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Largest accepted input, in bytes.
    pub max_bytes: u64,
    /// Replace invalid UTF-8 instead of failing.
    pub lossy: bool,
}

/// Which files a directory walk takes.
pub struct FileFilter {
    globs: Option<GlobSet>,
}

/// Extensions a directory walk takes by default (and files with none).
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "text", "md", "story"];

impl FileFilter {
    /// A filter from `--glob` patterns (none: the default extensions).
    pub fn new(globs: &[String]) -> anyhow::Result<FileFilter> {
        if globs.is_empty() {
            return Ok(FileFilter { globs: None });
        }
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(Glob::new(g).map_err(|e| anyhow::anyhow!("bad --glob {g:?}: {e}"))?);
        }
        Ok(FileFilter {
            globs: Some(b.build()?),
        })
    }

    fn takes(&self, rel: &str) -> bool {
        match &self.globs {
            Some(g) => g.is_match(rel),
            None => match Path::new(rel).extension() {
                None => true,
                Some(e) => DEFAULT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)),
            },
        }
    }
}

/// The jobs of a directory, sorted by path, ids relative to `dir`. Hidden files and
/// directories (name starting with `.`) are skipped; symbolic links are followed, loops
/// reported.
pub fn walk(dir: &Path, filter: &FileFilter) -> Vec<Job> {
    let mut jobs = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_file() {
                    continue;
                }
                let rel = extract::check::case_id(dir, e.path());
                if filter.takes(&rel) {
                    jobs.push(Job::File {
                        path: e.path().to_path_buf(),
                        id: rel,
                    });
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| extract::check::case_id(dir, p))
                    .unwrap_or_else(|| dir.display().to_string());
                let why = match err.loop_ancestor() {
                    Some(a) => format!("symbolic link loop back to {}", a.display()),
                    None => err
                        .io_error()
                        .map_or_else(|| err.to_string(), |e| e.to_string()),
                };
                jobs.push(Job::Failed {
                    id: path,
                    error: why,
                });
            }
        }
    }
    jobs
}

/// Reads a job's text.
pub fn load(job: Job, opts: ReadOptions) -> Loaded {
    match job {
        Job::Stdin => {
            let mut buf = Vec::new();
            let r = std::io::stdin()
                .lock()
                .take(opts.max_bytes + 1)
                .read_to_end(&mut buf);
            let text = match r {
                Err(e) => Err(format!("reading standard input: {e}")),
                Ok(_) if buf.len() as u64 > opts.max_bytes => Err(too_large(opts.max_bytes)),
                Ok(_) => decode(buf, opts.lossy),
            };
            Loaded {
                id: "-".to_string(),
                meta: None,
                text,
            }
        }
        Job::File { path, id } => Loaded {
            id,
            meta: None,
            text: read_file(&path, opts),
        },
        Job::Failed { id, error } => Loaded {
            id,
            meta: None,
            text: Err(error),
        },
        Job::Record { line, bytes } => record(line, bytes, opts),
    }
}

fn too_large(max: u64) -> String {
    format!("input is larger than --max-bytes ({max} bytes)")
}

fn read_file(path: &Path, opts: ReadOptions) -> Result<String, String> {
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".to_string());
    }
    if meta.len() > opts.max_bytes {
        return Err(too_large(opts.max_bytes));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    (&mut f)
        .take(opts.max_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > opts.max_bytes {
        return Err(too_large(opts.max_bytes));
    }
    decode(buf, opts.lossy)
}

/// Turns bytes into text: invalid UTF-8 and NUL bytes (binary data) are errors naming the
/// byte offset, unless `lossy`.
pub fn decode(buf: Vec<u8>, lossy: bool) -> Result<String, String> {
    if !lossy {
        if let Some(p) = buf.iter().position(|&b| b == 0) {
            return Err(format!(
                "binary data: NUL byte at byte offset {p} (use --lossy to process it anyway)"
            ));
        }
    }
    match String::from_utf8(buf) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte offset {} (use --lossy to replace it)",
            e.utf8_error().valid_up_to()
        )),
    }
}

fn record(line: usize, bytes: Vec<u8>, opts: ReadOptions) -> Loaded {
    if let Some((id, text)) = std::str::from_utf8(&bytes).ok().and_then(plain_record) {
        let text = if text.len() as u64 > opts.max_bytes {
            Err(too_large(opts.max_bytes))
        } else {
            Ok(text)
        };
        return Loaded {
            id,
            meta: None,
            text,
        };
    }
    let fallback_id = format!("line {line}");
    let fail = |id: String, meta, e: String| Loaded {
        id,
        meta,
        text: Err(e),
    };
    let fields = match serde_json::from_slice::<Fields>(&bytes) {
        Ok(fields) => fields,
        Err(_) => return fail(fallback_id, None, not_a_record(&bytes, opts)),
    };
    let id = match fields.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Null) | None => fallback_id,
        Some(other) => other.to_string(),
    };
    let text = fields.text;
    let meta = (!fields.meta.is_empty()).then_some(fields.meta);
    match text {
        Some(serde_json::Value::String(t)) if t.len() as u64 > opts.max_bytes => {
            fail(id, meta, too_large(opts.max_bytes))
        }
        Some(serde_json::Value::String(t)) => Loaded {
            id,
            meta,
            text: Ok(t),
        },
        Some(_) => fail(
            id,
            meta,
            "record field \"text\" is not a string".to_string(),
        ),
        None => fail(id, meta, "record has no \"text\" field".to_string()),
    }
}

/// The `id` and `text` of a record that is exactly `{"id": "...", "text": "..."}` (either
/// order, any JSON whitespace), read straight from the line: nearly every record looks so, and
/// decoding the two strings into buffers of the right size costs a fraction of a generic parse.
/// `None` for anything else (another field, a key given twice or written with an escape, a value
/// that is no string, a surrogate escape, anything `serde_json` would reject), which [`Fields`]
/// then reads, errors included; where this reads a record, it reads what `serde_json` reads.
fn plain_record(line: &str) -> Option<(String, String)> {
    let mut c = Cursor { line, at: 0 };
    c.skip_space();
    c.eat(b'{')?;
    let (mut id, mut text) = (None, None);
    loop {
        c.skip_space();
        let slot = match c.raw_string()? {
            "id" => &mut id,
            "text" => &mut text,
            _ => return None,
        };
        c.skip_space();
        c.eat(b':')?;
        c.skip_space();
        if slot.replace(c.string()?).is_some() {
            return None;
        }
        c.skip_space();
        match c.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    c.skip_space();
    (c.at == line.len()).then_some(())?;
    Some((id?, text?))
}

/// The position of the first byte of `bytes` that a JSON string cannot hold raw: `"`, `\\` or
/// a control character (below U+0020). Every other byte, non-ASCII ones included, stands in a
/// JSON string as it is, so this is where writing a string must escape and where reading one
/// must stop to decode. Eight bytes are tested at a time: news text runs long between quotes.
fn json_special(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        if word_has_special(word) {
            break;
        }
        start += 8;
    }
    bytes[start..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|k| start + k)
}

/// Whether any of the eight bytes in `word` is `"`, `\\` or below 0x20 (the classic
/// "has a zero byte" and "has a byte less than n" bit tests, both exact).
fn word_has_special(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (has_zero(word ^ (ONES * b'"' as u64)) | has_zero(word ^ (ONES * b'\\' as u64)) | below_space)
        != 0
}

/// A position in a JSON Lines record, for [`plain_record`].
struct Cursor<'l> {
    line: &'l str,
    /// Byte offset of the next unread byte.
    at: usize,
}

impl<'l> Cursor<'l> {
    fn rest(&self) -> &'l [u8] {
        &self.line.as_bytes()[self.at..]
    }

    fn next(&mut self) -> Option<u8> {
        let b = *self.rest().first()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// Skips JSON whitespace: space, tab, line feed, carriage return.
    fn skip_space(&mut self) {
        let n = self
            .rest()
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
        self.at += n;
    }

    /// A string with nothing to decode in it (an object key), borrowed from the line.
    fn raw_string(&mut self) -> Option<&'l str> {
        self.eat(b'"')?;
        let end = self.at + json_special(self.rest())?;
        (self.line.as_bytes()[end] == b'"').then_some(())?;
        let s = &self.line[self.at..end];
        self.at = end + 1;
        Some(s)
    }

    /// A string value, decoded. Runs between escapes are copied whole; the escapes are the
    /// JSON ones, with `\\u` escapes outside the surrogate range only.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let end = self.at + json_special(self.rest())?;
            let run = &self.line[self.at..end];
            self.at = end + 1;
            match self.line.as_bytes()[end] {
                b'"' if out.is_empty() => return Some(run.to_string()),
                b'"' => {
                    out.push_str(run);
                    return Some(out);
                }
                b'\\' => {
                    if out.is_empty() {
                        // The first escape: the rest of the line bounds what is left.
                        out.reserve(run.len() + self.rest().len());
                    }
                    out.push_str(run);
                    out.push(self.escape()?);
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// The character of the escape after a backslash.
    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hex = self.rest().get(..4)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                self.at += 4;
                let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                // None for a surrogate: pairs and lone halves are left to serde_json.
                char::from_u32(code)?
            }
            _ => return None,
        })
    }
}

/// Why a line that does not read as [`Fields`] is no record: it is no JSON, or no object.
fn not_a_record(bytes: &[u8], opts: ReadOptions) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(_) => "record is not a JSON object".to_string(),
        Err(_) if std::str::from_utf8(bytes).is_err() && !opts.lossy => {
            "invalid UTF-8 in record".to_string()
        }
        Err(e) => format!("invalid JSON: {e}"),
    }
}

/// A record's fields as read: `id` and `text` apart and the others as meta, without building
/// a map of them all first. A key given twice keeps its last value, as in a JSON object read
/// whole.
#[derive(Default)]
struct Fields {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    meta: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => fields.id = Some(map.next_value()?),
                "text" => fields.text = Some(map.next_value()?),
                _ => {
                    fields.meta.insert(key, map.next_value()?);
                }
            }
        }
        Ok(fields)
    }
}

/// Streams JSON Lines records from a reader as jobs, one per line (line ends `\n` or `\r\n`).
pub struct Records<R> {
    reader: R,
    line: usize,
    failed: Option<String>,
}

impl<R: BufRead> Records<R> {
    /// Records of `reader`.
    pub fn new(reader: R) -> Records<R> {
        Records {
            reader,
            line: 0,
            failed: None,
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        if self.failed.is_some() {
            return None;
        }
        let mut buf = Vec::new();
        match self.reader.read_until(b'\n', &mut buf) {
            Ok(0) => None,
            Ok(_) => {
                self.line += 1;
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                Some(Job::Record {
                    line: self.line,
                    bytes: buf,
                })
            }
            Err(e) => {
                self.failed = Some(e.to_string());
                Some(Job::Failed {
                    id: format!("line {}", self.line + 1),
                    error: format!("reading records: {e}"),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            max_bytes: 100,
            lossy: false,
        }
    }

    #[test]
    fn records_carry_meta_and_fail_alone() {
        let input = b"{\"id\": \"a\", \"text\": \"Hi.\", \"lang\": \"en\"}\n{broken\n{\"id\": 7}\n\n{\"text\": \"x\"}\r\n";
        let loaded: Vec<Loaded> = Records::new(&input[..]).map(|j| load(j, opts())).collect();
        assert_eq!(loaded.len(), 5);
        assert_eq!(loaded[0].id, "a");
        assert_eq!(loaded[0].meta.as_ref().unwrap()["lang"], "en");
        assert!(loaded[1]
            .text
            .as_ref()
            .unwrap_err()
            .starts_with("invalid JSON"));
        assert_eq!(loaded[2].id, "7");
        assert_eq!(
            loaded[2].text.as_ref().unwrap_err(),
            "record has no \"text\" field"
        );
        assert_eq!(loaded[3].id, "line 4");
        assert_eq!(loaded[4].id, "line 5");
        assert_eq!(loaded[4].text.as_deref(), Ok("x"));
    }

    #[test]
    fn records_read_as_whole_objects_do() {
        let input = b"{\"id\": \"a\", \"text\": \"x\", \"id\": \"b\", \"n\": 1, \"n\": [2]}\n[1, 2]\n[1, 2\n\"s\"\n{\"text\": \"x\"} y\n";
        let loaded: Vec<Loaded> = Records::new(&input[..]).map(|j| load(j, opts())).collect();
        assert_eq!(loaded[0].id, "b");
        assert_eq!(
            loaded[0].meta.as_ref().unwrap()["n"],
            serde_json::json!([2])
        );
        let errors = [
            "record is not a JSON object",
            "invalid JSON: EOF while parsing a list at line 1 column 5",
            "record is not a JSON object",
            "invalid JSON: trailing characters at line 1 column 15",
        ];
        assert_eq!(loaded.len(), 1 + errors.len());
        for (l, e) in loaded[1..].iter().zip(errors) {
            assert_eq!(l.text.as_ref().unwrap_err(), e);
        }
    }

    /// What the full reader makes of a line that the plain reader reads too.
    fn read_by_serde(line: &str) -> (String, String) {
        let f: Fields = serde_json::from_str(line).unwrap();
        assert!(f.meta.is_empty());
        match (f.id, f.text) {
            (Some(serde_json::Value::String(id)), Some(serde_json::Value::String(text))) => {
                (id, text)
            }
            other => panic!("not a plain record: {other:?}"),
        }
    }

    #[test]
    fn plain_records_read_as_serde_json_reads_them() {
        let texts = [
            "",
            "Hi.",
            r#"A \"quoted\" word, a back\\slash\\"#,
            r#"line\nbreak\r\n\ttab \u0001\u001f\b\f"#,
            r#"caf\u00e9 Caf\u00C9 \u2028 \u20ac / \/ \u0000"#,
            "non-ASCII raw: Ōsaka “quotes” — 北京 😀 \u{2029}",
            "seven!!",
            "exactly8",
            r#"twelve bytes, then \""#,
            "don't co-operate 2,000",
        ];
        for text in texts {
            for line in [
                format!(r#"{{"id": "a\u0062", "text": "{text}"}}"#),
                format!(" \t{{\"text\":\"{text}\",\"id\":\"x\"}}\r "),
            ] {
                assert_eq!(plain_record(&line), Some(read_by_serde(&line)), "{line}");
            }
        }
    }

    #[test]
    fn other_records_are_left_to_serde_json() {
        let lines = [
            r#"{"id": "a", "text": "x", "lang": "en"}"#,
            r#"{"id": "a", "text": "x", "id": "b"}"#,
            r#"{"id": 7, "text": "x"}"#,
            r#"{"text": "x"}"#,
            r#"{"id": "a"}"#,
            r#"{"t\u0065xt": "x", "id": "a"}"#,
            r#"{"id": "a", "text": "\ud83d\ude00"}"#,
            r#"{"id": "a", "text": "\ud83d"}"#,
            r#"{"id": "a", "text": "\q"}"#,
            r#"{"id": "a", "text": "\u12g4"}"#,
            r#"{"id": "a", "text": "\u+123"}"#,
            "{\"id\": \"a\", \"text\": \"raw\ttab\"}",
            r#"{"id": "a", "text": "x"} y"#,
            r#"{"id": "a", "text": "x",}"#,
            r#"{"id": "a" "text": "x"}"#,
            r#"{"id": "a", "text": "x"#,
            r#"["id", "text"]"#,
            "",
        ];
        for line in lines {
            assert_eq!(plain_record(line), None, "{line}");
        }
        // The full reader still reads the surrogate pair.
        let loaded = record(1, lines[6].as_bytes().to_vec(), opts());
        assert_eq!(loaded.text.as_deref(), Ok("\u{1f600}"));
    }

    #[test]
    fn json_special_finds_the_first_byte_to_escape() {
        let naive = |s: &[u8]| s.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        let mut cases: Vec<Vec<u8>> = ["", "a", "plain text of some length", "Ōsaka “x” \u{2028}"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        // Each special byte (and bytes near them in value) at every place of a 19-byte string.
        for b in [0x00, 0x1f, 0x20, b'"', b'#', b'\\', b']', 0x7f, 0x80, 0xff] {
            for at in 0..19 {
                let mut s = b"abcdefghijklmnopqrs".to_vec();
                s[at] = b;
                cases.push(s);
            }
        }
        for s in &cases {
            assert_eq!(json_special(s), naive(s), "{s:?}");
        }
    }

    #[test]
    fn plain_records_keep_the_size_limit() {
        let small = ReadOptions {
            max_bytes: 3,
            lossy: false,
        };
        let loaded = record(1, br#"{"id": "a", "text": "four"}"#.to_vec(), small);
        assert_eq!(loaded.text.unwrap_err(), too_large(3));
        let loaded = record(1, br#"{"id": "a", "text": "thr"}"#.to_vec(), small);
        assert_eq!(
            (loaded.id.as_str(), loaded.text.as_deref()),
            ("a", Ok("thr"))
        );
    }

    #[test]
    fn decoding_errors_name_the_offset() {
        assert_eq!(
            decode(b"ab\xffc".to_vec(), false).unwrap_err(),
            "invalid UTF-8 at byte offset 2 (use --lossy to replace it)"
        );
        assert_eq!(decode(b"ab\xffc".to_vec(), true).unwrap(), "ab\u{fffd}c");
        assert!(decode(b"a\0b".to_vec(), false)
            .unwrap_err()
            .starts_with("binary data: NUL byte at byte offset 1"));
    }

    #[test]
    fn default_filter() {
        let f = FileFilter::new(&[]).unwrap();
        assert!(f.takes("a/b.txt") && f.takes("README") && f.takes("x.TXT"));
        assert!(!f.takes("a.pdf") && !f.takes("a.json"));
        let g = FileFilter::new(&["**/*.html".to_string()]).unwrap();
        assert!(g.takes("x/y.html") && !g.takes("y.txt"));
    }
}
