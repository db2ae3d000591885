#!/usr/bin/env bash
# linearity.sh: checks that the release binary's time grows linearly with the input on
# pathological texts (issue 6). Each case runs at N and 2N bytes (the single long line at
# 25 MB and 50 MB); the script prints wall and CPU time, peak memory and the CPU-time ratio
# 2N / N after subtracting start-up (loading the gazetteers). Linear is about 2, quadratic
# about 4; ratios above 2.8 are flagged and make the exit status 1.
#
# Usage: scripts/linearity.sh [--bin PATH] [--scale F] [--only TEXT] [--keep DIR] [--repeat R]
#   --bin PATH   the binary (default target/release/extract; build it first with
#                `cargo build --release`)
#   --scale F    multiply every size by F (default 1; 0.1 for a quick look)
#   --only TEXT  run only the cases whose name contains TEXT
#   --keep DIR   write the generated inputs to DIR and keep them
#   --repeat R   run each input R times and keep the fastest (default 2)
# Needs python3 (standard library only). Takes a few minutes at scale 1.
set -euo pipefail

case "${1:-}" in
-h | --help)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
exec python3 - "$root" "$@" <<'PY'
import os, subprocess, sys, tempfile, time

root, args = sys.argv[1], sys.argv[2:]
opts = {"--bin": os.path.join(root, "target/release/extract"), "--scale": "1", "--only": "", "--keep": "", "--repeat": "2"}
while args:
    k = args.pop(0)
    if k not in opts or not args:
        sys.exit(f"linearity.sh: unknown or incomplete option {k!r} (see --help)")
    opts[k] = args.pop(0)
binary, scale, only = opts["--bin"], float(opts["--scale"]), opts["--only"]
if not os.access(binary, os.X_OK):
    sys.exit(f"linearity.sh: no binary at {binary} (run `cargo build --release`)")

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
NAMES = ["China", "Russia", "Iran", "North Korea", "Britain", "the United States", "France", "Japan"]
MB, KB = 1 << 20, 1 << 10

def repeat_to(n, unit):
    """Repeats unit until the text has at least n bytes (whole units)."""
    return unit * max(1, -(-n // len(unit.encode())))

def long_line(n):
    unit = " ".join(WORDS) + " "
    return repeat_to(n, unit)

def nested(n):
    half = n // 2
    return (repeat_to(half, "([“‘«\"") + "Britain sanctioned Russia" + repeat_to(n - half, ")]”’»'"))

def entity_list(n):
    return "Britain sanctioned " + repeat_to(n, ", ".join(NAMES) + ", ") + "the Foreign Office said."

# name, N in bytes, generator
CASES = [
    ("long_line", 25 * MB, long_line),
    ("mr_repeated", 4 * MB, lambda n: repeat_to(n, "Mr. ")),
    ("entity_list_sentence", 2 * MB, entity_list),
    ("repeated_names", 8 * MB, lambda n: repeat_to(n, "Zhao Guangzong met Ni Gaobin in Beijing. APT31 denied it. ")),
    ("nested_brackets", 4 * MB, nested),
    ("cjk_text", 8 * MB, lambda n: repeat_to(n, "中华人民共和国外交部发言人表示，中国坚决反对美国的制裁。")),
    ("triggers_in_one_sentence", 4 * MB, lambda n: repeat_to(n, "Britain sanctioned Russia ")),
    ("sanctions_with_measures_in_one_sentence", 2 * MB, lambda n: repeat_to(n, "Britain sanctioned Russia with an asset freeze and ")),
    ("accusations_in_one_sentence", 2 * MB, lambda n: repeat_to(n, "China accused Russia of hacking and Russia denied it and ")),
    ("restated_accusations", 4 * MB, lambda n: repeat_to(n, "China accused Russia of hacking. Russia denied the accusations. ")),
    ("descriptions_without_antecedent", 4 * MB, lambda n: repeat_to(n, "China the company ")),
]

def run(path):
    """Runs the binary on one file; returns (wall s, cpu s, peak RSS MiB, exit status)."""
    t = time.perf_counter()
    p = subprocess.Popen([binary, "--quiet", "--compact", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace").strip()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(f"  exit {code}: {err[:300]}", file=sys.stderr)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, code

work = opts["--keep"] or tempfile.mkdtemp(prefix="extract-linearity-")
os.makedirs(work, exist_ok=True)
empty = os.path.join(work, "empty.txt")
open(empty, "w").close()
base = min((run(empty) for _ in range(3)), key=lambda r: r[1])
print(f"binary: {binary}\nstart-up (empty input): wall {base[0]:.3f}s, cpu {base[1]:.3f}s, {base[2]:.0f} MiB\n")
head = f"{'case':<42} {'size':>9} {'wall':>8} {'cpu':>8} {'MiB':>6} {'cpu-start':>9}"
print(head)
print("-" * len(head))
flagged = []
for name, n, make in CASES:
    if only and only not in name:
        continue
    n = max(1024, int(n * scale))
    net = []
    for size in (n, 2 * n):
        path = os.path.join(work, f"{name}.{size}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(make(size))
        actual = os.path.getsize(path)
        wall, cpu, rss, code = min((run(path) for _ in range(max(1, int(opts["--repeat"])))), key=lambda r: r[1])
        net.append(max(cpu - base[1], 1e-3))
        mark = "" if code == 0 else f"  EXIT {code}"
        print(f"{name:<42} {actual / MB:>7.2f}MB {wall:>7.2f}s {cpu:>7.2f}s {rss:>6.0f} {net[-1]:>8.2f}s{mark}")
        if code != 0:
            flagged.append(f"{name}: exit {code}")
        if not opts["--keep"]:
            os.remove(path)
    ratio = net[1] / net[0]
    if net[1] < 0.25:
        # Too little work above start-up for a ratio to mean anything.
        print(f"{'':<42} {'ratio 2N/N (cpu - start-up):':>36} {ratio:.2f}  (too short to judge; raise --scale)")
        continue
    flag = "  <-- SUPERLINEAR" if ratio > 2.8 else ""
    print(f"{'':<42} {'ratio 2N/N (cpu - start-up):':>36} {ratio:.2f}{flag}")
    if flag:
        flagged.append(f"{name}: ratio {ratio:.2f}")
if not opts["--keep"]:
    os.remove(empty)
    os.rmdir(work)
print()
if flagged:
    print("not linear or failed: " + "; ".join(flagged))
    sys.exit(1)
print("all cases within 2.8x for 2x input")
PY
