#!/usr/bin/env python3
"""Regenerates src/actors/data/nicknames.tsv: given names and the short forms news writes for them
("James" and "Jim", "Daniel" and "Dan", "Patricia" and "Pat"), by which resolving actors makes one
person of "Jim Wright" and "James Wright".

    python3 scripts/build_nicknames.py --names names.csv [--date YYYY-MM-DD]

names.csv is `names.csv` of https://github.com/carltonnorthern/nicknames (Old Dominion University's
Web Science and Digital Libraries Research Group, Apache License 2.0): rows `name1,has_nickname,name2`.
Its pairs come from genealogy and hold some a reader of the news would not take for one person
("Patrick" and "Peter", "Andrea" and "Andrew"), so a pair is kept only when
  - both names start with the same letter (Jim, James; not Bill, William: fewer pairs, none across
    letters), and
  - the nickname is short (four letters at most) or no name of its own in the file (it has no
    nicknames listed): "Jim", "Danny"... not "Peter" or "Andrew".
"""

import argparse
import csv
import datetime
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "src", "actors", "data", "nicknames.tsv")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", required=True, help="names.csv of carltonnorthern/nicknames")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    with open(args.names, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["relationship"] == "has_nickname"]
    names = {r["name1"] for r in rows}
    kept = sorted(
        {
            (r["name1"].capitalize(), r["name2"].capitalize())
            for r in rows
            if r["name1"][0] == r["name2"][0]
            and r["name1"] != r["name2"]
            and (len(r["name2"]) <= 4 or r["name2"] not in names)
        }
    )
    with open(OUT, "w", encoding="utf-8") as out:
        out.write(
            "# Given names and their nicknames, from names.csv of https://github.com/carltonnorthern/nicknames\n"
            "# (Old Dominion University, Web Science and Digital Libraries Research Group; Apache License 2.0),\n"
            "# the pairs of one first letter whose nickname is short or no name of its own there.\n"
            f"# Made {args.date} by `python3 scripts/build_nicknames.py --names names.csv`; {len(kept)} pairs.\n"
        )
        for name, nickname in kept:
            out.write(f"{name}\t{nickname}\n")
    print(f"{OUT}: {len(kept)} pairs")


if __name__ == "__main__":
    main()
