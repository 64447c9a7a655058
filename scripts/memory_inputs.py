"""Makes the inputs of docs/memory.md in a folder (default /tmp/memcases): the Reuters-21578 texts
of ../shared/corpora/reuters21578 joined by spaces on one line, repeated to a size.

    python3 scripts/memory_inputs.py /tmp/memcases
"""

import glob
import gzip
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/memcases"
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
paths = sorted(glob.glob(os.path.join(here, "../../shared/corpora/reuters21578/*/*")))
text = " ".join(open(p, encoding="utf-8", errors="replace").read().replace("\n", " ").replace("\r", " ") for p in paths)


def write(name, unit, size, before=b"", after=b"", opener=open):
    with opener(os.path.join(out, name), "wb") as f:
        f.write(before)
        n = 0
        while n < size:
            chunk = unit[: size - n]
            f.write(chunk)
            n += len(chunk)
        f.write(after)


unit = text.encode()
write("one_line_300mb.txt", unit, 300_000_000)
for mib in (8, 16, 32):
    write(f"one_line_{mib}mib.txt", unit, mib << 20)
write("json_100mb.jsonl", json.dumps(text)[1:-1].encode(), 100_000_000, b'{"id":"big","text":"', b'"}\n')
# A short unit repeated, so gzip finds it again: about 14 MB that expand to 2 GB.
short = unit[:16000]
short = short[: short.rfind(b" ") + 1] * 1000
write("expands_2gb.txt.gz", short, 2_000_000_000, opener=lambda p, m: gzip.open(p, m, compresslevel=9))
with open(os.path.join(out, "zeros_2gb.txt"), "wb") as f:
    f.truncate(2 << 30)
