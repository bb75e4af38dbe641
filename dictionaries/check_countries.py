#!/usr/bin/env python3
"""Check the demarche country dictionary: countries.tsv against countries.actors.

Usage: python3 check_countries.py [countries.tsv [countries.actors]]
(defaults: the two files next to this script)

Checks
  countries.tsv
    - header is exactly: cameo iso3 iso2 name capital region (tab-separated)
    - every row has six fields; cameo/iso3 are 3 upper-case letters, iso2 two;
      name and region are non-empty; region is a UN geoscheme sub-region
    - cameo, iso3, iso2 and name are unique
    - at least 195 rows (193 UN members + 2 observer states)
  countries.actors
    - every line is a comment ('#' or '/'), ~FINISH, or  PHRASE [CODE] {; comment}
      (lines "#! PHRASE [CODE] ; off: ..." are disabled entries and are parsed too)
    - no blank lines (TABARI rejects them); ~FINISH is the last line
    - PHRASE: upper case, at least 3 characters, letters/digits and _ . ' &,
      ending in '_'
    - CODE: a cameo code from the TSV, optionally followed by GOV, MIL or LEG,
      or the null code ---
    - no phrase appears twice (trailing '_' ignored), so no phrase maps to two
      different codes
  both
    - every TSV code has at least one active entry with the bare code, and
      every code used in the .actors file is a TSV code
    - every TSV name appears as a phrase with the bare code
    - every non-empty TSV capital appears as a phrase (active or disabled) with
      the country's GOV code or, for city-states, the bare code

Exits 0 when all checks pass, 1 otherwise; problems are printed as file:line: message.
Python 3 standard library only.
"""
import os
import re
import sys
import unicodedata

HEADER = ["cameo", "iso3", "iso2", "name", "capital", "region"]
REGIONS = {
    "Northern Africa", "Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa",
    "Caribbean", "Central America", "South America", "Northern America",
    "Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia",
    "Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe",
    "Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia",
}
AGENT_SUFFIXES = ("GOV", "MIL", "LEG")
MIN_COUNTRIES = 195

PHRASE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.'&]*_$")
ENTRY_RE = re.compile(r"^(?P<phrase>\S+)\s+\[(?P<code>[^\]]*)\]\s*(?:;(?P<comment>.*))?$")


class Report:
    def __init__(self):
        self.errors = []

    def err(self, path, line, msg):
        self.errors.append(f"{path}:{line}: {msg}")


def to_phrase(text):
    """Normalise a name from the TSV to the dictionary's phrase form."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.strip().upper().replace("-", " ")
    return "_".join(text.split()) + "_"


def read_tsv(path, rep):
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        rep.err(path, 1, "empty file")
        return rows
    if lines[0].split("\t") != HEADER:
        rep.err(path, 1, f"header must be {chr(9).join(HEADER)!r}, got {lines[0]!r}")
    seen = {k: {} for k in ("cameo", "iso3", "iso2", "name")}
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            rep.err(path, n, f"expected {len(HEADER)} tab-separated fields, got {len(fields)}")
            continue
        row = dict(zip(HEADER, (x.strip() for x in fields)))
        row["line"] = n
        for key, pat in (("cameo", r"[A-Z]{3}"), ("iso3", r"[A-Z]{3}"), ("iso2", r"[A-Z]{2}")):
            if not re.fullmatch(pat, row[key]):
                rep.err(path, n, f"bad {key} {row[key]!r}")
        if not row["name"]:
            rep.err(path, n, "empty name")
        if row["region"] not in REGIONS:
            rep.err(path, n, f"unknown region {row['region']!r}")
        for key in seen:
            val = row[key].lower() if key == "name" else row[key]
            if val in seen[key]:
                rep.err(path, n, f"duplicate {key} {row[key]!r} (first on line {seen[key][val]})")
            else:
                seen[key][val] = n
        rows.append(row)
    if len(rows) < MIN_COUNTRIES:
        rep.err(path, len(lines), f"only {len(rows)} countries, need at least {MIN_COUNTRIES}")
    return rows


def read_actors(path, codes, rep):
    """Return list of entries (phrase, code, active, line)."""
    entries = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    finish = None
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if finish is not None:
            continue  # TABARI ignores everything after ~FINISH
        if not line:
            rep.err(path, n, "blank line (TABARI rejects blank lines; use a '#' comment)")
            continue
        if line == "~FINISH":
            finish = n
            continue
        active = True
        if line.startswith("#!"):
            active = False
            line = line[2:].strip()
        elif line.startswith("#") or line.startswith("/"):
            continue
        if line.startswith("+") or raw[:1] in (" ", "\t"):
            rep.err(path, n, "synonym or continuation lines are not used in this file")
            continue
        m = ENTRY_RE.match(line)
        if not m:
            rep.err(path, n, f"cannot parse entry {line!r} (expected PHRASE [CODE] ;comment)")
            continue
        phrase, code = m.group("phrase"), m.group("code").strip()
        if len(phrase) < 3:
            rep.err(path, n, f"phrase {phrase!r} shorter than 3 characters")
        if not PHRASE_RE.match(phrase):
            rep.err(path, n, f"bad phrase {phrase!r} (upper case, letters/digits/_.'&, ending in '_')")
        if code != "---":
            base, suffix = code[:3], code[3:]
            if base not in codes:
                rep.err(path, n, f"code {code!r}: {base!r} is not a cameo code in the TSV")
            if suffix and suffix not in AGENT_SUFFIXES:
                rep.err(path, n, f"code {code!r}: suffix {suffix!r} not one of {', '.join(AGENT_SUFFIXES)}")
        if not active and code == "---":
            rep.err(path, n, "disabled entry with the null code is pointless")
        entries.append((phrase, code, active, n))
    if finish is None:
        rep.err(path, len(lines), "missing ~FINISH line")
    elif finish != len(lines):
        rep.err(path, finish, "~FINISH must be the last line (project convention)")
    return entries


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    tsv = argv[1] if len(argv) > 1 else os.path.join(here, "countries.tsv")
    actors = argv[2] if len(argv) > 2 else os.path.join(here, "countries.actors")
    rep = Report()
    rows = read_tsv(tsv, rep)
    codes = {r["cameo"] for r in rows}
    entries = read_actors(actors, codes, rep)

    # one phrase, one entry (so one code)
    first = {}
    for phrase, code, active, n in entries:
        key = phrase.rstrip("_")
        if key in first:
            fcode, fn = first[key]
            what = "maps to a second code" if fcode != code else "duplicated"
            rep.err(actors, n, f"phrase {phrase!r} [{code}] {what} (first on line {fn} as [{fcode}])")
        else:
            first[key] = (code, n)

    by_phrase = {}
    for phrase, code, active, n in entries:
        by_phrase.setdefault(phrase, (code, active, n))
    used_bare = {code for phrase, code, active, n in entries if active}

    for r in rows:
        c = r["cameo"]
        if c not in used_bare:
            rep.err(tsv, r["line"], f"code {c} has no active entry [{c}] in {os.path.basename(actors)}")
        name = to_phrase(r["name"])
        got = by_phrase.get(name)
        if got is None or got[0] != c:
            rep.err(tsv, r["line"], f"name {r['name']!r}: phrase {name} [{c}] missing from {os.path.basename(actors)}"
                    + (f" (found [{got[0]}] on line {got[2]})" if got else ""))
        if r["capital"]:
            cap = to_phrase(r["capital"])
            got = by_phrase.get(cap)
            if got is None or got[0] not in (c + "GOV", c):
                rep.err(tsv, r["line"], f"capital {r['capital']!r}: phrase {cap} [{c}GOV] missing from "
                        f"{os.path.basename(actors)}" + (f" (found [{got[0]}] on line {got[2]})" if got else ""))

    if rep.errors:
        for e in rep.errors:
            print(e, file=sys.stderr)
        print(f"check_countries: {len(rep.errors)} problem(s)", file=sys.stderr)
        return 1
    active = sum(1 for e in entries if e[2] and e[1] != "---")
    disabled = sum(1 for e in entries if not e[2])
    guards = sum(1 for e in entries if e[1] == "---")
    print(f"check_countries: OK: {len(rows)} countries, {active} active phrases, "
          f"{disabled} disabled, {guards} guard phrases")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
