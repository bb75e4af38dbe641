#!/usr/bin/env python3
"""Precision check on real news: annotates the Guardian sample of ../shared/corpus/guardian with the
built `demarche annotate --jsonl`, collects the events that would be published (not historical or negated),
and prints a fixed-seed random sample of 100 of them with their sentence, for judging by hand
against the CAMEO codebook. Judgements are recorded in docs/QUALITY.md.

usage: tests/quality/guardian_sample.py [--bin build/demarche] [--shared ../shared] [--seed 4]
                                        [--n 100] [--tsv out.tsv]
"""
import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sentence_around(text, start, end):
    """The sentence holding bytes [start, end) of text (the annotator's offsets count UTF-8 bytes;
    approximate: split at . ! ? followed by a space)."""
    b = text.encode("utf-8")
    lo = max(b.rfind(b". ", 0, start), b.rfind(b"? ", 0, start), b.rfind(b"\n", 0, start))
    m = re.search(rb"[.!?](\s|$)", b[end:])
    hi = end + m.end() if m else len(b)
    return b[lo + 1:hi].decode("utf-8", "replace").strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "demarche"))
    ap.add_argument("--shared", default=os.environ.get("DM_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--tsv")
    a = ap.parse_args()
    src = os.path.join(a.shared, "corpus", "guardian", "Guardian_SDF_sample.csv")
    if not os.path.exists(src):
        print(f"skipped: {src} not found", file=sys.stderr)
        return 77
    csv.field_size_limit(1 << 24)
    lines = []
    with open(src, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lines.append(json.dumps({"id": "guardian-" + row[""], "text": row["text"],
                                     "published_at": row["date"], "source": "guardian"}))
    env = dict(os.environ, DEMARCHE_DICTIONARIES=os.path.join(ROOT, "dictionaries"))
    out = subprocess.run([a.bin, "annotate", "--jsonl"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, env=env).stdout
    events = []
    narticles = 0
    for line in out.splitlines():
        rec = json.loads(line)
        if "events" not in rec:
            continue
        narticles += 1
        for ev in rec["events"]:
            # What the daemon publishes by default (output.events.negated false).
            if ev["historical"] or ev["negated"]:
                continue
            s = ev["source"]
            # A single-actor event has no target (null, or one without a code and offsets).
            t = ev["target"] if ev["target"] and ev["target"].get("code") else \
                {"start": s["start"], "end": s["end"], "code": None, "text": ""}
            ev["_sentence"] = sentence_around(rec["text"], min(s["start"], t["start"]),
                                              max(s["end"], t["end"]))
            ev["_article"] = rec["article_id"]
            events.append(ev)
    print(f"# {narticles} articles, {len(events)} published events; sample of "
          f"{min(a.n, len(events))} with seed {a.seed}", file=sys.stderr)
    random.seed(a.seed)
    sample = random.sample(events, min(a.n, len(events)))
    w = csv.writer(open(a.tsv, "w", newline="") if a.tsv else sys.stdout, delimiter="\t")
    w.writerow(["n", "article", "source", "target", "cameo", "trigger", "pattern", "negated",
                "hypothetical", "sentence"])
    for i, ev in enumerate(sample, 1):
        w.writerow([i, ev["_article"], ev["source"]["code"], (ev["target"] or {}).get("code"),
                    ev["cameo_code"], ev["trigger"], ev["pattern"], int(ev["negated"]),
                    int(ev["hypothetical"]), ev["_sentence"].replace("\n", " ")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
