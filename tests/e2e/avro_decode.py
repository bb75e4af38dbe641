#!/usr/bin/python3
"""Decode demarche's Avro single-object records as consumed with kcat.

Runs under Debian's /usr/bin/python3 with python3-avro (1.11); otherwise
standard library only.

Input framing, binary-safe, as produced by

    kcat -C -b BROKER -t TOPIC -e -f '%K\\t%S\\n%k%s\\n'

for each message: a header line holding the key length and the value length
in bytes (-1 for a null key / value) separated by a tab, then exactly that
many key bytes, that many value bytes, and a newline. The header line may
carry more tab-separated fields; with -f '%K\\t%S\\t%t\\t%p\\t%o\\n%k%s\\n'
they are reported as "_topic", "_partition" and "_offset".

Each value must be Avro single-object encoded: C3 01, the little-endian
CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form, the
Avro binary body. The fingerprint selects one of the --schema files (it must
match one of them exactly), and the body is decoded with avro.io.DatumReader
against that schema. One JSON object is printed per message: "_key" (the key
as UTF-8 text, or null), "_schema" (the record's full name), the optional
header fields above, then the record's fields. Timestamps are printed as
integer milliseconds (python3-avro returns datetimes for timestamp-millis),
bytes as a string with one code point U+0000..U+00FF per byte (the Avro JSON
encoding), so the output matches `demarche decode` and dm_result_to_json.

The Parsing Canonical Form is computed here from the schema JSON rather than
with python3-avro's Schema.canonical_form, because python3-avro 1.11.1
keeps logical types as {"type":"long"} instead of "long" and so yields a
different fingerprint from the Java, C and fastavro implementations.

Exit status: 0 when every message decoded, 1 when any failed (each failure
is reported on stderr and decoding goes on), 2 for usage errors.

    avro_decode.py --schema schemas/AnnotatedArticle.avsc [--schema ...] [FILE]
    avro_decode.py --schema schemas/AnnotatedArticle.avsc --canonical
"""

import argparse
import datetime
import io
import json
import sys

import avro.io
import avro.schema

CRC64_EMPTY = 0xC15D213AA4D7A795
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = {"record", "error", "enum", "fixed"}
MAGIC = b"\xc3\x01"
HEADER_SIZE = 10
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _crc64_table()


def crc64(data):
    """CRC-64-AVRO (Rabin) fingerprint of bytes, as an unsigned int."""
    fp = CRC64_EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


def canonical_form(schema):
    """Parsing Canonical Form (Avro 1.11 specification) of parsed schema JSON."""
    defined = set()

    def dump(s):
        return json.dumps(s, ensure_ascii=False)

    def resolve(ref, ns):
        if "." not in ref and ns and ns + "." + ref in defined:
            return ns + "." + ref
        if ref in defined:
            return ref
        raise ValueError("unknown type %r (namespace %r)" % (ref, ns))

    def canon(node, ns):
        if isinstance(node, str):
            return dump(node) if node in PRIMITIVES else dump(resolve(node, ns))
        if isinstance(node, list):
            return "[" + ",".join(canon(b, ns) for b in node) + "]"
        if not isinstance(node, dict) or "type" not in node:
            raise ValueError("not a schema: %r" % (node,))
        t = node["type"]
        if not isinstance(t, str):
            return canon(t, ns)
        if t in NAMED:
            name = node["name"]
            if "." in name:
                full, own_ns = name, name.rsplit(".", 1)[0]
            else:
                own_ns = node.get("namespace")
                if own_ns is None:
                    own_ns = ns
                full = own_ns + "." + name if own_ns else name
            if full in defined:
                raise ValueError("type %s defined twice" % full)
            defined.add(full)
            out = '{"name":' + dump(full) + ',"type":' + dump(t)
            if t == "enum":
                out += ',"symbols":[' + ",".join(dump(s) for s in node["symbols"]) + "]"
            elif t == "fixed":
                out += ',"size":%d' % int(node["size"])
            else:
                out += ',"fields":[' + ",".join(
                    '{"name":' + dump(f["name"]) + ',"type":' + canon(f["type"], own_ns) + "}"
                    for f in node["fields"]) + "]"
            return out + "}"
        if t == "array":
            return '{"type":"array","items":' + canon(node["items"], ns) + "}"
        if t == "map":
            return '{"type":"map","values":' + canon(node["values"], ns) + "}"
        return canon(t, ns)

    return canon(schema, "")


def to_json_value(v):
    if isinstance(v, dict):
        return {k: to_json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json_value(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("latin-1")
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        return (v - EPOCH) // datetime.timedelta(milliseconds=1)
    if isinstance(v, datetime.date):
        return (v - EPOCH.date()).days
    return v


def read_exact(stream, n, what):
    data = stream.read(n)
    if len(data) != n:
        raise EOFError("truncated input: wanted %d bytes of %s, got %d" % (n, what, len(data)))
    return data


def read_messages(stream):
    """Yields (header fields, key bytes or None, value bytes or None)."""
    while True:
        line = stream.readline()
        if not line:
            return
        if line in (b"\n", b"\r\n"):
            continue
        fields = line.rstrip(b"\r\n").decode("utf-8", "replace").split("\t")
        if len(fields) < 2:
            raise ValueError("bad header line %r: want KEYLEN<TAB>VALUELEN" % line)
        klen, vlen = int(fields[0]), int(fields[1])
        key = read_exact(stream, klen, "key") if klen >= 0 else None
        value = read_exact(stream, vlen, "value") if vlen >= 0 else None
        if stream.read(1) not in (b"\n", b""):
            raise ValueError("message not followed by a newline: wrong framing?")
        yield fields[2:], key, value


def load_schemas(paths):
    by_fp = {}
    for path in paths:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        canon = canonical_form(json.loads(text))
        fp = crc64(canon.encode("utf-8"))
        by_fp[fp] = (avro.schema.parse(text), canon, path)
    return by_fp


def decode_value(by_fp, value):
    if value is None or len(value) < HEADER_SIZE:
        raise ValueError("value too short for single-object encoding")
    if value[:2] != MAGIC:
        raise ValueError("no C3 01 marker (starts %s)" % value[:2].hex())
    fp = int.from_bytes(value[2:HEADER_SIZE], "little")
    if fp not in by_fp:
        raise ValueError("fingerprint %016x matches no --schema" % fp)
    schema = by_fp[fp][0]
    body = io.BytesIO(value[HEADER_SIZE:])
    record = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(body))
    if body.tell() != len(value) - HEADER_SIZE:
        raise ValueError("%d trailing bytes after the record"
                         % (len(value) - HEADER_SIZE - body.tell()))
    return schema.fullname, record


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema", action="append", required=True,
                    help="writer schema (.avsc); repeat for several")
    ap.add_argument("--canonical", action="store_true",
                    help="print each schema's fingerprint and canonical form, then exit")
    ap.add_argument("input", nargs="?", help="framed kcat output (default: stdin)")
    args = ap.parse_args()

    by_fp = load_schemas(args.schema)
    if args.canonical:
        for fp, (_, canon, path) in by_fp.items():
            print("%016x\t%s\t%s" % (fp, path, canon))
        return 0

    stream = open(args.input, "rb") if args.input else sys.stdin.buffer
    failures = 0
    try:
        for n, (extra, key, value) in enumerate(read_messages(stream)):
            out = {"_key": key.decode("utf-8", "replace") if key is not None else None}
            try:
                out["_schema"], record = decode_value(by_fp, value)
            except Exception as e:  # report and go on with the next message
                print("message %d: %s" % (n, e), file=sys.stderr)
                failures += 1
                continue
            for name, v in zip(("_topic", "_partition", "_offset"), extra):
                out[name] = int(v) if v.lstrip("-").isdigit() else v
            out.update(to_json_value(record))
            print(json.dumps(out, ensure_ascii=False))
    except (EOFError, ValueError) as e:
        print("input: %s" % e, file=sys.stderr)
        failures += 1
    finally:
        if args.input:
            stream.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
