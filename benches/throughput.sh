#!/usr/bin/env bash
# Whole-run throughput on real text, against baselines measured in the same invocation:
#   benches/throughput.sh [COPIES]        (default 10; needs ../shared and /usr/bin/time)
# Builds COPIES copies of the Reuters corpus as a folder and as one JSON Lines file with
# ../shared/tools/bench-corpus.sh, then times: a plain read of every file (the floor), the naive
# Rust baseline (examples/naive.rs) and `tally run` (all reports), each with 1 and 2 threads, and
# prints MB/s, peak memory and the ratios the throughput issue sets targets for; then the share of
# the n-grams (`--no-ngrams`) in a run writing CSV and Parquet.
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
[[ -d $work/folder ]] || "$shared/tools/bench-corpus.sh" "$copies" "$work/folder" >/dev/null
[[ -f $work/corpus.jsonl ]] || "$shared/tools/bench-corpus.sh" --jsonl "$copies" "$work/corpus.jsonl" >/dev/null
cd "$here"
cargo build --release --quiet --bin tally --example naive
tally=$here/target/release/tally
naive=$here/target/release/examples/naive
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
measure "tally folder 1 thread" "$folder_mb" "$tally" run "$work/folder" --out "$work/r1" --threads 1 --quiet
measure "tally folder 2 threads" "$folder_mb" "$tally" run "$work/folder" --out "$work/r2" --threads 2 --quiet
measure "tally jsonl 1 thread" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/j1" --threads 1 --quiet
measure "tally jsonl 2 threads" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/j2" --threads 2 --quiet
# The workbook's share: the same run without tally.xlsx (its writing is serial, after the counting).
measure "tally jsonl 2 thr, no xlsx" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/j3" --threads 2 \
  --format csv,parquet,html --quiet
# The n-grams' share of a run writing CSV and Parquet: the corpus statistics' largest part.
measure "tally jsonl 2 thr, csv+parquet" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/j4" --threads 2 \
  --format csv,parquet --quiet
measure "tally csv+parquet --no-ngrams" "$jsonl_mb" "$tally" run "$work/corpus.jsonl" --out "$work/j5" --threads 2 \
  --format csv,parquet --no-ngrams --quiet
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "tally jsonl 2 threads vs naive jsonl 2 threads: $(ratio "${secs[naive jsonl 2 threads]}" "${secs[tally jsonl 2 threads]}")x (target >= 3)"
echo "tally jsonl: 2 threads vs 1: $(ratio "${secs[tally jsonl 1 thread]}" "${secs[tally jsonl 2 threads]}")x (target >= 1.6)"
echo "tally jsonl 2 threads without the workbook vs naive: $(ratio "${secs[naive jsonl 2 threads]}" "${secs[tally jsonl 2 thr, no xlsx]}")x"
echo "n-grams and collocations, CSV and Parquet: +$(awk -v a="${secs[tally jsonl 2 thr, csv+parquet]}" -v b="${secs[tally csv+parquet --no-ngrams]}" 'BEGIN {printf "%.0f", 100 * (a / b - 1)}')% of the run's time without them (the corpus statistics may cost 30%)"
echo "tally folder 2 threads vs the read floor: $(ratio "${secs[tally folder 2 threads]}" "${secs[read floor (folder, 2 thr)]}")x the floor's time (target <= 1.4)"
cmp -s "$work/r1/terms.csv" "$work/r2/terms.csv" && echo "1 and 2 threads: identical terms.csv" || echo "1 and 2 threads: terms.csv DIFFERS"
