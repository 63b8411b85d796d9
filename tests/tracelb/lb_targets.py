#!/usr/bin/env python3
"""lb_targets.py: pick MDA targets in a generated sc_netsim topology.

    lb_targets.py NETSIM_ARGS... -- TRUTH FAMILY COUNT PROTO

Reads the truth file (sc_netsim -T), takes three addresses in each site
of FAMILY (4 or 6; the first of every site, then the second), asks `sc_netsim NETSIM_ARGS --lbtruth -` what any flow
can see towards it with PROTO, and prints the first COUNT addresses whose
truth has a node with several next hops (a diamond), one per line, in a
fixed order (the truth's), with a summary on standard error.  Exits 1 if
there are fewer than COUNT.
"""
import ipaddress
import json
import subprocess
import sys


def sites(truth, fam):
    nets = []
    with open(truth) as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "leaf" and o["af"] == fam:
                nets.append(ipaddress.ip_network(o["prefix"]))
    # fixed addresses inside each site, not its first
    return [str(n.network_address + base + i % 50) for base in (1, 51, 101)
            for i, n in enumerate(nets)]


def lbtruth(netsim, dsts, proto):
    text = "".join("%s %s\n" % (d, proto) for d in dsts)
    out = subprocess.run(netsim + ["--lbtruth", "-"], input=text,
                         capture_output=True, text=True, check=True).stdout
    res, cur = {}, None
    for line in out.split("\n"):
        w = line.split()
        if line.startswith("# ") and len(w) == 3:
            cur = res.setdefault(w[1], {"nodes": set(), "links": set()})
        elif cur is not None and w[:1] == ["node"]:
            cur["nodes"].add(w[1])
        elif cur is not None and w[:1] == ["link"]:
            cur["links"].add((w[1], w[2], int(w[3])))
    return res


def main():
    if "--" not in sys.argv:
        print(__doc__, file=sys.stderr)
        return 2
    i = sys.argv.index("--")
    netsim = sys.argv[1:i]
    truth, fam, count, proto = sys.argv[i + 1:i + 5]
    fam, count = int(fam), int(count)
    dsts = sites(truth, fam)
    t = lbtruth(netsim, dsts, proto)
    picked, silent = [], 0
    for d in dsts:
        links = t.get(d, {}).get("links", set())
        outdeg = {}
        for a, b, h in links:
            outdeg[a] = outdeg.get(a, 0) + 1
        if any(n > 1 for n in outdeg.values()):
            picked.append(d)
            silent += any(h > 1 for a, b, h in links)
        if len(picked) == count:
            break
    for d in picked:
        print(d)
    print("%d sites, %d targets with diamonds (%d with a silent router)" %
          (len(dsts), len(picked), silent), file=sys.stderr)
    return 0 if len(picked) == count else 1


if __name__ == "__main__":
    sys.exit(main())
