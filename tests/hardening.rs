//! Hardening tests of the `extract` binary (issue 6): any input gives a document or an error
//! record that names what went wrong, nothing panics or hangs, and nothing is lost.
//!
//! Every test checks the exit status and that every line of standard output is JSON; tests of
//! documents also check every quoted `text` against the input sliced by code points (the
//! contract's offsets), independently of the library's own `check::invariants`.
//!
//! Sizes here are kept small enough for a debug build; `benches/pathological.rs` and
//! `scripts/linearity.sh` run the same shapes at full size.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_extract"));
    c.arg("--quiet");
    c
}

/// Waits for `child`, killing it and failing the test after `limit`.
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?} (hang?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `cmd` with all three streams piped and `stdin` written from a thread, so a process
/// that stops reading cannot block the test; join the thread after the process ends.
fn spawn_fed(cmd: &mut Command, stdin: Vec<u8>) -> (Child, std::thread::JoinHandle<()>) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    (child, feeder)
}

/// Runs `cmd` with `stdin` fed from a thread (so a process that stops reading cannot block
/// the test) and a time limit.
fn run_limited(cmd: &mut Command, stdin: Vec<u8>, limit: Duration) -> Output {
    let (mut child, feeder) = spawn_fed(cmd, stdin);
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = wait_within(&mut child, limit, &format!("{cmd:?}"));
    feeder.join().unwrap();
    Output {
        status,
        stdout: reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn run(cmd: &mut Command, stdin: &[u8]) -> Output {
    run_limited(cmd, stdin.to_vec(), Duration::from_secs(60))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}, got {:?}\nstdout (first 2000 bytes):\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(2000)]),
        stderr(out)
    );
}

/// Every line of standard output, parsed (JSON Lines output).
fn lines(out: &Output) -> Vec<Value> {
    let s = std::str::from_utf8(&out.stdout).expect("standard output is UTF-8");
    s.lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l:.300}"))
        })
        .collect()
}

/// The single (pretty or compact) document on standard output.
fn single(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {:.500}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Checks a document against the text it was read from: schema, no error, and every
/// `{text, start, end}` object (mentions, triggers, cues, arguments, restatements) quotes
/// the input (after a leading BOM) sliced by code points; every range lies inside it.
fn check_doc(doc: &Value, input: &str) {
    assert_eq!(doc["schema"], "extract/1", "{doc:.300}");
    assert!(
        doc.get("error").is_none(),
        "expected a document, got an error record: {doc}"
    );
    assert!(
        doc["entities"].is_array() && doc["relations"].is_array(),
        "{doc:.300}"
    );
    let text = input.strip_prefix('\u{feff}').unwrap_or(input);
    let chars: Vec<char> = text.chars().collect();
    fn walk(v: &Value, chars: &[char], path: &str) {
        match v {
            Value::Object(o) => {
                if let (Some(s), Some(e)) = (o.get("start"), o.get("end")) {
                    let (s, e) = (s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize);
                    assert!(
                        s <= e && e <= chars.len(),
                        "{path}: range [{s}, {e}) outside the input of {} code points",
                        chars.len()
                    );
                    if let Some(t) = o.get("text").and_then(Value::as_str) {
                        let slice: String = chars[s..e].iter().collect();
                        assert_eq!(slice, t, "{path}: quoted text is not input[{s}..{e}]");
                    }
                }
                for (k, x) in o {
                    walk(x, chars, &format!("{path}.{k}"));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, chars, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }
    walk(&doc["entities"], &chars, "entities");
    walk(&doc["relations"], &chars, "relations");
}

/// Runs one text through stdin (compact output) and checks the document.
fn extract_stdin(text: &str) -> Value {
    let out = run(bin().arg("--compact"), text.as_bytes());
    assert_exit(&out, 0);
    let docs = lines(&out);
    assert_eq!(docs.len(), 1, "one document for one input");
    check_doc(&docs[0], text);
    assert_eq!(docs[0]["id"], "-");
    docs[0].clone()
}

/// Runs many texts through one process (`--jsonl`, one record each: starting the debug binary
/// costs more than extracting a small text) and checks every document against its text.
/// Reports every failing text at once.
fn extract_all<S: AsRef<str>>(texts: &[S]) -> Vec<Value> {
    let records: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"id": format!("t{i}"), "text": t.as_ref()}).to_string() + "\n"
        })
        .collect();
    let out = run_limited(
        bin().arg("--jsonl"),
        records.into_bytes(),
        Duration::from_secs(120),
    );
    let docs = lines(&out);
    assert_eq!(
        docs.len(),
        texts.len(),
        "one line per record; stderr: {}",
        stderr(&out)
    );
    let mut failed = Vec::new();
    for (i, (d, t)) in docs.iter().zip(texts).enumerate() {
        assert_eq!(d["id"], format!("t{i}"), "records stay in order");
        let t = t.as_ref();
        if let Err(e) = std::panic::catch_unwind(|| check_doc(d, t)) {
            let msg = e.downcast_ref::<String>().cloned().unwrap_or_default();
            failed.push(format!(
                "text {i} {:?}: {}",
                truncate(t, 200),
                truncate(&msg, 300)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} texts failed:\n{}\nstderr:\n{}",
        failed.len(),
        texts.len(),
        failed.join("\n"),
        stderr(&out)
    );
    assert_exit(&out, 0);
    docs
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn error_of(doc: &Value) -> &str {
    doc["error"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error record, got {doc:.300}"))
}

// ---------------------------------------------------------------------------------------
// Empty and degenerate inputs

#[test]
fn empty_input_gives_an_empty_document() {
    let out = run(&mut bin(), b"");
    assert_exit(&out, 0);
    let doc = single(&out);
    check_doc(&doc, "");
    assert_eq!(doc["id"], "-");
    assert_eq!(doc["entities"], serde_json::json!([]));
    assert_eq!(doc["relations"], serde_json::json!([]));

    // An empty file, and a lone byte-order mark, are empty documents too.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "empty.txt", b"");
    let b = write(dir.path(), "bom.txt", "\u{feff}".as_bytes());
    let out = run(bin().arg(&a).arg(&b), b"");
    assert_exit(&out, 0);
    let docs = lines(&out);
    assert_eq!(docs.len(), 2);
    check_doc(&docs[0], "");
    check_doc(&docs[1], "\u{feff}");
    assert_eq!(docs[1]["entities"], serde_json::json!([]));
}

#[test]
fn whitespace_only() {
    let texts = [
        " ".to_string(),
        "\n".into(),
        "\r\n\r\n".into(),
        "\t \u{a0}\u{2028}\u{2029}\u{3000}\n\n\n".into(),
        " \n".repeat(5000),
    ];
    for doc in extract_all(&texts) {
        assert_eq!(doc["entities"], serde_json::json!([]), "{doc}");
        assert_eq!(doc["relations"], serde_json::json!([]), "{doc}");
    }
}

// ---------------------------------------------------------------------------------------
// Bytes that are not text

#[test]
fn nul_bytes_are_an_error_naming_the_offset() {
    let out = run(&mut bin(), b"Britain sanctioned Russia.\0\x01\x02 binary");
    assert_exit(&out, 1);
    let doc = single(&out);
    assert_eq!(doc["schema"], "extract/1");
    assert_eq!(doc["id"], "-");
    let e = error_of(&doc);
    assert!(e.contains("NUL") && e.contains("byte offset 26"), "{e}");
    assert!(stderr(&out).contains("byte offset 26"), "{}", stderr(&out));

    // With --lossy a file of binary data is processed (files without it: see the directory
    // walk test).
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bin.dat", b"\0\0\0ELF\x7f\x01");
    let out = run(bin().arg("--compact").arg("--lossy").arg(&f), b"");
    assert_exit(&out, 0);
    check_doc(&lines(&out)[0], "\0\0\0ELF\x7f\x01");
}

#[test]
fn invalid_utf8_is_an_error_naming_the_byte_offset_unless_lossy() {
    let bytes = b"Caf\xc3\xa9 in Paris. Britain sanctioned \xff\xfeRussia on Monday.";
    let out = run(&mut bin(), bytes);
    assert_exit(&out, 1);
    let e = single(&out);
    let msg = error_of(&e);
    assert!(
        msg.contains("invalid UTF-8") && msg.contains("byte offset 35"),
        "{msg}"
    );

    let out = run(bin().arg("--lossy"), bytes);
    assert_exit(&out, 0);
    let decoded = String::from_utf8_lossy(bytes).into_owned();
    assert!(decoded.contains('\u{fffd}'));
    let doc = single(&out);
    check_doc(&doc, &decoded);
    // Offsets count in the decoded text: Russia comes after two replacement characters.
    let russia = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["mentions"].as_array().unwrap())
        .find(|m| m["text"] == "Russia");
    if let Some(m) = russia {
        let want_chars = decoded[..decoded.find("Russia").unwrap()].chars().count();
        assert_eq!(m["start"].as_u64(), Some(want_chars as u64));
    }
}

#[test]
fn max_bytes_gives_an_error_record() {
    let text = "Britain sanctioned Russia. ".repeat(40); // 1080 bytes
                                                         // stdin
    let out = run(bin().args(["--max-bytes", "1000"]), text.as_bytes());
    assert_exit(&out, 1);
    let msg = error_of(&single(&out)).to_string();
    assert!(msg.contains("--max-bytes") && msg.contains("1000"), "{msg}");
    // a file among others: the batch goes on; exactly at the limit is fine
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.txt", text.as_bytes());
    let at_limit = &text[..1000];
    let small = write(dir.path(), "small.txt", at_limit.as_bytes());
    let out = run(
        bin().args(["--max-bytes", "1000"]).arg(&big).arg(&small),
        b"",
    );
    assert_exit(&out, 1);
    let docs = lines(&out);
    assert_eq!(docs.len(), 2);
    assert!(error_of(&docs[0]).contains("--max-bytes"));
    check_doc(&docs[1], at_limit);
    // a JSON Lines record
    let rec = serde_json::json!({"id": "r1", "text": text}).to_string()
        + "\n{\"id\":\"r2\",\"text\":\"ok\"}\n";
    let out = run(
        bin().args(["--jsonl", "--max-bytes", "1000"]),
        rec.as_bytes(),
    );
    assert_exit(&out, 1);
    let docs = lines(&out);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "r1");
    assert!(error_of(&docs[0]).contains("--max-bytes"));
    check_doc(&docs[1], "ok");
}

// ---------------------------------------------------------------------------------------
// Pathological texts (small versions of benches/pathological.rs)

/// A long run of words with no punctuation and no line break: one sentence.
fn long_line(bytes: usize) -> String {
    let words = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    ];
    let mut s = String::with_capacity(bytes + 8);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(words[i % words.len()]);
        s.push(' ');
        i += 1;
    }
    s
}

#[test]
fn a_long_line_without_punctuation() {
    let text = long_line(2 << 20);
    let start = Instant::now();
    let out = run_limited(
        bin().arg("--compact"),
        text.clone().into_bytes(),
        Duration::from_secs(60),
    );
    assert_exit(&out, 0);
    let docs = lines(&out);
    check_doc(&docs[0], &text);
    eprintln!("2 MiB single line: {:?}", start.elapsed());
}

#[test]
fn many_titles_in_a_row() {
    let texts = [
        "Mr. ".repeat(20_000),
        // Titles before one name, and titles with names.
        "Mr. ".repeat(5_000) + "Dowden said so.",
        "Mr. Dowden and Mrs. Dowden and Dr. Dowden. ".repeat(1_000),
    ];
    let docs = extract_all(&texts);
    assert_eq!(docs[0]["entities"], serde_json::json!([]));
}

#[test]
fn a_sentence_with_thousands_of_entity_names() {
    let names = [
        "China",
        "Russia",
        "Iran",
        "North Korea",
        "Britain",
        "the United States",
        "France",
        "Japan",
    ];
    let list: Vec<&str> = (0..5_000).map(|i| names[i % names.len()]).collect();
    let text = format!(
        "Britain sanctioned {}, the Foreign Office said.",
        list.join(", ")
    );
    let doc = extract_stdin(&text);
    let entities = doc["entities"].as_array().unwrap();
    assert!(entities.len() >= 7, "{} entities", entities.len());
    let mentions: usize = entities
        .iter()
        .map(|e| e["mentions"].as_array().unwrap().len())
        .sum();
    assert!(mentions >= 5_000, "only {mentions} mentions of 5,000 names");
}

#[test]
fn many_repeated_names_and_sentences() {
    let text = "Zhao Guangzong met Ni Gaobin in Beijing. APT31 denied it. ".repeat(2_000);
    let doc = extract_stdin(&text);
    // Repetitions are mentions of the same entities, not new ones.
    assert!(
        doc["entities"].as_array().unwrap().len() < 20,
        "{}",
        doc["entities"].as_array().unwrap().len()
    );
}

#[test]
fn nested_and_unbalanced_quotes_and_brackets() {
    extract_all(&[
        "(".repeat(5_000) + "Britain sanctioned Russia" + &")".repeat(5_000),
        "“‘«[(\"'".repeat(3_000),
        ")]”’»\"'".repeat(3_000),
        "He said “Britain sanctioned (Russia [and “China”. ".repeat(500),
        "(APT31) (APT31 (APT31) ".repeat(1_000),
        "(\")\"(\")".to_string(),
        "“".to_string(),
        "(".to_string(),
    ]);
}

#[test]
fn all_capitals() {
    extract_all(&[
        "BRITAIN SANCTIONED RUSSIA AND CHINA OVER CYBER ATTACKS. MR. DOWDEN SAID APT31 WAS BEHIND IT.\n".repeat(300),
        "U.S. U.K. E.U. N.A.T.O. U.S.S.R.".to_string(),
    ]);
}

#[test]
fn right_to_left_and_cjk() {
    let mut texts = vec![
        "قالت وزارة الخارجية إن بريطانيا فرضت عقوبات على روسيا. Britain sanctioned Russia."
            .to_string(),
        "\u{200f}עברית Britain sanctioned Iran \u{202e}reversed\u{202c} text.".to_string(),
        "中华人民共和国外交部发言人表示，中国坚决反对美国的制裁。China denied it.".to_string(),
        "北朝鮮のハッカー集団「ラザルス」が関与したと米国は発表した。".to_string(),
        "대한민국 정부는 북한을 비난했다. North Korea denied it.".to_string(),
    ];
    texts.push("中国外交部发言人表示反对制裁。".repeat(5_000));
    extract_all(&texts);
}

#[test]
fn combining_marks_and_emoji() {
    let mut texts: Vec<String> = [
        "Cafe\u{301} owner Jose\u{301} Garci\u{301}a was sanctioned by Britain.",
        "Z\u{335}\u{31b}\u{357}a\u{336}l\u{338}g\u{334}o\u{337} sanctioned Russia.",
        "🇬🇧 sanctioned 🇷🇺 👨‍👩‍👧‍👦 over 💻🔓. Britain 🎉 sanctioned Russia 🎉.",
        "\u{1F600}\u{FE0F}\u{200D}\u{2640}\u{FE0F} Mr. \u{1F600} said.",
        "Ivan\u{200b}Petrov and Oleg\u{ad}Sokolov were sanctioned.",
        "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
    ]
    .map(String::from)
    .to_vec();
    texts.push("a\u{301}".repeat(10_000));
    texts.push("👨‍👩‍👧‍👦 Britain sanctioned Russia. ".repeat(500));
    extract_all(&texts);
}

#[test]
fn byte_order_marks_and_line_ends() {
    let plain = "Britain sanctioned Russia on Monday.\r\nRussia denied it.\rChina said nothing.\n";
    let with_bom = format!("\u{feff}{plain}");
    let docs = extract_all(&[
        plain,
        &with_bom,
        "Britain\u{feff} sanctioned \u{feff}Russia.\u{feff}",
    ]);
    // Offsets count after the BOM: the same document either way (ids aside).
    assert_eq!(docs[0]["entities"], docs[1]["entities"]);
    assert_eq!(docs[0]["relations"], docs[1]["relations"]);
    // Through standard input, the BOM's bytes are removed the same way.
    let stdin = extract_stdin(&with_bom);
    assert_eq!(stdin["entities"], docs[0]["entities"]);
}

/// Texts that ended in the middle of a phrase used to read past the last token.
#[test]
fn texts_that_end_mid_phrase() {
    extract_all(&[
        "Britain sanctioned Russia",
        "Britain sanctioned Russia,",
        "Britain sanctioned Russia and",
        "Britain sanctioned Russia, China and",
        "China accused Russia of",
        "Russia denied",
        "sanctioned",
        "sanctioned by",
        "sanctioned by Britain",
        "Sanctioned by Britain, Russia",
        "accused",
        "the",
        "Mr.",
        "(APT31",
        "APT31 (",
        "was sanctioned",
        "“Britain sanctioned Russia,” said",
    ]);
}

/// Output must grow in proportion to the input: doubling a repetitive text may at most about
/// double its document. (An argument quoting the rest of a long sentence, once per trigger, or
/// every denial listing every earlier accusation, makes the output quadratic: 128 KB of input
/// gave 150 MB of JSON.) Deterministic: sizes, not times.
#[test]
fn output_grows_linearly_with_the_input() {
    let units = [
        "China accused Russia of hacking and Russia denied it and ",
        "Britain sanctioned Russia with an asset freeze and ",
        "Britain sanctioned Russia ",
        "China accused Russia of hacking. Russia denied the accusations. ",
        "Britain sanctioned China, Russia, Iran, North Korea, ",
        "Mr. Dowden and Mrs. Dowden said the company was sanctioned. ",
    ];
    let mut texts = Vec::new();
    for u in units {
        texts.push(u.repeat(150) + ".");
        texts.push(u.repeat(300) + ".");
    }
    let docs = extract_all(&texts);
    let mut failures = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let small = docs[2 * i].to_string().len() as f64;
        let big = docs[2 * i + 1].to_string().len() as f64;
        let ratio = big / small;
        eprintln!("{u:?}: {small} -> {big} bytes of JSON, ratio {ratio:.2}");
        if ratio > 2.6 {
            failures.push(format!(
                "{u:?}: output {small} bytes at 150 repetitions, {big} at 300 (x{ratio:.2})"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "output grows faster than the input:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Files and directories that cannot be read

#[cfg(unix)]
fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_broken_links_are_error_records() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", b"Britain sanctioned Russia.");
    let locked = write(dir.path(), "locked.txt", b"secret");
    chmod(&locked, 0o000);
    // root (as in CI containers) reads through chmod 000: only assert when it blocks.
    let blocks = std::fs::File::open(&locked).is_err();
    let dangling = dir.path().join("dangling.txt");
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), &dangling).unwrap();
    let missing = dir.path().join("never-existed.txt");

    let out = run(
        bin().arg(&good).arg(&locked).arg(&dangling).arg(&missing),
        b"",
    );
    chmod(&locked, 0o644);
    assert_exit(&out, 1);
    let docs = lines(&out);
    assert_eq!(docs.len(), 4, "one line per input, in order");
    check_doc(&docs[0], "Britain sanctioned Russia.");
    if blocks {
        assert!(
            error_of(&docs[1]).to_lowercase().contains("permission"),
            "{}",
            docs[1]
        );
    } else {
        eprintln!("running as root: chmod 000 does not block reading, not asserting on it");
        check_doc(&docs[1], "secret");
    }
    assert_eq!(docs[2]["id"], dangling.display().to_string());
    assert!(error_of(&docs[2]).contains("No such file"), "{}", docs[2]);
    assert!(error_of(&docs[3]).contains("No such file"), "{}", docs[3]);
    let err = stderr(&out);
    assert!(
        err.contains("dangling.txt") && err.contains("never-existed.txt"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_directory_walk_survives_bad_files_links_and_loops() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let good = [
        ("a.txt", "Britain sanctioned Russia."),
        ("c.txt", "China denied the accusations."),
        ("sub/e.txt", "The EU imposed an asset freeze on APT28."),
        ("sub/deeper/f.md", "Iran was accused of hacking."),
    ];
    for (p, t) in good {
        write(&root, p, t.as_bytes());
    }
    write(&root, "b.txt", b"bad \xff\xfe utf-8");
    write(&root, "d.txt", b"nul \0 byte");
    write(&root, "b2.txt", b"Beijing \xe4\xb8"); // truncated at the very end
    write(&root, "ignored.pdf", b"%PDF not taken by default");
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink("..", root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("self"), root.join("self")).unwrap();
    let locked = write(&root, "sub/locked.txt", b"Russia denied it.");
    chmod(&locked, 0o000);
    let blocks = std::fs::File::open(&locked).is_err();

    let out = run_limited(bin().arg(&root), Vec::new(), Duration::from_secs(60));
    chmod(&locked, 0o644);
    assert_exit(&out, 1);
    let docs = lines(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    // Sorted, relative ids; each good file once, as a document.
    for (p, t) in good {
        let d = docs
            .iter()
            .find(|d| d["id"] == p)
            .unwrap_or_else(|| panic!("{p} missing from {ids:?}"));
        check_doc(d, t);
    }
    assert_eq!(ids.iter().filter(|i| **i == "a.txt").count(), 1, "{ids:?}");
    assert!(error_of(docs.iter().find(|d| d["id"] == "b.txt").unwrap()).contains("invalid UTF-8"));
    assert!(error_of(docs.iter().find(|d| d["id"] == "d.txt").unwrap())
        .contains("NUL byte at byte offset 4"));
    assert!(error_of(docs.iter().find(|d| d["id"] == "b2.txt").unwrap()).contains("byte offset 8"));
    assert!(
        docs.iter()
            .any(|d| d["id"] == "dangling.txt" && d.get("error").is_some()),
        "{ids:?}"
    );
    assert!(
        docs.iter()
            .any(|d| d["id"] == "sub/loop" && error_of(d).contains("loop")),
        "{ids:?}"
    );
    assert!(
        docs.iter()
            .any(|d| d["id"] == "self" && d.get("error").is_some()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"ignored.pdf"), "{ids:?}");
    if blocks {
        assert!(
            error_of(docs.iter().find(|d| d["id"] == "sub/locked.txt").unwrap())
                .to_lowercase()
                .contains("permission")
        );
    }
    // The loop is not followed: no file appears twice under another path.
    assert!(!ids.iter().any(|i| i.starts_with("sub/loop/")), "{ids:?}");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "directory order is sorted");
}

#[cfg(unix)]
#[test]
fn a_loop_as_the_argument_itself() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let out = run(bin().arg(&a), b"");
    assert_exit(&out, 1);
    let doc = single(&out);
    assert!(
        error_of(&doc).to_lowercase().contains("symbolic links"),
        "{doc}"
    );
}

// ---------------------------------------------------------------------------------------
// --out-dir never writes outside its directory

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn out_dir_keeps_hostile_ids_inside() {
    let scratch = tempfile::tempdir().unwrap();
    let out_dir = scratch.path().join("out");
    let outside = scratch.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let abs_target = outside.join("abs.txt");
    let ids = [
        "../x".to_string(),
        "../../escape.txt".to_string(),
        "a/../../../b.txt".to_string(),
        abs_target.display().to_string(),
        "/etc/extract-hardening-should-not-exist".to_string(),
        "..".to_string(),
        ".".to_string(),
        "".to_string(),
        "C:\\Windows\\evil.txt".to_string(),
        "..\\..\\win.txt".to_string(),
        "line\nbreak".to_string(),
        "nul\u{0}byte".to_string(),
        "ok/fine.txt".to_string(),
    ];
    let records: String = ids
        .iter()
        .map(|id| {
            serde_json::json!({"id": id, "text": "Britain sanctioned Russia."}).to_string() + "\n"
        })
        .collect();
    let out = run(
        bin().arg("--jsonl").arg("--out-dir").arg(&out_dir),
        records.as_bytes(),
    );
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{out:?}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout with --out-dir");
    // Nothing but the output directory in the scratch area, nothing in `outside`.
    let names: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(all_files(&outside).is_empty(), "{:?}", all_files(&outside));
    assert!(!Path::new("/etc/extract-hardening-should-not-exist.json").exists());
    assert!(!Path::new("/etc/extract-hardening-should-not-exist").exists());
    let files = all_files(&out_dir);
    for f in &files {
        assert!(f.starts_with(&out_dir), "{f:?}");
        assert!(
            !f.to_string_lossy().ends_with(".part"),
            "leftover temporary {f:?}"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        assert_eq!(v["schema"], "extract/1");
    }
    assert!(out_dir.join("ok/fine.txt.json").exists(), "{files:?}");
    // Every record was written somewhere (ids that map to the same file overwrite each other,
    // but the run must say so or keep them apart; at least the distinct ones are there).
    assert!(files.len() >= 8, "{files:?}");
}

/// Two inputs whose ids map to the same output file (`a.txt` and `a.md` in one directory, or
/// records `x.txt` and `x`) must not silently overwrite each other: either both documents are
/// kept, or the run says so and exits 1.
#[test]
fn out_dir_never_loses_a_document_silently() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    write(&corpus, "a.txt", b"Britain sanctioned Russia.");
    write(&corpus, "a.md", b"China denied the accusations.");
    write(&corpus, "b.txt", b"Iran was accused of hacking.");
    let out_dir = scratch.path().join("out");
    let out = run(bin().arg("--out-dir").arg(&out_dir).arg(&corpus), b"");
    let files = all_files(&out_dir);
    let kept = files.len() == 3;
    assert!(
        kept || (out.status.code() == Some(1) && !stderr(&out).is_empty()),
        "3 inputs gave {} files {files:?}, exit {:?}, stderr {:?}",
        files.len(),
        out.status.code(),
        stderr(&out)
    );

    let out_dir = scratch.path().join("out2");
    let records = "{\"id\":\"x.txt\",\"text\":\"Britain sanctioned Russia.\"}\n{\"id\":\"x\",\"text\":\"China denied it.\"}\n";
    let out = run(
        bin().arg("--jsonl").arg("--out-dir").arg(&out_dir),
        records.as_bytes(),
    );
    let files = all_files(&out_dir);
    assert!(
        files.len() == 2 || (out.status.code() == Some(1) && !stderr(&out).is_empty()),
        "2 records gave {} files {files:?}, exit {:?}, stderr {:?}",
        files.len(),
        out.status.code(),
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// A reader that goes away

#[test]
fn closed_stdout_ends_the_run_quietly() {
    // One big document (a single write far larger than a pipe buffer).
    let dir = tempfile::tempdir().unwrap();
    let big = write(
        dir.path(),
        "big.txt",
        "Britain sanctioned Russia and China. "
            .repeat(2_000)
            .as_bytes(),
    );
    // Many documents (JSON Lines that go on after the reader leaves).
    let records: String = (0..3_000)
        .map(|i| {
            format!("{{\"id\":\"r{i}\",\"text\":\"Britain sanctioned Russia on day {i}.\"}}\n")
        })
        .collect();
    let cases: Vec<(Vec<std::ffi::OsString>, Vec<u8>)> = vec![
        (vec![big.clone().into_os_string()], Vec::new()),
        (vec!["--jsonl".into()], records.into_bytes()),
    ];
    for (args, stdin) in cases {
        let (mut child, feeder) = spawn_fed(bin().args(&args), stdin);
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 10];
        stdout.read_exact(&mut first).unwrap();
        assert_eq!(first[0], b'{');
        drop(stdout);
        let status = wait_within(
            &mut child,
            Duration::from_secs(60),
            &format!("closed stdout {args:?}"),
        );
        feeder.join().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "{args:?}: {status:?}, stderr: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Bad gazetteers are fatal, and found before any input is read

fn bad_gazetteer(name: &str, contents: &[u8], want: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "good.tsv",
        b"# fine\nAcme Widgets\tORG\tTEST:1\tAcme Widgets\tkind=company\ttest\n",
    );
    write(dir.path(), name, contents);
    // stdin stays open and unwritten: a run that read its input first would hang here.
    let mut child = bin()
        .arg("--gazetteers")
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let status = wait_within(
        &mut child,
        Duration::from_secs(30),
        &format!("bad gazetteer {name}"),
    );
    drop(stdin);
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{name}: {err}");
    assert!(
        out.is_empty(),
        "{name}: stdout must be empty, got {:?}",
        String::from_utf8_lossy(&out)
    );
    assert!(err.starts_with("extract:"), "{name}: {err}");
    for w in want {
        assert!(err.contains(w), "{name}: {err:?} should contain {w:?}");
    }
}

#[test]
fn bad_gazetteer_files_name_file_and_line() {
    bad_gazetteer(
        "cols.tsv",
        b"# header\nFoo\tORG\tX:1\tFoo\tkind=company\n",
        &["cols.tsv:2:", "columns"],
    );
    bad_gazetteer(
        "type.tsv",
        b"Foo\tPLACE\t-\tFoo\t-\ttest\n",
        &["type.tsv:1:", "unknown type"],
    );
    bad_gazetteer(
        "utf8.tsv",
        b"Foo\tORG\t-\tFoo\t-\ttest\n\n# x\nB\xffr\tORG\t-\tBar\t-\ttest\n",
        &["utf8.tsv:4:", "UTF-8"],
    );
    bad_gazetteer(
        "name.tsv",
        b"Foo\tORG\t-\tFoo\t-\ttest\nBar\tORG\t-\t\t-\ttest\n",
        &["name.tsv:2:", "empty name"],
    );
    bad_gazetteer(
        "surface.tsv",
        b"\tORG\t-\tFoo\t-\ttest\n",
        &["surface.tsv:1:", "empty surface"],
    );
    bad_gazetteer(
        "dupid.tsv",
        b"Foo\tORG\tX:9\tFoo Corp\t-\ttest\nFoo Inc\tORG\tX:9\tSomething Else\t-\ttest\n",
        &["dupid.tsv:2:", "duplicate id X:9"],
    );
    bad_gazetteer(
        "dupentry.tsv",
        b"Foo\tORG\t-\tFoo\t-\ttest\nFoo\tORG\t-\tFoo\t-\ttest\n",
        &["dupentry.tsv:2:", "duplicate entry"],
    );
    bad_gazetteer(
        "attr.tsv",
        b"Foo\tORG\t-\tFoo\tkind\ttest\n",
        &["attr.tsv:1:", "key=value"],
    );
}

#[test]
fn gazetteer_dirs_that_are_not_dirs_of_lists() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (arg, want) in [
        (empty.clone(), "no .tsv"),
        (dir.path().join("missing"), "missing"),
    ] {
        let out = run(
            bin().arg("--gazetteers").arg(&arg),
            b"Britain sanctioned Russia.",
        );
        assert_exit(&out, 2);
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
    }
}

// ---------------------------------------------------------------------------------------
// JSON Lines records of every shape

#[test]
fn jsonl_records_of_every_shape() {
    let mut input = Vec::new();
    input.extend_from_slice(
        b"{\"id\":\"ok\",\"text\":\"Britain sanctioned Russia.\",\"lang\":\"en\"}\n",
    );
    input.extend_from_slice(b"not json at all\n");
    input.extend_from_slice(b"[1,2,3]\n");
    input.extend_from_slice(b"{\"id\":\"no-text\"}\n");
    input.extend_from_slice(b"{\"id\":\"num-text\",\"text\":42}\n");
    input.extend_from_slice(b"{\"id\":\"nul\",\"text\":\"Britain\\u0000sanctioned Russia.\"}\n");
    input.extend_from_slice(b"{\"id\":\"surrogate\",\"text\":\"lone \\ud800 surrogate\"}\n");
    input.extend_from_slice(
        b"{\"id\":\"emoji\",\"text\":\"\\ud83c\\udf89 Britain sanctioned Iran.\"}\n",
    );
    input.extend_from_slice(b"{\"id\":\"bad-utf8\",\"text\":\"caf\xe9\"}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"id\":{\"nested\":true},\"text\":\"x\"}\r\n");
    input.extend_from_slice(b"{\"text\":\"last, with no line end\"}");
    let out = run(bin().arg("--jsonl"), &input);
    assert_exit(&out, 1);
    let docs = lines(&out);
    assert_eq!(
        docs.len(),
        12,
        "one line per input line, blank ones included"
    );
    check_doc(&docs[0], "Britain sanctioned Russia.");
    assert_eq!(docs[0]["meta"]["lang"], "en");
    for i in [1, 2, 3, 4, 6, 8, 9] {
        assert!(
            docs[i].get("error").is_some(),
            "line {}: {}",
            i + 1,
            docs[i]
        );
        assert_eq!(docs[i]["schema"], "extract/1");
    }
    assert_eq!(docs[3]["id"], "no-text");
    check_doc(&docs[5], "Britain\u{0}sanctioned Russia.");
    check_doc(&docs[7], "🎉 Britain sanctioned Iran.");
    assert!(error_of(&docs[8]).contains("UTF-8"), "{}", docs[8]);
    assert_eq!(docs[9]["id"], "line 10");
    check_doc(&docs[10], "x");
    check_doc(&docs[11], "last, with no line end");
    assert_eq!(docs[11]["id"], "line 12");
}

#[test]
fn a_huge_jsonl_record_and_a_huge_id() {
    let text = long_line(1 << 20);
    let id = "i".repeat(100_000);
    let rec = serde_json::json!({"id": id, "text": text}).to_string() + "\n";
    let out = run_limited(
        bin().arg("--jsonl"),
        rec.into_bytes(),
        Duration::from_secs(60),
    );
    assert_exit(&out, 0);
    let docs = lines(&out);
    assert_eq!(docs[0]["id"].as_str().map(str::len), Some(100_000));
    check_doc(&docs[0], &text);
}

// ---------------------------------------------------------------------------------------
// Regression inputs found by fuzzing (fuzz/) and by the pathological benchmark

#[test]
fn fuzz_regressions() {
    let cases: &[&str] = &[
        // Passive trigger as the very first token (usize underflow in passive_marker).
        "sanctioned men dened  Russians to\u{15} its cyber sanctions list\r\n\r\nBRUSSELS \u{2014} The European Union on Thursday imposed an asset freeze",
        "sanctioned by the EU",
        // A list of parties running to the end of the text (read past the last token).
        "Britain sanctioned Russia",
        "Britain sanctioned Russia and China and",
    ];
    extract_all(cases);
}

/// The parties of each sanction in a document, as (imposer, target) texts.
fn sanction_parties(doc: &Value) -> Vec<(String, String)> {
    let role = |r: &Value, name: &str| {
        r["arguments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["role"] == name)
            .map(|x| x["text"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    doc["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "sanction")
        .map(|r| (role(r, "imposer"), role(r, "target")))
        .collect()
}

/// One sentence yields a bounded number of relations before merging: each sanction carries the
/// sentence's measures, and a sentence of thousands of sanctions held half a kilobyte per byte
/// of text. A long sentence under the bound keeps every relation; past it, the sentence's later
/// triggers are not read, and what was read still comes out.
#[test]
fn a_sentence_of_hundreds_of_sanctions_is_read_up_to_a_bound() {
    let text = |clauses: usize| {
        "Britain sanctioned Russia with an asset freeze and ".repeat(clauses)
            + "France sanctioned Iran."
    };
    let britain = ("Britain".to_string(), "Russia".to_string());
    let france = ("France".to_string(), "Iran".to_string());

    let under = sanction_parties(&extract_stdin(&text(100)));
    assert!(under.contains(&britain), "{under:?}");
    assert!(under.contains(&france), "{under:?}");

    let past = sanction_parties(&extract_stdin(&text(400)));
    assert!(past.contains(&britain), "{past:?}");
    assert!(!past.contains(&france), "{past:?}");
}

/// A pronoun's antecedent is looked for among its 64 nearest mentions: a sentence of hundreds
/// of names stays linear. Within the bound "it" still reaches back past the names that cannot
/// be "it" (people); past it, the denial has no denier and is not given.
#[test]
fn a_pronoun_looks_back_over_a_bounded_number_of_mentions() {
    let text = |names: usize| {
        let people = vec!["Vladimir Putin"; names].join(", ");
        format!("Rosneft met {people} on Monday, and it denied hacking the Treasury.")
    };
    let deniers = |doc: &Value| -> Vec<String> {
        let name = |id: &Value| {
            doc["entities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["id"] == *id)
                .map(|e| e["name"].as_str().unwrap().to_string())
                .unwrap_or_default()
        };
        doc["relations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "denial")
            .flat_map(|r| r["arguments"].as_array().unwrap().clone())
            .filter(|x| x["role"] == "denier")
            .map(|x| name(&x["entity"]))
            .collect()
    };
    assert_eq!(deniers(&extract_stdin(&text(40))), ["Rosneft"]);
    assert!(deniers(&extract_stdin(&text(70))).is_empty());
}
