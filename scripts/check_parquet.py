#!/usr/bin/env python3
"""Reads every Parquet report in a folder with pyarrow and with DuckDB and checks that each holds the
same values as the CSV beside it, with dates as dates and counts as integers; and that pandas opens
each (when pandas is installed).

Usage: scripts/check_parquet.py [REPORTS_DIR]   (default: reports)
Exits 0 when all agree, 1 on a difference, 0 with a message when pyarrow or duckdb is not installed.
"""
import csv
import sys
from pathlib import Path

try:
    import duckdb
    import pyarrow.parquet as pq
    import pyarrow as pa
except ImportError as err:
    print(f"skipped: {err.name} is not installed (pip install pyarrow duckdb)")
    sys.exit(0)

DATES = {"date", "first_date", "last_date"}
LISTS = {"aliases", "alias_mentions"}
COUNTS = {"count", "documents", "mentions", "start", "end", "bytes", "tokens", "terms", "sentences", "sentence"}


def csv_text(text):
    """A CSV cell as the value it holds: tally puts a ' before text a spreadsheet would run."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def cell(value):
    """A Parquet value printed as tally prints it in CSV."""
    if value is None:
        return ""
    if isinstance(value, list):
        # An item holding "; " or starting with a double quote is quoted, as tally's CSV does.
        items = [cell(v) for v in value]
        quote = lambda t: '"' + t.replace('"', '""') + '"' if "; " in t or t.startswith('"') else t
        return "; ".join(quote(t) for t in items)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def problems_of(parquet: Path) -> list:
    """What is wrong with one Parquet report, read by pyarrow and by DuckDB, against its CSV."""
    with open(parquet.with_suffix(".csv"), newline="", encoding="utf-8-sig") as f:
        rows = [[csv_text(c) for c in r] for r in csv.reader(f)]
    header, body = rows[0], rows[1:]
    table = pq.read_table(parquet)
    duck = duckdb.sql(f"SELECT * FROM read_parquet('{parquet}')")
    if table.column_names != header or duck.columns != header:
        return [f"columns {table.column_names} / {duck.columns} != CSV {header}"]
    problems = []
    for name in header:
        arrow_type = table.schema.field(name).type
        if name in DATES and arrow_type != pa.date32():
            problems.append(f"{name}: {arrow_type}, not a date")
        if name in COUNTS and not pa.types.is_integer(arrow_type):
            problems.append(f"{name}: {arrow_type}, not an integer")
        if "view" in str(arrow_type):
            problems.append(f"{name}: {arrow_type}, a type older readers do not know")
        if name in LISTS and not pa.types.is_large_list(arrow_type):
            problems.append(f"{name}: {arrow_type}, not a list")
    arrow_rows = [[cell(v) for v in r.values()] for r in table.to_pylist()]
    duck_rows = [[cell(v) for v in r] for r in duck.fetchall()]
    for label, got in (("pyarrow", arrow_rows), ("duckdb", duck_rows)):
        if got != body:
            bad = next(i for i, (a, b) in enumerate(zip(got + [None] * len(body), body)) if a != b)
            problems.append(f"via {label}: row {bad + 1} is {got[bad] if bad < len(got) else None}, CSV has {body[bad]}")
    try:
        import pandas
    except ImportError:
        pandas = None
    if pandas is not None:
        try:
            if len(pandas.read_parquet(parquet)) != len(body):
                problems.append("pandas reads another number of rows")
        except Exception as err:  # noqa: BLE001 - any failure to open is the finding
            problems.append(f"pandas cannot read it: {err}")
    print(f"{parquet.name}: {len(body)} rows, types {[str(t) for t in table.schema.types]}")
    return problems


def check(folder: Path) -> int:
    """Checks every Parquet report in `folder`; returns how many failed (1 when there is none)."""
    reports = sorted(folder.glob("*.parquet"))
    failed = 0
    for parquet in reports:
        problems = problems_of(parquet)
        for problem in problems:
            print(f"{parquet.name}: {problem}")
        failed += bool(problems)
    print(f"parquet reports: {len(reports) - failed} passed, {failed} failed")
    return failed if reports else 1


if __name__ == "__main__":
    sys.exit(1 if check(Path(sys.argv[1] if len(sys.argv) > 1 else "reports")) else 0)
