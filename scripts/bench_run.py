#!/usr/bin/env python3
"""Time a whole `extract --jsonl` run over real news text: throughput, speed-up and peak memory.

The corpus is built from the Reuters-21578 and BBC News JSON Lines files of the data folder
(records {id, text}; other fields dropped) into a work folder under /tmp, never into the
repository. `extract --jsonl --quiet --threads N CORPUS` is then run with 1 and 2 threads;
its output goes to a file (as in `extract --jsonl corpus.jsonl > out.jsonl`) whose lines are
counted afterwards (they must equal the number of records). A process reading a pipe instead
would take its share of the two cores from the workers. The runs of 1 and 2 threads take turns (1, 2, 1, 2, ...), so that a slow minute on a
shared machine falls on both alike. For each thread count the script reports the median wall
time of --runs runs, MB/s (10^6 bytes of UTF-8 text per second of wall time, start-up included), documents/s,
MB/s per core (MB/s divided by the thread count), CPU time (user + system), MB per CPU second
(less sensitive than wall time to other load on a shared machine) and peak RSS, plus the
2-thread / 1-thread speed-up (the median over turns of the 1-thread wall time / the 2-thread
wall time of the same turn) and the start-up cost (a run over an empty input). Check with
`uptime` that the machine is otherwise idle: on a busy machine the speed-up means little.

Peak RSS comes from GNU time (`/usr/bin/time -v`) when present, else from
getrusage(RUSAGE_CHILDREN).ru_maxrss in a fresh Python process that runs extract.

Options
  --repeat-corpus K  the corpus K times over (ids suffixed "~2", "~3", ...) to show that peak
                     memory stays bounded as the input grows; a 1x run is added for comparison.
  --spacy            also run shared/peers/bench_spacy_pipeline.py (en_core_web_sm, full
                     pipeline, 1 process) on a sample (--spacy-sample, default 0.05, ~1 MB) of
                     the same corpus and print extract MB/s per core / spaCy MB/s per core.
                     spaCy's rate excludes model loading and reading; extract's includes
                     start-up and I/O, so the ratio is on the conservative side.
  --linearity        time one ~10 MB record (the corpus texts joined into one) against ~1000
                     records holding exactly the same text, with 1 thread, and print both
                     times and their ratio (near 1 means run time is linear in input size),
                     the two taking turns and the ratio taken turn by turn as for threads.

Examples
  python3 scripts/bench_run.py
  python3 scripts/bench_run.py --spacy --linearity
  python3 scripts/bench_run.py --repeat-corpus 4 --runs 1
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalutil  # noqa: E402

SOURCES = ["news-reuters21578/reuters21578.jsonl", "news-bbc/bbc_fulltext.jsonl"]
GNU_TIME = "/usr/bin/time"

RUSAGE_WRAPPER = r"""
import json, resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump({"maxrss_kb": u.ru_maxrss, "user_s": u.ru_utime, "sys_s": u.ru_stime}, f)
sys.exit(rc)
"""


def have_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    p = subprocess.run([GNU_TIME, "-v", "true"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return p.returncode == 0 and b"Maximum resident set size" in p.stderr


def load_records(data):
    recs = []
    for rel in SOURCES:
        with open(data / rel, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    o = json.loads(line)
                    recs.append({"id": str(o["id"]), "text": o["text"]})
    return recs


def write_jsonl(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def text_bytes(recs):
    return sum(len(r["text"].encode("utf-8")) for r in recs)


def run_once(extract, args, corpus, use_gnu_time):
    """One run; returns dict(wall_s, lines, rc, maxrss_kb, user_s, sys_s, stderr).

    The output goes to a file beside the corpus, and its lines are counted after the clock
    stops: a process reading a pipe would take its share of the machine's two cores from the
    workers, and the figure would measure that reader as well."""
    out_path = corpus + ".out"
    with tempfile.NamedTemporaryFile("r", suffix=".rusage", delete=False) as tf, \
            tempfile.TemporaryFile() as errf, open(out_path, "wb") as outf:
        cmd = [extract, *args, corpus]
        if use_gnu_time:
            cmd = [GNU_TIME, "-v", "-o", tf.name] + cmd
        else:
            cmd = [sys.executable, "-c", RUSAGE_WRAPPER, tf.name] + cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=outf, stderr=errf, stdin=subprocess.DEVNULL)
        rc = p.wait()
        wall = time.perf_counter() - t0
        errf.seek(0)
        stderr = errf.read().decode("utf-8", "replace")
        info = tf.read()
    lines, last = 0, b"\n"
    with open(out_path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    os.unlink(out_path)
    os.unlink(tf.name)
    res = {"wall_s": wall, "lines": lines, "rc": rc, "stderr": stderr}
    if use_gnu_time:
        def grab(label, conv=float):
            m = re.search(re.escape(label) + r":\s*([0-9.]+)", info)
            return conv(m.group(1)) if m else None
        res.update(maxrss_kb=grab("Maximum resident set size (kbytes)", int),
                   user_s=grab("User time (seconds)"), sys_s=grab("System time (seconds)"))
    else:
        try:
            res.update(json.loads(info))
        except ValueError:
            res.update(maxrss_kb=None, user_s=None, sys_s=None)
    return res


class Spec:
    """One command to time: a corpus, a thread count and how to label the result."""

    def __init__(self, corpus, threads, n_docs, nbytes, label):
        self.corpus, self.threads, self.n_docs, self.nbytes, self.label = (
            corpus, threads, n_docs, nbytes, label)


def args_of(spec, extra):
    """The command-line arguments that time `spec`."""
    return ["--jsonl", "--quiet", "--threads", str(spec.threads), *extra]


def measure(extract, specs, runs, use_gnu_time, extra=()):
    """Times every spec `runs` times, taking turns (1, 2, 1, 2, ...), so that a slow minute
    on a shared machine falls on all of them alike; returns one result per spec, in order,
    each with the wall time of every turn (`wall_s_all`) for ratios taken turn by turn."""
    all_runs = [[] for _ in specs]
    for _ in range(max(1, runs)):
        for spec, done in zip(specs, all_runs):
            args = args_of(spec, extra)
            r = run_once(extract, args, spec.corpus, use_gnu_time)
            if r["rc"] not in (0, 1):
                evalutil.die("extract %s failed with status %d:\n%s"
                             % (" ".join(args), r["rc"], r["stderr"][-2000:]))
            if r["lines"] != spec.n_docs:
                evalutil.die("extract %s printed %d lines for %d records"
                             % (" ".join(args), r["lines"], spec.n_docs))
            done.append(r)
    return [summary(extract, spec, done, extra) for spec, done in zip(specs, all_runs)]


def summary(extract, spec, all_runs, extra):
    """The median wall time of `all_runs` of `spec` and the figures derived from it."""
    args = args_of(spec, extra)
    nbytes, threads, n_docs = spec.nbytes, spec.threads, spec.n_docs
    wall = statistics.median(r["wall_s"] for r in all_runs)
    med = min(all_runs, key=lambda r: abs(r["wall_s"] - wall))
    rss = max((r["maxrss_kb"] or 0) for r in all_runs)
    cpu = (med["user_s"] or 0) + (med["sys_s"] or 0)
    return {
        "label": spec.label, "threads": threads, "docs": n_docs, "bytes": nbytes,
        "runs": len(all_runs), "wall_s": round(wall, 3),
        "wall_s_all": [round(r["wall_s"], 3) for r in all_runs],
        "mb_s": round(nbytes / 1e6 / wall, 3),
        "docs_s": round(n_docs / wall, 1),
        "mb_s_per_core": round(nbytes / 1e6 / wall / threads, 3),
        "cpu_s": round(cpu, 3),
        "mb_per_cpu_s": round(nbytes / 1e6 / cpu, 3) if cpu and nbytes else None,
        "peak_rss_mb": round(rss / 1024.0, 1) if rss else None,
        "exit_status": med["rc"],
        "command": " ".join(shlex.quote(x) for x in [extract, *args, spec.corpus]),
    }


def turn_ratio(a, b):
    """The median over turns of a's wall time / b's (both from one `measure` call)."""
    return round(statistics.median(x / y for x, y in zip(a["wall_s_all"], b["wall_s_all"])), 3)


def run_spacy(venv, peers, corpus, sample):
    py = Path(venv) / "bin" / "python"
    script = Path(peers) / "bench_spacy_pipeline.py"
    if not py.exists():
        evalutil.die("spaCy venv %s not found; create it with %s/setup_venv.sh %s, or pass --venv"
                     % (venv, peers, venv))
    if not script.exists():
        evalutil.die("%s not found; pass --peers DIR" % script)
    cmd = [str(py), str(script), corpus, "--sample", str(sample), "--components", "full",
           "--n-process", "1"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        evalutil.die("spaCy benchmark failed:\n" + p.stderr.decode("utf-8", "replace")[-2000:])
    line = [l for l in p.stdout.decode("utf-8").splitlines() if l.strip().startswith("{")][-1]
    res = json.loads(line)
    if res.get("proc_s"):  # the result line rounds mb_s to 3 decimals; recompute it
        res["mb_s"] = res["bytes"] / 1e6 / res["proc_s"]
    res["command"] = " ".join(shlex.quote(x) for x in cmd)
    return res


def linearity_corpora(recs, workdir, target_mb, pieces):
    """Join texts (separated by a blank line) until ~target_mb MB; write one big record and
    `pieces` records that hold the same text in order. Returns (big_path, small_path, bytes, n_small)."""
    target = int(target_mb * 1e6)
    texts, size = [], 0
    while size < target:
        for r in recs:
            texts.append(r["text"].strip("\n"))
            size += len(texts[-1].encode("utf-8")) + 2
            if size >= target:
                break
    sep = "\n\n"
    big = sep.join(texts)
    per = len(big.encode("utf-8")) / pieces
    groups, cur, done = [], [], 0
    for t in texts:  # close a group each time the running size passes the next multiple of `per`
        cur.append(t)
        done += len(t.encode("utf-8")) + 2
        if done >= (len(groups) + 1) * per and len(groups) < pieces - 1:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    small = [{"id": "piece-%04d" % i, "text": sep.join(g)} for i, g in enumerate(groups)]
    # the pieces hold the same text as the big record, minus the separators between pieces
    big_path = str(workdir / "linearity-one.jsonl")
    small_path = str(workdir / "linearity-many.jsonl")
    write_jsonl(big_path, [{"id": "one-big-record", "text": big}])
    write_jsonl(small_path, small)
    return big_path, small_path, len(big.encode("utf-8")), len(small)


def extract_version(extract):
    try:
        p = subprocess.run([extract, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
        return p.stdout.decode().strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def fmt(x, spec="%.2f"):
    return "-" if x is None else spec % x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    evalutil.add_common_args(ap)
    ap.add_argument("--workdir", default="/tmp/extract-bench",
                    help="where the corpus files are written (default: %(default)s)")
    ap.add_argument("--runs", type=int, default=3,
                    help="runs per measurement; the median wall time is reported (default: 3)")
    ap.add_argument("--threads", default="1,2",
                    help="comma-separated thread counts to time (default: 1,2)")
    ap.add_argument("--repeat-corpus", type=int, default=1, metavar="K",
                    help="concatenate the corpus K times (ids suffixed) to check that peak "
                         "memory stays bounded")
    ap.add_argument("--spacy", action="store_true",
                    help="also time spaCy en_core_web_sm (full pipeline) on a sample and print the ratio")
    ap.add_argument("--spacy-sample", type=float, default=0.05,
                    help="fraction of documents spaCy sees (default: 0.05, about 1 MB)")
    ap.add_argument("--venv", default=str(evalutil.DEFAULT_VENV),
                    help="venv with spaCy from the peers' setup_venv.sh (default: %(default)s)")
    ap.add_argument("--peers", default=None,
                    help="folder of the peer benchmark scripts (default: DATA/../peers)")
    ap.add_argument("--linearity", action="store_true",
                    help="time one ~10 MB record against ~1000 records of the same text")
    ap.add_argument("--linearity-mb", type=float, default=10.0,
                    help="size of the linearity text in MB (default: 10)")
    ap.add_argument("--linearity-pieces", type=int, default=1000,
                    help="number of small records in the linearity test (default: 1000)")
    ap.add_argument("--max-bytes", type=int, default=None,
                    help="pass --max-bytes N to extract (needed if its default limit is below "
                         "the size of the one big linearity record)")
    a = ap.parse_args()

    data = evalutil.require_data(a.data, *SOURCES)
    extract = evalutil.require_extract(a.extract)
    threads = [int(t) for t in a.threads.split(",") if t.strip()]
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    use_gnu_time = have_gnu_time()
    extra = ["--max-bytes", str(a.max_bytes)] if a.max_bytes else []

    load_before = os.getloadavg()[0]
    base = load_records(data)
    base_path = str(workdir / "corpus.jsonl")
    write_jsonl(base_path, base)
    base_bytes = text_bytes(base)
    K = max(1, a.repeat_corpus)
    if K > 1:
        recs = [r if k == 0 else {"id": "%s~%d" % (r["id"], k + 1), "text": r["text"]}
                for k in range(K) for r in base]
        corpus_path = str(workdir / ("corpus-x%d.jsonl" % K))
        write_jsonl(corpus_path, recs)
        n_docs, nbytes = len(recs), base_bytes * K
        del recs
    else:
        corpus_path, n_docs, nbytes = base_path, len(base), base_bytes

    empty_path = str(workdir / "empty.jsonl")
    open(empty_path, "w").close()
    [startup] = measure(extract, [Spec(empty_path, 1, 0, 0, "empty input")], a.runs,
                        use_gnu_time, extra)

    specs = []
    if K > 1:
        specs.append(Spec(base_path, 1, len(base), base_bytes, "corpus x1"))
    specs += [Spec(corpus_path, t, n_docs, nbytes, "corpus x%d" % K) for t in threads]
    rows = measure(extract, specs, a.runs, use_gnu_time, extra)
    by_t = {r["threads"]: r for r in rows if r["label"] == "corpus x%d" % K}
    speedup = None
    if 1 in by_t and 2 in by_t:
        speedup = turn_ratio(by_t[1], by_t[2])

    spacy = None
    if a.spacy:
        peers = a.peers or str((Path(data) / ".." / "peers").resolve())
        spacy = run_spacy(a.venv, peers, base_path, a.spacy_sample)
        ref = by_t.get(1) or rows[-1]
        spacy["extract_mb_s_per_core"] = ref["mb_s_per_core"]
        spacy["ratio"] = round(ref["mb_s_per_core"] / spacy["mb_s"], 1) if spacy["mb_s"] else None

    lin = None
    if a.linearity:
        big_path, small_path, lbytes, n_small = linearity_corpora(
            base, workdir, a.linearity_mb, a.linearity_pieces)
        one, many = measure(extract, [Spec(big_path, 1, 1, lbytes, "one record"),
                                      Spec(small_path, 1, n_small, lbytes,
                                           "%d records" % n_small)],
                            a.runs, use_gnu_time, extra)
        lin = {"bytes": lbytes, "one": one, "many": many,
               "ratio_one_over_many": turn_ratio(one, many),
               "cpu_ratio_one_over_many": round(one["cpu_s"] / many["cpu_s"], 3) if many["cpu_s"] else None}

    out = {
        "command": evalutil.command_line(),
        "extract": extract, "extract_version": extract_version(extract),
        "machine": {"cpus": os.cpu_count(), "cpu_model": cpu_model(),
                    "rss_from": "GNU time -v" if use_gnu_time else "getrusage(RUSAGE_CHILDREN)",
                    "loadavg_1min_before": round(load_before, 2),
                    "loadavg_1min_after": round(os.getloadavg()[0], 2)},
        "corpus": {"path": corpus_path, "docs": n_docs, "bytes": nbytes, "repeat": K,
                   "sources": SOURCES},
        "startup": startup, "rows": rows, "speedup_2_over_1": speedup,
        "spacy": spacy, "linearity": lin,
    }
    if a.json:
        print(json.dumps(out, indent=2))
        return

    m = out["machine"]
    print("Corpus: %s (%d documents, %.1f MB of text%s); %d run(s) per figure, median wall time."
          % (" + ".join(s.split("/")[0] for s in SOURCES), n_docs, nbytes / 1e6,
             "" if K == 1 else ", the base corpus %d times over" % K, a.runs))
    print("Machine: %s, %s CPUs; 1-minute load average %.2f before, %.2f after%s."
          % (m["cpu_model"] or "unknown CPU", m["cpus"], m["loadavg_1min_before"],
             m["loadavg_1min_after"], "" if max(m["loadavg_1min_before"], m["loadavg_1min_after"])
             < 0.5 else " (busy machine: timings are pessimistic)"))
    print()
    print("| run | threads | docs | MB | wall s | MB/s | docs/s | MB/s per core | CPU s | MB per CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %d | %d | %.1f | %.2f | %.2f | %.0f | %.2f | %.2f | %s | %s |" %
              (r["label"], r["threads"], r["docs"], r["bytes"] / 1e6, r["wall_s"], r["mb_s"],
               r["docs_s"], r["mb_s_per_core"], r["cpu_s"], fmt(r["mb_per_cpu_s"]),
               fmt(r["peak_rss_mb"], "%.1f")))
    print("| start-up (empty input) | 1 | 0 | 0 | %.3f | - | - | - | %.2f | - | %s |" %
          (startup["wall_s"], startup["cpu_s"], fmt(startup["peak_rss_mb"], "%.1f")))
    print()
    if speedup is not None:
        print("Speed-up 2 threads / 1 thread: %.2fx (median over turns; per turn: %s)"
              % (speedup, " ".join("%.2f" % (x / y) for x, y in
                                   zip(by_t[1]["wall_s_all"], by_t[2]["wall_s_all"]))))
    if spacy:
        print()
        print("| tool | docs | MB | MB/s per core | ratio |")
        print("|---|---|---|---|---|")
        print("| extract, 1 thread, whole run | %d | %.1f | %.3f | %.0fx |" %
              (by_t.get(1, rows[-1])["docs"], by_t.get(1, rows[-1])["bytes"] / 1e6,
               spacy["extract_mb_s_per_core"], spacy["ratio"] or 0))
        print("| spaCy %s, en_core_web_sm full pipeline, 1 process (sample %g) | %d | %.2f | %.4f | 1x |" %
              (spacy.get("spacy", "?"), a.spacy_sample, spacy["docs"], spacy["bytes"] / 1e6,
               spacy["mb_s"]))
        print()
        print("spaCy command: %s" % spacy["command"])
    if lin:
        print()
        print("Linearity (1 thread, %.1f MB of the same text):" % (lin["bytes"] / 1e6))
        print()
        print("| input | wall s | MB/s | CPU s | peak RSS MB |")
        print("|---|---|---|---|---|")
        for r in (lin["one"], lin["many"]):
            print("| %s | %.2f | %.2f | %.2f | %s |" % (r["label"], r["wall_s"], r["mb_s"], r["cpu_s"],
                                                        fmt(r["peak_rss_mb"], "%.1f")))
        print()
        print("Ratio one record / many records: %.2f (wall time, median over turns), %s (CPU time)"
              % (lin["ratio_one_over_many"], fmt(lin["cpu_ratio_one_over_many"])))
    print()
    print("Peak RSS from %s. MB = 10^6 bytes of UTF-8 text; wall time includes start-up and I/O."
          % out["machine"]["rss_from"])
    print("extract commands: %s" % "; ".join(r["command"] for r in rows))
    print("command: %s" % out["command"])


if __name__ == "__main__":
    main()
