#!/usr/bin/env python3
"""runstats.py: what tests/bench/run reports beyond GNU time and scoring.

usage: runstats.py rate RATELOG START WALL [PPS LIST_S]
       runstats.py inflight < OUT.json
       runstats.py bursts [GAP_US] < OUT.json

rate: RATELOG is sc_netsim's --rate-log (lines "K MONO IN OUT", MONO the
monotonic clock in seconds); START the monotonic time the prober was
started, WALL its wall time.  Every interval between two consecutive
lines that lies wholly inside the first half of the run,
[START, START + WALL / 2], gives one rate: (IN2 - IN1) / (MONO2 - MONO1).
Prints pps_seconds (how many), pps_min, pps_med, pps_max and pps_low
(how many seconds were below 98% of the median).  No whole second in
the first half prints zeros with pps_seconds=0.  With PPS (the prober's
-p) also pps_off (seconds of the first half more than 2% from PPS); with
LIST_S (seconds from the first task's start to the last's, from
inflight) the same figures over the seconds while the list still had
targets to start, [START, START + LIST_S], as pps_list_seconds,
pps_list_min, pps_list_med, pps_list_max and pps_list_off: after that
a trace's waits, not the prober, decide how many probes there are.

inflight: from sc_warts2json output, the most traces (and pings) in
flight at once, each taken to live from its start to its last reply
(a lower bound of its life: its final waits are not in the output),
printed as inflight_peak; and list_s, from the first task's start to
the last's.

bursts: from sc_warts2json output, how the answered probes left: their
kernel tx stamps sorted, split into bursts wherever two are more than
GAP_US apart (default 100).  Prints bursts (how many), burst_med,
burst_p99, burst_max (answered probes per burst: unanswered probes are
not in the output, so a burst held somewhat more) and gap_med_us,
gap_p99_us (from one burst's start to the next's).
"""
import json
import sys


def window(pts, t0, t1):
    """The rate of every interval between consecutive points of PTS that
    lies wholly inside [T0, T1]."""
    return [(i2 - i1) / (m2 - m1)
            for (m1, i1), (m2, i2) in zip(pts, pts[1:])
            if m1 >= t0 and m2 <= t1 and m2 > m1]


def summary(rates, prefix, pps):
    """PREFIX_seconds, _min, _med, _max, _low (below 98% of the median)
    and, with PPS, _off (more than 2% from PPS)."""
    if not rates:
        return "%s_seconds=0 %s_min=0 %s_med=0 %s_max=0 %s_low=0%s" % (
            prefix, prefix, prefix, prefix, prefix,
            " %s_off=0" % prefix if pps else "")
    s = sorted(rates)
    med = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] +
                                             s[len(s) // 2]) / 2
    low = sum(1 for r in rates if r < 0.98 * med)
    out = "%s_seconds=%d %s_min=%.0f %s_med=%.0f %s_max=%.0f %s_low=%d" % (
        prefix, len(s), prefix, s[0], prefix, med, prefix, s[-1], prefix,
        low)
    if pps:
        out += " %s_off=%d" % (prefix, sum(1 for r in rates
                                           if abs(r - pps) > 0.02 * pps))
    return out


def load_rate(path):
    """sc_netsim's rate file: (monotonic time, probes in) per line."""
    pts = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if len(w) != 4:
                sys.exit("%s:%d: expected 'K MONO IN OUT'" % (path, n))
            pts.append((float(w[1]), int(w[2])))
    return pts


def rate(path, start, wall, pps=0.0, list_s=None):
    pts = load_rate(path)
    rates = window(pts, start, start + wall / 2)
    line = summary(rates, "pps", pps)
    if list_s is not None:
        line += " " + summary(window(pts, start, start + list_s),
                              "pps_list", pps)
    print(line)
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
    starts = [t for t, d in ev if d == 1]
    print("inflight_peak=%d list_s=%.3f" % (
        peak, max(starts) - min(starts) if starts else 0))


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
    if len(sys.argv) in (5, 7) and sys.argv[1] == "rate":
        rate(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]),
             *([float(sys.argv[5]), float(sys.argv[6])]
               if len(sys.argv) == 7 else []))
    elif len(sys.argv) == 2 and sys.argv[1] == "inflight":
        inflight()
    elif len(sys.argv) in (2, 3) and sys.argv[1] == "bursts":
        bursts(float(sys.argv[2]) if len(sys.argv) == 3 else 100.0)
    else:
        sys.exit(__doc__.split("\n\n")[1])
