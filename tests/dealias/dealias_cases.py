#!/usr/bin/env python3
"""dealias_cases.py: alias-resolution test cases from sc_netsim's truth,
and their scoring.

  dealias_cases.py make TRUTH METHOD NPOS NNEG SEED OUT.cases OUT.cmds [EXTRA]
      Draw NPOS positive and NNEG negative cases for METHOD (ally, ally6,
      mercator, mercator6, prefixscan, bump) from the routers in TRUTH
      (sc_netsim -T), with a seeded random generator, and write them as
      JSON lines (OUT.cases) and as scamper dealias commands, one a line,
      each carrying its case number as -U (OUT.cmds).  EXTRA is put after
      "dealias -m METHOD" in every command.

  dealias_cases.py score OUT.cases [RESULTS.json]
      Read the dealias objects (JSON lines as sc_warts2json prints them)
      and print one line of key=value pairs:
        pos neg            cases of each kind
        done               cases with a result
        tp fp              positives / negatives called aliases (for
                           prefixscan: the alias found is, or is not, one)
        none notaliases    results of those kinds
        precision          tp / (tp + fp) (1 when nothing was called)
        recall_shared      tp / positives whose router has one shared,
                           unswapped counter (ally, prefixscan, bump)
        recall_all         tp / pos
        probes             probes sent in all results
      Exit 0 if precision is 1, else 1.

  dealias_cases.py pairs OUT.cases
      The cases' addresses, one case a line (a driver's -a file).

  dealias_cases.py score-pairs TRUTH OUT.cases [PAIRS]
      Score the alias pairs a driver printed (sc_ally -d, sc_radargun -d:
      "A B" a line; a longer line is a set, every pair of it counted)
      against TRUTH: fp counts pairs of addresses of two routers; tp the
      positive cases found.  The same key=value line as score (no
      probes), exit 0 if precision is 1.

  dealias_cases.py score-links TRUTH OUT.cases [LINKS]
      Score sc_prefixscan -r's lines ("A B A'/len"): fp counts A' not of
      A's router; tp the positive cases (A, B) found.  Exit 0 if
      precision is 1.

A case is a positive when its addresses belong to one router.  Cases
use every router at most MAXUSE times, spread over the routers, so that
the prober's tasks do not all crowd the same counters.
"""
import json
import random
import sys

MAXUSE = 2


def routers(truth, af):
    out = []
    for line in open(truth):
        d = json.loads(line)
        if d.get("type") == "router" and d["af"] == af:
            out.append(d)
    return out


def shared(r):
    """Nonzero if R's IP-IDs come from one counter for every address."""
    return r["ipid"] == "shared" and not r.get("ipid_bswap", False)


class Picker:
    """Routers drawn at random, each at most MAXUSE times."""

    def __init__(self, rng, rs):
        self.rng = rng
        self.rs = list(rs)
        self.use = {}

    def take(self, pred=lambda r: True):
        for _ in range(20000):
            r = self.rng.choice(self.rs)
            if self.use.get(r["id"], 0) < MAXUSE and pred(r):
                self.use[r["id"]] = self.use.get(r["id"], 0) + 1
                return r
        raise SystemExit("dealias_cases: not enough routers for the cases "
                         "asked (a larger topology or fewer cases)")


def pair_cases(rng, rs, npos, nneg):
    multi = [r for r in rs if len(r["addrs"]) >= 2]
    pk = Picker(rng, multi)
    cases = []
    for _ in range(npos):
        r = pk.take()
        a, b = rng.sample(r["addrs"], 2)
        cases.append({"pos": True, "addrs": [a, b], "rtr": [r["id"]] * 2,
                      "shared": shared(r)})
    pk = Picker(rng, rs)
    for _ in range(nneg):
        r1 = pk.take()
        r2 = pk.take(lambda r: r["id"] != r1["id"])
        cases.append({"pos": False,
                      "addrs": [rng.choice(r1["addrs"]),
                                rng.choice(r2["addrs"])],
                      "rtr": [r1["id"], r2["id"]], "shared": False})
    return cases


def mercator_cases(rng, rs, npos, nneg):
    multi = [r for r in rs if len(r["addrs"]) >= 2]
    single = [r for r in rs if len(r["addrs"]) == 1]
    cases = []
    pk = Picker(rng, multi)
    for _ in range(npos):
        r = pk.take()
        cases.append({"pos": True, "addrs": [rng.choice(r["addrs"])],
                      "rtr": [r["id"]], "alias": r["addrs"],
                      "shared": False})
    pk = Picker(rng, single)
    for _ in range(nneg):
        r = pk.take()
        cases.append({"pos": False, "addrs": [r["addrs"][0]],
                      "rtr": [r["id"]], "alias": r["addrs"],
                      "shared": False})
    return cases


def ip4_int(a):
    p = [int(x) for x in a.split(".")]
    return p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]


def ip4_str(v):
    return "%d.%d.%d.%d" % (v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255)


def prefixscan_cases(rng, rs, npos, nneg, plen=29):
    """Positives: A and, in B's /PLEN, another address of A's router.
    Negatives: no other address of A's router in B's /PLEN."""
    owner = {}
    for r in rs:
        for a in r["addrs"]:
            owner[ip4_int(a)] = r
    size = 1 << (32 - plen)
    multi = [r for r in rs if len(r["addrs"]) >= 2]
    cases = []
    pk = Picker(rng, multi)
    while len(cases) < npos:
        r = pk.take()
        a, c = rng.sample(r["addrs"], 2)
        base = ip4_int(c) & ~(size - 1)
        bs = [base + i for i in range(size)
              if base + i not in (ip4_int(a), ip4_int(c))]
        b = rng.choice(bs)
        cases.append({"pos": True, "addrs": [a, "%s/%d" % (ip4_str(b), plen)],
                      "rtr": [r["id"]], "alias": r["addrs"],
                      "shared": shared(r)})
    pk = Picker(rng, rs)
    while len(cases) < npos + nneg:
        r = pk.take()
        a = rng.choice(r["addrs"])
        mine = set(ip4_int(x) for x in r["addrs"])
        for _ in range(100):
            b = ip4_int(rng.choice(rng.choice(rs)["addrs"]))
            base = b & ~(size - 1)
            if not any(base + i in mine for i in range(size)):
                break
        else:
            continue
        cases.append({"pos": False,
                      "addrs": [a, "%s/%d" % (ip4_str(b), plen)],
                      "rtr": [r["id"]], "alias": r["addrs"],
                      "shared": False})
    return cases


def make(argv):
    truth, method, npos, nneg, seed, ocases, ocmds = argv[:7]
    extra = argv[7] if len(argv) > 7 else ""
    rng = random.Random(int(seed))
    npos, nneg = int(npos), int(nneg)
    af = 6 if method.endswith("6") else 4
    m = method.rstrip("6")
    rs = routers(truth, af)
    if m in ("ally", "bump"):
        cases = pair_cases(rng, rs, npos, nneg)
    elif m == "mercator":
        cases = mercator_cases(rng, rs, npos, nneg)
    elif m == "prefixscan":
        cases = prefixscan_cases(rng, rs, npos, nneg)
    else:
        raise SystemExit("dealias_cases: unknown method %s" % method)
    rng.shuffle(cases)
    with open(ocases, "w") as fc, open(ocmds, "w") as fm:
        for i, c in enumerate(cases):
            c["id"] = i + 1
            c["method"] = m
            fc.write(json.dumps(c) + "\n")
            fm.write("dealias -m %s -U %d %s %s\n" % (
                m, i + 1, extra, " ".join(c["addrs"])))
    return 0


def score(argv):
    cases = {}
    for line in open(argv[0]):
        c = json.loads(line)
        cases[c["id"]] = c
    src = open(argv[1]) if len(argv) > 1 else sys.stdin
    tp = fp = none = nota = done = probes = tp_shared = 0
    bad = []
    for line in src:
        if '"type":"dealias"' not in line.replace(" ", ""):
            continue
        d = json.loads(line)
        c = cases.get(d.get("userid"))
        if c is None or c.get("seen"):
            continue
        c["seen"] = True
        done += 1
        probes += len(d.get("probes", []))
        res = d.get("result")
        if res == "none":
            none += 1
        elif res == "not-aliases":
            nota += 1
        if res != "aliases":
            continue
        if c["method"] == "mercator":
            got = [r["src"] for p in d["probes"] for r in p["replies"]]
            right = any(g in c["alias"] and g != c["addrs"][0] for g in got)
        elif c["method"] == "prefixscan":
            right = d.get("ab", "").split("/")[0] in c["alias"]
        else:
            right = c["pos"]
        if right:
            tp += 1
            tp_shared += c["shared"]
        else:
            fp += 1
            bad.append(c["id"])
    pos = sum(1 for c in cases.values() if c["pos"])
    neg = len(cases) - pos
    npos_shared = sum(1 for c in cases.values() if c["pos"] and c["shared"])
    prec = 1.0 if tp + fp == 0 else tp / (tp + fp)
    print("pos=%d neg=%d done=%d tp=%d fp=%d none=%d notaliases=%d "
          "precision=%.4f recall_shared=%.4f recall_all=%.4f probes=%d%s" % (
              pos, neg, done, tp, fp, none, nota, prec,
              tp_shared / npos_shared if npos_shared else 0.0,
              tp / pos if pos else 0.0, probes,
              (" false=" + ",".join(str(x) for x in bad[:20])) if bad else ""))
    return 0 if fp == 0 else 1


def pairs(argv):
    for line in open(argv[0]):
        c = json.loads(line)
        print(" ".join(a.split("/")[0] for a in c["addrs"]))
    return 0


def score_pairs(argv):
    owner = {}
    for af in (4, 6):
        for r in routers(argv[0], af):
            for a in r["addrs"]:
                owner[a] = r["id"]
    cases = [json.loads(line) for line in open(argv[1])]
    src = open(argv[2]) if len(argv) > 2 else sys.stdin
    found = set()
    fp = 0
    bad = []
    for line in src:
        w = line.split()
        for i in range(len(w)):
            for j in range(i + 1, len(w)):
                a, b = w[i], w[j]
                found.add((a, b))
                found.add((b, a))
                if owner.get(a) is None or owner.get(a) != owner.get(b):
                    fp += 1
                    bad.append(a + "~" + b)
    tp = tp_shared = 0
    for c in cases:
        if c["pos"] and tuple(c["addrs"]) in found:
            tp += 1
            tp_shared += c["shared"]
    pos = sum(1 for c in cases if c["pos"])
    neg = len(cases) - pos
    npos_shared = sum(1 for c in cases if c["pos"] and c["shared"])
    prec = 1.0 if tp + fp == 0 else tp / (tp + fp)
    print("pos=%d neg=%d tp=%d fp=%d precision=%.4f recall_shared=%.4f "
          "recall_all=%.4f%s" % (
              pos, neg, tp, fp, prec,
              tp_shared / npos_shared if npos_shared else 0.0,
              tp / pos if pos else 0.0,
              (" false=" + ",".join(bad[:10])) if bad else ""))
    return 0 if fp == 0 else 1


def score_links(argv):
    owner = {}
    for r in routers(argv[0], 4):
        for a in r["addrs"]:
            owner[a] = r["id"]
    cases = [json.loads(line) for line in open(argv[1])]
    src = open(argv[2]) if len(argv) > 2 else sys.stdin
    found = set()
    fp = 0
    bad = []
    for line in src:
        w = line.split()
        if len(w) != 3:
            continue
        a, b, ab = w[0], w[1], w[2].split("/")[0]
        if owner.get(a) is None or owner.get(a) != owner.get(ab):
            fp += 1
            bad.append(a + "~" + ab)
        else:
            found.add((a, b))
    tp = tp_shared = 0
    for c in cases:
        if c["pos"] and (c["addrs"][0], c["addrs"][1].split("/")[0]) in found:
            tp += 1
            tp_shared += c["shared"]
    pos = sum(1 for c in cases if c["pos"])
    npos_shared = sum(1 for c in cases if c["pos"] and c["shared"])
    prec = 1.0 if tp + fp == 0 else tp / (tp + fp)
    print("pos=%d neg=%d tp=%d fp=%d precision=%.4f recall_shared=%.4f "
          "recall_all=%.4f%s" % (
              pos, len(cases) - pos, tp, fp, prec,
              tp_shared / npos_shared if npos_shared else 0.0,
              tp / pos if pos else 0.0,
              (" false=" + ",".join(bad[:10])) if bad else ""))
    return 0 if fp == 0 else 1


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "score-links":
        return score_links(sys.argv[2:])
    if len(sys.argv) == 3 and sys.argv[1] == "pairs":
        return pairs(sys.argv[2:])
    if len(sys.argv) >= 4 and sys.argv[1] == "score-pairs":
        return score_pairs(sys.argv[2:])
    if len(sys.argv) >= 9 and sys.argv[1] == "make":
        return make(sys.argv[2:])
    if len(sys.argv) >= 3 and sys.argv[1] == "score":
        return score(sys.argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
