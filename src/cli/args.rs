//! Command-line flags (clap), resolved into a [`Config`] before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Default for `--max-bytes`: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Reads news articles and prints JSON about sanctions, attributions, accusations,
/// affiliations and denials (output contract extract/1).
#[derive(Debug, Parser)]
#[command(
    name = "extract",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  extract < article.txt                      one pretty JSON document (id \"-\")
  extract article.txt                        the same for a file
  extract --compact article.txt | jq .       one line
  extract corpus/ more/                      JSON Lines, one document per file, sorted
  extract a.txt b.txt > out.jsonl            JSON Lines in argument order
  extract --jsonl < records.jsonl            {\"id\",\"text\"} records in, one document per record out
  extract --out-dir out/ corpus/             out/<path>.json per input instead of stdout
  extract --glob '**/*.story' corpus/        choose which files a directory walk takes
  extract check fixtures/ [--bless]          compare X.txt against golden X.json

Exit status: 0 all inputs processed, 1 some input failed (an error record was written),
2 usage or fatal error. Diagnostics go to stderr, prefixed \"extract:\"."
)]
pub struct Args {
    /// Files or directories to read; none, or `-`, reads standard input. A directory is walked
    /// recursively (sorted, hidden files skipped); several inputs or a directory print JSON
    /// Lines.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print a single document on one line instead of pretty JSON.
    /// Example: `extract --compact a.txt`
    #[arg(long)]
    pub compact: bool,

    /// Read JSON Lines records `{"id": ..., "text": ...}` (from the files given, or stdin) and
    /// print one document per record, in order; other fields go under `meta`.
    /// Example: `extract --jsonl < records.jsonl`
    #[arg(long)]
    pub jsonl: bool,

    /// Worker threads (default: one per core, or RAYON_NUM_THREADS). Output is identical for
    /// any value. Example: `extract --threads 2 corpus/`
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// A directory of extra gazetteer .tsv files (format in gazetteers/README.md), loaded after
    /// the built-in lists; a line with the same surface and type replaces a built-in one.
    /// Repeatable. Example: `extract --gazetteers my-lists/ a.txt`
    #[arg(long, value_name = "DIR")]
    pub gazetteers: Vec<PathBuf>,

    /// Which files a directory walk takes: a glob over the path relative to the directory
    /// (repeatable; default: *.txt, *.text, *.md, *.story and files with no extension).
    /// Example: `extract --glob '**/*.html' site/`
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,

    /// Write one `.json` per input under DIR, mirroring the input tree (`a/b.txt` becomes
    /// `DIR/a/b.txt.json`), instead of printing. Example: `extract --out-dir out/ corpus/`
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Refuse inputs larger than N bytes with an error record (default 67108864, 64 MiB).
    /// Example: `extract --max-bytes 1000000 corpus/`
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,

    /// Replace invalid UTF-8 with U+FFFD and process the text (offsets count in the decoded
    /// text) instead of reporting an error. Example: `extract --lossy scraped.txt`
    #[arg(long)]
    pub lossy: bool,

    /// No progress bar (it is only drawn when stderr is a terminal anyway).
    /// Example: `extract --quiet corpus/`
    #[arg(long, short)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every X.txt under DIR and compare with X.json (and X.must expectations); print the
    /// differences; exit 1 on any. Example: `extract check fixtures/`
    Check {
        /// The directory of golden cases.
        dir: PathBuf,
        /// Rewrite X.json files that differ (broken offsets or unmet X.must lines still fail).
        #[arg(long)]
        bless: bool,
        /// Only cases whose path contains this text.
        #[arg(long, value_name = "TEXT")]
        only: Option<String>,
        /// A directory of extra gazetteer files, as for extraction.
        #[arg(long, value_name = "DIR")]
        gazetteers: Vec<PathBuf>,
    },
}
