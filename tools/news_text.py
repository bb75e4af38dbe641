#!/usr/bin/env python3
"""Unlabelled text for the parser's word clusters (models/README.md).

Writes plain text, one paragraph a line, to stdout, from ../shared (or
--shared DIR): the BBC and Guardian articles, the Reuters-21578 bodies and
the sentences of UD English EWT train, in a fixed order, so the output is
the same bytes every time. The articles of the recall gold
(tests/quality/recall_gold/articles.tsv, held out for evaluation) are left
out. The synthetic NGEC stories are not used (generated text). EWT dev and
test and UD PUD are never read.
"""
import argparse
import csv
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def held_out():
    """(corpus, article) pairs of the recall gold."""
    out = set()
    path = os.path.join(ROOT, "tests", "quality", "recall_gold", "articles.tsv")
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out.add((row["corpus"], row["article"]))
    return out


def clean(line):
    # Control characters (Reuters carries some) and runs of blanks.
    line = re.sub(r"[\x00-\x1f\x7f]", " ", line)
    return re.sub(r"\s+", " ", line).strip()


def emit(out, text):
    for line in text.split("\n"):
        line = clean(line)
        if line:
            out.write(line + "\n")


def bbc(shared, skip, out):
    base = os.path.join(shared, "corpus", "bbc")
    for topic in sorted(os.listdir(base)):
        d = os.path.join(base, topic)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt") or ("bbc", f"{topic}/{name}") in skip:
                continue
            with open(os.path.join(d, name), "rb") as f:
                emit(out, f.read().decode("latin-1"))


def guardian(shared, skip, out):
    path = os.path.join(shared, "corpus", "guardian", "Guardian_SDF_sample.csv")
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if ("guardian", row[""]) not in skip:
                emit(out, row["text"])


def reuters(shared, out):
    base = os.path.join(shared, "corpus", "reuters21578")
    body = re.compile(r"<BODY>(.*?)</BODY>", re.S)
    for name in sorted(os.listdir(base)):
        if not name.endswith(".sgm"):
            continue
        with open(os.path.join(base, name), "rb") as f:
            text = f.read().decode("latin-1")
        for m in body.finditer(text):
            b = html.unescape(m.group(1)).replace(" Reuter\n", "\n")
            # Paragraphs start with an indent; wrapped lines do not.
            for para in re.split(r"\n\s{2,}", b):
                emit(out, para.replace("\n", " "))


def ewt_train(shared, out):
    path = os.path.join(shared, "corpus", "ud", "en_ewt", "en_ewt-ud-train.conllu")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# text = "):
                emit(out, line[9:])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    skip = held_out()
    out = sys.stdout
    bbc(args.shared, skip, out)
    guardian(args.shared, skip, out)
    reuters(args.shared, out)
    ewt_train(args.shared, out)


if __name__ == "__main__":
    main()
