#!/usr/bin/env bash
# Whole-run throughput on real text, against baselines measured in the same invocation:
#   benches/throughput.sh [COPIES]        (default 10; needs ../shared and /usr/bin/time)
# Builds COPIES copies of the Reuters corpus as a folder and as one JSON Lines file with
# ../shared/tools/bench-corpus.sh, then times: a plain read of every file (the floor), the naive
# Rust baseline (examples/naive.rs) and `tally run` in three profiles (--reports terms; the core
# reports terms, actors, mentions and documents; every report in every format), each with 1 and 2
# threads, and prints MB/s, peak memory and each profile's ratios against the naive baseline.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
copies=${1:-10}
shared=$here/../shared
if [[ ! -x $shared/tools/bench-corpus.sh ]]; then
  echo "skipped: $shared/tools/bench-corpus.sh is absent"
  exit 0
fi
work=${TMPDIR:-/tmp}/tally-throughput-$copies
mkdir -p "$work"
# The copies must be files of their own: tally reads a file it meets twice (a hard link) once, so
# copies made of hard links (as bench-corpus.sh makes them) would be read as one.
if [[ ! -d $work/folder ]] || [[ $(find "$work/folder" -type f -links +1 -print -quit) ]]; then
  chmod -R u+w "$work/folder" 2>/dev/null || true
  rm -rf "$work/folder" "$work/one"
  "$shared/tools/bench-corpus.sh" 1 "$work/one" >/dev/null
  mkdir -p "$work/folder"
  for ((i = 0; i < copies; i++)); do
    cp -r "$work/one/copy-0" "$work/folder/copy-$i"
  done
  chmod -R u+w "$work/folder" "$work/one"
  rm -rf "$work/one"
fi
[[ -f $work/corpus.jsonl ]] || "$shared/tools/bench-corpus.sh" --jsonl "$copies" "$work/corpus.jsonl" >/dev/null
cd "$here"
cargo build --release --quiet --bin tally --example naive
target=${CARGO_TARGET_DIR:-$here/target}
tally=$target/release/tally
naive=$target/release/examples/naive
folder_mb=$(find "$work/folder" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s/1e6}')
jsonl_mb=$(stat -c %s "$work/corpus.jsonl" | awk '{print $1/1e6}')

declare -A secs rss
measure() { # name, MB, command...
  local name=$1 mb=$2; shift 2
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2>&1
  read -r s kb < "$work/time"
  secs[$name]=$s; rss[$name]=$((kb / 1024))
  printf '%-28s %8.2f s %8.1f MB/s %6d MB peak\n' "$name" "$s" "$(awk -v a="$mb" -v b="$s" 'BEGIN {print a / b}')" "${rss[$name]}"
}
# Every run reads from the page cache: warm it once.
cat "$work/corpus.jsonl" > /dev/null
find "$work/folder" -type f -exec cat {} + > /dev/null
echo "corpus: $copies copies of Reuters: folder $folder_mb MB, JSON Lines $jsonl_mb MB ($(date -u +%F), $(nproc) cores)"
measure "read floor (folder, 2 thr)" "$folder_mb" "$naive" --threads 2 --read-only "$work/folder"
measure "naive folder 1 thread" "$folder_mb" "$naive" --threads 1 "$work/folder"
measure "naive folder 2 threads" "$folder_mb" "$naive" --threads 2 "$work/folder"
measure "naive jsonl 2 threads" "$jsonl_mb" "$naive" --threads 2 "$work/corpus.jsonl"
# The profiles: what a run asks for (--reports), each with 1 and 2 threads on the JSON Lines file.
profile_terms=(--reports terms --format csv,parquet)
profile_core=(--reports terms,actors,mentions,documents --format csv,parquet)
profile_all=()
for p in terms core all; do
  declare -n flags=profile_$p
  measure "$p jsonl 1 thread" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/$p-1" --threads 1 --quiet "${flags[@]}"
  measure "$p jsonl 2 threads" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/$p-2" --threads 2 --quiet "${flags[@]}"
done
measure "terms folder 2 threads" "$folder_mb" "$tally" run "$work/folder" --out "$work/terms-f" --threads 2 --quiet \
  "${profile_terms[@]}"
measure "all folder 2 threads" "$folder_mb" "$tally" run "$work/folder" --out "$work/all-f" --threads 2 --quiet
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "profile (JSON Lines, 2 threads)         vs naive   2 thr vs 1   peak MB   target"
row() { # profile, target
  printf '%-40s %6sx %10sx %9s   %s\n' "$1" "$(ratio "${secs[naive jsonl 2 threads]}" "${secs[$1 jsonl 2 threads]}")" \
    "$(ratio "${secs[$1 jsonl 1 thread]}" "${secs[$1 jsonl 2 threads]}")" "${rss[$1 jsonl 2 threads]}" "$2"
}
row terms ">= 3x naive, peak <= 150 MB"
row core ">= 1.5x naive"
row all ">= 0.6x naive, peak <= 400 MB"
echo "each profile, 2 threads against 1: target >= 1.8x"
echo "terms on the folder against the read floor: $(ratio "${secs[terms folder 2 threads]}" "${secs[read floor (folder, 2 thr)]}")x the floor's time (target <= 1.5)"
echo "all reports on the folder against naive: $(ratio "${secs[naive folder 2 threads]}" "${secs[all folder 2 threads]}")x"
