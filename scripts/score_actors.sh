#!/usr/bin/env bash
# Scores tally's actor mentions on CoNLL-2003 (../shared/corpora/conll2003) with the shared scorer:
# a plain `tally run` over the folder, its mentions report turned into the scorer's JSON Lines.
#   scripts/score_actors.sh [dev|train]      (default: dev; needs a release build: cargo build --release)
# TALLY=path/to/tally scores another build (to compare two builds on the same data).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
set_name=${1:-dev}
shared=$here/../shared
if [[ ! -d $shared/corpora/conll2003 ]]; then
  echo "skipped: $shared/corpora/conll2003 is absent"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"${TALLY:-$here/target/release/tally}" run "$shared/corpora/conll2003/$set_name" --out "$out" --quiet
python3 - "$out/mentions.csv" "$out/pred.jsonl" <<'PY'
import csv, json, sys
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
        f.write(json.dumps({"doc": r["doc"], "start": int(r["start"]), "end": int(r["end"]), "kind": r["kind"]}) + "\n")
PY
python3 "$shared/tools/score_mentions.py" "$shared/corpora/conll2003/$set_name.gold.jsonl" "$out/pred.jsonl"
