#!/usr/bin/env python3
"""Compares tally's term counts with scikit-learn's CountVectorizer on a folder of documents.

Usage: scripts/compare_sklearn.py TALLY [CORPUS]   (default CORPUS: ../shared/corpora/wikinews)

The two tokenize differently on purpose (tally by Unicode UAX #29 words with a final possessive left
out, CountVectorizer by the regular expression (?u)\\b\\w\\w+\\b), so only the terms both must count
alike are compared: lower-case ASCII alphabetic terms of two or more letters that never occur in the
corpus joined to another word by an apostrophe (' or ’), a period, a colon or an underscore (there
UAX #29 keeps one word, "e.g", "don't", "a_b", and the regular expression makes two), invisible
joiners (U+200B-U+200F, U+2060, U+FEFF) around the joining mark included; nor written against a
letter or mark of another script with nothing between ("क्याimportant": one word for UAX #29, two for
the regular expression, which takes combining marks for boundaries). CountVectorizer
reads each document's body as tally does: the date header (" date 2019-01-04 ") is not text.

Prints how many terms were compared and every difference; exits 1 if there is one, 0 otherwise, and
0 with a message when scikit-learn or the corpus is not there.
"""
import csv
import re
import unicodedata
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from sklearn.feature_extraction.text import CountVectorizer
except ImportError:
    print("skipped: scikit-learn is not installed (pip install scikit-learn)")
    sys.exit(0)

# The date header as tally reads it: white space, "date", white space, an ISO date (or a timestamp
# starting with one), then white space.
HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\S*\s")
# Words joined by an apostrophe, period or colon ("e.g", "don't", "a:b"), invisible joiners around
# it allowed, and words holding "_".
INVISIBLE = "[\u200b-\u200f\u2060\ufeff]*"
JOINED = re.compile(rf"\w+(?:{INVISIBLE}['’.:]{INVISIBLE}\w+)+|\w*_\w*")
LATIN_RUN = re.compile(r"[A-Za-z]+")
ASCII_WORD = re.compile(r"[a-z]{2,}\Z")


def against_other_script(text, at):
    """Whether the character at `at` is a non-ASCII letter, digit or mark (a word goes on there)."""
    if at < 0 or at >= len(text) or text[at].isascii():
        return False
    return text[at].isalnum() or unicodedata.category(text[at]).startswith("M")


def body(text):
    """The document's text without its date header."""
    header = HEADER.match(text)
    return text[header.end():] if header else text


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tally = sys.argv[1]
    corpus = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parent.parent / "../shared/corpora/wikinews")
    if not corpus.is_dir():
        print(f"skipped: {corpus} is absent")
        return 0
    files = sorted(p for p in corpus.rglob("*.txt"))
    texts = [body(p.read_text(encoding="utf-8")) for p in files]

    with tempfile.TemporaryDirectory() as out:
        subprocess.run([tally, "run", str(corpus), "--out", out, "--format", "csv", "--quiet"], check=True)
        with open(Path(out) / "terms.csv", newline="", encoding="utf-8") as f:
            ours = {row["term"]: int(row["count"]) for row in csv.DictReader(f)}

    vectorizer = CountVectorizer()
    matrix = vectorizer.fit_transform(texts)
    totals = matrix.sum(axis=0).A1
    theirs = {term: int(totals[i]) for term, i in vectorizer.vocabulary_.items()}

    joined = set()
    for text in texts:
        for match in JOINED.finditer(text):
            joined.update(part.lower() for part in re.split(rf"{INVISIBLE}['’.:_]{INVISIBLE}", match.group()) if part)
        for match in LATIN_RUN.finditer(text):
            if against_other_script(text, match.start() - 1) or against_other_script(text, match.end()):
                joined.add(match.group().lower())
    comparable = sorted(t for t in set(ours) | set(theirs) if ASCII_WORD.match(t) and t not in joined)

    differences = [(t, ours.get(t, 0), theirs.get(t, 0)) for t in comparable if ours.get(t, 0) != theirs.get(t, 0)]
    print(f"{len(files)} documents, {len(comparable)} terms compared "
          f"(of {len(ours)} tally terms, {len(theirs)} CountVectorizer terms), {len(differences)} differences")
    for term, a, b in differences:
        print(f"  {term}: tally {a}, CountVectorizer {b}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
