#!/usr/bin/env python3
"""Generates organisations.actors (TABARI format, for the coder) from organisations.tsv (the
project's list of international organisations, also read by the gazetteer for canonical names).
Usage: make_organisations.py [DICTIONARY_DIR]"""
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "organisations.tsv"), encoding="utf-8")
        if l.strip() and not l.startswith("#")][1:]
out = ["# organisations.actors -- international and regional organisations for the coder.",
       "# GENERATED from organisations.tsv by tools/make_organisations.py; edit the .tsv, not this file.",
       "# TABARI .actors format: words joined by _, a final _ makes the last word whole;",
       "# hyphens are written as _ (TABARI reads them as blanks)."]
seen = set()
for code, name, phrases in (r[:3] for r in rows):
    for p in phrases.split("|"):
        t = p.upper().replace("-", " ").replace(",", "")
        t = "_".join(t.split()) + "_"
        if t in seen:
            continue
        seen.add(t)
        out.append(f"{t:<48} [{code}]")
out.append("~FINISH")
with open(os.path.join(d, "organisations.actors"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(f"organisations.actors: {len(seen)} phrases, {len(rows)} organisations", file=sys.stderr)
