#!/usr/bin/env python3
"""lb_links.py: the nodes and links of tracelb records, read from
sc_wartsdump's text on standard input (Debian's or ours: the same).

Prints one line per record:

    DST METHOD nodes=N1,N2,... links=A>B/H,C>D/H,... clumps=A>B/H,...
        probec=N

A link A>B/H joins nodes A and B across H hops; a link whose hops between
its ends saw addresses (20211212 sometimes links a node to a node several
hops on through hops that answered: a "clump") is listed under clumps,
not links.  A link to no node is A>*/H.  Lists are sorted.
"""
import re
import sys


def main():
    recs = []
    cur = None
    link = None
    for line in sys.stdin:
        m = re.match(r"tracelb from (\S+) to (\S+)", line)
        if m:
            cur = {"dst": m.group(2), "method": "?", "nodes": set(),
                   "links": set(), "clumps": set(), "probec": 0}
            recs.append(cur)
            link = None
            continue
        if cur is None:
            continue
        m = re.match(r" type: (\S+)", line)
        if m:
            cur["method"] = m.group(1)
            continue
        m = re.search(r"probec: (\d+)", line)
        if m and link is None:
            cur["probec"] = int(m.group(1))
            continue
        m = re.match(r"node \d+ (\S+)", line)
        if m:
            cur["nodes"].add(m.group(1))
            continue
        m = re.match(r" link (\S+) -> (\S+) hopc (\d+)", line)
        if m:
            link = {"key": "%s>%s/%s" % m.groups(), "hopc": int(m.group(3)),
                    "ttls": [], "inner": False}
            cur["links"].add(link["key"])
            continue
        m = re.match(r"  probe flowid: \d+, ttl: (\d+)", line)
        if m and link is not None:
            link["ttls"].append(int(m.group(1)))
            link["last_ttl"] = int(m.group(1))
            continue
        m = re.match(r"   reply from: (\S+),", line)
        if m and link is not None and link["hopc"] > 1:
            # the hops before the link's last one answered: a clump
            first = min(link["ttls"])
            if link["last_ttl"] < first + link["hopc"] - 1:
                link["inner"] = True
                cur["links"].discard(link["key"])
                cur["clumps"].add(link["key"])
    for r in recs:
        print("%s %s nodes=%s links=%s clumps=%s probec=%d" % (
            r["dst"], r["method"], ",".join(sorted(r["nodes"])),
            ",".join(sorted(r["links"])), ",".join(sorted(r["clumps"])),
            r["probec"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
