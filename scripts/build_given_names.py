#!/usr/bin/env python3
"""Regenerates src/actors/data/given_names_ssa.txt: the given names of the US Social Security
Administration's national baby-name data that a capitalised word leading a name may be taken for.

    python3 scripts/build_given_names.py --ssa DIR [--ner-open PATH] [--date YYYY-MM-DD]

DIR holds the SSA's yobYYYY.txt files (name,sex,count a line), from "Baby Names from Social
Security Card Applications - National Data" (https://www.ssa.gov/oact/babynames/names.zip, a work of
the US government: public domain). A name is kept when it was given to at least MIN_BABIES babies from
FIRST_YEAR on, unless
  - the openly licensed annotated text of ner-open (wikigold, GUM and re3d's open sources, the text
    only) writes it in lower case: a common word (Will, Mark, Rose);
  - a table of the built-in dictionary (src/actors/data/*.tsv) holds it: a place or an organization
    (Georgia, Jordan, Dallas);
  - it is on WORDS below, written for tally: months, days, virtues, surnames of the news and words
    that are names only sometimes;
  - given_names.txt (written for tally) already holds it.
"""

import argparse
import collections
import datetime
import glob
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "src", "actors", "data")
OUT = os.path.join(DATA, "given_names_ssa.txt")

FIRST_YEAR = 1940
MIN_BABIES = 20_000

WORDS = set("""
April May June August January Summer Winter Autumn Sunday Monday Friday Christian Hope Faith Joy Grace
Destiny Genesis Trinity Unique Precious Royal Sincere King Prince Princess Major Messiah Legend Justice
Liberty America Asia Africa China India Kenya Paris London Dallas Houston Austin Phoenix Brooklyn
Charlotte Savannah Sydney Madison Jackson Lincoln Washington Kennedy Carter Hunter Mason Cooper Parker
Tucker Taylor Porter Miller Baker Walker Turner Wade Sky Skyler Storm Rain River Ocean Stone Ruby Pearl
Crystal Diamond Jade Amber Angel Ace Blue Gray Grey
""".split())


def lower_case_words(ner_open):
    """Words the openly licensed annotated text writes in lower case."""
    files = glob.glob(os.path.join(ner_open, "wikigold", "CONLL-format", "data", "*"))
    files += glob.glob(os.path.join(ner_open, "gum", "CONLL-format", "data-by-corpustype", "*", "*"))
    files += [f for f in glob.glob(os.path.join(ner_open, "re3d", "CONLL-format", "data-by-source", "conll", "*", "*"))
              if os.sep + "Wikipedia" + os.sep not in f]
    if not files:
        raise SystemExit(f"no annotated text under {ner_open}")
    words = set()
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                word = re.split(r"[\t ]", line.strip())[0] if line.strip() else ""
                if word.islower():
                    words.add(word)
    return words


def dictionary_names():
    """Every name of the built-in dictionary's tables."""
    names = set()
    for path in glob.glob(os.path.join(DATA, "*.tsv")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                for cell in line.rstrip("\n").split("\t"):
                    names.update(n.strip() for n in cell.split("|"))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ssa", required=True, help="the folder of the SSA's yobYYYY.txt files")
    parser.add_argument("--ner-open", default=os.path.join(REPO, "..", "shared", "corpora", "ner-open"))
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    babies = collections.Counter()
    years = sorted(int(m.group(1)) for p in os.listdir(args.ssa) if (m := re.fullmatch(r"yob(\d{4})\.txt", p)))
    years = [y for y in years if y >= FIRST_YEAR]
    if not years:
        raise SystemExit(f"no yobYYYY.txt from {FIRST_YEAR} on in {args.ssa}")
    for year in years:
        with open(os.path.join(args.ssa, f"yob{year}.txt"), encoding="utf-8") as f:
            for line in f:
                name, _, count = line.strip().split(",")
                babies[name] += int(count)
    lower = lower_case_words(args.ner_open)
    dictionary = dictionary_names()
    with open(os.path.join(DATA, "given_names.txt"), encoding="utf-8") as f:
        written = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    kept = sorted(n for n, c in babies.items()
                  if c >= MIN_BABIES and n.lower() not in lower and n not in dictionary and n not in WORDS
                  and n not in written)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(f"# Given names of the US Social Security Administration's national baby-name data (public domain,\n"
                f"# https://www.ssa.gov/oact/babynames/), {years[0]}-{years[-1]}: each given to {MIN_BABIES:,} babies or\n"
                f"# more, less words ner-open's open text writes in lower case, names of the dictionary's tables,\n"
                f"# words of scripts/build_given_names.py and given_names.txt's names. Made {args.date} by\n"
                f"# `python3 scripts/build_given_names.py --ssa DIR`; {len(kept)} names.\n")
        f.writelines(n + "\n" for n in kept)
    print(f"{OUT}: {len(kept)} names")


if __name__ == "__main__":
    main()
