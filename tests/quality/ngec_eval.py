#!/usr/bin/env python3
"""Evaluation on ../shared/corpus/ngec-synthetic: synthetic stories labelled with a PLOVER event
type. Each story is annotated with the built `demarche annotate --jsonl` (its filled-in title as the
title; dated at the end of the latest year its text names, undated when it names none) and scored on:

  category  the PLOVER category of the story's events (the most frequent among the events that are
            published: not historical or negated (negated ones too with --all-flags); ties: the earliest) equals the label; a story without events counts wrong
  source    the story's title template starts with {country_1}: the source country of the first
            event of the predicted category is that country
  target    the template names {country_2}: the target country of that event is that country

Countries in titles are mapped to CAMEO codes with dictionaries/countries.tsv (stories whose
countries it does not know are left out of the country scores). The figures go in docs/QUALITY.md.

usage: tests/quality/ngec_eval.py [--bin build/demarche] [--shared ../shared] [--limit N]
"""
import argparse
import collections
import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ALIASES = {"united states": "USA", "us": "USA", "uk": "GBR", "united kingdom": "GBR", "russia": "RUS",
           "south korea": "KOR", "north korea": "PRK", "iran": "IRN", "syria": "SYR", "vietnam": "VNM",
           "laos": "LAO", "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA",
           "czech republic": "CZE", "ivory coast": "CIV", "cote d'ivoire": "CIV", "turkey": "TUR",
           "democratic republic of the congo": "COD", "republic of the congo": "COG", "palestine": "PSE",
           "taiwan": "TWN", "brunei": "BRN", "micronesia": "FSM", "east timor": "TMP",
           "timor-leste": "TMP", "cape verde": "CPV", "eswatini": "SWZ", "swaziland": "SWZ"}


def country_codes():
    m = dict(ALIASES)
    with open(os.path.join(ROOT, "dictionaries", "countries.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"):
            m.setdefault(row["name"].lower(), row["cameo"])
    return m


def fill(template, title):
    """The values of {country_1}, {country_2} ... in title according to template."""
    parts = re.split(r"(\{[a-z_0-9]+\})", template.strip())
    rx, names = "", []
    for p in parts:
        if re.fullmatch(r"\{[a-z_0-9]+\}", p):
            names.append(p[1:-1])
            rx += "(.+?)"
        else:
            rx += re.escape(p)
    m = re.fullmatch(rx, title.strip())
    return dict(zip(names, m.groups())) if m else {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "demarche"))
    ap.add_argument("--shared", default=os.environ.get("DM_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dump", help="write each story's label and prediction (TSV) here")
    ap.add_argument("--all-flags", action="store_true",
                    help="count negated events too (output.events.negated = true)")
    a = ap.parse_args()
    z = os.path.join(a.shared, "corpus", "ngec-synthetic", "gpt_synthetic_events_2023-10-19_19.csv.zip")
    if not os.path.exists(z):
        print(f"skipped: {z} not found", file=sys.stderr)
        return 77
    csv.field_size_limit(1 << 24)
    with zipfile.ZipFile(z) as zf:
        name = zf.namelist()[0]
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8")))
    if a.limit:
        rows = rows[:a.limit]
    codes = country_codes()
    lines, gold = [], []
    for i, r in enumerate(rows):
        title = r["prompt"].split("\n")[0].strip()
        env = {"id": f"ngec-{i}", "title": title, "text": title + "\n\n" + r["text"]}
        # The stories are undated; a news story is not older than the latest year it names, so it
        # is dated at the end of that year (and left undated when it names none).
        years = [int(y) for y in re.findall(r"\b(19[5-9][0-9]|20[0-4][0-9])\b", r["text"])]
        if years:
            env["published_at"] = f"{max(years)}-12-31T12:00:00Z"
        lines.append(json.dumps(env))
        vals = fill(r["title"], title)
        c1 = codes.get(vals.get("country_1", "").strip().lower())
        c2 = codes.get(vals.get("country_2", "").strip().lower())
        gold.append({"label": r["label"], "src": c1 if r["title"].strip().startswith("{country_1}") else None,
                     "tgt": c2})
    env = dict(os.environ, DEMARCHE_DICTIONARIES=os.path.join(ROOT, "dictionaries"))
    out = subprocess.run([a.bin, "annotate", "--jsonl"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, env=env).stdout
    preds = {}
    for line in out.splitlines():
        rec = json.loads(line)
        if "article_id" in rec:
            preds[rec["article_id"]] = rec
    n = len(rows)
    cat_ok = with_events = 0
    src_n = src_ok = tgt_n = tgt_ok = 0
    per = collections.defaultdict(lambda: [0, 0])
    dump = open(a.dump, "w") if a.dump else None
    for i, g in enumerate(gold):
        rec = preds.get(f"ngec-{i}", {})
        # What the daemon publishes by default: no historical or negated events.
        evs = [e for e in rec.get("events", []) if e["plover_category"] and not
               (e["historical"] or (not a.all_flags and e["negated"]))]
        cat, ev = None, None
        if evs:
            with_events += 1
            cnt = collections.Counter()
            for e in evs:  # one event per happening, weighted by its mentions
                cnt[e["plover_category"]] += e.get("mentions", 1)
            best = max(cnt.values())
            cat = next(e["plover_category"] for e in evs if cnt[e["plover_category"]] == best)
            ev = next(e for e in evs if e["plover_category"] == cat)
        per[g["label"]][1] += 1
        if dump:
            dump.write(f"{i}\t{g['label']}\t{cat}\t{g['src']}\t{ev and ev['source']['country']}\t"
                       f"{g['tgt']}\t{ev and ev['target'] and ev['target']['country']}\n")
        if cat == g["label"]:
            cat_ok += 1
            per[g["label"]][0] += 1
        if g["src"]:
            src_n += 1
            src_ok += bool(ev and ev["source"]["country"] == g["src"])
        if g["tgt"]:
            tgt_n += 1
            tgt_ok += bool(ev and ev["target"] and ev["target"]["country"] == g["tgt"])
    pct = lambda x, y: f"{100.0 * x / y:.1f}%" if y else "n/a"
    print(f"stories: {n}; with a published event: {with_events} ({pct(with_events, n)})")
    print(f"PLOVER category accuracy: {cat_ok}/{n} = {pct(cat_ok, n)}")
    print(f"source country accuracy: {src_ok}/{src_n} = {pct(src_ok, src_n)}")
    print(f"target country accuracy: {tgt_ok}/{tgt_n} = {pct(tgt_ok, tgt_n)}")
    for k, (ok, tot) in sorted(per.items()):
        print(f"  {k:10s} {ok:4d}/{tot:4d} {pct(ok, tot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
