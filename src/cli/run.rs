//! Runs a batch: reads jobs in bounded windows, extracts each window in parallel, and writes
//! the results in input order, one whole document per write.
//!
//! Memory is bounded by the window (`WINDOW` documents in flight), not by the batch; output
//! bytes do not depend on the thread count because results are collected in input order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use extract::model::{to_json_line, to_json_pretty, ErrorDocument, SCHEMA};
use extract::Extractor;

use super::input::{load, Job, ReadOptions};

/// Documents read and extracted per window.
const WINDOW: usize = 256;

/// How results are written.
pub enum Sink {
    /// To stdout: one pretty (or compact) document, or JSON Lines.
    Stdout { pretty: bool },
    /// One file per document under a directory.
    Dir(PathBuf),
}

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every input processed.
    Success,
    /// At least one input produced an error record.
    Failure,
    /// Standard output was closed by the reader: stop quietly.
    Closed,
}

struct Output {
    id: String,
    json: String,
    failed: Option<String>,
}

/// Runs `jobs` through `ex` and writes them to `sink`.
pub fn run(
    ex: &Extractor,
    jobs: impl Iterator<Item = Job>,
    sink: &Sink,
    opts: ReadOptions,
    total_bytes: Option<u64>,
    quiet: bool,
) -> anyhow::Result<Status> {
    let progress = progress_bar(total_bytes, quiet);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut status = Status::Success;
    let mut jobs = jobs.peekable();
    let mut docs = 0u64;
    let mut written_paths: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    while jobs.peek().is_some() {
        let window: Vec<Job> = jobs.by_ref().take(WINDOW).collect();
        let results: Vec<(Output, u64)> = window
            .into_par_iter()
            .map(|job| process(ex, job, opts, sink))
            .collect();
        for (o, bytes) in results {
            docs += 1;
            progress.inc(bytes);
            progress.set_message(format!("{docs} documents"));
            if let Some(e) = &o.failed {
                status = Status::Failure;
                progress.suspend(|| eprintln!("extract: {}: {e}", o.id));
            }
            let written = match sink {
                Sink::Stdout { .. } => out
                    .write_all(o.json.as_bytes())
                    .and_then(|_| out.write_all(b"\n")),
                Sink::Dir(dir) => {
                    // Two inputs that map to one file (a repeated id, or ids that differ only
                    // in what is dropped for safety) must not overwrite each other silently.
                    let path = out_path(dir, &o.id);
                    if written_paths.insert(path.clone()) {
                        write_file(&path, &o.json)
                    } else {
                        Err(io::Error::new(
                            io::ErrorKind::AlreadyExists,
                            format!(
                                "{} was already written in this run; not overwritten",
                                path.display()
                            ),
                        ))
                    }
                }
            };
            if let Err(e) = written {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(Status::Closed);
                }
                match sink {
                    Sink::Stdout { .. } => {
                        return Err(anyhow::Error::new(e).context("writing to standard output"))
                    }
                    Sink::Dir(dir) => {
                        status = Status::Failure;
                        progress.suspend(|| {
                            eprintln!("extract: {}: writing under {}: {e}", o.id, dir.display())
                        });
                    }
                }
            }
        }
        if let Err(e) = out.flush() {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(Status::Closed);
            }
            return Err(anyhow::Error::new(e).context("writing to standard output"));
        }
    }
    progress.finish_and_clear();
    Ok(status)
}

fn process(ex: &Extractor, job: Job, opts: ReadOptions, sink: &Sink) -> (Output, u64) {
    let loaded = load(job, opts);
    let pretty = matches!(sink, Sink::Stdout { pretty: true }) || matches!(sink, Sink::Dir(_));
    // A bug in extraction must not take the batch down: it becomes this input's error record.
    let extracted = loaded.text.and_then(|text| {
        let bytes = text.len() as u64;
        std::panic::catch_unwind(|| ex.extract(&loaded.id, &text))
            .map(|doc| (doc, bytes))
            .map_err(|_| {
                "internal error while extracting (please report it with this input)".to_string()
            })
    });
    let (json, failed, bytes) = match extracted {
        Ok((mut doc, bytes)) => {
            doc.meta = loaded.meta;
            let json = if pretty {
                to_json_pretty(&doc)
            } else {
                doc.json_line()
            };
            (json, None, bytes)
        }
        Err(error) => {
            let doc = ErrorDocument {
                schema: SCHEMA.to_string(),
                id: loaded.id.clone(),
                meta: loaded.meta,
                error: error.clone(),
            };
            (serialize(&doc, pretty), Some(error), 0)
        }
    };
    (
        Output {
            id: loaded.id,
            json,
            failed,
        },
        bytes,
    )
}

/// A document (or error record) as pretty JSON or on one line.
fn serialize<T: serde::Serialize>(doc: &T, pretty: bool) -> String {
    if pretty {
        to_json_pretty(doc)
    } else {
        to_json_line(doc)
    }
}

fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{bar:30} {bytes}/{total_bytes} {msg} {bytes_per_sec} ETA {eta}"
    } else {
        "{spinner} {bytes} {msg} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// The path under `dir` for a document id: the id's relative path with its extension
/// replaced by `.json`. Parent (`..`), root and drive components are dropped, so the result
/// is always inside `dir`.
pub fn out_path(dir: &Path, id: &str) -> PathBuf {
    if id == "-" {
        return dir.join("stdin.json");
    }
    let parts: Vec<&str> = id
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != ".." && !p.ends_with(':'))
        .collect();
    let mut rel = PathBuf::new();
    for p in &parts {
        let clean: String = p
            .chars()
            .map(|c| if c.is_control() { '_' } else { c })
            .collect();
        rel.push(clean);
    }
    if parts.is_empty() {
        rel.push("_");
    }
    // The whole id plus ".json": distinct ids give distinct files ("a.txt" and "a.md").
    let mut name = rel.into_os_string();
    name.push(".json");
    dir.join(name)
}

/// Writes a document whole: to a temporary file, then renamed into place.
fn write_file(path: &Path, json: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("json.part");
    let result = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(json.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_data()
    });
    match result {
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_paths_stay_inside() {
        let d = Path::new("/out");
        assert_eq!(out_path(d, "a/b.txt"), Path::new("/out/a/b.txt.json"));
        assert_eq!(out_path(d, "a/b.md"), Path::new("/out/a/b.md.json"));
        assert_eq!(
            out_path(d, "../../etc/passwd"),
            Path::new("/out/etc/passwd.json")
        );
        assert_eq!(out_path(d, "/abs/x.txt"), Path::new("/out/abs/x.txt.json"));
        assert_eq!(out_path(d, "C:\\x\\y.txt"), Path::new("/out/x/y.txt.json"));
        assert_eq!(out_path(d, "-"), Path::new("/out/stdin.json"));
        assert_eq!(out_path(d, ".."), Path::new("/out/_.json"));
        assert_eq!(out_path(d, "rec-7"), Path::new("/out/rec-7.json"));
    }
}
