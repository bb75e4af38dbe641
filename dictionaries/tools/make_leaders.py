#!/usr/bin/env python3
"""Generates leaders.actors (TABARI format, for the coder) from leaders.tsv (the project's list of
leaders and their terms, also read by the gazetteer for person entities).

Every phrase of a person (the name and the listed phrases) becomes one actor entry whose codes carry
the terms as date restrictions: <country>GOV during each term, <country>ELI outside them (the
gazetteer's rule); heads of organisations carry the organisation's code during the term and no code
outside it (a surname alone: no code outside the terms, it may name someone else). A phrase shared by several rows (one person's several terms, or two people) collects all
their terms; the default (last) code is the first row's. Phrases with periods (initials) and a few
surnames that are common lower-case words are left out: the coder matches phrases without regard to
case. Phrases already in a hand-written .actors file of the directory are left to that file.
Only the courtesy-title phrases of leaders.tsv ("Mr Blair", "Mrs Merkel", "Lord Falconer") are
written (--all writes every phrase). A bare or full name may follow a title the coder reads as an
agent ("Foreign Minister Sergei Lavrov"): coder and agent then make one unit, which the annotator
reports as a country entity instead of the person (tests/data/golden/g06), so names become coder
actors only once the annotator finds a leader inside a titled unit. A courtesy-title phrase takes no
title before it and is itself a gazetteer phrase, so its entity stays the person. Like a surname, it
codes nothing outside the terms ("Mr Brown" is not always the chancellor).
Usage: make_leaders.py [--all] [DICTIONARY_DIR [OUTPUT.actors]]  (default: dictionaries/leaders.actors)"""
import os
import sys
import unicodedata

COMMON_WORDS = {"BORNE", "DOWNER"}
COURTESY = {"MR", "MRS", "MS", "DR", "LORD", "LADY", "SIR", "DAME", "BARONESS"}


def phrase(p):
    p = unicodedata.normalize("NFKD", p)
    p = "".join(c for c in p if not unicodedata.combining(c))
    p = p.replace("ı", "i").upper().replace("-", " ").replace(",", "")
    if "." in p or not p.strip():
        return None
    if " " not in p.strip() and p.strip() in COMMON_WORDS:
        return None
    return "_".join(p.split()) + "_"


def ymd(d, end):
    parts = d.split("-")
    if len(parts) == 1:
        return parts[0] + ("1231" if end else "0101")
    if len(parts) == 2:
        return parts[0] + parts[1] + ("28" if end else "01")
    return "".join(parts)


def restriction(fr, to):
    if fr and to:
        return f"{ymd(fr, 0)}-{ymd(to, 1)}"
    if fr:
        return f">{ymd(fr, 0)}"
    if to:
        return f"<{ymd(to, 1)}"
    return ""


def hand_phrases(d):
    seen = set()
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".actors") or fn in ("leaders.actors", "organisations.actors"):
            continue
        for line in open(os.path.join(d, fn), encoding="utf-8"):
            if line[:1].isalpha() or line[:1].isdigit():
                seen.add(line.split()[0])
    return seen


def main():
    args = [a for a in sys.argv[1:] if a != "--all"]
    every = "--all" in sys.argv[1:]
    d = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    outpath = args[1] if len(args) > 1 else os.path.join(d, "leaders.actors")
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "leaders.tsv"), encoding="utf-8")
            if l.strip() and not l.startswith("#")][1:]
    taken = hand_phrases(d)
    entries = {}  # phrase -> list of (country, from, to)
    order = []
    for r in rows:
        country, role, fr, to, name = r[:5]
        phrases = [name] + [p for p in (r[5] if len(r) > 5 else "").split("|") if p]
        for p in phrases:
            t = phrase(p)
            if not t or t in taken:
                continue
            if not every and t.split("_")[0] not in COURTESY:
                continue
            if t not in entries:
                entries[t] = []
                order.append(t)
            if (country, fr, to) not in entries[t]:
                entries[t].append((country, fr, to))
    out = ["# leaders.actors -- leaders of leaders.tsv named with a courtesy title (\"Mr Blair\"), for the coder,",
           "# with their terms as date restrictions; outside them the phrase codes nothing.",
           "# GENERATED from leaders.tsv by tools/make_leaders.py; edit the .tsv, not this file.",
           "# TABARI .actors format: words joined by _, a final _ makes the last word whole; each",
           "# [CODE YYYYMMDD-YYYYMMDD] holds during the term, the last code without dates is the default."]
    for t in order:
        codes = []
        for country, fr, to in entries[t]:
            code = country if country.startswith("IGO") else country + "GOV"
            codes.append(f"[{code} {restriction(fr, to)}]" if restriction(fr, to) else f"[{code}]")
        first = entries[t][0][0]
        # A surname alone names the person reliably only in office: "Conte" in a 2004 story is
        # someone else. Full names keep the elite code outside the terms.
        single = t.count("_") == 1 or t.split("_")[0] in COURTESY
        codes.append("[---]" if first.startswith("IGO") or single else f"[{first}ELI]")
        out.append(f"{t:<40} " + " ".join(codes))
    out.append("~FINISH")
    with open(outpath, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"{outpath}: {len(order)} phrases, {len(rows)} terms", file=sys.stderr)


main()
