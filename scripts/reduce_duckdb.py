#!/usr/bin/env python3
"""The reduce step of a sharded run in DuckDB, checked against `tally merge`.

    python3 scripts/reduce_duckdb.py MERGED_DIR PART_DIR...

PART_DIR are the output folders of `tally run --shard K/N`; MERGED_DIR holds the CSV reports
`tally merge` wrote from them. The script reduces the partial Parquet tables with plain SQL (sums,
minima and maxima grouped by key, as a Spark or DuckDB user would) and checks that every total
equals the merged report's: terms (count, documents), the term timeline, the n-grams, and the
documents and mentions (row counts and order). A shard's actors are as its documents name them;
`tally merge` resolves them across the corpus (a surname to the full name, one kind per actor),
which no sum of the partial tables can do: for the actors and the actor timeline the script checks
that resolving kept every mention (the mentions in all, and by period), and it leaves the pairs
(two forms of one actor in a document make one pair once resolved) to `tally merge`. Exits 1 on a
difference, 0 when all agree,
and 0 with a "skipped" line when the duckdb package is not installed.
"""

import csv
import json
import sys
from pathlib import Path


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def unquote(text):
    """The CSV writer's formula guard (a leading ') taken off."""
    risky = ("=", "+", "-", "@", "\t", "\r")
    return text[1:] if text.startswith("'") and text[1:].startswith(risky) else text


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    try:
        import duckdb
    except ImportError:
        print("skipped: the duckdb package is not installed, the reduce not checked with it")
        return 0
    merged = Path(sys.argv[1])
    parts = [Path(p) for p in sys.argv[2:]]
    con = duckdb.connect()

    def table(name):
        files = ", ".join(f"'{p / (name + '.parquet')}'" for p in parts)
        return f"read_parquet([{files}])"

    failures = []

    def check(report, key_columns, sql, columns):
        got = {tuple(str(v) for v in row[: len(key_columns)]): [str(v) for v in row[len(key_columns):]]
               for row in con.execute(sql).fetchall()}
        rows = read_csv(merged / f"{report}.csv")
        want = {tuple(unquote(r[k]) for k in key_columns): [r[c] for c in columns] for r in rows}
        missing = [k for k in want if k not in got]
        differ = [k for k in want if k in got and got[k] != want[k]]
        if missing or differ:
            sample = (missing + differ)[:3]
            failures.append(f"{report}: {len(missing)} rows missing, {len(differ)} differ, e.g. "
                            + "; ".join(f"{k}: duckdb {got.get(k)} tally {want[k]}" for k in sample))
        else:
            print(f"ok: {report}: {len(want)} rows, DuckDB's reduce agrees")
        return got

    check("terms", ["term"],
          f"""select term, sum(count), sum(documents), coalesce(cast(min(first_date) as varchar), ''),
                     coalesce(cast(max(last_date) as varchar), '')
              from {table('part_terms')} group by term""",
          ["count", "documents", "first_date", "last_date"])
    period = json.loads((merged / "manifest.json").read_text())["settings"].get("period", "month")

    def check_sums(report, key, sql, column):
        """Resolving across the corpus moves mentions between actors, never adds or drops one."""
        got = {str(row[0]): str(row[1]) for row in con.execute(sql).fetchall()}
        want = {}
        for r in read_csv(merged / f"{report}.csv"):
            k = r[key] if key else ""
            want[k] = str(int(want.get(k, 0)) + int(r[column]))
        if got != want:
            sample = [k for k in set(got) | set(want) if got.get(k) != want.get(k)][:3]
            failures.append(f"{report}: {column} in all differ, e.g. "
                            + "; ".join(f"{k}: duckdb {got.get(k)} tally {want.get(k)}" for k in sample))
        else:
            print(f"ok: {report}: every mention kept by the resolution ({len(want)} sums agree)")

    check_sums("actors", None, f"select '', sum(mentions) from {table('part_actors')}", "mentions")
    # A mention's date is its document's; the report goes by the run's period (ISO weeks start on
    # Monday, as DuckDB's date_trunc('week', …) does).
    check_sums("actor_timeline", "period",
               f"""select cast(cast(date_trunc('{period}', d.date) as date) as varchar), count(*)
                   from {table('part_mentions')} m join {table('part_documents')} d using (index)
                   where d.date is not null group by all""",
               "mentions")
    check("term_timeline", ["period", "term"],
          f"""select cast(period as varchar), term, sum(count), sum(documents)
              from {table('part_term_timeline')} group by all""",
          ["count", "documents"])
    check("ngrams", ["ngram"],
          f"""select ngram, sum(count), sum(documents) from {table('part_ngrams')} group by ngram""",
          ["count", "documents"])
    docs = [r[0] for r in con.execute(f"select doc from {table('part_documents')} order by index").fetchall()]
    if docs != [unquote(r["doc"]) for r in read_csv(merged / "documents.csv")]:
        failures.append("documents: the union ordered by index is not the merged documents report")
    else:
        print(f"ok: documents: {len(docs)} rows in the same order")
    mentions = con.execute(f"select doc, start from {table('part_mentions')} order by index, start").fetchall()
    want = [(unquote(r["doc"]), int(r["start"])) for r in read_csv(merged / "mentions.csv")]
    if mentions != want:
        failures.append("mentions: the union ordered by index and start is not the merged mentions report")
    else:
        print(f"ok: mentions: {len(mentions)} rows in the same order")
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"reduce: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
