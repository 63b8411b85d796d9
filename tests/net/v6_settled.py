#!/usr/bin/env python3
"""v6_settled.py NETNS...: wait, up to 10 s, until every IPv6 address
(loopback's aside) in each network namespace has joined its
solicited-node group; exit 0 when all have, else 1, naming each address
still without its group.

A lab just built is still joining them (the kernel does it in a work
queue after each link comes up): a neighbour solicitation that reaches
a node before the join is dropped, and the solicitor asks again only a
second later (RetransTimer), so a first IPv6 probe then takes a second
(tests/bench/RESULTS.md, "Issue 22: the pacer's catch-up (h22cap)")."""
import ipaddress
import json
import subprocess
import sys
import time

SOLICITED = int(ipaddress.ip_address("ff02::1:ff00:0"))


def ipj(ns, *args):
    cmd = ["ip", "netns", "exec", ns, "ip", "-j", "-6"] + list(args)
    return json.loads(subprocess.check_output(cmd) or b"[]")


def missing(ns):
    have = {(g["ifname"], ipaddress.ip_address(m["address"]))
            for g in ipj(ns, "maddr", "show") for m in g.get("maddr", [])
            if m.get("family") == "inet6"}
    out = []
    for a in ipj(ns, "addr", "show"):
        if a["ifname"] == "lo":
            continue
        for i in a.get("addr_info", []):
            if i.get("family") != "inet6":
                continue
            low = int(ipaddress.ip_address(i["local"])) & 0xffffff
            grp = ipaddress.ip_address(SOLICITED | low)
            if (a["ifname"], grp) not in have:
                out.append("%s %s %s (group %s)" % (ns, a["ifname"],
                                                    i["local"], grp))
    return out


def main():
    start = time.monotonic()
    end = start + 10
    passes = 0
    while True:
        passes += 1
        left = [m for ns in sys.argv[1:] for m in missing(ns)]
        if not left or time.monotonic() > end:
            break
        time.sleep(0.05)
    if passes > 1:
        print("v6_settled: %d checks, %.0f ms" %
              (passes, (time.monotonic() - start) * 1000))
    for m in left:
        print("v6_settled: no solicited-node group after 10 s: " + m)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
