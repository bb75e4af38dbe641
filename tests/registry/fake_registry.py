#!/usr/bin/env python3
"""A Confluent Schema Registry for tests (standard library only), for what
a real registry (deploy/registry-local.sh, on which the other registry tests
run) cannot be made to do: scripted faults.

Implements the REST calls that producers and the Confluent deserializers
use, with the registry's semantics:

  POST /subjects/{subject}/versions        {"schema": "..."} -> {"id": N}
        the same schema again -> the same id (ids are global: one id per
        distinct schema, whatever the subject); a schema not BACKWARD
        compatible with the subject's latest version -> 409
  GET  /schemas/ids/{id}                   -> {"schema": "..."}
  GET  /subjects                           -> ["subject", ...]
  GET  /subjects/{subject}/versions        -> [1, 2, ...]
  GET  /subjects/{subject}/versions/{v}    -> {"subject","version","id","schema"}
       ({v} may be "latest")
  POST /subjects/{subject}                 {"schema": "..."} -> lookup

Errors use the registry's JSON body {"error_code": ..., "message": ...}
(40401 subject not found, 40402 version not found, 40403 schema not found,
409 incompatible, 42201 invalid schema).

    fake_registry.py --port P [--user USER:PASS] [--fail-first N] [--delay S]
                     [--faults LIST] [--slow S]

--user requires HTTP basic auth; --fail-first answers the first N requests
with 503 (a registry that is still starting); --delay slows every answer.
--faults scripts what a real registry cannot be made to do: the k-th
request (in arrival order) gets the k-th fault of the comma-separated list,
later ones are served normally:
  503    answers 503 (starting up)
  badid  answers 200 {"id": "seven"} (no integer id)
  html   answers 200 with an HTML page (not JSON)
  slow   waits --slow seconds (default 5), then serves the request
  ok     serves the request
Prints "ready PORT" on stdout once listening, and one "fault K NAME" line
per fault served.
"""
import argparse
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
from avro_compat import can_read  # noqa: E402

CT = "application/vnd.schemaregistry.v1+json"


class Registry:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_id = {}  # id -> schema text (as first registered)
        self.ids = {}  # canonical json -> id
        self.subjects = {}  # subject -> [id, ...] (versions)

    @staticmethod
    def canon(text):
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))

    def register(self, subject, text):
        key = self.canon(text)
        with self.lock:
            versions = self.subjects.setdefault(subject, [])
            if key in self.ids and self.ids[key] in versions:
                return 200, {"id": self.ids[key]}
            if versions:
                latest = json.loads(self.by_id[versions[-1]])
                err = can_read(json.loads(text), latest)
                if err:
                    return 409, {"error_code": 409,
                                 "message": "Schema being registered is incompatible with an "
                                            "earlier schema for subject \"%s\": %s" % (subject, err)}
            if key not in self.ids:
                self.ids[key] = len(self.by_id) + 1
                self.by_id[self.ids[key]] = text
            versions.append(self.ids[key])
            return 200, {"id": self.ids[key]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("FAKE_REGISTRY_VERBOSE"):
            sys.stderr.write("registry: " + fmt % args + "\n")

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", CT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def gate(self):
        srv = self.server
        if srv.delay:
            time.sleep(srv.delay)
        with srv.count_lock:
            srv.requests += 1
            n = srv.requests
            fault = srv.faults[n - 1] if n <= len(srv.faults) else "ok"
            if fault != "ok":  # under the lock: one whole line per fault
                print("fault %d %s" % (n, fault), flush=True)
        if n <= srv.fail_first:
            self.reply(503, {"error_code": 50301, "message": "starting up"})
            return False
        if fault == "503":
            self.reply(503, {"error_code": 50301, "message": "starting up"})
            return False
        if fault == "badid":
            self.reply(200, {"id": "seven"})
            return False
        if fault == "html":
            body = b"<html><body>It works!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return False
        if fault == "slow":
            time.sleep(srv.slow)
        if srv.user:
            want = "Basic " + base64.b64encode(srv.user.encode()).decode()
            if self.headers.get("Authorization") != want:
                self.reply(401, {"error_code": 401, "message": "Unauthorized"})
                return False
        return True

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"{}")

    def do_POST(self):
        if not self.gate():
            return
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        reg = self.server.registry
        try:
            text = self.body()["schema"]
            json.loads(text)
        except Exception as e:  # noqa: BLE001
            return self.reply(422, {"error_code": 42201, "message": "Invalid schema: %s" % e})
        if len(parts) == 3 and parts[0] == "subjects" and parts[2] == "versions":
            code, obj = reg.register(parts[1], text)
            return self.reply(code, obj)
        if len(parts) == 2 and parts[0] == "subjects":
            key = reg.canon(text)
            versions = reg.subjects.get(parts[1])
            if versions is None:
                return self.reply(404, {"error_code": 40401, "message": "Subject not found"})
            for i, sid in enumerate(versions):
                if reg.canon(reg.by_id[sid]) == key:
                    return self.reply(200, {"subject": parts[1], "version": i + 1, "id": sid,
                                            "schema": reg.by_id[sid]})
            return self.reply(404, {"error_code": 40403, "message": "Schema not found"})
        self.reply(404, {"error_code": 404, "message": "Not found"})

    def do_GET(self):
        if not self.gate():
            return
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        reg = self.server.registry
        if len(parts) == 3 and parts[:2] == ["schemas", "ids"]:
            sid = int(parts[2]) if parts[2].isdigit() else -1
            if sid not in reg.by_id:
                return self.reply(404, {"error_code": 40403, "message": "Schema not found"})
            return self.reply(200, {"schema": reg.by_id[sid]})
        if parts == ["subjects"]:
            return self.reply(200, sorted(reg.subjects))
        if len(parts) >= 3 and parts[0] == "subjects" and parts[2] == "versions":
            versions = reg.subjects.get(parts[1])
            if versions is None:
                return self.reply(404, {"error_code": 40401, "message": "Subject not found"})
            if len(parts) == 3:
                return self.reply(200, list(range(1, len(versions) + 1)))
            v = len(versions) if parts[3] == "latest" else (int(parts[3]) if parts[3].isdigit() else 0)
            if not 1 <= v <= len(versions):
                return self.reply(404, {"error_code": 40402, "message": "Version not found"})
            sid = versions[v - 1]
            return self.reply(200, {"subject": parts[1], "version": v, "id": sid,
                                    "schema": reg.by_id[sid]})
        self.reply(404, {"error_code": 404, "message": "Not found"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user")
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--faults", default="")
    ap.add_argument("--slow", type=float, default=5.0)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.registry = Registry()
    srv.user, srv.fail_first, srv.delay = a.user, a.fail_first, a.delay
    srv.faults, srv.slow = [f for f in a.faults.split(",") if f], a.slow
    bad = set(srv.faults) - {"503", "badid", "html", "slow", "ok"}
    if bad:
        ap.error("unknown faults: %s" % ", ".join(sorted(bad)))
    srv.requests, srv.count_lock = 0, threading.Lock()
    print("ready %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
