#!/bin/bash
# Checks the recall gold of tests/quality/recall_gold (every line parses and has the fields of the
# format, the CAMEO codes exist, each article's split follows the sha1-parity rule and agrees with
# articles.tsv, the event counts of articles.tsv are right), then runs tests/quality/recall_eval.py
# end to end and prints its figures. The figures are information, not a floor: the test fails only
# on a malformed gold or a scorer that does not run. Skips (77) when ../shared or the built
# `demarche` is absent, after the format checks.
src="${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
shared="${DM_SHARED_DIR:-$src/../shared}"
bin="${DM_BINARY_DIR:-$src/build}/demarche"

python3 - "$src" "$shared" <<'EOF' || exit 1
import csv, hashlib, json, os, sys
src, shared = sys.argv[1], sys.argv[2]
gold = os.path.join(src, "tests", "quality", "recall_gold")
ref = os.path.join(shared, "reference", "cameo-codes.csv")
codes = None
if os.path.exists(ref):
    with open(ref, encoding="utf-8", errors="replace") as f:
        codes = {r["code"] for r in csv.DictReader(f)}
else:
    print(f"note: {ref} absent, CAMEO codes checked against dictionaries/cameo.tsv")
    with open(os.path.join(src, "dictionaries", "cameo.tsv"), encoding="utf-8") as f:
        codes = {l.split("\t")[0] for l in f if not l.startswith("#")}
def split_of(corpus, article):
    key = f"guardian-{article}" if corpus == "guardian" else f"bbc-{article}"
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest()[-1], 16) % 2 == 0 else "test"
arts = {}
with open(os.path.join(gold, "articles.tsv"), encoding="utf-8") as f:
    for r in csv.DictReader(f, delimiter="\t"):
        if r["split"] in ("dev", "test"):
            arts[(r["corpus"], r["article"])] = r
errors, counts, n = [], {}, {}
fields = {"corpus": str, "article": str, "split": str, "sentence": str, "source": str,
          "source_country": str, "target": str, "target_country": str, "code": str,
          "trigger": str, "flags": list}
for split in ("dev", "test"):
    with open(os.path.join(gold, split + ".jsonl"), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            where = f"{split}.jsonl:{i}"
            try:
                ev = json.loads(line)
            except ValueError as e:
                errors.append(f"{where}: not JSON: {e}"); continue
            for k, t in fields.items():
                if not isinstance(ev.get(k), t) or (t is str and not ev[k]):
                    errors.append(f"{where}: field {k} missing or not a {t.__name__}")
            if errors and errors[-1].startswith(where):
                continue
            n[split] = n.get(split, 0) + 1
            if ev["split"] != split:
                errors.append(f"{where}: split {ev['split']} in {split}.jsonl")
            if ev["corpus"] not in ("guardian", "bbc"):
                errors.append(f"{where}: corpus {ev['corpus']}")
            elif split_of(ev["corpus"], ev["article"]) != split:
                errors.append(f"{where}: article {ev['article']} belongs to {split_of(ev['corpus'], ev['article'])}")
            a = arts.get((ev["corpus"], ev["article"]))
            if a is None:
                errors.append(f"{where}: article {ev['corpus']} {ev['article']} not in articles.tsv")
            elif a["split"] != split:
                errors.append(f"{where}: articles.tsv puts {ev['article']} in {a['split']}")
            if ev["code"] not in codes:
                errors.append(f"{where}: CAMEO code {ev['code']} unknown")
            if not set(ev["flags"]) <= {"historical", "hypothetical", "negated"}:
                errors.append(f"{where}: flags {ev['flags']}")
            for k in ("source_country", "target_country"):
                if not (len(ev[k]) == 3 or ev[k][:3] in ("IGO", "NGO")):
                    errors.append(f"{where}: {k} {ev[k]}")
            key = (ev["corpus"], ev["article"])
            counts[key] = counts.get(key, 0) + 1
for key, a in arts.items():
    if str(counts.get(key, 0)) != a["events"] and not (a["events"] == "0" and key not in counts):
        errors.append(f"articles.tsv: {key} says {a['events']} events, the gold has {counts.get(key, 0)}")
for e in errors[:40]:
    print("FAIL:", e)
if errors:
    sys.exit(1)
print(f"ok: gold format: {len(arts)} articles, dev {n.get('dev', 0)} and test {n.get('test', 0)} events")
EOF

if [ ! -d "$shared/corpus" ]; then
        echo "skipped: $shared/corpus not found (the shared reference tree is absent)"
        exit 77
fi
if [ ! -x "$bin" ]; then
        echo "skipped: $bin not built (ninja -C build demarche-tool)"
        exit 77
fi
python3 "$src/tests/quality/recall_eval.py" --demarche "$bin" --shared "$shared"
status=$?
if [ $status -ne 0 ]; then
        echo "FAIL: recall_eval.py exited with status $status"
        exit 1
fi
