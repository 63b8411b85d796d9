#!/usr/bin/env python3
"""runstats.py: what tests/bench/run reports beyond GNU time and scoring.

usage: runstats.py rate RATELOG START WALL
       runstats.py inflight < OUT.json
       runstats.py bursts [GAP_US] < OUT.json

rate: RATELOG is sc_netsim's --rate-log (lines "K MONO IN OUT", MONO the
monotonic clock in seconds); START the monotonic time the prober was
started, WALL its wall time.  Every interval between two consecutive
lines that lies wholly inside the first half of the run,
[START, START + WALL / 2], gives one rate: (IN2 - IN1) / (MONO2 - MONO1).
Prints pps_seconds (how many), pps_min, pps_med, pps_max and pps_low
(how many seconds were below 98% of the median).  No whole second in
the first half prints zeros with pps_seconds=0.

inflight: from sc_warts2json output, the most traces (and pings) in
flight at once, each taken to live from its start to its last reply
(a lower bound of its life: its final waits are not in the output),
printed as inflight_peak.

bursts: from sc_warts2json output, how the answered probes left: their
kernel tx stamps sorted, split into bursts wherever two are more than
GAP_US apart (default 100).  Prints bursts (how many), burst_med,
burst_p99, burst_max (answered probes per burst: unanswered probes are
not in the output, so a burst held somewhat more) and gap_med_us,
gap_p99_us (from one burst's start to the next's).
"""
import json
import sys


def rate(path, start, wall):
    pts = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if len(w) != 4:
                sys.exit("%s:%d: expected 'K MONO IN OUT'" % (path, n))
            pts.append((float(w[1]), int(w[2])))
    end = start + wall / 2
    rates = []
    for (t1, i1), (t2, i2) in zip(pts, pts[1:]):
        if t1 >= start and t2 <= end and t2 > t1:
            rates.append((i2 - i1) / (t2 - t1))
    if not rates:
        print("pps_seconds=0 pps_min=0 pps_med=0 pps_max=0 pps_low=0")
        return
    s = sorted(rates)
    med = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] +
                                             s[len(s) // 2]) / 2
    low = sum(1 for r in rates if r < 0.98 * med)
    print("pps_seconds=%d pps_min=%.0f pps_med=%.0f pps_max=%.0f "
          "pps_low=%d" % (len(s), s[0], med, s[-1], low))
    print("pps_series=%s" % ",".join("%.0f" % r for r in rates))


def tv(o):
    return o["sec"] + o["usec"] / 1e6


def inflight():
    ev = []
    for line in sys.stdin:
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if o.get("type") not in ("trace", "ping") or "start" not in o:
            continue
        t0 = tv(o["start"])
        t1 = t0
        for h in o.get("hops", []) + o.get("responses", []):
            if "tx" in h and "rtt" in h:
                t1 = max(t1, tv(h["tx"]) + h["rtt"] / 1000)
        ev.append((t0, 1))
        ev.append((t1, -1))
    ev.sort(key=lambda e: (e[0], -e[1]))
    cur = peak = 0
    for _, d in ev:
        cur += d
        peak = max(peak, cur)
    print("inflight_peak=%d" % peak)


def pct(s, q):
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0


def bursts(gap_us):
    txs = []
    for line in sys.stdin:
        try:
            o = json.loads(line)
        except ValueError:
            continue
        for h in o.get("hops", []) + o.get("responses", []):
            if "tx" in h:
                txs.append(h["tx"]["sec"] * 1000000 + h["tx"]["usec"])
    txs.sort()
    sizes, starts = [], []
    for i, t in enumerate(txs):
        if i == 0 or t - txs[i - 1] > gap_us:
            sizes.append(0)
            starts.append(t)
        sizes[-1] += 1
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    s = sorted(sizes)
    print("bursts=%d burst_med=%d burst_p99=%d burst_max=%d gap_med_us=%d "
          "gap_p99_us=%d" % (len(s), pct(s, 0.5), pct(s, 0.99),
                             s[-1] if s else 0, pct(gaps, 0.5),
                             pct(gaps, 0.99)))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "rate":
        rate(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    elif len(sys.argv) == 2 and sys.argv[1] == "inflight":
        inflight()
    elif len(sys.argv) in (2, 3) and sys.argv[1] == "bursts":
        bursts(float(sys.argv[2]) if len(sys.argv) == 3 else 100.0)
    else:
        sys.exit(__doc__.split("\n\n")[1])
