#!/usr/bin/env python3
"""The corpus snapshot: every event the built annotator finds in the reference corpora of
../shared, as one tab-separated tuple a line, compared with the snapshot committed beside this
script (tests/corpus/snapshot.tsv; with --mode parse, tests/corpus/snapshot_parse.tsv).

A change to the coding rules changes events somewhere in twelve thousand articles; this test makes
that visible. It prints the tuples that appeared and disappeared and fails when there are any, so a
commit that changes coding output updates the snapshot knowingly (--update) in the same commit, and
a commit that claims "output identical" is checked.

Corpora: the Guardian sample (249), BBC News (2,225), the NGEC synthetic stories (4,500) and the
first six files of Reuters-21578 (articles with a body). Tuple: corpus, article id, sentence,
source code, target code, CAMEO code, trigger, pattern, flags (n = negated, h = hypothetical,
p = historical).

usage: tests/corpus/corpus_snapshot.py [--bin build/demarche] [--shared ../shared] [--mode tabari|parse]
                                      [--update]
exit: 0 same, 1 changed, 77 skipped (no ../shared), 2 error
"""
import argparse
import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SNAPSHOTS = {"tabari": os.path.join(ROOT, "tests", "corpus", "snapshot.tsv"),
             "parse": os.path.join(ROOT, "tests", "corpus", "snapshot_parse.tsv")}
REUTERS_FILES = 6


def guardian(shared):
    with open(os.path.join(shared, "corpus", "guardian", "Guardian_SDF_sample.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield {"id": "guardian-" + row[""], "text": row["text"], "published_at": row["date"],
                   "source": "guardian"}


def bbc(shared):
    base = os.path.join(shared, "corpus", "bbc")
    for section in sorted(os.listdir(base)):
        d = os.path.join(base, section)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            yield {"id": f"bbc-{section}-{name[:-4]}", "title": lines[0].strip(),
                   "text": "\n".join(lines), "published_at": "2005-01-15T12:00:00Z", "source": "bbc"}


def ngec(shared):
    z = os.path.join(shared, "corpus", "ngec-synthetic", "gpt_synthetic_events_2023-10-19_19.csv.zip")
    with zipfile.ZipFile(z) as zf:
        rows = csv.DictReader(io.TextIOWrapper(zf.open(zf.namelist()[0]), encoding="utf-8"))
        for i, r in enumerate(rows):
            title = r["prompt"].split("\n")[0].strip()
            yield {"id": f"ngec-{i}", "title": title, "text": title + "\n\n" + r["text"]}


def reuters(shared):
    for k in range(REUTERS_FILES):
        path = os.path.join(shared, "corpus", "reuters21578", f"reut2-{k:03d}.sgm")
        with open(path, encoding="latin-1") as f:
            data = f.read()
        for m in re.finditer(r'<REUTERS[^>]*NEWID="(\d+)">(.*?)</REUTERS>', data, re.S):
            body = re.search(r"<BODY>(.*?)</BODY>", m.group(2), re.S)
            if not body:
                continue
            title = re.search(r"<TITLE>(.*?)</TITLE>", m.group(2), re.S)
            yield {"id": "reuters-" + m.group(1), "title": html.unescape(title.group(1)) if title else "",
                   "text": html.unescape(body.group(1)), "published_at": "1987-03-15T12:00:00Z",
                   "source": "reuters"}


def tuples(bin_path, shared, mode):
    env = dict(os.environ, DEMARCHE_DICTIONARIES=os.path.join(ROOT, "dictionaries"))
    out = []
    for corpus, gen in (("guardian", guardian), ("bbc", bbc), ("ngec", ngec), ("reuters", reuters)):
        lines = [json.dumps(e) for e in gen(shared)]
        p = subprocess.run([bin_path, "annotate", "--jsonl", "--mode", mode], input="\n".join(lines) + "\n",
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"error: demarche annotate exited {p.returncode} on {corpus}")
        narticles = 0
        for line in p.stdout.splitlines():
            rec = json.loads(line)
            if "events" not in rec:
                continue
            narticles += 1
            for ev in rec["events"]:
                tgt = (ev.get("target") or {}).get("code") or "-"
                flags = "".join(c for c, k in (("n", "negated"), ("h", "hypothetical"), ("p", "historical"))
                                if ev.get(k)) or "-"
                out.append("\t".join((corpus, rec["article_id"], str(ev["sentence"]), ev["source"]["code"],
                                      tgt, ev["cameo_code"], ev.get("trigger") or "-",
                                      ev.get("pattern") or "-", flags)))
        if narticles != len(lines):
            raise SystemExit(f"error: {corpus}: {len(lines)} articles in, {narticles} annotated out")
        print(f"{corpus}: {narticles} articles", file=sys.stderr)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "demarche"))
    ap.add_argument("--shared", default=os.environ.get("DM_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--mode", choices=("tabari", "parse"), default="tabari")
    ap.add_argument("--update", action="store_true", help="write the snapshot instead of comparing")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.shared, "corpus")):
        print(f"skipped: no corpora at {a.shared}/corpus (the snapshot needs ../shared)")
        return 77
    snapshot = SNAPSHOTS[a.mode]
    now = tuples(a.bin, a.shared, a.mode)
    if a.update:
        with open(snapshot, "w", encoding="utf-8") as f:
            f.write("".join(t + "\n" for t in now))
        print(f"snapshot written: {len(now)} events")
        return 0
    with open(snapshot, encoding="utf-8") as f:
        before = [l.rstrip("\n") for l in f]
    gone = sorted(set(before) - set(now))
    new = sorted(set(now) - set(before))
    for t in gone:
        print("- " + t)
    for t in new:
        print("+ " + t)
    if len(before) != len(now) and not gone and not new:
        print(f"event count changed: {len(before)} -> {len(now)} (duplicated tuples)")
        return 1
    rel = os.path.relpath(snapshot, ROOT)
    print(f"{len(now)} events; {len(gone)} gone, {len(new)} new against {rel}")
    if gone or new:
        print("the coding output changed: if that is intended, run "
              f"tests/corpus/corpus_snapshot.py --mode {a.mode} --update and commit the snapshot "
              "with the change")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
