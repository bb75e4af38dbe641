#!/usr/bin/env bash
# test_deploy_examples.sh - static checks of the deployment examples (no
# Docker or Kubernetes here, so nothing is built or applied):
#  - deploy/k8s/demarche-deployment.yaml parses; the ConfigMap's configuration
#    passes the built demarched --check-config; probes use /livez and /readyz
#    on the port of http.listen, which is not loopback; the grace period
#    outlasts shutdown.timeout.ms; workers fit the CPU limit; the pod's uid is
#    the image's;
#  - deploy/docker/Dockerfile: Debian 12 stages, every COPY source exists,
#    the entrypoint is the packaged binary.
# Env: DM_SOURCE_DIR, DM_BINARY_DIR. Exit 77 without python3-yaml.
set -euo pipefail
SRC=${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${DM_BINARY_DIR:-$SRC/build}
log() { echo "deploy-examples: $*" >&2; }
fail() { echo "deploy-examples: FAIL: $*" >&2; exit 1; }
python3 -c 'import yaml' 2>/dev/null || { echo "deploy-examples: SKIP: python3-yaml missing"; exit 77; }
[ -x "$BIN/demarched" ] || fail "$BIN/demarched not built"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

python3 - "$SRC/deploy/k8s/demarche-deployment.yaml" "$SRC/deploy/docker/Dockerfile" "$W" <<'PY' || fail "k8s/Dockerfile checks"
import os, re, sys, yaml
k8s, dockerfile, work = sys.argv[1:4]
docs = {d["kind"]: d for d in yaml.safe_load_all(open(k8s)) if d}
assert set(docs) >= {"ConfigMap", "Deployment", "Service"}, sorted(docs)
conf = docs["ConfigMap"]["data"]["demarche.conf"]
open(os.path.join(work, "demarche.conf"), "w").write(conf)
kv = dict(re.findall(r"^\s*([a-z][\w.]*)\s*=\s*(.*?)\s*$", conf, re.M))
dep = docs["Deployment"]["spec"]
pod = dep["template"]["spec"]
c = pod["containers"][0]
host, port = kv["http.listen"].rsplit(":", 1)
assert host not in ("127.0.0.1", "localhost", "::1", "[::1]"), "http.listen on loopback: probes cannot reach it"
ports = {p["name"]: p["containerPort"] for p in c["ports"]}
assert ports["metrics"] == int(port), f"containerPort {ports['metrics']} != http.listen {port}"
for probe, path in (("livenessProbe", "/livez"), ("readinessProbe", "/readyz"), ("startupProbe", "/livez")):
    g = c[probe]["httpGet"]
    assert g["path"] == path and g["port"] in ("metrics", int(port)), f"{probe}: {g}"
grace = pod["terminationGracePeriodSeconds"]
stop_ms = int(kv.get("shutdown.timeout.ms", "30000"))
assert grace * 1000 >= stop_ms + 10000, f"grace {grace}s leaves <10 s after shutdown.timeout.ms {stop_ms}"
cpu = c["resources"]["limits"]["cpu"]
cpu = float(cpu[:-1]) / 1000 if str(cpu).endswith("m") else float(cpu)
workers = int(kv.get("workers", "0"))
assert 0 < workers <= max(1, int(cpu + 0.5)), f"workers {workers} vs cpu limit {cpu} (0 counts the node's CPUs)"
sc = c["securityContext"]
assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"] and sc["capabilities"]["drop"] == ["ALL"]
assert pod["securityContext"]["runAsNonRoot"]
env = {e["name"] for e in c.get("env", [])}
assert all(re.fullmatch(r"DEMARCHE_[A-Z0-9_]+", e) for e in env), env
svc = docs["Service"]["spec"]
assert svc["selector"] == dep["selector"]["matchLabels"], "Service selector"
open(os.path.join(work, "env"), "w").write("".join(f"{e}=x\n" for e in sorted(env)))

df = open(dockerfile).read()
froms = re.findall(r"^FROM\s+(\S+)", df, re.M)
assert froms and all(f.startswith("debian:12") for f in froms), froms
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(dockerfile))))
for line in re.findall(r"^COPY\s+(?!--from)(.+)$", df, re.M):
    for s in line.split()[:-1]:
        assert os.path.exists(os.path.join(root, s)), f"COPY source {s} missing"
assert '"/usr/bin/demarched"' in df, "ENTRYPOINT"
uid = re.search(r"^USER\s+(\d+)", df, re.M).group(1)
assert int(uid) == pod["securityContext"]["runAsUser"], f"image USER {uid} != runAsUser"
print("deploy-examples: k8s and Dockerfile structure OK", file=sys.stderr)
PY

mapfile -t envs <"$W/env"
out=$(env -i PATH=/usr/bin:/bin "${envs[@]}" "$BIN/demarched" --check-config --config "$W/demarche.conf" 2>&1) ||
  fail "the ConfigMap's configuration is rejected:
$out"
log "ConfigMap configuration: demarched --check-config OK"
log "OK (Docker and Kubernetes are not available here: the image is not built, the manifests not applied)"
