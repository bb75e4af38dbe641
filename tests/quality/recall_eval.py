#!/usr/bin/env python3
"""Recall (and precision) of the coder against the hand-coded gold of tests/quality/recall_gold.

Reads the gold (dev.jsonl, test.jsonl, articles.tsv), takes the same articles from ../shared/corpus
(Guardian rows by index, BBC files by path), runs the built `demarche annotate --jsonl` on them and
matches, per article, the coder's published events (--publish default: those flagged neither
historical nor negated, as the daemon publishes by default; factual: not hypothetical either, as with
output.events.hypothetical = false; all: every event not historical) with the gold events, one to
one, at three levels:

  strict  same source country, same target country, same CAMEO code
  root    same source and target country, same two-digit root
  plover  same source and target country, same PLOVER category (the quad class when the code has
          none, e.g. 01x, 020); for information

Countries are compared at country level: the first three letters of a country actor, an
organisation's shortest code in dictionaries/organisations.tsv (IGOUNOSEC -> IGOUNO), '---' for no
target. Gold events flagged historical, hypothetical or negated are scored apart: a coder event that
matches none of the unflagged gold events but matches a flagged one counts as neither right nor
wrong ("neutral"); recall is over the unflagged gold events only.

usage: tests/quality/recall_eval.py [--demarche build/demarche] [--shared ../shared]
                                    [--split dev|test|all] [--list] [--level strict|root|plover]
                                    [--publish default|factual|all]
  --list prints, per article, the unmatched gold events (misses) and the unmatched coder events
  (false positives) at --level (default root); on dev only unless --split is given.
Exit status: 0, or 77 when ../shared or the demarche binary is absent.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLD = os.path.join(HERE, "recall_gold")
sys.path.insert(0, HERE)
from guardian_sample import sentence_around  # noqa: E402  (the byte-offset sentence finder)

LEVELS = ("strict", "root", "plover")
FLAGS = ("historical", "hypothetical", "negated")


def load_orgs():
    orgs = []
    with open(os.path.join(ROOT, "dictionaries", "organisations.tsv"), encoding="utf-8") as f:
        for line in f:
            code = line.split("\t", 1)[0]
            if code[:3] in ("IGO", "NGO") and not code.startswith("#"):
                orgs.append(code)
    return orgs


def load_cameo():
    """code -> (root, PLOVER category or 'quad<n>')."""
    table = {}
    with open(os.path.join(ROOT, "dictionaries", "cameo.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    head = rows[0]
    for r in rows[1:]:
        d = dict(zip(head, r))
        cat = (d.get("plover_category") or "").split(";")[0]
        table[d["code"]] = (d["root"], cat or "quad" + d["quad_class"])
    return table


class Norm:
    def __init__(self):
        self.orgs = load_orgs()
        self.cameo = load_cameo()

    def country(self, code, country=None):
        """Country-level code of an actor code (and the coder's country field, when given)."""
        if not code or code == "---":
            return "---"
        if code[:3] in ("IGO", "NGO"):
            pre = [o for o in self.orgs if code.startswith(o)]
            return min(pre, key=len) if pre else code
        return country or code[:3]

    def key(self, level, src, tgt, code):
        if level == "strict":
            return (src, tgt, code)
        root, plover = self.cameo.get(code, (code[:2], "?"))
        return (src, tgt, root if level == "root" else plover)


def read_gold(split):
    gold = []
    for s in (("dev", "test") if split == "all" else (split,)):
        with open(os.path.join(GOLD, s + ".jsonl"), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                ev = json.loads(line)
                ev["_line"] = f"{s}.jsonl:{n}"
                gold.append(ev)
    arts = []
    with open(os.path.join(GOLD, "articles.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["split"] in ("dev", "test") and (split == "all" or r["split"] == split):
                arts.append(r)
    return gold, arts


def article_key(corpus, article):
    return f"guardian-{article}" if corpus == "guardian" else f"bbc-{article}"


def read_articles(shared, arts):
    """article key -> (text, published_at)."""
    out = {}
    want_g = {a["article"] for a in arts if a["corpus"] == "guardian"}
    if want_g:
        csv.field_size_limit(1 << 24)
        with open(os.path.join(shared, "corpus", "guardian", "Guardian_SDF_sample.csv"),
                  encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row[""] in want_g:
                    out["guardian-" + row[""]] = (row["text"], row["date"])
    for a in arts:
        if a["corpus"] != "bbc":
            continue
        with open(os.path.join(shared, "corpus", "bbc", a["article"]), encoding="utf-8",
                  errors="replace") as f:
            text = f.read()
        # Undated: dated at the end of the latest year the text names, as ngec_eval.py does,
        # within the corpus's 2004-2005.
        years = [int(y) for y in re.findall(r"\b(200[45])\b", text)]
        out[article_key("bbc", a["article"])] = (text, f"{max(years) if years else 2005}-12-31T12:00:00Z")
    return out


def run_coder(binary, texts):
    lines = [json.dumps({"id": k, "text": t, "published_at": d,
                         "source": k.split("-", 1)[0]}) for k, (t, d) in texts.items()]
    env = dict(os.environ, DEMARCHE_DICTIONARIES=os.path.join(ROOT, "dictionaries"))
    p = subprocess.run([binary, "annotate", "--jsonl"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"demarche annotate failed with status {p.returncode}")
    recs = {}
    for line in p.stdout.splitlines():
        rec = json.loads(line)
        if "events" in rec:
            recs[rec["article_id"]] = rec
    return recs


# What demarche's text cleaning makes of typographic punctuation: the offsets of its events are
# in the cleaned text, so a gold sentence is looked up there in the same spelling.
CLEANED = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
           ("\u2014", "-"), ("\u2026", "..."), ("\u00a0", " "))


def as_cleaned(s):
    for a, b in CLEANED:
        s = s.replace(a, b)
    return s


def byte_span(text, sentence):
    """Byte span of the gold sentence in the text, None when not found."""
    i = text.find(sentence)
    if i < 0:
        sentence = as_cleaned(sentence)
        i = text.find(sentence)
    if i < 0:
        return None
    lo = len(text[:i].encode("utf-8"))
    return lo, lo + len(sentence.encode("utf-8"))


def match(gold, coder, keyf, same_sentence):
    """Greedy one-to-one matching; pairs in the same sentence first. Returns {gold idx: coder idx}."""
    pairs, used = {}, set()
    for pass_ in (0, 1):
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            for ci, c in enumerate(coder):
                if ci in used or keyf(g) != keyf(c):
                    continue
                if pass_ == 0 and not same_sentence(g, c):
                    continue
                pairs[gi] = ci
                used.add(ci)
                break
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demarche", default=os.path.join(ROOT, "build", "demarche"))
    ap.add_argument("--shared", default=os.environ.get("DM_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--split", choices=("dev", "test", "all"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--level", choices=LEVELS, default="root")
    ap.add_argument("--publish", choices=("default", "factual", "all"), default="default")
    a = ap.parse_args()
    split = a.split or ("dev" if a.list else "all")
    if not os.path.isdir(os.path.join(a.shared, "corpus")):
        print(f"skipped: {os.path.join(a.shared, 'corpus')} not found (the corpora are in ../shared)",
              file=sys.stderr)
        return 77
    if not os.access(a.demarche, os.X_OK):
        print(f"skipped: {a.demarche} not built (ninja -C build demarche-tool)", file=sys.stderr)
        return 77
    norm = Norm()
    gold, arts = read_gold(split)
    texts = read_articles(a.shared, arts)
    recs = run_coder(a.demarche, texts)

    by_art = defaultdict(list)
    for g in gold:
        g["_src"] = norm.country(g["source_country"])
        g["_tgt"] = norm.country(g["target_country"])
        by_art[article_key(g["corpus"], g["article"])].append(g)

    # counters[(split, corpus)][name]
    cnt = defaultdict(lambda: defaultdict(int))
    listing = []
    for art in arts:
        k = article_key(art["corpus"], art["article"])
        rec = recs.get(k, {"events": []})
        # Event offsets are bytes of the text demarche cleaned (and returns), not of the input.
        text = rec.get("text") or texts[k][0]
        coder, coder_hist = [], 0
        for ev in rec["events"]:
            if ev["historical"] or (a.publish != "all" and ev["negated"]) or \
                    (a.publish == "factual" and ev["hypothetical"]):
                coder_hist += 1
                continue
            s, t = ev["source"] or {}, ev["target"] or {}
            pos = s.get("start", -1) if s.get("start", -1) >= 0 else t.get("start", -1)
            # The coder reports one event per happening and article with its mentions; the gold
            # codes each mention, so each mention counts (matched or not) on its own.
            for _ in range(max(1, ev.get("mentions", 1))):
                coder.append({"_src": norm.country(s.get("code"), s.get("country")),
                              "_tgt": norm.country(t.get("code"), t.get("country")),
                              "code": ev["cameo_code"], "_pos": pos, "ev": ev})
        main_g = [g for g in by_art[k] if not g["flags"]]
        flag_g = [g for g in by_art[k] if g["flags"]]
        spans = {id(g): byte_span(text, g["sentence"]) for g in by_art[k]}

        def same_sentence(g, c):
            sp = spans[id(g)]
            return sp is not None and sp[0] <= c["_pos"] < sp[1]

        for grp in ((art["split"], art["corpus"]), (art["split"], "all"), ("all", "all")):
            C = cnt[grp]
            C["articles"] += 1
            C["gold"] += len(main_g)
            C["gold_flagged"] += len(flag_g)
            C["coder"] += len(coder)
            C["coder_historical"] += coder_hist
        for level in LEVELS:
            keyf = lambda e, level=level: norm.key(level, e["_src"], e["_tgt"], e["code"])
            m = match(main_g, coder, keyf, same_sentence)
            rest = [c for ci, c in enumerate(coder) if ci not in set(m.values())]
            n = match(flag_g, rest, keyf, same_sentence)
            for grp in ((art["split"], art["corpus"]), (art["split"], "all"), ("all", "all")):
                cnt[grp][level + "_tp"] += len(m)
                cnt[grp][level + "_neutral"] += len(n)
            if level == a.level and a.list:
                neutral = set(n.values())
                misses = [g for gi, g in enumerate(main_g) if gi not in m]
                fps = [c for ci, c in enumerate(rest) if ci not in neutral]
                listing.append((art, misses, fps, text))

    print(f"# recall gold: {len(arts)} articles; coder {a.demarche}; split {split}")
    print("# gold = unflagged gold events (recall base); flagged = gold events flagged historical/"
          "hypothetical/negated;")
    shown = {"all": "not historical", "default": "not historical or negated",
             "factual": "not historical, hypothetical or negated"}[a.publish]
    print(f"# coder = published coder events ({shown}); neutral = coder events matching only a "
          "flagged gold event (excluded from precision)")
    hdr = ["split", "corpus", "articles", "gold", "flagged", "coder", "gold/art", "coder/art"]
    for lv in LEVELS:
        hdr += [f"{lv}:R", f"{lv}:P", f"{lv}:neutral"]
    rows = []
    order = [g for g in (("dev", "guardian"), ("dev", "bbc"), ("dev", "all"), ("test", "guardian"),
                         ("test", "bbc"), ("test", "all"), ("all", "all")) if g in cnt]
    for grp in order:
        C = cnt[grp]
        row = [grp[0], grp[1], str(C["articles"]), str(C["gold"]), str(C["gold_flagged"]),
               str(C["coder"]), f"{(C['gold'] + C['gold_flagged']) / C['articles']:.1f}",
               f"{C['coder'] / C['articles']:.1f}"]
        for lv in LEVELS:
            tp, neu = C[lv + "_tp"], C[lv + "_neutral"]
            judged = C["coder"] - neu
            row += [f"{tp}/{C['gold']}={100 * tp / C['gold']:.1f}%" if C["gold"] else "-",
                    f"{tp}/{judged}={100 * tp / judged:.1f}%" if judged else "-", str(neu)]
        rows.append(row)
    w = [max(len(r[i]) for r in rows + [hdr]) for i in range(len(hdr))]
    for r in [hdr] + rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())
    print("# gold/art counts flagged gold events too; coder events not published (kept on the "
          "article): " + ", ".join(f"{g[0]}/{g[1]} {cnt[g]['coder_historical']}"
                                                   for g in order))

    if a.list:
        print(f"\n# unmatched events at level {a.level}, split {split}")
        for art, misses, fps, text in listing:
            if not misses and not fps:
                continue
            print(f"\n== {art['corpus']} {art['article']} ({art['split']}): {art['title']}")
            for g in misses:
                print(f"  MISS {g['source']}->{g['target']} {g['code']} '{g['trigger']}'  "
                      f"[{g['_line']}]  {g['sentence'][:160]}")
            for c in fps:
                ev = c["ev"]
                s, t = ev["source"] or {}, ev["target"] or {}
                sent = sentence_around(text, c["_pos"], max(c["_pos"] + 1, t.get("end", -1))) \
                    if c["_pos"] >= 0 else ""
                fl = ",".join(f for f in ("negated", "hypothetical") if ev.get(f))
                print(f"  FP   {s.get('code')}->{t.get('code')} {ev['cameo_code']} "
                      f"'{ev.get('trigger')}' {ev.get('pattern')}{' [' + fl + ']' if fl else ''}  "
                      f"{sent[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
