#!/usr/bin/env python3
"""Run `extract` over a corpus inside Apache Spark and write the documents back out.

The job reads articles, either JSON Lines records {"id", "text", ...} (one file, or a directory
of such files taken in sorted order) or a directory of text files, pipes every Spark partition
through one `extract --jsonl --quiet --threads 1` process (`rdd.pipe`: one process per
partition, Spark supplies the parallelism), and writes one contract-v1 document per input:
JSON Lines (text part files, in input order) or Parquet (the nested entities, mentions,
relations and arguments as typed columns).

`extract --jsonl` prints exactly one line per input line, in order, with an error record
instead of a dropped line, so each output partition lines up with its input partition. The job
relies on that and checks it: an `extract` process that exits with a status above 1 (a fatal
error, a crash) fails the task, and the job fails if fewer documents come out than went in.
Exit status 1 of `extract` (some record gave an error record) is normal.

What the output equals:
  - JSON Lines input: `extract --jsonl FILE...` run directly over the same files in sorted
    order, record for record. A record with no id gets the id "line N" (N counting lines within
    its file), as in a direct run; the job counts lines per partition first to number them
    (skip that pass with --partition-line-ids).
  - A directory of text files: `extract DIR` (directory mode), with ids relative to DIR, in
    sorted path order. Files are taken as extract's directory walk takes them (.txt, .text,
    .md, .story and files without an extension; hidden files skipped; --suffix changes it).
    Files that are not UTF-8 or hold NUL bytes give the same error records as a direct run
    (or, with --lossy, are decoded with U+FFFD replacement, as `extract --lossy` does).

The binary: --binary PATH ships a local executable with the job (SparkContext.addFile; each
task finds it through SparkFiles); --shipped NAME runs a file that spark-submit already shipped
with --files; --installed PATH runs one installed at PATH on every node. It must be built for
the nodes' OS and CPU (see spark/README.md).

Examples:
  spark-submit --master 'local[2]' spark/extract_job.py \\
      --input articles.jsonl --output out/ --binary target/release/extract
  spark-submit --master yarn --deploy-mode cluster --files dist/extract spark/extract_job.py \\
      --shipped extract --input hdfs:///corpus/txt/ --output hdfs:///corpus/docs.parquet \\
      --format parquet --partitions 200
  python spark/extract_job.py --master 'local[2]' --input corpus/ --output out/ \\
      --binary target/release/extract          (PySpark installed with pip)
"""

import argparse
import json
import math
import os
import shlex
import sys
import time

# PySpark is imported where it is used, so that --help works without it.

# Extensions extract's directory walk takes by default (and files with none).
DEFAULT_SUFFIXES = (".txt", ".text", ".md", ".story")
# Marker of a record whose file could not be decoded (rewritten into an error record after the pipe).
DECODE_ERROR_KEY = "__extract_spark_decode_error__"
# Default partition size when --partitions is not given (extract reads a few MB/s per core).
PARTITION_BYTES = 64 << 20


# --- the Parquet schema of a contract-v1 document ---------------------------------------

def _span():
    from pyspark.sql import types as T
    return T.StructType([
        T.StructField("text", T.StringType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
    ])


def _range():
    from pyspark.sql import types as T
    return T.StructType([T.StructField("start", T.LongType()), T.StructField("end", T.LongType())])


def document_schema():
    """The Spark schema of one extract/1 document (normal or error record).

    Fields absent from a record are null. Free-form objects are kept readable: `meta` is the
    raw JSON text of the record's extra fields, and each `attributes` value is a string (a
    non-string value, such as a threat actor's list of aliases, is kept as its JSON text).
    Fields added to the contract later are dropped until they are added here."""
    from pyspark.sql import types as T
    mention = T.StructType([
        T.StructField("text", T.StringType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("sentence", T.LongType()),
    ])
    entity = T.StructType([
        T.StructField("id", T.StringType()),
        T.StructField("type", T.StringType()),
        T.StructField("name", T.StringType()),
        T.StructField("canonical", T.StringType()),
        T.StructField("attributes", T.MapType(T.StringType(), T.StringType())),
        T.StructField("mentions", T.ArrayType(mention)),
    ])
    argument = T.StructType([
        T.StructField("role", T.StringType()),
        T.StructField("entity", T.StringType()),
        T.StructField("text", T.StringType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("value", T.StringType()),
    ])
    statement = T.StructType([
        T.StructField("sentence", T.LongType()),
        T.StructField("trigger", _span()),
        T.StructField("evidence", _range()),
    ])
    relation = T.StructType([
        T.StructField("id", T.StringType()),
        T.StructField("type", T.StringType()),
        T.StructField("trigger", _span()),
        T.StructField("sentence", T.LongType()),
        T.StructField("evidence", _range()),
        T.StructField("arguments", T.ArrayType(argument)),
        T.StructField("modality", T.StringType()),
        T.StructField("cue", _span()),
        T.StructField("source", T.StringType()),
        T.StructField("confidence", T.DoubleType()),
        T.StructField("rule", T.StringType()),
        T.StructField("codes", T.StructType([
            T.StructField("cameo", T.StringType()),
            T.StructField("plover", T.StringType()),
        ])),
        T.StructField("refers_to", T.ArrayType(T.StringType())),
        T.StructField("restated", T.ArrayType(statement)),
    ])
    return T.StructType([
        T.StructField("schema", T.StringType()),
        T.StructField("id", T.StringType()),
        T.StructField("error", T.StringType()),
        T.StructField("meta", T.StringType()),
        T.StructField("entities", T.ArrayType(entity)),
        T.StructField("relations", T.ArrayType(relation)),
    ])


# --- helpers that run on the driver ------------------------------------------------------

def hadoop_fs(spark, path):
    """(FileSystem, qualified Path) of a path or URI, through Spark's Hadoop configuration."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(conf)
    return fs, fs.makeQualified(p)


def list_jsonl_files(spark, path):
    """Sorted (qualified path, size) of the JSON Lines input: the file itself, or the visible
    files directly inside a directory."""
    fs, qp = hadoop_fs(spark, path)
    if not fs.exists(qp):
        raise SystemExit(f"extract_job: input {path} does not exist")
    status = fs.getFileStatus(qp)
    if status.isFile():
        return [(qp.toString(), status.getLen())]
    out = []
    for st in fs.listStatus(qp):
        name = st.getPath().getName()
        if st.isFile() and not name.startswith((".", "_")):
            out.append((st.getPath().toString(), st.getLen()))
    out.sort()
    if not out:
        raise SystemExit(f"extract_job: no files in {path}")
    return out


def input_is_dir_of_text(spark, path, fmt):
    if fmt == "jsonl":
        return False
    if fmt == "text":
        return True
    fs, qp = hadoop_fs(spark, path)
    if not fs.exists(qp):
        raise SystemExit(f"extract_job: input {path} does not exist")
    if fs.getFileStatus(qp).isFile():
        return False
    # A directory: JSON Lines if it holds .jsonl/.json files at top level, else text files.
    names = [st.getPath().getName() for st in fs.listStatus(qp)]
    return not any(n.endswith((".jsonl", ".json", ".ndjson")) for n in names)


def read_jsonl(spark, path, partitions, number_lines):
    """Raw input lines (RDD of str, in file order) and, per partition, the number of lines
    before it in its own file (None when not counted)."""
    sc = spark.sparkContext
    files = list_jsonl_files(spark, path)
    total = sum(size for _, size in files)
    partitions = partitions or max(2 * sc.defaultParallelism, math.ceil(total / PARTITION_BYTES))
    # Split every file into pieces of about total/partitions bytes.
    split = max(64 << 10, math.ceil(total / max(1, partitions)))
    conf = {
        # Lines end at "\n" only (a "\r\n" line keeps its "\r", which extract drops), exactly
        # as extract splits records; Hadoop's default would also break at a lone "\r".
        "textinputformat.record.delimiter": "\n",
        "mapreduce.input.fileinputformat.split.maxsize": str(split),
        "mapreduce.input.fileinputformat.split.minsize": "1",
    }
    rdds, owner = [], []
    for i, (f, _) in enumerate(files):
        r = sc.newAPIHadoopFile(f, "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
                                "org.apache.hadoop.io.LongWritable", "org.apache.hadoop.io.Text",
                                conf=conf).values()
        rdds.append(r)
        owner.extend([i] * r.getNumPartitions())
    lines = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    if not number_lines:
        return lines, None, None, files
    counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
    before, seen = [], {}
    for p, n in enumerate(counts):
        before.append(seen.get(owner[p], 0))
        seen[owner[p]] = seen.get(owner[p], 0) + n
    return lines, before, sum(counts), files


def read_text_dir(spark, path, partitions, suffixes, lossy):
    """JSON Lines records (RDD of str) built from the files of a directory, in sorted path
    order, with ids relative to the directory; also the number of files."""
    sc = spark.sparkContext
    fs, qp = hadoop_fs(spark, path)
    if not fs.exists(qp) or fs.getFileStatus(qp).isFile():
        raise SystemExit(f"extract_job: {path} is not a directory")
    prefix = qp.toString().rstrip("/") + "/"

    def rel(key):
        if not key.startswith(prefix):
            raise ValueError(f"file {key} is not under {prefix}")
        return key[len(prefix):]

    def wanted(r):
        parts = r.split("/")
        if any(p.startswith(".") for p in parts):
            return False
        ext = os.path.splitext(parts[-1])[1]
        return ext == "" or ext.lower() in suffixes

    # Spark SQL's binaryFile source lists the tree (skipping names that start with "." or
    # "_") and reads each file whole; listing only the paths reads no file. They are sorted
    # as extract's walk sorts them: by path components.
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .load(qp.toString()))
    listing = [(rel(row.path), row.length) for row in files.select("path", "length").collect()]
    order = sorted((r for r, _ in listing if wanted(r)), key=lambda r: r.split("/"))
    total = sum(n for r, n in listing if wanted(r))
    partitions = partitions or max(2 * sc.defaultParallelism, math.ceil(total / PARTITION_BYTES))
    if not order:
        raise SystemExit(f"extract_job: no input files in {path}")
    index = sc.broadcast({r: i for i, r in enumerate(order)})
    n_files = len(order)
    n_parts = max(1, min(partitions, n_files))

    def to_record(kv):
        r = rel(kv[0])
        data = kv[1]
        i = index.value[r]
        rec = {"id": r}
        if not lossy and b"\0" in data:
            rec["text"] = None
            rec[DECODE_ERROR_KEY] = (f"binary data: NUL byte at byte offset {data.index(0)} "
                                     "(use --lossy to process it anyway)")
        else:
            try:
                rec["text"] = data.decode("utf-8")
            except UnicodeDecodeError as e:
                if lossy:
                    rec["text"] = data.decode("utf-8", errors="replace")
                else:
                    rec["text"] = None
                    rec[DECODE_ERROR_KEY] = f"invalid UTF-8 at byte offset {e.start} (use --lossy to replace it)"
        return i, json.dumps(rec, ensure_ascii=False)

    def sort_part(it):
        return (line for _, line in sorted(it, key=lambda kv: kv[0]))

    records = (files.select("path", "content").rdd
               .filter(lambda kv: rel(kv[0]) in index.value)
               .map(to_record)
               # Contiguous ranges of the sorted order, one per partition, so that the part
               # files come out in path order.
               .partitionBy(n_parts, lambda i: i * n_parts // n_files)
               .mapPartitions(sort_part, preservesPartitioning=True))
    return records, n_files, total


# Run by rdd.pipe in each task: finds the binary in the directories given, makes sure it can be
# executed (a file shipped by some cluster managers loses its execute bit: then a private copy is
# made executable), runs it, and maps exit status 1 (some record gave an error record, which is
# normal) to 0, so that only a fatal error or a crash (status 2 and above, signals) fails the task.
PIPE_SCRIPT = r"""
dirs=$1; name=$2; shift 2
b=""; old_ifs=$IFS; IFS=:
for d in $dirs; do if [ -f "$d/$name" ]; then b="$d/$name"; break; fi; done
IFS=$old_ifs
if [ -z "$b" ]; then echo "extract_job: $name not found in $dirs (cwd $(pwd))" >&2; exit 3; fi
tmp=""
if [ ! -x "$b" ]; then
    tmp=$(mktemp) && cp "$b" "$tmp" && chmod 700 "$tmp" && b=$tmp || exit 3
fi
"$b" "$@"; rc=$?
[ -n "$tmp" ] && rm -f "$tmp"
if [ "$rc" -le 1 ]; then exit 0; fi
exit "$rc"
"""


def extract_command(dirs, name, extra):
    """The command rdd.pipe runs: `NAME --jsonl --quiet --threads 1 EXTRA...` (one process per
    partition, one thread each, no progress bar), NAME taken from the first of `dirs` that holds
    it, through PIPE_SCRIPT."""
    argv = ["sh", "-c", PIPE_SCRIPT, "extract-pipe", ":".join(dirs), name,
            "--jsonl", "--quiet", "--threads", "1", *extra]
    return " ".join(shlex.quote(a) for a in argv)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--input", required=True,
                    help="a JSON Lines file, a directory of JSON Lines files, or a directory of text files "
                         "(any Hadoop path or URI: local, hdfs://, s3a://...)")
    ap.add_argument("--input-format", choices=["auto", "jsonl", "text"], default="auto",
                    help="what --input holds (auto: a file is JSON Lines; a directory is JSON Lines if it "
                         "holds .jsonl/.json/.ndjson files, else text files)")
    ap.add_argument("--output", required=True, help="output directory (part files)")
    ap.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl",
                    help="jsonl: one compact document per line, as extract prints it; parquet: typed, "
                         "nested columns (default jsonl)")
    ap.add_argument("--overwrite", action="store_true", help="replace --output if it exists")
    ap.add_argument("--binary", help="the extract executable to ship with the job (a local path or URI)")
    ap.add_argument("--shipped", metavar="NAME",
                    help="run the file NAME that spark-submit shipped with --files (nothing more is shipped)")
    ap.add_argument("--installed", metavar="PATH",
                    help="run an extract already installed at PATH on every node (nothing is shipped)")
    ap.add_argument("--partitions", type=int, default=0,
                    help="number of partitions, i.e. of extract processes (default: twice Spark's default "
                         "parallelism, or one per 64 MB of input if that is more)")
    ap.add_argument("--suffix", action="append", default=None,
                    help="text-directory input: a file extension to take (repeatable; default .txt, .text, "
                         ".md, .story and files without one)")
    ap.add_argument("--lossy", action="store_true",
                    help="decode invalid UTF-8 with U+FFFD instead of an error record (passed to extract too)")
    ap.add_argument("--extract-arg", action="append", default=[], metavar="ARG",
                    help="an extra argument for extract, e.g. --extract-arg=--max-bytes=1000000 (repeatable)")
    ap.add_argument("--partition-line-ids", action="store_true",
                    help="JSON Lines input: skip the line-counting pass; a record without an id is then "
                         "named 'line N' with N counted within its Spark partition")
    ap.add_argument("--master", help="Spark master when run with plain python (spark-submit sets it)")
    ap.add_argument("--app-name", default="extract")
    ap.add_argument("--verbose", action="store_true", help="keep Spark's INFO logging (default: warnings only)")
    args = ap.parse_args(argv)

    if sum(1 for x in (args.binary, args.shipped, args.installed) if x) != 1:
        ap.error("give exactly one of --binary (ship it), --shipped (sent with spark-submit --files) "
                 "or --installed (already on the nodes)")
    if args.binary and "://" not in args.binary and not os.access(args.binary, os.X_OK):
        ap.error(f"--binary {args.binary} is not an executable file")
    if args.partitions < 0:
        ap.error("--partitions must be positive")

    from pyspark import SparkFiles
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(args.app_name)
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    if not args.verbose:
        sc.setLogLevel("WARN")
    started = time.time()

    if args.installed:
        dirs, name = [os.path.dirname(args.installed) or "."], os.path.basename(args.installed)
    else:
        if args.binary:
            sc.addFile(args.binary)
            name = os.path.basename(args.binary.rstrip("/"))
        else:
            name = args.shipped
        # Where a shipped file lives: SparkFiles' root directory on the driver (which is where
        # tasks of a local master run), the task's working directory on cluster executors
        # (standalone, Kubernetes; YARN puts --files there too).
        dirs = [SparkFiles.getRootDirectory(), "."]
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "RAYON_NUM_THREADS": "1"}
    extra = list(args.extract_arg) + (["--lossy"] if args.lossy else [])
    command = extract_command(dirs, name, extra)

    text_dir = input_is_dir_of_text(spark, args.input, args.input_format)
    before = None
    if text_dir:
        suffixes = tuple(s.lower() if s.startswith(".") else "." + s.lower() for s in (args.suffix or DEFAULT_SUFFIXES))
        records, n_in, in_bytes = read_text_dir(spark, args.input, args.partitions, suffixes, args.lossy)
    else:
        records, before, n_in, files = read_jsonl(spark, args.input, args.partitions, not args.partition_line_ids)
        in_bytes = sum(size for _, size in files)

    n_out = sc.accumulator(0)

    def fix(p, it):
        """Counts the documents of partition p and puts back what the pipe could not know:
        file-wide line numbers in fallback ids, and error records of undecodable files."""
        offset = before[p] if before else 0
        for i, line in enumerate(it, 1):
            n_out.add(1)
            # extract names a record without a usable id "line I", I counted from the start of
            # its partition; the file-wide number is I plus the lines of earlier partitions of
            # the same file. (A record whose own id is exactly "line I" at place I of a later
            # partition would be renamed too; ids of that form are not expected in input.)
            if offset:
                head = f'{{"schema":"extract/1","id":"line {i}",'
                if line.startswith(head):
                    line = f'{{"schema":"extract/1","id":"line {offset + i}",' + line[len(head):]
            if DECODE_ERROR_KEY in line:
                doc = json.loads(line)
                msg = (doc.get("meta") or {}).get(DECODE_ERROR_KEY)
                if msg:
                    line = json.dumps({"schema": "extract/1", "id": doc["id"], "error": msg},
                                      ensure_ascii=False, separators=(",", ":"))
            yield line

    docs = records.pipe(command, env=env, checkCode=True).mapPartitionsWithIndex(fix, preservesPartitioning=True)

    if args.overwrite:
        fs, qp = hadoop_fs(spark, args.output)
        if fs.exists(qp):
            fs.delete(qp, True)
    if args.format == "jsonl":
        docs.saveAsTextFile(args.output)
    else:
        df = spark.read.schema(document_schema()).option("mode", "FAILFAST").json(docs)
        df.write.parquet(args.output)

    elapsed = time.time() - started
    produced = n_out.value
    docs_rate = f"{produced / elapsed:.1f} docs/s" if elapsed > 0 else "-"
    mb_rate = f", {in_bytes / 1e6 / elapsed:.2f} MB/s of input" if in_bytes and elapsed > 0 else ""
    inputs = "?" if n_in is None else n_in
    print(f"extract_job: {inputs} inputs, {produced} documents, {elapsed:.1f} s ({docs_rate}{mb_rate}) "
          f"-> {args.output}", file=sys.stderr)
    if n_in is not None and produced < n_in:
        print(f"extract_job: error: {n_in} inputs but only {produced} documents came out", file=sys.stderr)
        spark.stop()
        return 1
    if n_in is not None and produced > n_in:
        print(f"extract_job: warning: {produced} documents counted for {n_in} inputs "
              "(a stage was re-run; the output itself has one document per input)", file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
