#!/usr/bin/env python3
"""Avro schema compatibility (standard library only).

`can_read(reader, writer)` says whether data written with `writer` can be
read with `reader` under the Avro specification's schema resolution rules.
BACKWARD compatibility of a new schema with an old one is
`can_read(new, old)`: consumers on the new schema read old records.

    avro_compat.py NEW.avsc OLD.avsc     exit 0 when NEW is BACKWARD
                                         compatible with OLD, else 1
"""
import json
import sys

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
PROMOTIONS = {
    "int": {"long", "float", "double"},
    "long": {"float", "double"},
    "float": {"double"},
    "string": {"bytes"},
    "bytes": {"string"},
}


class Names:
    """Named types of one schema, by full name."""

    def __init__(self):
        self.types = {}

    def collect(self, s, ns=None):
        if isinstance(s, list):
            for b in s:
                self.collect(b, ns)
        elif isinstance(s, dict):
            t = s.get("type")
            if t in ("record", "error", "enum", "fixed"):
                full = fullname(s["name"], s.get("namespace", ns))
                self.types[full] = s
                ns = full.rpartition(".")[0] or None
                for f in s.get("fields", []):
                    self.collect(f["type"], ns)
            elif t == "array":
                self.collect(s["items"], ns)
            elif t == "map":
                self.collect(s["values"], ns)
            elif isinstance(t, (dict, list)):
                self.collect(t, ns)


def fullname(name, ns):
    return name if "." in name or not ns else ns + "." + name


def resolve(s, names, ns=None):
    """Returns (kind, schema, namespace) with references and wrappers undone."""
    if isinstance(s, str):
        if s in PRIMITIVES:
            return s, s, ns
        key = s if s in names.types else fullname(s, ns)
        t = names.types.get(key) or names.types.get(s)
        if t is None:
            raise ValueError("unknown type %s" % s)
        return resolve(t, names, ns)
    if isinstance(s, list):
        return "union", s, ns
    t = s["type"]
    if isinstance(t, (dict, list)) or (isinstance(t, str) and t in PRIMITIVES and len(s) <= 2 + ("logicalType" in s)):
        if isinstance(t, str) and t in PRIMITIVES:
            return t, t, ns
        return resolve(t, names, ns)
    if t in ("record", "error", "enum", "fixed"):
        full = fullname(s["name"], s.get("namespace", ns))
        return t if t != "error" else "record", s, full.rpartition(".")[0] or None
    if t in ("array", "map"):
        return t, s, ns
    return resolve(t, names, ns)


def can_read(reader, writer, rnames=None, wnames=None, rns=None, wns=None, path="$"):
    """Returns None when compatible, else a message naming the first problem."""
    if rnames is None:
        rnames, wnames = Names(), Names()
        rnames.collect(reader)
        wnames.collect(writer)
    rk, r, rns = resolve(reader, rnames, rns)
    wk, w, wns = resolve(writer, wnames, wns)
    if wk == "union":
        for b in w:
            err = can_read(reader, b, rnames, wnames, rns, wns, path)
            if err:
                return err
        return None
    if rk == "union":
        for b in r:
            if can_read(b, writer, rnames, wnames, rns, wns, path) is None:
                return None
        return "%s: no branch of the reader union reads writer type %s" % (path, wk)
    if rk in PRIMITIVES or wk in PRIMITIVES:
        if rk == wk or rk in PROMOTIONS.get(wk, ()):
            return None
        return "%s: reader %s cannot read writer %s" % (path, rk, wk)
    if rk != wk:
        return "%s: reader %s cannot read writer %s" % (path, rk, wk)
    if rk == "record":
        wfields = {f["name"]: f for f in w.get("fields", [])}
        for f in r.get("fields", []):
            names = [f["name"]] + list(f.get("aliases", []))
            wf = next((wfields[n] for n in names if n in wfields), None)
            if wf is None:
                if "default" not in f:
                    return "%s.%s: new field without a default" % (path, f["name"])
                continue
            err = can_read(f["type"], wf["type"], rnames, wnames, rns, wns, path + "." + f["name"])
            if err:
                return err
        return None
    if rk == "enum":
        missing = set(w["symbols"]) - set(r["symbols"])
        if missing and "default" not in r:
            return "%s: enum symbols %s removed without a default" % (path, sorted(missing))
        return None
    if rk == "fixed":
        return None if r["size"] == w["size"] else "%s: fixed size changed" % path
    if rk == "array":
        return can_read(r["items"], w["items"], rnames, wnames, rns, wns, path + "[]")
    if rk == "map":
        return can_read(r["values"], w["values"], rnames, wnames, rns, wns, path + "{}")
    return None


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    new, old = (json.load(open(p)) for p in argv[1:])
    err = can_read(new, old)
    if err:
        print("%s is NOT backward compatible with %s: %s" % (argv[1], argv[2], err))
        return 1
    print("%s is backward compatible with %s" % (argv[1], argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
