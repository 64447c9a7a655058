#!/usr/bin/env bash
# Renders report.html in headless Chromium with the network cut off, as a reader on an offline
# machine would open it, and checks the page drew its charts.
#
#   scripts/check_html.sh TALLY [SHARED] [PNG]
#
# TALLY is the tally binary; SHARED the shared data folder (default ../shared): the Wikinews corpus
# there is reported, or, when it is absent, seeds/ and two dated documents written here. PNG (default: $TMPDIR/tally-report.png) receives a
# full-page screenshot to look at. Skips (exit 0) when Chromium is not installed.
set -euo pipefail
tally=$(realpath "$1")
shared=${2:-../shared}
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "skipped: Chromium is not installed, report.html not rendered"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
png=${3:-${TMPDIR:-/tmp}/tally-report.png}
corpus=$shared/corpora/wikinews
if [ ! -d "$corpus" ]; then
  # Without ../shared: the seed and two more dated documents, so the timelines have dates to draw.
  corpus=$work/corpus
  mkdir -p "$corpus"
  cp seeds/* "$corpus/"
  printf ' date 2022-10-29 \nArmenia and Azerbaijan met in Brussels. Armenia asked the CSTO for help.\n' > "$corpus/b.txt"
  printf ' date 2022-11-02 \nNikol Pashinyan said Armenia and Azerbaijan would talk again.\n' > "$corpus/c.txt"
fi
"$tally" run "$corpus" --out "$work/out" --format html --quiet

# No network: every request goes to a proxy that is not there, and background services are off.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --proxy-server=127.0.0.1:9 --user-data-dir="$work/profile"
  --hide-scrollbars)
"$browser" "${flags[@]}" --dump-dom "file://$work/out/report.html" > "$work/dom.html" 2>/dev/null
"$browser" "${flags[@]}" --window-size=1200,4000 --screenshot="$png" "file://$work/out/report.html" >/dev/null 2>&1

failures=0
charts=$(grep -o '<svg' "$work/dom.html" | wc -l)
if [ "$charts" -ne 7 ]; then
  echo "FAILED: Chromium's page holds $charts charts, not 7"
  failures=$((failures + 1))
fi
for label in "Top terms" "Top actors by kind" "The busiest actors over time" "What surged" "Who is named with whom" \
  "Words that go together" "Documents by date" "occurrences" "mentions"; do
  if ! grep -q "$label" "$work/dom.html"; then
    echo "FAILED: no \"$label\" in the rendered page"
    failures=$((failures + 1))
  fi
done
# Wikinews spans two years and repeats its word pairs: both tables have rows.
tables=$(grep -o '<table>' "$work/dom.html" | wc -l)
if [ -d "$shared/corpora/wikinews" ] && [ "$tables" -ne 2 ]; then
  echo "FAILED: $tables tables (what surged, words that go together), not 2"
  failures=$((failures + 1))
fi
# Each top actor opens on its first mentions in context, the mention in bold.
if ! grep -q '<details><summary>[^<]*</summary><ol class="ctx"><li>…[^<]*<b>' "$work/dom.html"; then
  echo "FAILED: no actor of the table opens on its mentions in context"
  failures=$((failures + 1))
fi

# Text in Chinese, Armenian and Devanagari reaches the page and a font of this machine draws each
# script (without one, a reader sees empty boxes): .ci/run installs Noto's fonts.
scripts=$work/scripts
mkdir -p "$scripts"
printf ' date 2022-10-27 \n北京大学的学生在北京学习。北京是中国的首都。\n' > "$scripts/zh.txt"
printf ' date 2022-10-28 \nՀայաստանի Հանրապետությունը և Երևանը։ Հայաստանի կառավարությունը։\n' > "$scripts/hy.txt"
printf ' date 2022-10-29 \nभारत की राजधानी नई दिल्ली है। भारत बड़ा देश है।\n' > "$scripts/hi.txt"
"$tally" run "$scripts" --out "$work/scripts-out" --format html --stopwords zh --quiet
"$browser" "${flags[@]}" --dump-dom "file://$work/scripts-out/report.html" > "$work/scripts.html" 2>/dev/null
for pair in "zh:北京" "hy:Հայաստանի" "hi:भारत"; do
  lang=${pair%%:*} word=${pair#*:}
  if ! grep -q "$word" "$work/scripts.html"; then
    echo "FAILED: \"$word\" ($lang) is not in the rendered page"
    failures=$((failures + 1))
  fi
  if [ -z "$(fc-list ":lang=$lang" family 2>/dev/null)" ]; then
    echo "FAILED: no font here draws $lang text (install fonts-noto-cjk and fonts-noto-core)"
    failures=$((failures + 1))
  fi
done

size=$(stat -c %s "$png")
if [ "$size" -lt 50000 ]; then
  echo "FAILED: the screenshot is $size bytes: a blank page?"
  failures=$((failures + 1))
fi
echo "report.html of $corpus rendered offline: $charts charts; screenshot $png ($size bytes)"
echo "html: $failures failures"
[ "$failures" -eq 0 ]
