#!/usr/bin/env bash
# Integration test of the Spark recipe (spark/extract_job.py) against a direct extract run.
#
# Usage: bash spark/run_test.sh [PATH-TO-EXTRACT]     (default: target/release/extract; build it first)
#
# It installs PySpark in a virtual environment (a temporary one, or $SPARK_VENV if set, which is
# kept and reused), runs a local Spark (local[2], network on loopback only) over generated
# articles and checks, record for record, that Spark's output equals `extract` run directly:
#   1. 1,200 JSON Lines articles (with error-provoking lines among them) -> JSON Lines output
#   2. the same articles -> Parquet, read back with Spark, every row equal to the direct document
#   3. a directory of 300 text files (plus undecodable, hidden and skipped files) -> JSON Lines,
#      against `extract DIR`
# It prints the throughput of the direct and the Spark runs and ends with the line
# "spark: N passed, M failed"; the exit status is non-zero when a check failed or the setup did.
# Temporary files are removed on exit. Needs Java 17 (Spark 3.5 runs on 8, 11 or 17) and PyPI
# (or a pip cache that holds pyspark).
set -euo pipefail

PYSPARK_VERSION=3.5.9
COUNT=1200
TEXT_COUNT=300
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN_ARG="${1:-target/release/extract}"

say() { printf 'spark-test: %s\n' "$*"; }
die() { say "error: $*" >&2; echo "spark: 0 passed, 1 failed"; exit 1; }

[ -x "$BIN_ARG" ] || die "no executable at $BIN_ARG (build it with cargo build --release)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/extract-spark-test.XXXXXX")"
cleanup() {
    local pids
    pids="$(jobs -p || true)"
    [ -n "$pids" ] && kill $pids 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary: a rebuild during the test cannot make the runs differ.
mkdir -p "$WORK/bin"
cp "$BIN_ARG" "$WORK/bin/extract"
BIN="$WORK/bin/extract"

# --- Java 17 -------------------------------------------------------------------------------
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java" 2>/dev/null)" != 17 ]; then
    JAVA_HOME=""
    for d in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17* /usr/lib/jvm/*17*; do
        if [ -x "$d/bin/java" ] && [ "$(java_major "$d/bin/java")" = 17 ]; then JAVA_HOME="$d"; break; fi
    done
    if [ -z "$JAVA_HOME" ] && command -v java >/dev/null && [ "$(java_major java)" = 17 ]; then
        JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    fi
    [ -n "$JAVA_HOME" ] || die "Java 17 not found (Debian: apt-get install openjdk-17-jre-headless)"
fi
export JAVA_HOME
say "java: $JAVA_HOME"

# --- PySpark in a virtual environment ---------------------------------------------------------
VENV="${SPARK_VENV:-$WORK/venv}"
if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    say "installing pyspark==$PYSPARK_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" \
        || die "pip install pyspark==$PYSPARK_VERSION failed"
fi
PY="$VENV/bin/python"

# Spark stays on loopback, writes its scratch files under $WORK and starts no web UI.
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost
export PYSPARK_PYTHON="$PY" PYSPARK_DRIVER_PYTHON="$PY"
export PATH="$VENV/bin:$PATH"
unset SPARK_HOME PYSPARK_SUBMIT_ARGS
mkdir -p "$WORK/spark-local"
SUBMIT=(spark-submit --master 'local[2]'
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
    --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false
    --conf "spark.local.dir=$WORK/spark-local"
    --driver-java-options "-Djava.io.tmpdir=$WORK/spark-local -XX:-UsePerfData")

# --- inputs ---------------------------------------------------------------------------------
ARTICLES="$WORK/articles.jsonl"
python3 "$HERE/generate_articles.py" --count "$COUNT" --output "$ARTICLES"
TXT="$WORK/txt"
python3 "$HERE/generate_articles.py" --count "$TEXT_COUNT" --seed 11 --no-edge-cases --txt-dir "$TXT" --output /dev/null
printf 'Caf\xe9 owners in Lyon said Britain had sanctioned them.\n' > "$TXT/latin1.txt"      # not UTF-8
printf 'The UK sanctioned\0APT31.\n' > "$TXT/batch-001/binary.txt"                         # NUL byte
printf '\xef\xbb\xbfBritain sanctioned APT31 on Monday.\n' > "$TXT/bom.md"                  # BOM, .md
printf 'Japan accused China of hacking.\r\nChina denied it.\r\n' > "$TXT/with space.txt"    # CRLF, space in name
echo 'Russia denied the accusations.' > "$TXT/NOTES"                                         # no extension
echo 'hidden' > "$TXT/.hidden.txt"; mkdir -p "$TXT/.cache"; echo 'x' > "$TXT/.cache/a.txt"  # skipped
echo 'not an article' > "$TXT/figure.pdf"                                                    # skipped
ARTICLE_BYTES=$(wc -c < "$ARTICLES")

now() { date +%s.%N; }
rate() { # docs bytes seconds -> "D docs/s, M MB/s"
    awk -v n="$1" -v b="$2" -v s="$3" 'BEGIN { printf "%.0f docs/s, %.2f MB/s", n / s, b / 1e6 / s }'
}
run_direct() { # output, args...: extract exits 1 when some input gave an error record
    local out="$1"; shift
    local rc=0
    "$BIN" --quiet "$@" > "$out" 2> "$out.err" || rc=$?
    [ "$rc" -le 1 ] || { cat "$out.err" >&2; die "direct extract $* exited $rc"; }
}
run_spark() { # log, job args...
    local log="$1"; shift
    if ! "${SUBMIT[@]}" "$HERE/extract_job.py" --binary "$BIN" "$@" > "$log" 2>&1; then
        tail -n 40 "$log" >&2
        return 1
    fi
}

# --- the comparisons (standard library; the Parquet one runs in the venv with pyspark) ---------
cat > "$WORK/compare.py" <<'PYEOF'
"""Compares Spark output with a direct extract run; prints what differs, exits 1 if anything does."""
import glob, json, os, sys

def lines_of(path):
    if os.path.isdir(path):
        parts = sorted(glob.glob(os.path.join(path, "part-*")))
        out = []
        for p in parts:
            with open(p, encoding="utf-8") as f:
                out.extend(f.read().splitlines())
        return out
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()

def compare_jsonl(spark_dir, direct):
    a, b = lines_of(spark_dir), lines_of(direct)
    bad = 0
    if len(a) != len(b):
        print(f"  line count: spark {len(a)}, direct {len(b)}")
        bad += 1
    for i, (x, y) in enumerate(zip(a, b), 1):
        if json.loads(x) != json.loads(y):
            bad += 1
            if bad <= 5:
                print(f"  record {i} differs:\n    spark:  {x[:300]}\n    direct: {y[:300]}")
    same_bytes = sum(1 for x, y in zip(a, b) if x == y)
    errors = sum(1 for y in b if '"error":' in y[:400] and "error" in json.loads(y))
    print(f"  {len(a)} spark records, {len(b)} direct, {same_bytes} byte-identical, "
          f"{errors} error records, {bad} differences")
    return bad == 0

def compare_parquet(spark_dir, direct, job_dir):
    sys.path.insert(0, job_dir)
    from extract_job import document_schema
    from pyspark.sql import SparkSession, functions as F
    from pyspark.sql import types as T

    def norm(v, t):
        if v is None:
            return None
        if isinstance(t, T.StructType):
            return {f.name: norm(v.get(f.name), f.dataType) for f in t.fields}
        if isinstance(t, T.ArrayType):
            return [norm(x, t.elementType) for x in v]
        if isinstance(t, T.MapType):
            return {k: (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False, separators=(",", ":")))
                    for k, x in v.items()}
        if isinstance(t, T.StringType) and not isinstance(v, str):
            return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        if isinstance(t, T.DoubleType):
            return float(v)
        return v

    schema = document_schema()
    want = [norm(json.loads(x), schema) for x in lines_of(direct)]
    spark = (SparkSession.builder.master("local[1]").appName("extract-parquet-check")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.parquet(spark_dir)
    n = df.count()
    # Part files in name order hold the documents in input order.
    rows = []
    for p in sorted(glob.glob(os.path.join(spark_dir, "part-*.parquet"))):
        rows.extend(r.asDict(recursive=True) for r in spark.read.parquet(p).collect())
    bad = 0
    if n != len(want) or len(rows) != len(want):
        print(f"  row count: parquet {n} ({len(rows)} read in order), direct {len(want)}")
        bad += 1
    for i, (x, y) in enumerate(zip(rows, want), 1):
        if x != y:
            bad += 1
            if bad <= 5:
                print(f"  row {i} ({y.get('id')}) differs:\n    parquet: {str(x)[:300]}\n    direct:  {str(y)[:300]}")
    # A nested field, read back through SQL: every argument role of every relation.
    roles = (df.select(F.explode("relations").alias("r")).select(F.explode("r.arguments").alias("a"))
             .groupBy("a.role").count().collect())
    got_roles = {r["role"]: r["count"] for r in roles}
    exp_roles = {}
    for d in want:
        for rel in d["relations"] or []:
            for a in rel["arguments"] or []:
                exp_roles[a["role"]] = exp_roles.get(a["role"], 0) + 1
    if got_roles != exp_roles or not got_roles:
        print(f"  argument roles via SQL: {got_roles} != {exp_roles}")
        bad += 1
    aliases = df.select(F.explode("entities").alias("e")).where("e.type = 'THREAT_ACTOR'").select(
        F.col("e.attributes").getItem("aliases")).first()
    equal = sum(1 for x, y in zip(rows, want) if x == y)
    print(f"  {n} rows, {equal} equal to the direct documents, "
          f"{sum(got_roles.values())} arguments over roles {sorted(got_roles)}; "
          f"a threat actor's aliases: {str(aliases[0])[:60] if aliases else None}")
    spark.stop()
    return bad == 0

if __name__ == "__main__":
    kind = sys.argv[1]
    ok = compare_parquet(*sys.argv[2:5]) if kind == "parquet" else compare_jsonl(sys.argv[2], sys.argv[3])
    sys.exit(0 if ok else 1)
PYEOF

passed=0; failed=0
check() { # name, command...
    local name="$1"; shift
    if "$@"; then say "PASS $name"; passed=$((passed + 1)); else say "FAIL $name"; failed=$((failed + 1)); fi
}
quietly() { # log, command...: stderr to the log, shown when the command fails
    local log="$1"; shift
    "$@" 2> "$log" || { tail -n 30 "$log" >&2; return 1; }
}
job_line() { grep -h '^extract_job: ' "$1" | tail -n1 || true; }

# --- 1. JSON Lines -> JSON Lines ----------------------------------------------------------------
say "direct: extract --jsonl over $COUNT articles ($ARTICLE_BYTES bytes)"
t0=$(now); run_direct "$WORK/direct.jsonl" --jsonl --threads 1 "$ARTICLES"; t1=$(now)
run_direct "$WORK/direct2.jsonl" --jsonl --threads 2 "$ARTICLES"; t2=$(now)
D1=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}'); D2=$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')
cmp -s "$WORK/direct.jsonl" "$WORK/direct2.jsonl" || die "direct runs with 1 and 2 threads differ"

say "spark: local[2] over the same file, JSON Lines out"
t0=$(now)
if run_spark "$WORK/spark-jsonl.log" --input "$ARTICLES" --output "$WORK/out-jsonl" --format jsonl; then
    t1=$(now); S1=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
    check "jsonl: Spark output equals direct extract --jsonl record for record" \
        python3 "$WORK/compare.py" jsonl "$WORK/out-jsonl" "$WORK/direct.jsonl"
else
    S1=""; say "FAIL jsonl: the Spark job failed"; failed=$((failed + 1))
fi

# --- 2. JSON Lines -> Parquet -------------------------------------------------------------------
say "spark: local[2], Parquet out"
t0=$(now)
if run_spark "$WORK/spark-parquet.log" --input "$ARTICLES" --output "$WORK/out-parquet" --format parquet; then
    t1=$(now); S2=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
    check "parquet: $COUNT rows, nested entities/relations equal to direct" \
        quietly "$WORK/parquet-check.log" "$PY" "$WORK/compare.py" parquet "$WORK/out-parquet" "$WORK/direct.jsonl" "$HERE"
else
    S2=""; say "FAIL parquet: the Spark job failed"; failed=$((failed + 1))
fi

# --- 3. directory of text files -> JSON Lines -----------------------------------------------------
say "spark: local[2] over a directory of text files"
run_direct "$WORK/direct-txt.jsonl" --threads 2 "$TXT"
if run_spark "$WORK/spark-txt.log" --input "$TXT" --output "$WORK/out-txt" --format jsonl; then
    check "text directory: Spark output equals direct extract DIR record for record" \
        python3 "$WORK/compare.py" jsonl "$WORK/out-txt" "$WORK/direct-txt.jsonl"
else
    say "FAIL text directory: the Spark job failed"; failed=$((failed + 1))
fi

# --- throughput ---------------------------------------------------------------------------------
say "throughput over $COUNT articles, $(awk -v b="$ARTICLE_BYTES" 'BEGIN{printf "%.2f", b/1e6}') MB:"
say "  direct extract --jsonl --threads 1: $(printf '%.2f' "$D1") s, $(rate "$COUNT" "$ARTICLE_BYTES" "$D1")"
say "  direct extract --jsonl --threads 2: $(printf '%.2f' "$D2") s, $(rate "$COUNT" "$ARTICLE_BYTES" "$D2")"
if [ -n "$S1" ]; then
    say "  spark local[2] -> jsonl, whole spark-submit: $(printf '%.2f' "$S1") s, $(rate "$COUNT" "$ARTICLE_BYTES" "$S1")"
    say "    job alone (after JVM start): $(job_line "$WORK/spark-jsonl.log" | sed 's/^extract_job: //')"
fi
if [ -n "$S2" ]; then
    say "  spark local[2] -> parquet, whole spark-submit: $(printf '%.2f' "$S2") s, $(rate "$COUNT" "$ARTICLE_BYTES" "$S2")"
    say "    job alone (after JVM start): $(job_line "$WORK/spark-parquet.log" | sed 's/^extract_job: //')"
fi

echo "spark: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
