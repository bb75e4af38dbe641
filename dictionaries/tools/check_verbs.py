#!/usr/bin/env python3
"""Check a TABARI-format .verbs dictionary against cameo.tsv.

Part of the demarche project.  Reports problems as FILE:LINE: message and
exits 1 if there are any, else prints counts per CAMEO root category and
exits 0.

Checks:
  * every event code ([...] on roots and patterns) is a code of cameo.tsv;
    special codes ---, ###, +++ are allowed, as are paired codes A:B and the
    subordinate/dominant suffixes ? and ! and the parse-mode suffix . (an event
    of its source alone);
  * no root verb appears twice, and no verb form ({ ... } line) repeats a
    root or another form (roots compared without trailing '_' or '=');
  * no pattern appears twice under the same root;
  * syntax: patterns ('- ...') and forms ('{ ... }') follow a root; a pattern
    holds exactly one '*', with only blank or '_' beside it; a root or pattern
    has a code; nothing but a ';' comment follows the code; phrases have at
    least three characters and at most 255; { | } alternatives balance;
    '^' is followed by '$' or '+';
  * <SYNSETS>: '&NAME' heads (letters and digits), '+' members, no empty or
    repeated set, every '&NAME' used in a pattern or member is declared
    before it is used; <...> blocks are closed;
  * no blank lines (TABARI rejects them) and a final ~~FINISH line.

Usage:
  python3 dictionaries/tools/check_verbs.py [--cameo dictionaries/cameo.tsv]
                                            [FILE.verbs ...]
(default file: dictionaries/diplomacy.verbs).  Python 3 standard library only.
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)

SPECIAL_CODES = {"---", "###", "+++"}
SYNSET_NAME = re.compile(r"^&[A-Z0-9]+$")
SYNSET_REF = re.compile(r"&([A-Za-z0-9]+)")
PHRASE_CHARS = re.compile(r"^[A-Z0-9_'.=\-]+$")


def load_cameo(path):
    """-> ({code: name}, {root: name})"""
    codes, roots = {}, {}
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if not header_seen:
                header_seen = True
                if fields[0] == "code":
                    continue
            if len(fields) < 6:
                continue
            codes[fields[0]] = fields[5]
            if len(fields[0]) == 2:
                roots[fields[0]] = fields[5]
    return codes, roots


def norm_word(w):
    """Root/form identity: upper case, '-' as '_', no trailing '_' or '='."""
    return w.upper().replace("-", "_").rstrip("_=")


class Checker:
    def __init__(self, cameo_codes):
        self.cameo = cameo_codes
        self.problems = []
        # statistics
        self.roots = {}          # norm -> (file, line, raw)
        self.forms = {}          # norm -> (file, line, root)
        self.root_codes = []     # default code of each root
        self.pattern_codes = []  # code of each pattern
        self.synsets = {}        # name -> member count
        self.nforms = 0

    def problem(self, where, msg):
        self.problems.append("%s:%d: %s" % (where[0], where[1], msg))

    # -- pieces ---------------------------------------------------------
    def split_entry(self, text, where, what):
        """'PHRASE [CODE] ; comment' -> (phrase, code) or (phrase, None)."""
        lb = text.find("[")
        if lb < 0:
            if "]" in text:
                self.problem(where, "%s: ']' without '['" % what)
            return text.split(";", 1)[0].strip(), None
        rb = text.find("]", lb)
        if rb < 0:
            self.problem(where, "%s: missing ']'" % what)
            return text[:lb].strip(), None
        phrase = text[:lb].strip()
        code = text[lb + 1:rb].strip()
        rest = text[rb + 1:].strip()
        if rest and not rest.startswith(";"):
            self.problem(where, "%s: unexpected text after the code: %r" % (what, rest))
        return phrase, code

    def check_code(self, code, where):
        if code is None:
            return None
        compact = code.replace(" ", "")
        if compact in SPECIAL_CODES:
            return compact
        if not compact:
            self.problem(where, "empty code []")
            return None
        first = None
        for part in compact.split(":"):
            base = part.rstrip("?!.")
            if len(part) - len(base) > 1:
                self.problem(where, "code %r: more than one ?/!/. suffix" % part)
            if base in SPECIAL_CODES:
                continue
            if base not in self.cameo:
                self.problem(where, "code %r is not a CAMEO code in cameo.tsv" % base)
            elif first is None:
                first = base
        return first or compact

    def check_synset_refs(self, text, where, declared_before):
        for m in SYNSET_REF.finditer(text):
            name = m.group(1)
            if name not in declared_before:
                self.problem(where, "synset &%s is not declared above" % name)

    def check_alternatives(self, text, where):
        depth = 0
        for tok in re.split(r"[\s_]+", text):
            if tok == "{":
                depth += 1
                if depth > 1:
                    self.problem(where, "nested { } alternatives")
            elif tok == "}":
                depth -= 1
                if depth < 0:
                    self.problem(where, "'}' without '{'")
                    depth = 0
            elif tok == "|" and depth == 0:
                self.problem(where, "'|' outside { }")
        if depth > 0:
            self.problem(where, "unclosed '{'")

    def check_pattern(self, pat, where):
        stars = [i for i, c in enumerate(pat) if c == "*"]
        if len(stars) != 1:
            self.problem(where, "pattern must contain exactly one '*' (has %d)" % len(stars))
        for i in stars:
            before = pat[i - 1] if i > 0 else " "
            after = pat[i + 1] if i + 1 < len(pat) else " "
            if before not in " _" or after not in " _":
                self.problem(where, "'*' may only be next to a blank or '_'")
        if len(pat) > 255:
            self.problem(where, "pattern longer than 255 characters")
        self.check_alternatives(pat, where)
        toks = [t for t in re.split(r"[\s_]+", pat) if t]
        for k, t in enumerate(toks):
            if t == "^" and not any(x in ("$", "+") for x in toks[k + 1:]):
                self.problem(where, "'^' must be followed by '$' or '+'")
            if t in ("*", "$", "+", "%", "^", "{", "|", "}") or t.startswith("&"):
                continue
            if not PHRASE_CHARS.match(t):
                self.problem(where, "bad word %r in pattern" % t)

    def check_phrase(self, phrase, where, what):
        if len(phrase) < 3:
            self.problem(where, "%s %r: fewer than three characters" % (what, phrase))
        if len(phrase) > 255:
            self.problem(where, "%s longer than 255 characters" % what)
        if " " in phrase or not PHRASE_CHARS.match(phrase):
            self.problem(where, "%s %r: use upper-case words joined by '_'" % (what, phrase))

    # -- file -----------------------------------------------------------
    def check_file(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
        except (OSError, UnicodeDecodeError) as e:
            self.problems.append("%s:0: cannot read: %s" % (path, e))
            return
        if lines and lines[-1] == "":
            lines.pop()
        block = None             # name of an open <BLOCK>
        synset = None            # current synset name
        synset_members = set()
        root = None              # norm of current root
        root_patterns = set()
        prev_kind = None         # 'root', 'forms', 'pattern', other
        finished = False
        for n, raw in enumerate(lines, 1):
            where = (path, n)
            line = raw.strip()
            if not line:
                self.problem(where, "blank line (TABARI rejects blank lines; use a '#' line)")
                continue
            if line.startswith("~"):
                if line.lstrip("~").upper().startswith("FINISH"):
                    finished = True
                    break
                self.problem(where, "unexpected line starting with '~'")
                continue
            if line.startswith("#") or line.startswith("/"):
                continue

            # <BLOCK> ... </BLOCK>
            m = re.match(r"^<(/?)([A-Za-z]+)>$", line)
            if m:
                closing, tag = m.group(1), m.group(2).upper()
                if not closing:
                    if block:
                        self.problem(where, "<%s> opened inside <%s>" % (tag, block))
                    block = tag
                    synset = None
                else:
                    if block != tag:
                        self.problem(where, "</%s> without <%s>" % (tag, tag))
                    if block == "SYNSETS" and synset and self.synsets[synset] == 0:
                        self.problem(where, "synset &%s has no members" % synset)
                    block = None
                    synset = None
                prev_kind = None
                continue
            if block == "SYNSETS" or block == "SYNSET":
                if line.startswith("&"):
                    name = line.split(";", 1)[0].strip()
                    if synset and self.synsets[synset] == 0:
                        self.problem(where, "synset &%s has no members" % synset)
                    if not SYNSET_NAME.match(name):
                        self.problem(where, "synset name %r: '&' and letters/digits only" % name)
                    name = name[1:]
                    if name in self.synsets:
                        self.problem(where, "synset &%s declared twice" % name)
                    synset = name
                    self.synsets[name] = 0
                    synset_members = set()
                elif line.startswith("+"):
                    member = line[1:].split(";", 1)[0].strip()
                    if synset is None:
                        self.problem(where, "'+' member before any '&' synset name")
                        continue
                    if not member:
                        self.problem(where, "empty synset member")
                        continue
                    declared = set(self.synsets) - {synset}
                    if re.search(r"&" + re.escape(synset) + r"(?![A-Za-z0-9])", member):
                        self.problem(where, "synset &%s refers to itself" % synset)
                    self.check_synset_refs(member.replace("&" + synset, ""), where, declared)
                    key = member.upper()
                    if key in synset_members:
                        self.problem(where, "member %r repeated in &%s" % (member, synset))
                    synset_members.add(key)
                    self.synsets[synset] += 1
                else:
                    self.problem(where, "inside <SYNSETS> expected '&NAME' or '+member'")
                continue
            if block:
                continue  # <TIME>, <NOUN>, ... are not checked here

            if line.startswith("{"):
                if prev_kind != "root":
                    self.problem(where, "verb forms { } must come right after their root verb")
                if not line.rstrip().endswith("}"):
                    self.problem(where, "verb forms line must end with '}'")
                body = line.strip("{} \t")
                for form in body.split():
                    if form in ("{", "}", "|"):
                        self.problem(where, "bad verb form %r" % form)
                        continue
                    self.check_phrase(form, where, "verb form")
                    key = norm_word(form)
                    if key in self.roots:
                        r = self.roots[key]
                        self.problem(where, "verb form %s is also a root verb (%s:%d)"
                                     % (form, r[0], r[1]))
                    elif key in self.forms:
                        r = self.forms[key]
                        self.problem(where, "verb form %s also listed under %s (%s:%d)"
                                     % (form, r[2], r[0], r[1]))
                    else:
                        self.forms[key] = (path, n, root)
                    self.nforms += 1
                prev_kind = "forms"
                continue

            if line.startswith("-"):
                body = line[1:]
                if root is None:
                    self.problem(where, "pattern before any root verb")
                pat, code = self.split_entry(body, where, "pattern")
                if code is None:
                    self.problem(where, "pattern has no [code]")
                self.check_pattern(pat, where)
                self.check_synset_refs(pat, where, set(self.synsets))
                c = self.check_code(code, where)
                key = " ".join(pat.upper().split())
                if key in root_patterns:
                    self.problem(where, "pattern %r repeated under the same root" % pat)
                root_patterns.add(key)
                if c is not None:
                    self.pattern_codes.append(c)
                prev_kind = "pattern"
                continue

            if line.startswith("+") or line.startswith("&"):
                self.problem(where, "synset line outside <SYNSETS>")
                continue

            # a root verb
            phrase, code = self.split_entry(line, where, "root verb")
            if code is None:
                self.problem(where, "root verb %r has no [code]" % phrase)
            self.check_phrase(phrase, where, "root verb")
            c = self.check_code(code, where)
            key = norm_word(phrase)
            if key in self.roots:
                r = self.roots[key]
                self.problem(where, "root verb %s appears twice (first at %s:%d)"
                             % (phrase, r[0], r[1]))
            elif key in self.forms:
                r = self.forms[key]
                self.problem(where, "root verb %s is already a form of %s (%s:%d)"
                             % (phrase, r[2], r[0], r[1]))
            else:
                self.roots[key] = (path, n, phrase)
            root = key
            root_patterns = set()
            if c is not None:
                self.root_codes.append(c)
            prev_kind = "root"
        if block:
            self.problems.append("%s:%d: <%s> is not closed" % (path, len(lines), block))
        if not finished:
            self.problems.append("%s:%d: no final ~~FINISH line" % (path, len(lines)))


def category(code):
    return "---" if code in SPECIAL_CODES else code[:2]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a TABARI .verbs dictionary against cameo.tsv")
    ap.add_argument("files", nargs="*",
                    default=[os.path.join(DICTS, "diplomacy.verbs")])
    ap.add_argument("--cameo", default=os.path.join(DICTS, "cameo.tsv"),
                    help="cameo.tsv (default: dictionaries/cameo.tsv)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no counts, problems only")
    args = ap.parse_args(argv)

    try:
        codes, root_names = load_cameo(args.cameo)
    except OSError as e:
        sys.stderr.write("check_verbs: cannot read %s: %s\n" % (args.cameo, e))
        return 2
    if not codes:
        sys.stderr.write("check_verbs: %s holds no codes\n" % args.cameo)
        return 2

    ck = Checker(codes)
    for path in args.files:
        ck.check_file(path)

    if not args.quiet:
        cats = sorted(set(root_names) | {category(c) for c in ck.root_codes + ck.pattern_codes})
        print("%-4s %-34s %6s %9s" % ("root", "category", "verbs", "patterns"))
        for cat in cats:
            nv = sum(1 for c in ck.root_codes if category(c) == cat)
            np_ = sum(1 for c in ck.pattern_codes if category(c) == cat)
            name = "null code (no event)" if cat == "---" else root_names.get(cat, "?")
            print("%-4s %-34s %6d %9d" % (cat, name[:34], nv, np_))
        print("%-39s %6d %9d" % ("total", len(ck.root_codes), len(ck.pattern_codes)))
        print("verb forms: %d; synsets: %d (%d members); distinct codes used: %d"
              % (ck.nforms, len(ck.synsets), sum(ck.synsets.values()),
                 len({c for c in ck.root_codes + ck.pattern_codes if c not in SPECIAL_CODES})))
        missing = sorted(set(root_names) - {category(c) for c in ck.root_codes + ck.pattern_codes})
        if missing:
            print("root categories with no entry: %s" % " ".join(missing))

    for p in ck.problems:
        print(p, file=sys.stderr)
    if ck.problems:
        print("check_verbs: %d problem(s)" % len(ck.problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
