#!/usr/bin/env python3
"""Opens tally's reports in LibreOffice, as a user would, and checks nothing changed on the way.

    python3 scripts/check_spreadsheets.py TALLY [SHARED]

TALLY is the tally binary; SHARED the shared data folder (default ../shared). The script writes a
corpus of its own in a temporary folder: the Armenian, Russian and Chinese texts of
SHARED/corpora/multilingual (when present), the seed document, and a document whose file name is a
formula, =HYPERLINK("x","y").txt, which also names an actor of a user dictionary written here,
@SUM(A1). It runs `tally run --actors` on it, then has LibreOffice
(`soffice --headless --convert-to csv`):

- export every sheet of tally.xlsx as CSV: each sheet must hold the same cells as the report's CSV
  (booleans aside, which LibreOffice prints as TRUE/FALSE), with the formula-like file name as text;
- open every CSV report and save it again as CSV: the cells must come back unchanged, non-ASCII
  text included, and the formula-like file name must not be run. One change is allowed and counted:
  a CSV carries no types, so LibreOffice (like Excel) reads a text cell that looks like a number,
  such as the term `10,000` or `04`, as that number. tally.xlsx keeps such text as text.

Exits 0 when every check passes, 1 when one fails, and 0 with a "skipped" line when soffice is not
installed.
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FORMULA_NAME = '=HYPERLINK("x","y").txt'
FORMULA_ACTOR = "@SUM(A1)"
# LibreOffice's CSV filter: comma, double quote, UTF-8 (76), from line 1, ..., all sheets (-1).
EXPORT_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
IMPORT_UTF8 = "CSV:44,34,76,1"


def read_csv(path):
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def normalise(rows):
    """Cells as a spreadsheet shows them: booleans in upper case."""
    return [[{"true": "TRUE", "false": "FALSE"}.get(c, c) for c in row] for row in rows]


def unquote(rows):
    """The CSV writer's formula guard (a leading ') taken off, as the workbook stores the text."""
    risky = ("=", "+", "-", "@", "\t", "\r")
    return [[c[1:] if c.startswith("'") and c[1:].startswith(risky) else c for c in row] for row in rows]


def soffice(args, cwd):
    profile = Path(cwd) / "lo-profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr}")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tally = Path(sys.argv[1]).resolve()
    shared = Path(sys.argv[2] if len(sys.argv) > 2 else "../shared")
    if shutil.which("soffice") is None:
        print("skipped: soffice (LibreOffice) is not installed, spreadsheets not checked with it")
        return 0
    repo = Path(__file__).resolve().parent.parent
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        multilingual = shared / "corpora" / "multilingual"
        languages = []
        if multilingual.is_dir():
            for name in ("hy_armtdp-test.txt", "ru_gsd-test.txt", "zh_gsd-test.txt"):
                if (multilingual / name).exists():
                    shutil.copy(multilingual / name, corpus / name)
                    languages.append(name)
        else:
            print(f"note: {multilingual} is absent; only the seed and the formula-named document are used")
        for seed in (repo / "seeds").iterdir():
            shutil.copy(seed, corpus / seed.name)
        (corpus / FORMULA_NAME).write_text("Sergei Lavrov met Ararat Mirzoyan and SUM(A1) in Yerevan.\n",
                                           encoding="utf-8")
        dictionary = tmp / "mine.csv"
        dictionary.write_text(f"actor,kind,aliases\n{FORMULA_ACTOR},organization,SUM(A1)\n", encoding="utf-8")
        out = tmp / "out"
        subprocess.run([str(tally), "run", str(corpus), "--out", str(out), "--actors", str(dictionary), "--quiet"],
                       check=True)
        reports = sorted(p.stem for p in out.glob("*.csv"))

        # The workbook, every sheet exported.
        sheets = tmp / "sheets"
        sheets.mkdir()
        soffice(["--convert-to", EXPORT_ALL_SHEETS, "--outdir", str(sheets), str(out / "tally.xlsx")], tmp)
        for report in reports:
            exported = sheets / f"tally-{report}.csv"
            if not exported.exists():
                failures.append(f"tally.xlsx: no sheet {report}")
                continue
            ours, theirs = normalise(unquote(read_csv(out / f"{report}.csv"))), read_csv(exported)
            if ours != theirs:
                bad = next(i for i, (a, b) in enumerate(zip(ours + [[]], theirs + [[]])) if a != b)
                failures.append(f"tally.xlsx sheet {report}, row {bad + 1}: {theirs[bad:bad+1]} != {ours[bad:bad+1]}")
            else:
                print(f"ok: tally.xlsx sheet {report}: {len(theirs) - 1} rows as in {report}.csv")
        docs = read_csv(sheets / "tally-documents.csv")
        if not any(row[0] == FORMULA_NAME for row in docs[1:]):
            failures.append("tally.xlsx: the formula-named document is not shown as its name")
        if not any(row[0] == FORMULA_ACTOR for row in read_csv(sheets / "tally-actors.csv")[1:]):
            failures.append(f"tally.xlsx: the actor {FORMULA_ACTOR} is not shown as its name")

        # Every CSV, opened and saved again.
        again = tmp / "again"
        again.mkdir()
        for report in reports:
            copy = tmp / "in" / f"{report}.csv"
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(out / f"{report}.csv", copy)
            soffice(["--infilter=" + IMPORT_UTF8, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                     "--outdir", str(again), str(copy)], tmp)
            ours, theirs = normalise(read_csv(out / f"{report}.csv")), read_csv(again / f"{report}.csv")
            same = len(ours) == len(theirs) and all(
                len(a) == len(b) and all(x == y or read_as_number(x, y) for x, y in zip(a, b))
                for a, b in zip(ours, theirs))
            numeric = sum(x != y for a, b in zip(ours, theirs) for x, y in zip(a, b))
            if not same:
                bad = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
                failures.append(f"{report}.csv through LibreOffice, row {bad + 1}: "
                                f"{theirs[bad:bad+1]} != {ours[bad:bad+1]}")
            else:
                note = f" ({numeric} number-like text cells read as numbers)" if numeric else ""
                print(f"ok: {report}.csv opened and saved by LibreOffice: {len(theirs) - 1} rows unchanged{note}")
        docs = read_csv(again / "documents.csv")
        if any(row[0] == "y" for row in docs[1:]):
            failures.append("documents.csv: LibreOffice ran the formula-named document as a formula")
        if not any(row[0] == "'" + FORMULA_ACTOR for row in read_csv(again / "actors.csv")[1:]):
            failures.append(f"actors.csv: LibreOffice did not keep the actor {FORMULA_ACTOR} as text")
        if languages:
            print(f"ok: non-ASCII text of {', '.join(languages)} unchanged in every sheet and CSV")
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"spreadsheets: {len(failures)} failures")
    return 1 if failures else 0


def read_as_number(text, shown):
    """Whether `shown` is the number a spreadsheet reads in the text `text` (`10,000` -> `10000`)."""
    try:
        return float(text.replace(",", "")) == float(shown)
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
