#!/usr/bin/env bash
# EYES benchmark: the Rust engine (`server eyes`: load, features, segmentation, churn, CLV) against
# the same pipeline in scikit-learn (bench/eyes_sklearn.py), on synthetic organisations made by
# bench/eyes_data.py. Run by hand on an otherwise idle machine; not part of CI.
#
#   bench/eyes.sh                               # 10k, 100k and 1M customers; sklearn up to 100k
#   BENCH_SIZES="10000 100000" bench/eyes.sh
#   BENCH_SKLEARN_MAX=1000000 bench/eyes.sh     # scikit-learn on 1M customers too (slow)
#   BENCH_THREADS=1 bench/eyes.sh               # both engines on one thread (rayon, OpenMP, BLAS)
#   BENCH_SKIP_RUST=1 bench/eyes.sh             # scikit-learn only
#   BENCH_TABLE_ONLY=1 bench/eyes.sh            # reprint the table from the last results
#   BENCH_RUNS=1 bench/eyes.sh                  # one run per engine and size instead of three
#
# Data is cached in target/bench-eyes/N (BENCH_DATA moves it), regenerated when eyes_data.py or
# the seed changes; results (JSON reports, /usr/bin/time -v output) go to its results/. numpy,
# pandas and scikit-learn are installed into a venv at target/bench-venv when missing.
# Prints a markdown table: per size and engine the stage wall times, peak RSS, the winning
# segmentation's silhouette, held-out churn AUC at 30/60/90 days and the speed-up.
#
# Each engine runs BENCH_RUNS times (default 3), the two taking turns, and the table gives the
# run with the median total: one run on a VM is noisy (the first run after an idle pause was
# seen 10 % slower than a repeat), and the median neither picks the luckiest run nor the unluckiest.
# Every run's total is printed too.
#
# Both engines use every core by default. scikit-learn's OpenMP threads spin while they wait, so
# on a busy machine its times inflate far more than Rust's: use BENCH_THREADS=1 there.
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

SIZES="${BENCH_SIZES:-10000 100000 1000000}"
SKLEARN_MAX="${BENCH_SKLEARN_MAX:-100000}"
SEED="${BENCH_SEED:-7}"
RUNS="${BENCH_RUNS:-3}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number of at least 1, not '$RUNS'"
CUTOFF="2026-06-30"
DATA="${BENCH_DATA:-target/bench-eyes}"
RESULTS="$DATA/results"
VENV="target/bench-venv"
BIN="target/release/server"
PY=""

if [ -n "${BENCH_THREADS:-}" ]; then
  export RAYON_NUM_THREADS="$BENCH_THREADS" OMP_NUM_THREADS="$BENCH_THREADS" \
    OPENBLAS_NUM_THREADS="$BENCH_THREADS" MKL_NUM_THREADS="$BENCH_THREADS"
fi

# numpy, pandas and scikit-learn: in a venv under target/, or with pip --user when the venv
# module is missing. Sets PY.
setup_python() {
  have python3 || die "python3 not found (apt-get install python3 python3-venv)"
  local check='import numpy, pandas, scipy, sklearn'
  if [ ! -x "$VENV/bin/python" ]; then
    log "python3 -m venv $VENV"
    python3 -m venv "$VENV" >/dev/null 2>&1 || { warn "python3 -m venv failed (no python3-venv?): using pip install --user"; rm -rf "$VENV"; }
  fi
  local user=()
  if [ -x "$VENV/bin/python" ]; then PY="$VENV/bin/python"; else PY="python3"; user=(--user); fi
  if ! "$PY" -c "$check" 2>/dev/null; then
    log "pip install numpy pandas scikit-learn (${PY})"
    "$PY" -m pip install -q "${user[@]}" numpy pandas scikit-learn
  fi
  "$PY" -c "$check" 2>/dev/null || die "numpy / pandas / scikit-learn are not importable by $PY"
  note "$("$PY" -c 'import numpy, pandas, sklearn; print(f"numpy {numpy.__version__}, pandas {pandas.__version__}, scikit-learn {sklearn.__version__}")')"
}

setup_time() {
  if ! /usr/bin/time -v true >/dev/null 2>&1; then
    apt_install time
  fi
}

# build_rust: the release server, which must know `eyes`.
build_rust() {
  log "cargo build --release -p server"
  cargo build --release -p server
  if ! "$BIN" eyes --help >/dev/null 2>&1; then
    die "$BIN has no \`eyes\` subcommand (\`$BIN eyes --help\` fails): the EYES CLI is not in this build yet. Run with BENCH_SKIP_RUST=1 for scikit-learn alone."
  fi
}

# data N: generates (or reuses) target/bench-eyes/N.
data() {
  local n="$1" dir="$DATA/$1" stamp
  stamp="seed=$SEED $(sha256sum bench/eyes_data.py | cut -c1-16)"
  if [ -f "$dir/events.csv" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
    note "data: $dir (cached)"
    return
  fi
  log "generating $n customers into $dir"
  rm -rf "$dir"
  "$PY" bench/eyes_data.py --customers "$n" --seed "$SEED" --out "$dir" >&2
  printf '%s\n' "$stamp" >"$dir/.stamp"
}

# run ENGINE N I: one timed run; its report goes to results/N.ENGINE.I.json, time -v to .I.time.
run() {
  local engine="$1" n="$2" i="$3" dir="$DATA/$2" out="$RESULTS/$2.$1.$3" cmd
  case "$engine" in
    rust) cmd=(env RUST_LOG=warn OMNIFY_ENV=development "$BIN" eyes --customers "$dir/customers.csv" --orders "$dir/orders.csv"
                 --events "$dir/events.csv" --cutoff "$CUTOFF" --seed "$SEED" --json) ;;
    sklearn) cmd=("$PY" bench/eyes_sklearn.py --customers "$dir/customers.csv" --orders "$dir/orders.csv"
                    --events "$dir/events.csv" --cutoff "$CUTOFF" --seed "$SEED") ;;
  esac
  log "$engine: $n customers (run $i of $RUNS)"
  rm -f "$out.json" "$out.time" "$out.err"
  if ! /usr/bin/time -v -o "$out.time" "${cmd[@]}" >"$out.json" 2>"$out.err"; then
    tail -n 20 "$out.err" >&2
    die "$engine failed on $n customers (full output: $out.err)"
  fi
  note "$(grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$out.time" | sed 's/^[[:space:]]*//' | paste -sd ';' -)"
}

# measure N: RUNS timed runs of each engine on N customers, the engines taking turns so that
# neither always runs first on a cold machine or last on a warm one.
measure() {
  local n="$1" i
  for i in $(seq 1 "$RUNS"); do
    if [ -z "${BENCH_SKIP_RUST:-}" ]; then run rust "$n" "$i"; fi
    if [ "$n" -le "$SKLEARN_MAX" ]; then run sklearn "$n" "$i"; fi
  done
}

# table: the markdown table from results/*.
table() {
  "${PY:-python3}" - "$RESULTS" $SIZES <<'PY'
import json, os, re, sys

results, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]

def report(path):
    """The JSON report in `path`; tolerates log lines printed before it."""
    try:
        text = open(path).read()
    except OSError:
        return None
    try:
        return json.loads(text)
    except ValueError:
        dec = json.JSONDecoder()
        for m in re.finditer(r"^\{", text, re.M):
            try:
                return dec.raw_decode(text[m.start():])[0]
            except ValueError:
                continue
    return None

def peak_mb(path):
    try:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
        return int(m.group(1)) / 1024 if m else None
    except OSError:
        return None

def secs(ms):
    if ms is None:
        return "–"
    s = ms / 1000
    return f"{s:.3f} s" if s < 1 else f"{s:.2f} s" if s < 100 else f"{s:.0f} s"

def get(d, *path):
    for p in path:
        if not isinstance(d, dict) or d.get(p) is None:
            return None
        d = d[p]
    return d

def sil_of(a):
    s = a.get("silhouette")
    return s.get("value", s.get("mean")) if isinstance(s, dict) else s

def describe(a):
    s = sil_of(a)
    return f"{s:.3f} ({a.get('algorithm')}, k={a.get('k')})" if s is not None else "–"

def ungated(r):
    """The best silhouette with noise left out and no cluster-size floor (2..8 clusters, ≤ 25 % noise)."""
    best = get(r, "segmentation", "best_ungated")
    if best or not r:
        return best
    n = r.get("customers") or 0
    loose = [a for a in get(r, "segmentation", "algorithms") or []
             if sil_of(a) is not None and 2 <= (a.get("k") or 0) <= 8 and n and (a.get("noise_count") or 0) / n <= 0.25]
    return max(loose, key=sil_of) if loose else None

def seg(r):
    w = get(r, "segmentation", "winner")
    text = describe(w) if w else ("no clear structure" if r else "–")
    loose = ungated(r)
    if loose and (not w or sil_of(loose) != sil_of(w)):
        text += f"; loose rule {describe(loose)}"
    return text

def aucs(r):
    vals = [get(r, "churn", f"{h}d", "auc") for h in (30, 60, 90)]
    return " / ".join("–" if v is None else f"{v:.3f}" for v in vals) if r else "–"

def runs(n, engine):
    """Every run's (report, peak MB) for one size and engine, in run order."""
    out, i = [], 1
    while os.path.exists(f"{results}/{n}.{engine}.{i}.json"):
        out.append((report(f"{results}/{n}.{engine}.{i}.json"), peak_mb(f"{results}/{n}.{engine}.{i}.time")))
        i += 1
    return [(r, p) for r, p in out if get(r, "timings_ms", "total") is not None]

def median_run(rs):
    """The run with the median total (the lower middle one for an even count)."""
    if not rs:
        return None, None
    ordered = sorted(rs, key=lambda rp: get(rp[0], "timings_ms", "total"))
    return ordered[(len(ordered) - 1) // 2]

def results_of(r):
    """What must not change between runs of one engine: the winner and the AUCs."""
    return (seg(r), aucs(r))

stages = ["load", "features", "segmentation", "churn", "clv", "total"]
print()
print("| customers | engine | " + " | ".join(stages) + " | every run's total | peak MB | silhouette (winner) | churn AUC 30/60/90 d | speed-up |")
print("|---:|---|" + "---:|" * len(stages) + "---|---:|---|---|---:|")
for n in sizes:
    rust_runs, sk_runs = runs(n, "rust"), runs(n, "sklearn")
    rust, _ = median_run(rust_runs)
    sk, _ = median_run(sk_runs)
    rust_total, sk_total = get(rust, "timings_ms", "total"), get(sk, "timings_ms", "total")
    for name, rs, r in [("Rust", rust_runs, rust), ("scikit-learn", sk_runs, sk)]:
        if r is None:
            continue
        if len({results_of(x) for x, _ in rs}) > 1:
            print(f"WARNING: {name} at {n:,} gave different results in different runs", file=sys.stderr)
        peaks = [p for _, p in rs if p is not None]
        if name == "Rust":
            speed = f"{sk_total / rust_total:.1f}×" if rust_total and sk_total else "–"
        else:
            speed = "1×" if rust else "–"
        cells = [secs(get(r, "timings_ms", s)) for s in stages]
        every = " / ".join(secs(get(x, "timings_ms", "total")) for x, _ in rs)
        peak_cell = f"{max(peaks):,.0f}" if peaks else "–"
        print(f"| {n:,} | {name} | " + " | ".join(cells) + f" | {every} | {peak_cell} | {seg(r)} | {aucs(r)} | {speed} |")
print()
print("Each engine ran BENCH_RUNS times (default 3), taking turns; the stage times are those of the run with the "
      "median total, the peak is the highest of any run.")
print("speed-up: scikit-learn's median total / Rust's median total on the same data. scikit-learn has no CLV stage "
      "(BG/NBD + Gamma-Gamma); see the notes at the top of bench/eyes_sklearn.py.")
print("silhouette: both winners follow Rust's selection rules (every segment ≥ 2 % of customers, noise "
      "counted as 0 when ranking); \"loose rule\" is the best score with noise left out and no size floor.")
print("stages: Rust runs segmentation, churn and CLV side by side after the features, so its stage times "
      "overlap and add up to more than its total; scikit-learn runs them one after another.")
PY
}

mkdir -p "$RESULTS"
if [ -n "${BENCH_TABLE_ONLY:-}" ]; then
  table
  exit 0
fi

setup_time
setup_python
if [ -z "${BENCH_SKIP_RUST:-}" ]; then build_rust; fi

for n in $SIZES; do
  data "$n"
  rm -f "$RESULTS/$n".rust.* "$RESULTS/$n".sklearn.*
  measure "$n"
done
table
