#!/usr/bin/env python3
"""netsim_score.py: score measurements taken over sc_netsim against its
ground truth.

  netsim_score.py trace [--replies FILE] NETSIM [ARGS...] < traces.json
      Read scamper trace objects (JSON lines from sc_warts2json), ask
      `NETSIM ARGS --paths -` for the hops each flow takes, and compare
      every responsive hop.  Paris methods only (icmp-echo-paris,
      udp-paris, tcp); other methods are counted as unscorable.
      RTTs are scored against the designed round-trip time --paths
      gives for each hop: rtt_short counts replies measured quicker than
      designed less sc_netsim's tick (tick_us in its truth), rtt_outside
      those outside the sanity bound 0.001-50 ms (rtt_below under it,
      rtt_over above it), rtt_zero those of
      0.000 ms; err_med_us and err_p99_us are the median and 99th
      percentile of measured minus designed, over the hops whose
      designed RTT is one value (no per-packet balancer before them).
      With --replies FILE (sc_netsim's --reply-truth), each reply is
      also matched to sc_netsim's record of it (by the probe's
      destination and TTL and the reply's source, the record read
      nearest the hop's tx time), and over the matched ones: own_med_us
      and own_p99_us, the error that is the prober's (measured less the
      reply's designed delay, jitter included, less sc_netsim's
      lateness in sending it); late_med_us and late_p99_us, that
      lateness; wait_med_us and wait_p99_us, the time from the probe's
      tx stamp to sc_netsim reading it (the device's queue, and any error
      of the tx stamp); back_med_us and back_p99_us, the rest of the
      prober's error (own less wait: from sc_netsim's write of the
      reply to its receive stamp); rtt_matched, how many matched.

  netsim_score.py ping [--replies FILE] NETSIM [ARGS...] < pings.json
      Read scamper ping objects (ICMP echo: icmp-echo, the default) and
      ask --paths what each destination sends back: every response must
      come from the truth's responder (the destination for echo-reply,
      the gateway for host-unreach, from any of its router's addresses;
      none for a silent one), else it is wrong.  Prints pings, probes (sent), responses, matched, wrong,
      expected (probes sent to destinations that answer) and found (the
      matched responses: recall is found / expected), accuracy (matched
      / responses), and the RTT figures as for traces, against the
      destination's designed RTT.

  netsim_score.py tracelb TRUTH DST < tracelb.txt
      Read sc_warts2text tracelb output ("A -> B" link lines) and compare
      its links with the links the truth file implies (router interface
      as seen from each predecessor, then the destination DST).

Both print one line of key=value pairs and exit 0 when nothing found is
wrong (1 otherwise, 2 on bad input).
"""
import json
import re
import subprocess
import sys


def flow_of(t):
    """(proto, l4hdr) of a Paris trace, or None if its flow varies."""
    m = t.get("method")
    v6 = ":" in t["dst"]
    if m == "icmp-echo-paris":
        return "icmp", ("8000" if v6 else "0800") + "%04x" % t["icmp_sum"]
    if m == "udp-paris":
        return "udp", "%04x%04x" % (t["sport"], t["dport"])
    if m in ("tcp", "tcp-ack"):
        return "tcp", "%04x%04x" % (t["sport"], t["dport"])
    return None


def rtt_of(words):
    """The designed RTT (lo, hi) in microseconds of a --paths line."""
    for w in words:
        if w.startswith("rtt_us="):
            v = w[len("rtt_us="):].split("..")
            return int(v[0]), int(v[-1])
    return None


def read_paths(netsim, queries):
    """Run sc_netsim --paths over QUERIES; a list of (hops, dst, rtts)
    where hops maps TTL -> set of addresses, dst is (ttl, addr, reply,
    rtt) and rtts maps TTL -> designed (lo, hi) microseconds."""
    text = "".join("%s %s %s %s\n" % q for q in queries)
    out = subprocess.run(netsim + ["--paths", "-"], input=text,
                         capture_output=True, text=True, check=True).stdout
    res, hops, dst, rtts = [], {}, None, {}
    for line in out.split("\n"):
        if line.startswith("#"):
            continue
        if line == "":
            if hops or dst:
                res.append((hops, dst, rtts))
            hops, dst, rtts = {}, None, {}
            continue
        w = line.split()
        if len(w) >= 4 and w[2] in ("dst", "router"):
            # "TTL DST dst host-unreach from GW": GW answers for DST;
            # "ttl=LO..HI": per-packet balancers make the path's length
            # vary, and DST answers from TTL LO on
            src = w[5] if len(w) >= 6 and w[4] == "from" else w[1]
            ttl = int(w[0])
            for x in w:
                if x.startswith("ttl="):
                    ttl = min(ttl, int(x[len("ttl="):].split("..")[0]))
            dst = (ttl, src, w[3], rtt_of(w))
        else:
            hops[int(w[0])] = set(w[1].split("|"))
            rtts[int(w[0])] = rtt_of(w)
    return res


def tick_of(netsim):
    """sc_netsim's tick_us, from the header of its truth."""
    out = subprocess.run(netsim + ["--dry-run", "--truth", "/dev/stdout"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.split("\n")[0]).get("tick_us", 0)


def siblings_of(netsim):
    """Address -> the addresses of its router, from sc_netsim's truth."""
    out = subprocess.run(netsim + ["--dry-run", "--truth", "/dev/stdout"],
                         capture_output=True, text=True, check=True).stdout
    sib = {}
    for line in out.split("\n"):
        if '"type":"router"' not in line:
            continue
        addrs = frozenset(json.loads(line)["addrs"])
        for a in addrs:
            sib[a] = addrs
    return sib


def pct(v, q):
    """The Q quantile (0..1) of the sorted list V, nearest rank."""
    if not v:
        return 0
    return v[min(len(v) - 1, max(0, int(round(q * len(v) + 0.5)) - 1))]


def read_replies(path):
    """sc_netsim's --reply-truth: (probe dst, ttl, reply src) -> list of
    (read_ns, delay_ns, late_ns)."""
    recs = {}
    with open(path) as f:
        for line in f:
            # sc_netsim writes these lines in one fixed form: a regular
            # expression reads them three times faster than json.loads
            # (a run of 400,000 traces has 5 million); anything else is
            # parsed as JSON
            m = REPLY_RE.match(line)
            if m:
                k = (m.group(2), int(m.group(3)), m.group(1))
                v = (int(m.group(4)), int(m.group(5)), int(m.group(6)))
            else:
                o = json.loads(line)
                if o.get("type") != "reply":
                    continue
                k = (o["probe_dst"], o["probe_ttl"], o["src"])
                v = (o["read_ns"], o["delay_ns"], o["late_ns"])
            recs.setdefault(k, []).append(v)
    return recs


REPLY_RE = re.compile(r'\{"type":"reply","src":"([^"]*)","probe_dst":"([^"]*)",'
                      r'"probe_ttl":(\d+),"read_ns":(-?\d+),'
                      r'"delay_ns":(-?\d+),"late_ns":(-?\d+)\}\s*$')


def reply_of(recs, t, h):
    """The record of hop H of trace T: the one read nearest its tx time
    (within a second), or None."""
    c = recs.get((t["dst"], h["probe_ttl"], h["addr"]))
    tx = h.get("tx")
    if not c or tx is None:
        return None
    txns = tx["sec"] * 1000000000 + tx["usec"] * 1000
    best = min(c, key=lambda r: abs(r[0] - txns))
    if abs(best[0] - txns) > 1000000000:
        return None
    return best, txns


def own_errors(recs, traces):
    """The --replies figures (see the top) as key=value text."""
    own, late, wait, back = [], [], [], []
    for t in traces:
        for h in t.get("hops", []):
            m = reply_of(recs, t, h)
            if m is None:
                continue
            (read, delay, lat), txns = m
            us = h["rtt"] * 1000
            own.append(us - delay / 1000 - lat / 1000)
            late.append(lat / 1000)
            wait.append((read - txns) / 1000)
            back.append(own[-1] - wait[-1])
    for v in (own, late, wait, back):
        v.sort()
    return (" rtt_matched=%d own_med_us=%.0f own_p99_us=%.0f "
            "late_med_us=%.0f late_p99_us=%.0f wait_med_us=%.0f "
            "wait_p99_us=%.0f back_med_us=%.0f back_p99_us=%.0f" %
            (len(own), pct(own, 0.5), pct(own, 0.99), pct(late, 0.5),
             pct(late, 0.99), pct(wait, 0.5), pct(wait, 0.99),
             pct(back, 0.5), pct(back, 0.99)))


def score_trace(argv):
    recs = None
    if len(argv) >= 2 and argv[0] == "--replies":
        recs = read_replies(argv[1])
        argv = argv[2:]
    netsim = argv
    traces, queries, skipped = [], [], 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("type") != "trace":
            continue
        f = flow_of(o)
        if f is None:
            skipped += 1
            continue
        traces.append(o)
        queries.append((o["src"], o["dst"], f[0], f[1]))
    paths = read_paths(netsim, queries) if queries else []
    if len(paths) != len(traces):
        print("error: sc_netsim answered %d of %d queries" %
              (len(paths), len(traces)), file=sys.stderr)
        return 2
    tick = tick_of(netsim)
    hops = matched = wrong = expected = found = 0
    short = outside = zero = below = over = 0
    errs = []
    for t, (exp, dst, rtts) in zip(traces, paths):
        seen = {}
        for h in t.get("hops", []):
            ttl, addr = h["probe_ttl"], h["addr"]
            hops += 1
            isdst = dst is not None and ttl >= dst[0] and addr == dst[1]
            ok = addr in exp.get(ttl, ()) or isdst
            us = int(round(h["rtt"] * 1000))
            if us == 0:
                zero += 1
            if us < 1 or us > 50000:
                outside += 1
                if us < 1:
                    below += 1
                else:
                    over += 1
            want = dst[3] if isdst else rtts.get(ttl) if ok else None
            if want is not None:
                if us < want[0] - tick:
                    short += 1
                    print("short: %s ttl %d %s: %d us, designed %d us" %
                          (t["dst"], ttl, addr, us, want[0]),
                          file=sys.stderr)
                if want[0] == want[1]:
                    errs.append(us - want[0])
            if ok:
                matched += 1
                seen[ttl] = True
            else:
                wrong += 1
                print("wrong: %s ttl %d: got %s, truth %s" %
                      (t["dst"], ttl, addr,
                       "|".join(sorted(exp.get(ttl, {"(dst)"})))),
                      file=sys.stderr)
        last = max([h["probe_ttl"] for h in t.get("hops", [])] + [0])
        for ttl, addrs in exp.items():
            if ttl <= last and addrs != {"*"}:
                expected += 1
                found += 1 if ttl in seen else 0
    acc = matched / hops if hops else 0.0
    errs.sort()
    print("traces=%d unscorable=%d hops=%d matched=%d wrong=%d "
          "truth_hops=%d found=%d accuracy=%.4f rtt_short=%d "
          "rtt_outside=%d rtt_below=%d rtt_over=%d rtt_zero=%d "
          "rtt_scored=%d err_med_us=%d err_p99_us=%d%s" %
          (len(traces), skipped, hops, matched, wrong, expected, found, acc,
           short, outside, below, over, zero, len(errs), pct(errs, 0.5),
           pct(errs, 0.99),
           own_errors(recs, traces) if recs is not None else ""))
    return 0 if wrong == 0 and short == 0 else 1


PING_FLOWS = 8


def score_ping(argv):
    recs = None
    if len(argv) >= 2 and argv[0] == "--replies":
        recs = read_replies(argv[1])
        argv = argv[2:]
    netsim = argv
    pings, skipped = [], 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("type") != "ping":
            continue
        if o.get("method", "icmp-echo") != "icmp-echo" or ":" in o["dst"]:
            skipped += 1
            continue
        pings.append(o)
    # the probes' checksums (their flows) are not in the output: each
    # ping is asked for PING_FLOWS flows, and a reply may come from any
    # of their responders within any of their designed RTTs
    queries = [(o["src"], o["dst"], "icmp", "0800%04x" % (f * 0x2111))
               for o in pings for f in range(PING_FLOWS)]
    paths = read_paths(netsim, queries) if queries else []
    if len(paths) != len(queries):
        print("error: sc_netsim answered %d of %d queries" %
              (len(paths), len(queries)), file=sys.stderr)
        return 2
    tick = tick_of(netsim)
    sib = siblings_of(netsim)
    probes = resp = matched = wrong = expected = 0
    short = outside = zero = below = over = 0
    errs, scored = [], []
    for i, o in enumerate(pings):
        scored.append({"dst": o["dst"], "hops": []})
        sent = o.get("ping_sent", 0)
        probes += sent
        who, want = set(), None
        for _, dst, _ in paths[i * PING_FLOWS:(i + 1) * PING_FLOWS]:
            if dst is None or dst[2] == "none" or o["ttl"] < dst[0]:
                continue
            # a gateway's host unreachable may come from any of its
            # router's addresses (the one the probe came in on)
            who |= sib.get(dst[1], {dst[1]}) if dst[2] == "host-unreach" \
                else {dst[1]}
            if dst[3] is not None:
                want = dst[3] if want is None else \
                    (min(want[0], dst[3][0]), max(want[1], dst[3][1]))
        if who:
            expected += sent
        for r in o.get("responses", []):
            resp += 1
            if r["from"] not in who:
                wrong += 1
                print("wrong: ping %s: reply from %s, truth %s" %
                      (o["dst"], r["from"], "|".join(sorted(who)) or
                       "none"), file=sys.stderr)
                continue
            matched += 1
            us = int(round(r["rtt"] * 1000))
            zero += us == 0
            if us < 1 or us > 50000:
                outside += 1
                below += us < 1
                over += us > 50000
            h = {"probe_ttl": o["ttl"], "addr": r["from"],
                 "tx": r.get("tx"), "rtt": r["rtt"]}
            scored[-1]["hops"].append(h)
            # short: against the reply's own record where there is one
            # (the flow's path, not a guess at it)
            m = reply_of(recs, o, h) if recs is not None else None
            lo = m[0][1] // 1000 if m is not None else \
                want[0] if want is not None else None
            if lo is not None and us < lo - tick:
                short += 1
                print("short: ping %s: %d us, designed %d us" %
                      (o["dst"], us, lo), file=sys.stderr)
            if want is not None:
                if want[0] == want[1]:
                    errs.append(us - want[0])
    errs.sort()
    own = own_errors(recs, scored) if recs is not None else ""
    print("pings=%d unscorable=%d probes=%d responses=%d matched=%d "
          "wrong=%d expected=%d found=%d accuracy=%.4f rtt_short=%d "
          "rtt_outside=%d rtt_below=%d rtt_over=%d rtt_zero=%d "
          "rtt_scored=%d err_med_us=%d err_p99_us=%d%s" %
          (len(pings), skipped, probes, resp, matched, wrong, expected,
           matched, matched / resp if resp else 0.0, short, outside, below,
           over, zero, len(errs), pct(errs, 0.5), pct(errs, 0.99), own))
    return 0 if wrong == 0 and short == 0 else 1


def score_tracelb(argv):
    truth, dst = argv
    addrs_of = {}       # router -> addresses it answers from
    links = []
    with open(truth) as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "link":
                links.append(o)
                addrs_of.setdefault(o["to"], set()).add(o["to_addr"])
    want = set()
    has_succ = set()
    for l in links:
        if l["from"] is None:
            continue
        has_succ.add(l["from"])
        for a in addrs_of.get(l["from"], ()):
            want.add((a, l["to_addr"]))
    for r, addrs in addrs_of.items():
        if r not in has_succ:
            for a in addrs:
                want.add((a, dst))
    got = set()
    for line in sys.stdin:
        w = line.split()
        if len(w) == 3 and w[1] == "->":
            got.add((w[0], w[2]))
    wrong = got - want
    missing = want - got
    for a, b in sorted(wrong):
        print("wrong link: %s -> %s" % (a, b), file=sys.stderr)
    for a, b in sorted(missing):
        print("missing link: %s -> %s" % (a, b), file=sys.stderr)
    print("links=%d truth_links=%d matched=%d wrong=%d missing=%d" %
          (len(got), len(want), len(got & want), len(wrong), len(missing)))
    return 0 if not wrong else 1


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "trace":
        return score_trace(sys.argv[2:])
    if len(sys.argv) >= 3 and sys.argv[1] == "ping":
        return score_ping(sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == "tracelb":
        return score_tracelb(sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
