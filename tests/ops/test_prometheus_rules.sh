#!/usr/bin/env bash
# test_prometheus_rules.sh - deploy/prometheus/demarche-alerts.yml and the
# Grafana dashboard:
#  1. structure with Python (yaml.safe_load / json): every rule has alert,
#     expr, severity, summary; every dashboard panel has a datasource-bound
#     query; the metric names they use are listed in the report;
#  2. with promtool (Debian package prometheus; PROMTOOL=path to use another):
#     promtool check rules, then promtool test rules on
#     tests/ops/demarche-alerts.test.yml (each alert fires when it should).
# Exit 77 (skip) when neither python3-yaml nor promtool is available.
set -euo pipefail
SRC=${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
RULES=$SRC/deploy/prometheus/demarche-alerts.yml
DASH=$SRC/deploy/grafana/demarche-dashboard.json
log() { echo "prometheus-rules: $*" >&2; }
fail() { echo "prometheus-rules: FAIL: $*" >&2; exit 1; }

checked=0
# The names the daemon exports, from the metrics table (demarche metrics-doc),
# so that a rule or panel on a metric that does not exist fails here.
BIN=${DM_BINARY_DIR:-$SRC/build}
EXPORTED=""
if [ -x "$BIN/demarche" ]; then
  EXPORTED=$("$BIN/demarche" metrics-doc) || fail "demarche metrics-doc"
else
  log "$BIN/demarche not built: metric names not checked against the daemon's"
fi

if python3 -c 'import yaml' 2>/dev/null; then
  EXPORTED="$EXPORTED" python3 - "$RULES" "$DASH" <<'PY' || fail "structure check"
import json, os, re, sys, yaml
rules_path, dash_path = sys.argv[1], sys.argv[2]
doc = yaml.safe_load(open(rules_path))
names = set()
alerts = []
for g in doc["groups"]:
    assert g.get("name"), "group without name"
    for r in g["rules"]:
        a = r.get("alert")
        assert a and re.fullmatch(r"[A-Z][A-Za-z0-9]+", a), f"bad alert name {a!r}"
        assert a not in alerts, f"duplicate alert {a}"
        alerts.append(a)
        assert r.get("expr", "").strip(), f"{a}: no expr"
        assert r.get("labels", {}).get("severity") in ("critical", "warning", "info"), f"{a}: severity"
        ann = r.get("annotations", {})
        assert ann.get("summary") and ann.get("description"), f"{a}: summary/description"
        if "for" in r:
            assert re.fullmatch(r"\d+[smh]", r["for"]), f"{a}: for {r['for']!r}"
        names |= set(re.findall(r"\b(?:demarche|process)_[a-z_]+", r["expr"]))
print("prometheus-rules: %d alerts: %s" % (len(alerts), " ".join(alerts)), file=sys.stderr)
print("prometheus-rules: metrics used by alerts: " + " ".join(sorted(names)), file=sys.stderr)

dash = json.load(open(dash_path))
assert dash.get("title") and dash.get("uid"), "dashboard title/uid"
panels = []
def walk(ps):
    for p in ps:
        panels.append(p)
        walk(p.get("panels", []))
walk(dash["panels"])
ids = [p["id"] for p in panels]
assert len(ids) == len(set(ids)), "duplicate panel ids"
used = set()
for p in panels:
    if p["type"] == "row":
        continue
    assert p.get("title"), f"panel {p['id']} without title"
    assert p.get("gridPos"), f"panel {p['title']} without gridPos"
    tg = p.get("targets") or []
    assert tg, f"panel {p['title']} without queries"
    for t in tg:
        e = t.get("expr", "")
        assert e.strip(), f"panel {p['title']}: empty query"
        assert e.count("(") == e.count(")"), f"panel {p['title']}: unbalanced ( in {e}"
        used |= set(re.findall(r"\b(?:demarche|process)_[a-z_]+", e))
vars_ = [v["name"] for v in dash.get("templating", {}).get("list", [])]
assert "datasource" in vars_ and "instance" in vars_, "templating: datasource and instance"
print("prometheus-rules: dashboard: %d panels; metrics: %s" % (len(panels), " ".join(sorted(used))), file=sys.stderr)

doc = os.environ.get("EXPORTED", "")
if doc:
    rows = re.findall(r"^\| `([a-z_*]+)` \| ?([a-z]*) ?\|", doc, re.M)
    exported = {n for n, _ in rows if not n.endswith("*")}
    prefixes = [n[:-1] for n, _ in rows if n.endswith("*")]
    for n, t in rows:
        if t == "histogram":
            exported |= {n + "_bucket", n + "_sum", n + "_count"}
    assert len(exported) > 10, "no metric names parsed from demarche metrics-doc"
    unknown = sorted(n for n in names | used
                     if n not in exported and not any(n.startswith(p) for p in prefixes))
    assert not unknown, "metrics the daemon does not export: " + " ".join(unknown)
    print("prometheus-rules: every metric used is exported by the daemon", file=sys.stderr)
PY
  checked=1
  log "structure: OK"
else
  log "python3 yaml module missing (apt-get install python3-yaml): structure check skipped"
fi

PROMTOOL=${PROMTOOL:-$(command -v promtool || true)}
if [ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ]; then
  "$PROMTOOL" check rules "$RULES" >&2 || fail "promtool check rules"
  (cd "$SRC/tests/ops" && "$PROMTOOL" test rules demarche-alerts.test.yml) >&2 ||
    fail "promtool test rules"
  # Every dashboard query must parse as PromQL too: promtool has no
  # query-only checker, so wrap them as recording rules.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 - "$DASH" "$tmp/dash-rules.yml" <<'PY'
import json, re, sys
dash = json.load(open(sys.argv[1]))
exprs = []
def walk(ps):
    for p in ps:
        for t in p.get("targets") or []:
            e = re.sub(r"\$__(rate_interval|interval|range)", "5m", t["expr"])
            e = re.sub(r"\$\{?[a-z_]+\}?", "x", e)
            exprs.append(e)
        walk(p.get("panels", []))
walk(dash["panels"])
with open(sys.argv[2], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        f.write("      - record: dashboard:q%d\n        expr: %s\n" % (i, json.dumps(e)))
PY
  "$PROMTOOL" check rules "$tmp/dash-rules.yml" >/dev/null || fail "a dashboard query is not valid PromQL"
  log "promtool ($("$PROMTOOL" --version 2>&1 | head -1)): rules, rule tests and dashboard queries OK"
  checked=1
else
  log "promtool not installed (apt-get install prometheus, or PROMTOOL=path): PromQL checks skipped"
fi

if [ $checked = 0 ]; then
  echo "prometheus-rules: SKIP: neither python3-yaml nor promtool available"
  exit 77
fi
log "OK"
