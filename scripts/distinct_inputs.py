#!/usr/bin/env python3
"""Writes corpora of words that each occur once, for measuring what a large vocabulary costs.

    python3 scripts/distinct_inputs.py DIR

makes DIR/one (one document of 2,000,000 distinct words), DIR/two (two documents of 1,000,000
each) and DIR/five (five documents of 1,000,000 each, 5,000,000 in all): the i-th word is `q`
and i written in base 26 with six letters, the least significant first. See docs/memory.md.
"""
import os
import sys


def word(i):
    letters = []
    for _ in range(6):
        letters.append(chr(ord("a") + i % 26))
        i //= 26
    return "q" + "".join(letters)


def write(path, start, n):
    with open(path, "w") as f:
        f.write(" ".join(word(i) for i in range(start, start + n)))


def main():
    root = sys.argv[1]
    for name, documents, words in [("one", 1, 2_000_000), ("two", 2, 1_000_000), ("five", 5, 1_000_000)]:
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for k in range(documents):
            write(os.path.join(root, name, f"{k}.txt"), k * words, words)


if __name__ == "__main__":
    main()
