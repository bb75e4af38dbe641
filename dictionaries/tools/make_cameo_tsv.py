#!/usr/bin/env python3
"""Generate dictionaries/cameo.tsv: one row per CAMEO event code.

Part of the demarche project.  Reads three public reference tables (facts
only: codes, names, Goldstein values, the CAMEO->PLOVER mapping) and writes a
tab-separated table the coder and the tools load at start-up.

Inputs, looked up in DIR/reference/ (or DIR itself) where DIR is --shared:
  CAMEO.goldsteinscale.txt  GDELT's CAMEO Goldstein table  -> column goldstein
  cameo-codes.csv           ICEWS CAMEO code list          -> goldstein_icews, name
  CAMEO2PLOVER-2021.txt     CAMEO -> PLOVER mapping        -> plover_* columns
  (CAMEO.eventcodes.txt, GDELT's name table, is used for names only when the
   ICEWS list lacks a code; it is optional.)

Output columns:
  code root quad_class goldstein goldstein_icews name
  plover_category plover_mode plover_context

Usage:
  python3 dictionaries/tools/make_cameo_tsv.py --shared ../shared \
      [--out dictionaries/cameo.tsv]

Python 3 standard library only.
"""

import argparse
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))

COLUMNS = [
    "code", "root", "quad_class", "goldstein", "goldstein_icews", "name",
    "plover_category", "plover_mode", "plover_context",
]

CODE_RE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")


def fail(msg):
    sys.stderr.write("make_cameo_tsv: %s\n" % msg)
    sys.exit(1)


def find_input(shared, name, required=True):
    for cand in (os.path.join(shared, "reference", name),
                 os.path.join(shared, name)):
        if os.path.isfile(cand):
            return cand
    if required:
        fail("cannot find %s under %s (or %s/reference)" % (name, shared, shared))
    return None


def read_text(path):
    # The reference tables are not all UTF-8 (cameo-codes.csv carries
    # mis-encoded quotes in its prose columns, which we do not use).
    # latin-1 never fails and leaves the ASCII columns we read intact.
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def fmt_goldstein(value, where):
    value = value.strip()
    if value == "" or value.upper() == "NA":
        return ""
    try:
        x = float(value)
    except ValueError:
        fail("%s: Goldstein value %r is not a number" % (where, value))
    s = "%.1f" % x
    if float(s) != x:          # keep full precision if a table ever has it
        s = repr(x)
    return s


def check_code(code, where):
    if not CODE_RE.match(code):
        fail("%s: %r is not a CAMEO event code" % (where, code))
    return code


def read_gdelt_goldstein(path):
    out = {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip() or n == 1 and line.upper().startswith("CAMEOEVENTCODE"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            fail("%s:%d: expected CODE<TAB>VALUE" % (path, n))
        code = check_code(parts[0].strip(), "%s:%d" % (path, n))
        out[code] = fmt_goldstein(parts[1], "%s:%d" % (path, n))
    return out


def read_gdelt_names(path):
    out = {}
    if path is None:
        return out
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip() or n == 1 and line.upper().startswith("CAMEOEVENTCODE"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and CODE_RE.match(parts[0].strip()):
            name = " ".join(parts[1].split())
            name = re.sub(r",?\s*not spec(ified)? below$", "", name)
            out[parts[0].strip()] = name
    return out


def read_icews(path):
    """-> {code: (goldstein, name)}"""
    out = {}
    reader = csv.DictReader(io.StringIO(read_text(path)))
    for field in ("code", "name", "goldstein"):
        if field not in (reader.fieldnames or []):
            fail("%s: no %r column" % (path, field))
    for row in reader:
        where = "%s:%d" % (path, reader.line_num)
        code = check_code(row["code"].strip(), where)
        name = " ".join(row["name"].split())
        out[code] = (fmt_goldstein(row["goldstein"], where), name)
    return out


def read_plover(path):
    """Parse CAMEO2PLOVER-2021.txt.

    Structure: '#' comment lines at the top; blank lines between groups; a
    root line 'NN: CATEGORY' opening each group; then code lines
    'CODE: CATEGORY, MODE, CONTEXT # CAMEO name'.  MODE and CONTEXT may be
    blank; CONTEXT may list several values separated by ';'.  Codes are filed
    under the group of the PLOVER category, not always their CAMEO root (191
    appears under 17), a root may open two groups (08: CONCEDE and 08:
    RETREAT) and a code may be listed twice (175).  The file ends with a
    '~~~~~' line.

    -> {code: (category, mode, context, comment)}; a code listed more than once
    with different values gets the distinct values joined with ';'.
    """
    rows = {}
    for n, raw in enumerate(read_text(path).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("~"):
            continue
        m = re.match(r"^(\d+)\s*:\s*(.*)$", line)
        if not m:
            fail("%s:%d: unrecognised line %r" % (path, n, raw))
        code = check_code(m.group(1), "%s:%d" % (path, n))
        rest, _, comment = m.group(2).partition("#")
        fields = [f.strip() for f in rest.split(",")]
        if len(fields) > 3:
            fail("%s:%d: more than three fields" % (path, n))
        fields += [""] * (3 - len(fields))
        cat, mode, ctx = fields
        ctx = ";".join(c.strip() for c in ctx.split(";") if c.strip())
        rows.setdefault(code, []).append((cat, mode, ctx, comment.strip()))
    out = {}
    for code, entries in rows.items():
        merged = []
        for i in range(3):
            vals = []
            for e in entries:
                for v in e[i].split(";"):
                    if v and v not in vals:
                        vals.append(v)
            merged.append(";".join(vals))
        out[code] = (merged[0], merged[1], merged[2], entries[0][3])
    return out


def quad_class(root):
    r = int(root)
    if 1 <= r <= 5:
        return "1"
    if 6 <= r <= 9:
        return "2"
    if 10 <= r <= 14:
        return "3"
    if 15 <= r <= 20:
        return "4"
    fail("root %s out of range" % root)


def clean(value, code, column):
    if "\t" in value or "\n" in value:
        fail("code %s: %s contains a tab or newline" % (code, column))
    return value


def build(shared):
    f_gold = find_input(shared, "CAMEO.goldsteinscale.txt")
    f_icews = find_input(shared, "cameo-codes.csv")
    f_plover = find_input(shared, "CAMEO2PLOVER-2021.txt")
    f_names = find_input(shared, "CAMEO.eventcodes.txt", required=False)

    gold = read_gdelt_goldstein(f_gold)
    icews = read_icews(f_icews)
    plover = read_plover(f_plover)
    gnames = read_gdelt_names(f_names)

    codes = sorted(set(gold) | set(icews) | set(plover))   # string order = CAMEO order
    rows = []
    for code in codes:
        root = code[:2]
        if code in icews:
            name = icews[code][1]
        elif code in gnames:
            name = gnames[code]
        elif code in plover and plover[code][3]:
            name = plover[code][3]
        else:
            fail("code %s has no name in any table" % code)
        cat, mode, ctx = plover.get(code, ("", "", "", ""))[:3]
        row = [code, root, quad_class(root), gold.get(code, ""),
               icews[code][0] if code in icews else "", name, cat, mode, ctx]
        rows.append([clean(v, code, c) for v, c in zip(row, COLUMNS)])

    header = [
        "# cameo.tsv - CAMEO event codes for demarche; generated by "
        "dictionaries/tools/make_cameo_tsv.py, do not edit by hand.",
        "# Sources: goldstein = GDELT Goldstein table CAMEO.goldsteinscale.txt; "
        "goldstein_icews and name = ICEWS cameo-codes.csv (name falls back to "
        "GDELT CAMEO.eventcodes.txt, then to the CAMEO2PLOVER-2021.txt comment); "
        "plover_* = CAMEO2PLOVER-2021.txt (PLOVER draft 0.8, 2021).",
        "# Licence: the PLOVER mapping is CC BY-SA 4.0 (openeventdata/PLOVER); "
        "codes, names and Goldstein values are used as facts.",
        "# quad_class follows GDELT: 1 = roots 01-05, 2 = 06-09, 3 = 10-14, "
        "4 = 15-20. Empty field = the table gives no value. Several PLOVER "
        "values for one code are joined with ';'.",
    ]
    return header, rows, (gold, icews, plover)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(PROJECT, "..", "shared"),
                    help="the shared reference directory (default ../shared)")
    ap.add_argument("--out", default=os.path.join(PROJECT, "dictionaries", "cameo.tsv"),
                    help="output file (default dictionaries/cameo.tsv); '-' for stdout")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.shared):
        fail("shared directory %s not found" % args.shared)

    header, rows, (gold, icews, plover) = build(args.shared)
    text = "\n".join(header + ["\t".join(COLUMNS)] + ["\t".join(r) for r in rows]) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        tmp = args.out + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, args.out)

    only = lambda a, b: sorted(set(a) - set(b))
    sys.stderr.write(
        "make_cameo_tsv: %d codes written to %s (GDELT %d, ICEWS %d, PLOVER %d)\n"
        % (len(rows), args.out, len(gold), len(icews), len(plover)))
    missing = [("not in GDELT Goldstein table", only(icews, gold) + only(plover, gold)),
               ("without a PLOVER mapping", [r[0] for r in rows if not r[6]])]
    for what, codes in missing:
        if codes:
            sys.stderr.write("make_cameo_tsv: %d codes %s: %s\n"
                             % (len(set(codes)), what, " ".join(sorted(set(codes)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
