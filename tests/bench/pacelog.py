#!/usr/bin/env python3
"""pacelog.py: the prober's pacer log beside sc_netsim's rate log.

usage: pacelog.py PACELOG [RATELOG] [-s SLOW_MS]

PACELOG is ours' per-10 ms record (prober/core/pacelog.h: "MONO PROBES
PASSES MAXGAP_US CPU_US CREDIT_US"), RATELOG sc_netsim's --rate-log
("K MONO IN OUT"), as tests/bench/run writes them with BENCH_PACELOG.
For each of sc_netsim's seconds: the probes it read, the probes the
prober's pacer took in the same interval of the monotonic clock (a
bucket counted in the second holding its start), their difference (what
the device's queue gained, or lost to drops), the pacer's longest gap
between two passes, its CPU time and its least 100 ms in the second.
Then every stall: a gap between passes of SLOW_MS (default 5) or more,
with the CPU time the prober had in that bucket (less than the bucket:
it was not running).
"""
import os
import sys


def load_pace(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if len(w) != 6:
                sys.exit("%s:%d: expected 'MONO PROBES PASSES MAXGAP_US "
                         "CPU_US CREDIT_US'" % (path, n))
            rows.append((float(w[0]),) + tuple(int(x) for x in w[1:]))
    return rows


# sc_netsim's rate file, read as tests/bench/run's statistics read it
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runstats import load_rate  # noqa: E402


def seconds(pace, pts):
    print("%10s %8s %8s %8s %9s %7s %8s" % ("t", "netsim", "pacer", "diff",
                                            "maxgap_ms", "cpu_ms",
                                            "min100ms"))
    t0 = pace[0][0] if pace else 0
    for (m1, i1), (m2, i2) in zip(pts, pts[1:]):
        if m2 < t0 or m1 > pace[-1][0] + 0.01:
            continue
        inside = [r for r in pace if m1 <= r[0] < m2]
        sent = sum(r[1] for r in inside)
        gap = max((r[3] for r in inside), default=0) / 1000
        cpu = sum(r[4] for r in inside) / 1000
        per100 = [sum(r[1] for r in inside[k:k + 10]) * 10
                  for k in range(0, len(inside) - 9, 10)]
        print("%10.2f %8d %8d %8d %9.1f %7.0f %8d" % (
            m1 - t0, (i2 - i1) / (m2 - m1), sent / (m2 - m1),
            (i2 - i1) - sent, gap, cpu, min(per100, default=0)))


def stalls(pace, slow_ms):
    t0 = pace[0][0] if pace else 0
    print("stalls (a gap between passes of %g ms or more):" % slow_ms)
    for r in pace:
        if r[3] >= slow_ms * 1000:
            print("  t=%.2f gap=%.1f ms cpu_in_bucket=%.1f ms probes=%d "
                  "credit=%.1f ms" % (r[0] - t0, r[3] / 1000, r[4] / 1000,
                                      r[1], r[5] / 1000))


def main(argv):
    slow = 5.0
    if "-s" in argv:
        i = argv.index("-s")
        slow = float(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    pace = load_pace(argv[1])
    if len(argv) == 3:
        seconds(pace, load_rate(argv[2]))
    stalls(pace, slow)


if __name__ == "__main__":
    main(sys.argv)
