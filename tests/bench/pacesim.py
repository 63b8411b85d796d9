#!/usr/bin/env python3
"""pacesim.py: replay a run's stalls through pacing policies.

usage: pacesim.py PACELOG PPS [SECONDS]

PACELOG is ours' per-10 ms pacer record (prober/core/pacelog.h) from a
real run: every gap between two passes, less the prober's CPU time in
its bucket, of 3 ms or more is taken as a stall (the prober not
running: preempted) at the time it ended.  A rough model: the CPU time
is the bucket's, not the gap's.  The stalls are replayed, the same for each
policy, through a model of the loop: a pass every 1 ms tick outside the
stalls, each probe costing 3.5 us of the prober's time (a pass of N
probes delays the next by N x 3.5 us: a large catch-up makes its own
stall).  Printed per policy: the seconds (aligned as sc_netsim's, 0.37 s
after the start) more than 2% off PPS (and of them above), their min /
median / max, and the mean rate.  Load-independent: it compares the bucket's policies on
the same stalls, not the machine.

Policies (prober/core/pace.c): "fast" keeps up to a cap of debt and
pays it a tick a pass (250 ms was the former cap, 40 ms is
PACE_CATCHUP_MS now); "slow" keeps up to 100 ms, makes up 5 ms at once
and pays the rest at 0.5% above PPS (tried and dropped).
"""
import sys

TICK = 1e-3
COST_US = 3.5


def stalls_of(path, secs):
    rows = [l.split() for l in open(path)]
    t0 = float(rows[0][0])
    out = []
    for r in rows:
        # the part of the gap the prober did not run (its CPU time in
        # the bucket covers the rest: its own work, replayed below)
        t, gap = float(r[0]) - t0, (int(r[3]) - int(r[4])) / 1e6
        if gap >= 3e-3 and t < secs:
            out.append((max(0.0, t + 0.01 - gap), gap))
    return out


def run(cap, slow, pps, stalls, secs):
    """Replay STALLS at PPS with a debt cap of CAP seconds, paid back a
    tick a pass, or (SLOW) 5 ms at once and the rest at 0.5%."""
    cost = 1.0 / pps
    burst = max(1e-3, min(20e-3, 200 * cost))
    credit, passl, last, t = cost, float("inf"), 0.0, 0.0
    sent = []
    si = 0
    while t < secs:
        while si < len(stalls) and stalls[si][0] <= t:
            t = max(t, stalls[si][0] + stalls[si][1])
            si += 1
        dt = t - last
        credit = min(credit + dt, max(cap, cost + burst))
        last = t
        if slow:
            unit = max(burst, cost)
            left = min(passl, unit)
            late = min(dt, max(5e-3, 2 * unit))
            passl = max(left, 0) + late + late / 200
        else:
            passl = max(burst + min(dt, 20e-3), 2 * burst, cost)
        n = int(min(credit, passl) / cost + 1e-9)
        credit -= n * cost
        passl -= n * cost
        sent.append((t, n))
        t += max(TICK, n * COST_US * 1e-6)
    per = {}
    for tt, n in sent:
        if tt >= 0.37:
            per[int(tt - 0.37)] = per.get(int(tt - 0.37), 0) + n
    s = [per.get(k, 0) for k in range(int(secs - 1))]
    ss = sorted(s)
    return "off %2d/%d (high %d)  min %6d med %6d max %6d  mean %.0f" % (
        sum(1 for x in s if abs(x - pps) > 0.02 * pps), len(s),
        sum(1 for x in s if x > 1.02 * pps), ss[0], ss[len(ss) // 2],
        ss[-1], sum(s) / len(s))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    secs = float(sys.argv[3]) if len(sys.argv) == 4 else 30
    pps = float(sys.argv[2])
    st = stalls_of(sys.argv[1], secs)
    print("%d stalls of 3 ms or more, %.0f ms in all, in %g s" % (
        len(st), sum(g for _, g in st) * 1000, secs))
    for cap in (15, 30, 40, 50, 100, 250):
        print("fast, cap %3d ms: %s" % (cap, run(cap / 1000, 0, pps, st,
                                                   secs)))
    print("slow, cap 100 ms: %s" % run(0.1, 1, pps, st, secs))


if __name__ == "__main__":
    main()
