#!/usr/bin/env python3
"""A second, independent decoder of demarche's single-object records:
fastavro (from PyPI, in the tests' virtualenv). Reads kcat's
-f '%K\\t%S\\n%k%s\\n' framing on stdin, checks the C3 01 marker and that the
fingerprint is fastavro's own CRC-64-AVRO of the schema's canonical form, and
prints each record as one JSON line.

    fastavro_decode.py SCHEMA.avsc < framed
"""
import io
import json
import sys

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form


def frames(data):
    pos = 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        klen, vlen = (int(x) for x in data[pos:nl].split(b"\t")[:2])
        pos = nl + 1
        key = data[pos:pos + klen] if klen >= 0 else None
        pos += max(klen, 0)
        val = data[pos:pos + vlen] if vlen >= 0 else None
        pos += max(vlen, 0) + 1
        yield key, val


def main():
    schema = fastavro.parse_schema(json.load(open(sys.argv[1])))
    fp = bytes.fromhex(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"))
    n = 0
    for key, val in frames(sys.stdin.buffer.read()):
        if val[:2] != b"\xc3\x01" or val[2:10] != fp:
            sys.exit("record %d: not single-object encoded with this schema" % n)
        rec = fastavro.schemaless_reader(io.BytesIO(val[10:]), schema)
        print(json.dumps(rec, default=str))
        n += 1


if __name__ == "__main__":
    main()
