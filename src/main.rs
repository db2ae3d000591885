//! The `extract` binary: parses flags, builds the extractor, runs the inputs, and maps the
//! outcome to an exit status (0 success, 1 some input failed, 2 usage or fatal error).

mod cli;

/// mimalloc: the batch path allocates many small, short-lived vectors per document, and
/// mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::args::{Args, Command};
use cli::input::{walk, FileFilter, Job, ReadOptions, Records};
use cli::run::{run, Sink, Status};
use extract::check::{check_dir, Outcome};
use extract::Extractor;

fn main() -> ExitCode {
    // Panics are caught per document (see cli::run); keep the report to one line.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("extract: internal error{}", at.unwrap_or_default());
    }));
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match real_main(args) {
        Ok(Status::Success) | Ok(Status::Closed) => ExitCode::SUCCESS,
        Ok(Status::Failure) => ExitCode::from(1),
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("extract: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Builds the extractor. It lives until the process exits, so it is never dropped: freeing
/// its tables would only add to the run time of every short run.
fn build(gazetteers: &[PathBuf]) -> anyhow::Result<&'static Extractor> {
    let mut b = Extractor::builder();
    for d in gazetteers {
        b = b.gazetteer_dir(d);
    }
    let ex = b.build().context("loading gazetteers and rules")?;
    Ok(Box::leak(Box::new(ex)))
}

/// A buffered reader for a JSON Lines stream. The buffer is larger than the standard 8 KB: a
/// corpus of records is read in an eighth of the system calls.
fn records_reader<R: io::Read>(r: R) -> BufReader<R> {
    BufReader::with_capacity(64 * 1024, r)
}

fn real_main(args: Args) -> anyhow::Result<Status> {
    if let Some(Command::Check {
        dir,
        bless,
        only,
        gazetteers,
    }) = &args.command
    {
        let ex = build(gazetteers)?;
        return check(ex, dir, *bless, only.as_deref());
    }
    if let Some(n) = args.threads {
        if n == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting worker threads")?;
    }
    let filter = FileFilter::new(&args.glob)?;
    let ex = build(&args.gazetteers)?;
    let opts = ReadOptions {
        max_bytes: args.max_bytes,
        lossy: args.lossy,
    };
    let stdin_only =
        args.paths.is_empty() || (args.paths.len() == 1 && args.paths[0].as_os_str() == "-");

    if args.jsonl {
        let sink = sink(&args, false)?;
        if stdin_only {
            let jobs = Records::new(records_reader(io::stdin().lock()));
            return run(ex, jobs, &sink, opts, None, args.quiet);
        }
        let mut status = Status::Success;
        for p in &args.paths {
            let jobs: Box<dyn Iterator<Item = Job>> = if p.as_os_str() == "-" {
                Box::new(Records::new(records_reader(io::stdin().lock())))
            } else {
                match std::fs::File::open(p) {
                    Ok(f) => Box::new(Records::new(records_reader(f))),
                    Err(e) => Box::new(std::iter::once(Job::Failed {
                        id: p.display().to_string(),
                        error: e.to_string(),
                    })),
                }
            };
            let total = std::fs::metadata(p).ok().map(|m| m.len());
            match run(ex, jobs, &sink, opts, total, args.quiet)? {
                Status::Closed => return Ok(Status::Closed),
                Status::Failure => status = Status::Failure,
                Status::Success => {}
            }
        }
        return Ok(status);
    }

    if stdin_only {
        let sink = sink(&args, !args.compact)?;
        return run(
            ex,
            std::iter::once(Job::Stdin),
            &sink,
            opts,
            None,
            args.quiet,
        );
    }
    let single_file = args.paths.len() == 1 && !args.paths[0].is_dir();
    let mut jobs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            jobs.push(Job::Stdin);
        } else if p.is_dir() {
            jobs.extend(walk(p, &filter));
        } else {
            jobs.push(Job::File {
                path: p.clone(),
                id: p.display().to_string(),
            });
        }
    }
    let total: u64 = jobs.iter().map(Job::size).sum();
    let sink = sink(&args, single_file && !args.compact)?;
    run(ex, jobs.into_iter(), &sink, opts, Some(total), args.quiet)
}

fn sink(args: &Args, pretty: bool) -> anyhow::Result<Sink> {
    Ok(match &args.out_dir {
        Some(d) => {
            std::fs::create_dir_all(d)
                .with_context(|| format!("creating --out-dir {}", d.display()))?;
            Sink::Dir(d.clone())
        }
        None => Sink::Stdout { pretty },
    })
}

fn check(
    ex: &Extractor,
    dir: &std::path::Path,
    bless: bool,
    only: Option<&str>,
) -> anyhow::Result<Status> {
    let reports =
        check_dir(ex, dir, bless, only).with_context(|| format!("checking {}", dir.display()))?;
    let mut out = io::stdout().lock();
    let (mut pass, mut blessed, mut failed) = (0, 0, 0);
    let color = io::stdout().is_terminal();
    for r in &reports {
        match &r.outcome {
            Outcome::Pass => pass += 1,
            Outcome::Blessed => {
                blessed += 1;
                writeln!(out, "blessed {}", r.id)?;
            }
            Outcome::Fail(msg) => {
                failed += 1;
                let head = if color {
                    format!("\x1b[1mFAIL {}\x1b[0m", r.id)
                } else {
                    format!("FAIL {}", r.id)
                };
                writeln!(out, "{head}\n{msg}")?;
            }
        }
    }
    writeln!(
        out,
        "{pass} passed, {failed} failed{}",
        if blessed > 0 {
            format!(", {blessed} blessed")
        } else {
            String::new()
        }
    )?;
    if reports.is_empty() {
        anyhow::bail!("no .txt cases under {}", dir.display());
    }
    Ok(if failed > 0 {
        Status::Failure
    } else {
        Status::Success
    })
}
