#!/usr/bin/env bash
# Issue 12: "No CAMEO code appears in a C condition." What the coding layer
# knows about event codes is data (dictionaries/*.rules, *.verbs,
# *.nouns); C holds mechanisms. Fails when a file of daemon/coding/ compares
# something with a CAMEO-code-shaped string literal ("04", "173", "1723":
# two to four digits) in a string or memory comparison (strcmp, strncmp,
# strstr, memcmp, the case-insensitive ones, dm_text_word_in), or holds a C
# list made only of such literals (a list of codes a condition looks in).
# Comments do not count. The checker first runs on samples of its own, so
# that a broken pattern fails instead of passing everything. DM_CODING_DIR
# overrides the folder checked (on the tree before issue 12 it reports 16).
set -u
root="${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
dir="${DM_CODING_DIR:-$root/daemon/coding}"
[ -d "$dir" ] || { echo "FAIL: no $dir"; exit 1; }
python3 - "$dir" <<'PY'
import os, re, sys

CODE = re.compile(r'"[0-9]{2,4}"')
CALL = re.compile(r'\b(strn?(?:case)?cmp|memcmp|strstr|strcasestr|dm_text_word_in)\s*\(')
LIST = re.compile(r'\{([^{}]*)\}')


def strip_comments(src):
    """The source with comments blanked (newlines kept for line numbers),
    string and character literals intact."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', src[i:j]))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def call_args(src, start):
    """The text between the parenthesis at start and its partner."""
    depth, i = 0, start
    while i < len(src):
        if src[i] == '(':
            depth += 1
        elif src[i] == ')':
            depth -= 1
            if depth == 0:
                return src[start + 1:i]
        elif src[i] == '"':
            i += 1
            while i < len(src) and src[i] != '"':
                i += 2 if src[i] == '\\' else 1
        i += 1
    return src[start + 1:]


def check(name, text, report):
    """The number of CAMEO codes in conditions of one file's text."""
    src, found = strip_comments(text), 0
    for m in CALL.finditer(src):
        lit = CODE.search(call_args(src, m.end() - 1))
        if lit:
            line = src.count('\n', 0, m.start()) + 1
            report(f'FAIL: {name}:{line}: CAMEO code {lit.group(0)} in {m.group(1)}()')
            found += 1
    for m in LIST.finditer(src):
        items = [x.strip() for x in m.group(1).split(',') if x.strip()]
        items = [x for x in items if x != 'NULL']
        if items and all(CODE.fullmatch(x) for x in items):
            line = src.count('\n', 0, m.start()) + 1
            report(f'FAIL: {name}:{line}: a C list of CAMEO codes {{{m.group(1).strip()}}}')
            found += 1
    return found


# The checker itself: what it must find, and what it must let pass.
SAMPLE_BAD = ('''if (!strncmp(code, "04", 2) ||
    !strcmp(r->code,
            "1723"))
static const char *const violent[] = {"18", "19", NULL};
if (strstr(ev->code, "19")) {}''', 4)
SAMPLE_GOOD = '''/* strcmp(code, "173") in a comment */
// !strncmp(code, "04", 2)
if (!strcmp(w, "THE") || dm_rules_code_in(r, DM_CODES_STATEMENTS, code)) {}
snprintf(buf, 8, "%s", "2014");'''
got = check('sample', SAMPLE_BAD[0], lambda msg: None)
if got != SAMPLE_BAD[1] or check('sample', SAMPLE_GOOD, print):
    print(f'FAIL: the checker finds {got} of the {SAMPLE_BAD[1]} codes of its bad sample '
          'or some in its good one')
    sys.exit(1)

bad = 0
files = sorted(f for f in os.listdir(sys.argv[1]) if f.endswith(('.c', '.h')))
if not files:
    print('FAIL: no C files in', sys.argv[1])
    sys.exit(1)
for name in files:
    bad += check(name, open(os.path.join(sys.argv[1], name), encoding='utf-8').read(), print)
if bad:
    print(f'{bad} CAMEO code(s) in C conditions of {sys.argv[1]}: put them in the rules '
          '(dictionaries/*.rules, docs/CODER.md)')
    sys.exit(1)
print(f'ok: no CAMEO code in the conditions of {len(files)} files')
PY
