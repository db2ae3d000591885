//! Tests of the `extract` binary: input modes, output shapes, exit statuses, `check`, and
//! byte-identical output across thread counts.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_extract"))
}

/// Starts `cmd` with all three streams piped.
fn spawn_piped(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = spawn_piped(cmd);
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}, got {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

const ARTICLE: &str = "Britain sanctioned Rosneft on Monday. Russia denied the accusations.\n";

#[test]
fn stdin_gives_one_pretty_document() {
    let out = run(&mut bin(), ARTICLE.as_bytes());
    assert_exit(&out, 0);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.starts_with("{\n  \"schema\": \"extract/1\",\n  \"id\": \"-\""),
        "{s}"
    );
    let doc: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(doc["relations"][0]["type"], "sanction");
    assert!(out.stderr.is_empty());
}

#[test]
fn compact_file_and_dash() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, ARTICLE).unwrap();
    let out = run(bin().arg("--compact").arg(&f), b"");
    assert_exit(&out, 0);
    let l = lines(&out);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["id"], f.display().to_string());
    let out = run(bin().args(["--compact", "-"]), ARTICLE.as_bytes());
    assert_eq!(lines(&out)[0]["id"], "-");
}

#[test]
fn directories_are_walked_sorted_with_relative_ids() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("b.txt"), ARTICLE).unwrap();
    std::fs::write(d.join("a.txt"), "Nothing here.").unwrap();
    std::fs::write(d.join("sub/c.txt"), ARTICLE).unwrap();
    std::fs::write(d.join(".hidden.txt"), ARTICLE).unwrap();
    std::fs::write(d.join("image.png"), [0u8, 1, 2]).unwrap();
    let out = run(bin().arg(d), b"");
    assert_exit(&out, 0);
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a.txt", "b.txt", "sub/c.txt"]);
    let out = run(
        bin().arg("--glob").arg("**/*.png").arg(d).arg("--lossy"),
        b"",
    );
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["image.png"]);
}

#[test]
fn several_files_keep_argument_order_and_failures_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("z.txt");
    let b = dir.path().join("a.txt");
    std::fs::write(&a, ARTICLE).unwrap();
    std::fs::write(&b, b"bad \xff utf8").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = run(bin().arg(&a).arg(&missing).arg(&b), b"");
    assert_exit(&out, 1);
    let l = lines(&out);
    assert_eq!(l.len(), 3);
    assert_eq!(l[0]["id"], a.display().to_string());
    assert!(l[0]["entities"].is_array());
    assert!(l[1]["error"].as_str().unwrap().contains("No such file"));
    assert_eq!(
        l[2]["error"],
        "invalid UTF-8 at byte offset 4 (use --lossy to replace it)"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().all(|l| l.starts_with("extract: ")), "{err}");
}

#[test]
fn jsonl_records_keep_order_meta_and_error_lines() {
    let input = b"{\"id\":\"r1\",\"text\":\"France expelled two Russian diplomats.\",\"source\":\"wire\"}\n{not json\n{\"id\":\"r3\"}\n{\"id\":\"r4\",\"text\":\"\"}\n";
    let out = run(bin().arg("--jsonl"), input);
    assert_exit(&out, 1);
    let l = lines(&out);
    assert_eq!(l.len(), 4);
    assert_eq!(l[0]["id"], "r1");
    assert_eq!(l[0]["meta"]["source"], "wire");
    assert_eq!(l[1]["id"], "line 2");
    assert!(l[1]["error"].as_str().unwrap().starts_with("invalid JSON"));
    assert_eq!(l[2]["error"], "record has no \"text\" field");
    assert_eq!(l[3]["entities"], serde_json::json!([]));
}

#[test]
fn out_dir_mirrors_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir_all(src.join("x")).unwrap();
    std::fs::write(src.join("x/a.txt"), ARTICLE).unwrap();
    let out_dir = dir.path().join("out");
    let out = run(bin().arg("--out-dir").arg(&out_dir).arg(&src), b"");
    assert_exit(&out, 0);
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("x/a.txt.json")).unwrap())
            .unwrap();
    assert_eq!(doc["id"], "x/a.txt");
    let out = run(
        bin().arg("--jsonl").arg("--out-dir").arg(&out_dir),
        b"{\"id\":\"../../escape\",\"text\":\"x\"}\n",
    );
    assert_exit(&out, 0);
    assert!(out_dir.join("escape.json").exists());
    assert!(!dir.path().join("escape.json").exists());
}

#[test]
fn closed_pipe_exits_quietly() {
    let record = format!(
        "{{\"id\":\"x\",\"text\":{}}}\n",
        serde_json::to_string(ARTICLE).unwrap()
    );
    let big = record.repeat(5_000);
    let mut child = spawn_piped(bin().arg("--jsonl"));
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(big.as_bytes());
    });
    let mut buf = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut buf).unwrap();
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_exit(&out, 0);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2_and_help_lists_every_flag() {
    let out = run(bin().arg("--no-such-flag"), b"");
    assert_exit(&out, 2);
    let out = run(bin().args(["--threads", "0"]), b"");
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("extract: "));
    let out = run(bin().arg("--help"), b"");
    assert_exit(&out, 0);
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--compact",
        "--jsonl",
        "--threads",
        "--gazetteers",
        "--glob",
        "--out-dir",
        "--max-bytes",
        "--lossy",
        "--quiet",
        "check",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
    assert!(help.contains("Example"), "--help has no examples");
}

#[test]
fn check_reports_differences_and_blesses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), ARTICLE).unwrap();
    let out = run(bin().arg("check").arg(d), b"");
    assert_exit(&out, 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 passed, 1 failed"));
    let out = run(bin().arg("check").arg(d).arg("--bless"), b"");
    assert_exit(&out, 0);
    let out = run(bin().arg("check").arg(d), b"");
    assert_exit(&out, 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed, 0 failed"));
    let golden = d.join("a.json");
    let s = std::fs::read_to_string(&golden)
        .unwrap()
        .replace("\"sanction\"", "\"accusation\"");
    std::fs::write(&golden, s).unwrap();
    let out = run(bin().arg("check").arg(d), b"");
    assert_exit(&out, 1);
    let report = String::from_utf8_lossy(&out.stdout);
    let minus = report
        .lines()
        .any(|l| l.starts_with('-') && l.contains("\"type\": \"accusation\""));
    let plus = report
        .lines()
        .any(|l| l.starts_with('+') && l.contains("\"type\": \"sanction\""));
    assert!(minus && plus, "{report}");
    std::fs::write(d.join("a.must"), "relation sanction target=Gazprom\n").unwrap();
    let out = run(bin().arg("check").arg(d).arg("--bless"), b"");
    assert_exit(&out, 1);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("not met: relation sanction target=Gazprom")
    );
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let one = run(bin().args(["--threads", "1"]).arg(&fixtures), b"");
    let two = run(bin().args(["--threads", "2"]).arg(&fixtures), b"");
    let four = run(
        bin()
            .args(["--threads", "4"])
            .env("RAYON_NUM_THREADS", "3")
            .arg(&fixtures),
        b"",
    );
    assert_exit(&one, 0);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn a_streamed_record_comes_out_before_the_next_one_arrives() {
    let mut child = spawn_piped(bin().args(["--jsonl", "--threads", "2"]));
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let wait = std::time::Duration::from_secs(60);
    for id in ["first", "second"] {
        let record = serde_json::json!({"id": id, "text": ARTICLE});
        writeln!(stdin, "{record}").unwrap();
        stdin.flush().unwrap();
        // The input stays open: the document must be written without waiting for more.
        let line = rx.recv_timeout(wait);
        if line.is_err() {
            let _ = child.kill();
        }
        let doc: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        assert_eq!(doc["id"], id);
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    reader.join().unwrap();
    assert_exit(&out, 0);
}

#[test]
fn more_records_than_are_kept_in_flight_stay_in_order() {
    let mut input = String::new();
    for i in 0..700 {
        let text = if i % 97 == 0 {
            serde_json::json!({"id": i, "txt": "no text field"})
        } else {
            let article = format!("Britain sanctioned Rosneft {i} times. Russia denied it.");
            serde_json::json!({"id": i, "text": article})
        };
        input.push_str(&format!("{text}\n"));
    }
    let one = run(bin().args(["--jsonl", "--threads", "1"]), input.as_bytes());
    let three = run(bin().args(["--jsonl", "--threads", "3"]), input.as_bytes());
    assert_exit(&one, 1);
    assert_eq!(one.stdout, three.stdout);
    let ids: Vec<i64> = lines(&one)
        .iter()
        .map(|d| d["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, (0..700).collect::<Vec<_>>());
}

/// A reader that takes the output slowly keeps the worker that is writing waiting on a full
/// pipe while the others hand in their documents: every document must still come out, once and
/// in order.
#[test]
fn a_slow_reader_loses_and_reorders_nothing() {
    let mut input = String::new();
    for i in 0..1500 {
        let article = format!("France accused Kestrel Group of fraud in case {i}. It denied it.");
        input.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": i, "text": article})
        ));
    }
    let one = run(bin().args(["--jsonl", "--threads", "1"]), input.as_bytes());
    let mut child = spawn_piped(bin().args(["--jsonl", "--threads", "4"]));
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let mut stdout = child.stdout.take().unwrap();
    let mut slow = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stdout.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        slow.extend_from_slice(&chunk[..n]);
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    feeder.join().unwrap();
    assert!(child.wait().unwrap().success());
    assert_exit(&one, 0);
    assert_eq!(slow, one.stdout);
}
