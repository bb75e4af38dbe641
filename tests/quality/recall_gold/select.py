#!/usr/bin/env python3
"""Deterministic choice of the recall-gold articles (run once; the result is articles.tsv).

Candidates: Guardian rows of ../shared/corpus/guardian/Guardian_SDF_sample.csv whose row index is not
named ("guardian-N") anywhere in docs/QUALITY.md at commit bdf3f75 (those were judged and tuned on;
the list is pinned in TUNED), and every
../shared/corpus/bbc/politics/*.txt; articles of more than 2,500 words are left out of both (hand-coding
cost; one Guardian long read of 6,122 words was the only one this removed among the first 21). Each candidate's key is "guardian-<row>" or "bbc-politics/<file>";
candidates are sorted by sha1(key) (hex) and taken in that order, 20 per corpus; an article with no
political content at all is skipped by the coder (recorded in articles.tsv) and the next one taken.
Split: sha1(key)'s last hex digit even -> dev, odd -> test.

usage: select.py [--shared ../shared] [--n 24]   (prints the ordered candidates)
"""
import argparse, csv, hashlib, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


MAX_WORDS = 2500


def key_hash(key):
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def split_of(key):
    return "dev" if int(key_hash(key)[-1], 16) % 2 == 0 else "test"


# The Guardian rows named ("guardian-N") in docs/QUALITY.md at commit bdf3f75, when the gold was
# chosen (pinned here so that later edits of QUALITY.md do not change the selection):
TUNED = set("""35 41 45 70 72 76 95 107 118 120 125 131 132 136 141 143 145 149 151 154 156 158 186 201 211 213 214 221 223 240 248 261 263 284 316 327 435 452 475 485 508 537 553 571 580 585 617 618 619 622 625 626 628 629 634 636 637 639 648 653 656 666 691 713 733 771 786""".split())


def tuned_guardian_ids(check=False):
    """The pinned list; with check, also warns about rows QUALITY.md names now that are not in it."""
    if check:
        with open(os.path.join(ROOT, "docs", "QUALITY.md"), encoding="utf-8") as f:
            now = set(re.findall(r"guardian-(\d+)", f.read()))
        if now - TUNED:
            print("note: QUALITY.md now also names rows " + " ".join(sorted(now - TUNED, key=int)),
                  file=sys.stderr)
    return TUNED


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--n", type=int, default=24)
    a = ap.parse_args()
    csv.field_size_limit(1 << 24)
    tuned = tuned_guardian_ids(check=True)
    with open(os.path.join(a.shared, "corpus", "guardian", "Guardian_SDF_sample.csv"), encoding="utf-8") as f:
        g = [r[""] for r in csv.DictReader(f) if r[""] not in tuned and len(r["text"].split()) <= MAX_WORDS]
    pol = os.path.join(a.shared, "corpus", "bbc", "politics")
    b = [n for n in sorted(os.listdir(pol))
         if len(open(os.path.join(pol, n), encoding="utf-8", errors="replace").read().split()) <= MAX_WORDS]
    for corpus, keys in (("guardian", ["guardian-" + i for i in g]),
                         ("bbc", ["bbc-politics/" + n for n in b if n.endswith(".txt")])):
        for k in sorted(keys, key=key_hash)[:a.n]:
            print(corpus, k, key_hash(k), split_of(k), sep="\t")


if __name__ == "__main__":
    sys.exit(main())
