#!/usr/bin/env python3
"""lb_score.py: score tracelb results against sc_netsim's MDA truth.

    lb_score.py TRUTH LINKS [ONLY]

TRUTH is `sc_netsim --lbtruth` output for the targets; LINKS is
lb_links.py output for the results (one line per tracelb).  A link is
right if the truth has it (the same two addresses; across silent routers
the truth counts the hops too); links to no node, and 20211212's clumps
(links through hops that answered), are counted apart.  With ONLY (a
LINKS file too), only destinations present in it are scored, so two
runs are compared on the same targets.

Prints one line of key=value pairs: traces, truth links, found, right,
wrong, recall, precision, probes per destination, clumps; then each
wrong link on standard error.  Exits 0.
"""
import sys


def read_truth(path):
    t, cur = {}, None
    for line in open(path):
        w = line.split()
        if line.startswith("# ") and len(w) == 3:
            cur = t.setdefault(w[1], set())
        elif cur is not None and w[:1] == ["link"]:
            cur.add((w[1], w[2]))
    return t


def read_links(path):
    res = {}
    for line in open(path):
        w = line.split()
        if len(w) < 3:
            continue
        kv = dict(x.split("=", 1) for x in w[2:])
        links = set()
        for l in kv.get("links", "").split(","):
            if l:
                a, rest = l.split(">", 1)
                b = rest.rsplit("/", 1)[0]
                if b != "*":
                    links.add((a, b))
        clumps = len([c for c in kv.get("clumps", "").split(",") if c])
        res[w[0]] = (links, int(kv.get("probec", "0")), clumps)
    return res


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    truth = read_truth(sys.argv[1])
    got = read_links(sys.argv[2])
    only = read_links(sys.argv[3]) if len(sys.argv) == 4 else None
    n = tl = found = right = probes = clumps = 0
    for dst, (links, probec, nclump) in sorted(got.items()):
        if only is not None and dst not in only:
            continue
        want = truth.get(dst)
        if want is None:
            print("no truth for %s" % dst, file=sys.stderr)
            continue
        n += 1
        tl += len(want)
        found += len(links)
        right += len(links & want)
        probes += probec
        clumps += nclump
        for a, b in sorted(links - want):
            print("wrong: %s: %s -> %s" % (dst, a, b), file=sys.stderr)
    print("traces=%d truth_links=%d found=%d right=%d wrong=%d recall=%.4f "
          "precision=%.4f probes_per_dst=%.1f clumps=%d" % (
              n, tl, found, right, found - right, right / tl if tl else 0,
              right / found if found else 1, probes / n if n else 0, clumps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
