#!/usr/bin/python3
"""Writes N article envelopes as JSON Lines for the end-to-end tests.

Source: ../shared/corpus/bbc (one article per file, headline on line 1) when
it exists, else the project's own deploy/samples, repeated with distinct ids
until N. Ids are stable and unique: the tests check each one comes out.
"""
import json
import os
import sys


def bbc_articles(root):
    for cat in sorted(os.listdir(root)):
        d = os.path.join(root, cat)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            raw = open(os.path.join(d, name), "rb").read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            title, _, body = text.partition("\n")
            yield "bbc-%s-%s" % (cat, name[:-4]), title.strip(), body.strip()


def sample_articles(root):
    adir = os.path.join(root, "articles")
    for name in sorted(os.listdir(adir)):
        path = os.path.join(adir, name)
        raw = open(path, encoding="utf-8").read()
        if name.endswith(".json"):
            env = json.loads(raw)
            yield env["id"], env.get("title"), env["text"]
        elif name.endswith(".html"):
            yield "sample-" + name.replace(".", "-"), None, {"html": raw}
        else:
            title, _, body = raw.partition("\n")
            yield "sample-" + name.replace(".", "-"), title.strip(), body


def main():
    n = int(sys.argv[1])
    src, shared = sys.argv[2], sys.argv[3]
    bbc = os.path.join(shared, "corpus", "bbc")
    if os.path.isdir(bbc):
        pool = list(bbc_articles(bbc))
        origin = "shared/corpus/bbc"
    else:
        pool = list(sample_articles(os.path.join(src, "deploy", "samples")))
        origin = "deploy/samples"
    if not pool:
        sys.exit("no articles found")
    out = sys.stdout
    for i in range(n):
        aid, title, body = pool[i % len(pool)]
        if i >= len(pool):
            aid = "%s-r%d" % (aid, i // len(pool))
        env = {"id": aid, "title": title, "source": origin,
               "published_at": "2026-11-27T12:00:00Z", "language": "en"}
        if isinstance(body, dict):
            env.update(body)
        else:
            env["text"] = body
        out.write(json.dumps(env, ensure_ascii=False) + "\n")
    sys.stderr.write("make_corpus: %d articles from %s\n" % (n, origin))


if __name__ == "__main__":
    main()
