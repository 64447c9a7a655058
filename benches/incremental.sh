#!/usr/bin/env bash
# Incremental runs (`--state`) against fresh runs, measured side by side in one invocation:
#   benches/incremental.sh [COPIES]       (default 10; needs ../shared and /usr/bin/time)
# On COPIES copies of Reuters as a folder (as benches/throughput.sh builds it), for the core profile
# and for every report: a fresh run, the first run with --state, one with nothing changed, then 1%
# more files (a new folder that sorts last), a run with --state and a fresh run; checks that the two
# give the same CSVs, and prints each time, peak memory, the state's size and the ratio of the run
# after 1% more files to the fresh one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
copies=${1:-10}
shared=$here/../shared
if [[ ! -x $shared/tools/bench-corpus.sh ]]; then
  echo "skipped: $shared/tools/bench-corpus.sh is absent"
  exit 0
fi
base=${TMPDIR:-/tmp}/tally-throughput-$copies
if [[ ! -d $base/folder ]]; then
  # benches/throughput.sh builds the folder of copies (files of their own, not hard links).
  echo "no $base/folder: run benches/throughput.sh $copies first, which builds it" >&2
  exit 1
fi
cd "$here"
cargo build --release --quiet --bin tally
tally=${CARGO_TARGET_DIR:-$here/target}/release/tally
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-incremental.XXXXXX")
trap 'rm -rf "$work"' EXIT
corpus=$work/corpus
cp -rl "$base/folder" "$corpus"
files=$(find "$corpus" -type f | wc -l)
grow() {
  mkdir -p "$corpus/zz-new"
  find "$base/folder" -type f -name "*.txt" | sort | awk -v n=$((files / 100)) "NR <= n" | while read -r f; do
    cp "$f" "$corpus/zz-new/$(echo "${f#"$base/folder/"}" | tr / -)"
  done
}
timed() { # LABEL OUT ARGS...: prints "LABEL seconds peak_MB"
  local label=$1 out=$2
  shift 2
  local t
  t=$( { /usr/bin/time -f '%e %M' "$tally" run "$corpus" --threads 2 --quiet --out "$out" "$@" >/dev/null; } 2>&1 | tail -1)
  echo "$label ${t% *} $(( ${t#* } / 1024 ))"
}
printf '| profile | fresh | first with --state | nothing changed | +1%% with --state | +1%% fresh | ratio | state |\n|---|---|---|---|---|---|---|---|\n'
for profile in core all; do
  case $profile in
    core) flags=(--reports terms,actors,mentions,documents --format csv,parquet) ;;
    all) flags=(--format csv,parquet,html) ;;
  esac
  rm -rf "$corpus/zz-new" "$work/state" "$work"/out-*
  fresh=$(timed fresh "$work/out-fresh" "${flags[@]}")
  first=$(timed first "$work/out-first" "${flags[@]}" --state "$work/state")
  same=$(timed same "$work/out-same" "${flags[@]}" --state "$work/state")
  grow
  plus=$(timed plus "$work/out-plus" "${flags[@]}" --state "$work/state")
  plus_fresh=$(timed plus-fresh "$work/out-plus-fresh" "${flags[@]}")
  for f in "$work/out-plus-fresh"/*.csv; do
    cmp -s "$f" "$work/out-plus/$(basename "$f")" || { echo "$profile: $(basename "$f") differs" >&2; exit 1; }
  done
  state_mb=$(du -sb "$work/state" | awk '{printf "%.0f", $1 / 1e6}')
  corpus_mb=$(du -sb "$base/folder" | awk '{printf "%.0f", $1 / 1e6}')
  cell() { set -- $1; echo "$2 s, $3 MB"; }
  ratio=$(awk -v a="$(set -- $plus; echo "$2")" -v b="$(set -- $plus_fresh; echo "$2")" 'BEGIN {printf "%.2fx", a / b}')
  echo "| $profile | $(cell "$fresh") | $(cell "$first") | $(cell "$same") | $(cell "$plus") | $(cell "$plus_fresh") | $ratio | $state_mb MB ($corpus_mb MB corpus) |"
done
