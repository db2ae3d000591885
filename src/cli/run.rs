//! Runs a batch: the calling thread reads jobs and hands them out in order, worker threads
//! extract whole documents, and a worker that finishes one writes every document whose turn has
//! come, unless another is writing: then it hands its document to that one and goes on.
//!
//! - No thread waits on a window of documents: a slow document holds back only the writing of
//!   those after it, and at most `IN_FLIGHT` documents and `BYTES_IN_FLIGHT` bytes of input are
//!   read and not yet written (a larger document runs alone), so memory is bounded by that, not
//!   by the batch.
//! - No worker waits for another's writing: the writer is only ever tried, and the one holding
//!   it looks for newly handed-in documents before letting go.
//! - Output is flushed whenever every document read so far is written, so a record streamed in
//!   on its own comes out without waiting for more input.
//! - Output bytes do not depend on the thread count: documents are written in input order.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Condvar, Mutex, MutexGuard, TryLockError};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use extract::model::{to_json_line, to_json_pretty, ErrorDocument, SCHEMA};
use extract::Extractor;

use super::input::{load, Job, ReadOptions};

/// Most documents read and not yet written: queued, being extracted, or extracted and waiting
/// for an earlier one to be written.
const IN_FLIGHT: usize = 256;

/// A reader waiting for room is woken once this many documents can be read again, not for
/// every document written.
const REFILL: usize = 32;

/// Most bytes of input read and not yet written (as the inputs give their sizes: a record's
/// line, a file's length). A document is always let in when none is in flight, so one larger
/// than this still runs, alone. Without it 256 articles of a megabyte each would be held at
/// once.
const BYTES_IN_FLIGHT: u64 = 16 << 20;

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

/// One extracted (or failed) input, ready to write.
struct Output {
    id: String,
    json: String,
    failed: Option<String>,
    /// Bytes of text read, for the progress bar.
    bytes: u64,
    /// The input's size as counted against [`BYTES_IN_FLIGHT`] when it was handed out.
    reserved: u64,
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
    let batch = Batch::new(Writer::new(sink, &progress));
    let (job_tx, job_rx) = mpsc::channel::<(usize, u64, Job)>();
    let job_rx = Mutex::new(job_rx);
    rayon::in_place_scope(|workers| {
        for _ in 0..rayon::current_num_threads() {
            let (batch, job_rx) = (&batch, &job_rx);
            workers.spawn(move |_| work(ex, job_rx, batch, opts, sink));
        }
        batch.hand_out(jobs, job_tx);
    });
    let finished = batch.finish();
    progress.finish_and_clear();
    finished
}

/// A worker: takes the next job, extracts it and hands the result to the batch, until the
/// jobs run out or the batch stops.
fn work(
    ex: &Extractor,
    jobs: &Mutex<Receiver<(usize, u64, Job)>>,
    batch: &Batch<'_>,
    opts: ReadOptions,
    sink: &Sink,
) {
    while !batch.stop.load(Ordering::Relaxed) {
        // A poisoned lock only means another worker panicked while waiting; the queue is fine.
        let next = locked(jobs).recv();
        let Ok((seq, reserved, job)) = next else {
            return;
        };
        // Every sequence number must come back, or the documents after it would never be
        // written.
        let mut output =
            std::panic::catch_unwind(AssertUnwindSafe(|| process(ex, job, opts, sink)))
                .unwrap_or_else(|_| {
                    let id = format!("input {}", seq + 1);
                    failed(id, None, INTERNAL_ERROR.to_string(), pretty(sink))
                });
        output.reserved = reserved;
        batch.done(seq, output);
    }
}

/// What the reader and the workers share.
struct Batch<'a> {
    /// The writer and the results waiting for their turn. Workers only ever try this lock: a
    /// worker that finds it taken leaves its result in `arrived` for the holder to write.
    state: Mutex<Ordered<'a>>,
    /// Results handed in and not yet taken into `state`.
    arrived: Mutex<Vec<(usize, Output)>>,
    /// Held by a reader checking for room and by whoever wakes it.
    room_lock: Mutex<()>,
    /// Signalled when a waiting reader may read again.
    room: Condvar,
    /// Set by a reader about to wait for room.
    reader_waits: AtomicBool,
    /// Documents handed out so far.
    read: AtomicUsize,
    /// Documents written so far (the next sequence number to write).
    written: AtomicUsize,
    /// Bytes of the documents read and not yet written, as reserved when handed out.
    bytes: AtomicU64,
    /// Set when the output is closed or fails: workers and reader stop.
    stop: AtomicBool,
}

/// Results waiting for their turn, and the writer they go to.
struct Ordered<'a> {
    writer: Writer<'a>,
    waiting: BTreeMap<usize, Output>,
    /// An empty vector to swap with `arrived`, so that taking results allocates nothing.
    spare: Vec<(usize, Output)>,
    /// How the output ended early, if it did.
    ended: Option<anyhow::Result<Status>>,
}

/// Takes a lock; a poisoned one is still whole (nothing panics midway through an update).
fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<'a> Batch<'a> {
    fn new(writer: Writer<'a>) -> Self {
        Batch {
            state: Mutex::new(Ordered {
                writer,
                waiting: BTreeMap::new(),
                spare: Vec::new(),
                ended: None,
            }),
            arrived: Mutex::new(Vec::new()),
            room_lock: Mutex::new(()),
            room: Condvar::new(),
            reader_waits: AtomicBool::new(false),
            read: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        }
    }

    /// Reads jobs and sends them to the workers with their sequence numbers and sizes, never
    /// more than `IN_FLIGHT` documents or `BYTES_IN_FLIGHT` bytes ahead of the writing.
    /// Dropping `jobs_out` at the end lets the workers finish.
    fn hand_out(&self, jobs: impl Iterator<Item = Job>, jobs_out: Sender<(usize, u64, Job)>) {
        for (seq, job) in jobs.enumerate() {
            if !self.has_room(seq) {
                let mut guard = locked(&self.room_lock);
                // Announced before the check: a writer that moves `written` after the check
                // sees the announcement and wakes the reader (both sequentially consistent).
                self.reader_waits.store(true, Ordering::SeqCst);
                while !self.has_room(seq) && !self.stop.load(Ordering::SeqCst) {
                    guard = self.room.wait(guard).unwrap_or_else(|e| e.into_inner());
                    self.reader_waits.store(true, Ordering::SeqCst);
                }
                self.reader_waits.store(false, Ordering::SeqCst);
            }
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let size = job.size();
            // Counted before it is sent, so that a worker never takes the output as complete
            // while this document is on its way.
            self.bytes.fetch_add(size, Ordering::SeqCst);
            self.read.store(seq + 1, Ordering::SeqCst);
            if jobs_out.send((seq, size, job)).is_err() {
                return;
            }
        }
    }

    /// Whether document `seq` (the next to read) may be read now: fewer than `IN_FLIGHT`
    /// documents and `BYTES_IN_FLIGHT` bytes are in flight, or none at all.
    fn has_room(&self, seq: usize) -> bool {
        let in_flight = seq - self.written.load(Ordering::SeqCst);
        in_flight == 0
            || (in_flight < IN_FLIGHT && self.bytes.load(Ordering::SeqCst) < BYTES_IN_FLIGHT)
    }

    /// Hands in a worker's result. If no one is writing, writes every result whose turn has
    /// come; otherwise leaves it to the one writing, who looks again before letting go. A
    /// worker never waits for another's writing.
    fn done(&self, seq: usize, output: Output) {
        locked(&self.arrived).push((seq, output));
        loop {
            let mut state = match self.state.try_lock() {
                Ok(state) => state,
                Err(TryLockError::Poisoned(e)) => e.into_inner(),
                Err(TryLockError::WouldBlock) => return,
            };
            if !self.write_ready(&mut state) {
                return;
            }
            drop(state);
            // A result handed in while this thread held the lock, by a worker that found it
            // taken, is this thread's to write.
            if locked(&self.arrived).is_empty() {
                return;
            }
        }
    }

    /// Takes the results handed in and writes every one whose turn has come; false when the
    /// output has ended.
    fn write_ready(&self, state: &mut Ordered<'a>) -> bool {
        let mut taken = std::mem::take(&mut state.spare);
        std::mem::swap(&mut taken, &mut *locked(&self.arrived));
        for (seq, output) in taken.drain(..) {
            state.waiting.insert(seq, output);
        }
        state.spare = taken;
        let mut next = self.written.load(Ordering::SeqCst);
        while let Some(output) = state.waiting.remove(&next) {
            next += 1;
            self.bytes.fetch_sub(output.reserved, Ordering::SeqCst);
            self.written.store(next, Ordering::SeqCst);
            let written = state.writer.write(output);
            if self.ended(state, written) {
                return false;
            }
        }
        // Everything read so far is written: the reader is waiting for input, so the output
        // must not wait in the buffer.
        if next == self.read.load(Ordering::SeqCst) {
            let flushed = state.writer.flush();
            if self.ended(state, flushed) {
                return false;
            }
        }
        // Woken once a batch of documents can be read (or the last one in flight is written),
        // not for every document written.
        let read = self.read.load(Ordering::SeqCst);
        if self.reader_waits.load(Ordering::SeqCst)
            && (read == next
                || (read - next <= IN_FLIGHT - REFILL
                    && self.bytes.load(Ordering::SeqCst) < BYTES_IN_FLIGHT))
        {
            let _guard = locked(&self.room_lock);
            self.room.notify_one();
        }
        true
    }

    /// Records an early end of the output (closed or failed) and stops everyone; true if so.
    fn ended(&self, state: &mut Ordered<'a>, outcome: anyhow::Result<Option<Status>>) -> bool {
        let end = match outcome {
            Ok(None) => return false,
            Ok(Some(status)) => Ok(status),
            Err(e) => Err(e),
        };
        state.ended.get_or_insert(end);
        self.stop.store(true, Ordering::SeqCst);
        let _guard = locked(&self.room_lock);
        self.room.notify_one();
        true
    }

    /// After the workers are done: the final flush and how the batch went.
    fn finish(&self) -> anyhow::Result<Status> {
        let mut state = locked(&self.state);
        // Every result was taken by the worker that handed it in or by the one writing then;
        // this only makes sure that none can be left behind.
        self.write_ready(&mut state);
        if let Some(end) = state.ended.take() {
            return end;
        }
        match state.writer.flush()? {
            Some(closed) => Ok(closed),
            None => Ok(state.writer.status),
        }
    }
}

/// Writes results to standard output or to files.
struct Writer<'a> {
    sink: &'a Sink,
    out: io::BufWriter<io::Stdout>,
    progress: &'a ProgressBar,
    /// Whether the bar is drawn: a hidden one (`--quiet`, or stderr not a terminal) would
    /// still take its lock and format its message for every document.
    shows_progress: bool,
    status: Status,
    docs: u64,
    written_paths: HashSet<PathBuf>,
}

impl<'a> Writer<'a> {
    fn new(sink: &'a Sink, progress: &'a ProgressBar) -> Self {
        Writer {
            sink,
            out: io::BufWriter::with_capacity(1 << 16, io::stdout()),
            progress,
            shows_progress: !progress.is_hidden(),
            status: Status::Success,
            docs: 0,
            written_paths: HashSet::new(),
        }
    }

    /// Writes one result; `Some(Status::Closed)` when standard output was closed.
    fn write(&mut self, o: Output) -> anyhow::Result<Option<Status>> {
        self.docs += 1;
        if self.shows_progress {
            self.progress.inc(o.bytes);
            self.progress
                .set_message(format!("{} documents", self.docs));
        }
        if let Some(e) = &o.failed {
            self.status = Status::Failure;
            self.progress
                .suspend(|| eprintln!("extract: {}: {e}", o.id));
        }
        let written = match self.sink {
            Sink::Stdout { .. } => self
                .out
                .write_all(o.json.as_bytes())
                .and_then(|_| self.out.write_all(b"\n")),
            Sink::Dir(dir) => {
                // Two inputs that map to one file (a repeated id, or ids that differ only in
                // what is dropped for safety) must not overwrite each other silently.
                let path = out_path(dir, &o.id);
                if self.written_paths.insert(path.clone()) {
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
        match (written, self.sink) {
            (Ok(()), _) => Ok(None),
            (Err(e), _) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Some(Status::Closed)),
            (Err(e), Sink::Stdout { .. }) => {
                Err(anyhow::Error::new(e).context("writing to standard output"))
            }
            (Err(e), Sink::Dir(dir)) => {
                self.status = Status::Failure;
                self.progress.suspend(|| {
                    eprintln!("extract: {}: writing under {}: {e}", o.id, dir.display())
                });
                Ok(None)
            }
        }
    }

    /// Flushes standard output; `Some(Status::Closed)` when it was closed.
    fn flush(&mut self) -> anyhow::Result<Option<Status>> {
        match self.out.flush() {
            Ok(()) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Some(Status::Closed)),
            Err(e) => Err(anyhow::Error::new(e).context("writing to standard output")),
        }
    }
}

/// What an input's error record says when our own code failed on it.
const INTERNAL_ERROR: &str = "internal error while extracting (please report it with this input)";

/// Loads, extracts and serializes one input.
fn process(ex: &Extractor, job: Job, opts: ReadOptions, sink: &Sink) -> Output {
    let loaded = load(job, opts);
    let pretty = pretty(sink);
    let text = match loaded.text {
        Ok(text) => text,
        Err(error) => return failed(loaded.id, loaded.meta, error, pretty),
    };
    // A bug in extraction must not take the batch down: it becomes this input's error record.
    match std::panic::catch_unwind(|| ex.extract(&loaded.id, &text)) {
        Ok(mut doc) => {
            doc.meta = loaded.meta;
            let json = if pretty {
                to_json_pretty(&doc)
            } else {
                doc.json_line()
            };
            Output {
                id: loaded.id,
                json,
                failed: None,
                bytes: text.len() as u64,
                reserved: 0,
            }
        }
        Err(_) => failed(loaded.id, loaded.meta, INTERNAL_ERROR.to_string(), pretty),
    }
}

/// An input's error record.
fn failed(
    id: String,
    meta: Option<serde_json::Map<String, serde_json::Value>>,
    error: String,
    pretty: bool,
) -> Output {
    let doc = ErrorDocument {
        schema: SCHEMA.to_string(),
        id,
        meta,
        error,
    };
    Output {
        json: serialize(&doc, pretty),
        id: doc.id,
        failed: Some(doc.error),
        bytes: 0,
        reserved: 0,
    }
}

/// Whether documents are written indented: one document on stdout, or files.
fn pretty(sink: &Sink) -> bool {
    matches!(sink, Sink::Stdout { pretty: true } | Sink::Dir(_))
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
    fn room_is_bounded_by_documents_and_bytes_but_one_always_goes() {
        let sink = Sink::Stdout { pretty: false };
        let progress = ProgressBar::hidden();
        let batch = Batch::new(Writer::new(&sink, &progress));
        // Nothing in flight: even an input over the byte bound goes.
        batch.bytes.store(BYTES_IN_FLIGHT * 3, Ordering::SeqCst);
        assert!(batch.has_room(0));
        // One document in flight holding the byte bound: wait.
        batch.bytes.store(BYTES_IN_FLIGHT, Ordering::SeqCst);
        assert!(!batch.has_room(1));
        batch.bytes.store(BYTES_IN_FLIGHT - 1, Ordering::SeqCst);
        assert!(batch.has_room(1));
        // Small documents: bounded by their number.
        batch.bytes.store(1000, Ordering::SeqCst);
        assert!(batch.has_room(IN_FLIGHT - 1));
        assert!(!batch.has_room(IN_FLIGHT));
        batch.written.store(5, Ordering::SeqCst);
        assert!(batch.has_room(IN_FLIGHT + 4));
        assert!(!batch.has_room(IN_FLIGHT + 5));
    }

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
