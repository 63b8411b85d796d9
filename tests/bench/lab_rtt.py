#!/usr/bin/env python3
"""lab_rtt.py INDEX PCAP HOPS: lab_rtt's tables, with the wire as truth.

INDEX has one line per tool run: "TOOL HOP T0 T1 FILE" (TOOL iputils,
ours, ours-dl (ping -O dl), debian, trace-ours or trace-debian; T0/T1
the wall clock in ns
before and after the run; FILE its output: iputils ping's text, or
scamper's JSON).  PCAP is a capture of h1's lab interface over the whole
benchmark with nanosecond kernel timestamps (tcpdump
--time-stamp-precision=nano).  HOPS is the ping targets, in path order.

The wire RTT of a probe is its reply's capture stamp less its own: an
echo request from h1 and the echo reply, or the time exceeded quoting
it, that carries the same ICMP id and sequence number (the latest
request before the reply with that id, sequence and destination).  On
h1's veth the capture's receive stamp is the one the receiving socket
gets (the skb's), and its transmit stamp is taken as the packet is
handed to the device, next to where the kernel's software transmit
timestamp is taken.  Each tool's RTT is matched to its probe on the
wire: iputils' by ICMP sequence number within its run, scamper's by its
reply's receive time (the kernel's, within 2 us of the capture's).
Printed: the tools' median RTTs per hop as before, then per hop the
median wire RTT and each tool's median error against it (tool RTT less
wire RTT, per probe), then the same for the traces' hops.
"""
import json
import re
import statistics
import struct
import sys

MATCH_US = 2            # scamper's rx (us) against the capture's (ns)


def pcap_packets(path):
    """(ts_ns, frame) of each packet of the nanosecond pcap at PATH."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        sys.exit("lab_rtt.py: %s: no pcap header" % path)
    magic = data[:4]
    if magic == b"\x4d\x3c\xb2\xa1":
        end = "<"
    elif magic == b"\xa1\xb2\x3c\x4d":
        end = ">"
    else:
        sys.exit("lab_rtt.py: %s: not a nanosecond pcap (magic %s)" %
                 (path, magic.hex()))
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("lab_rtt.py: %s: link type %d, not Ethernet" %
                 (path, linktype))
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        yield sec * 1000000000 + frac, data[off:off + incl]
        off += incl


def icmp_of(frame):
    """(src, dst, ttl, type, id, seq, quoted dst) of an IPv4 ICMP frame:
    for an error, id and seq are those of the echo request it quotes
    (None if it quotes something else); else None."""
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0f) * 4
    if ip[0] >> 4 != 4 or ip[9] != 1 or len(ip) < ihl + 8:
        return None
    src, dst, ttl = ip[12:16], ip[16:20], ip[8]
    icmp = ip[ihl:]
    typ = icmp[0]
    if typ in (0, 8):
        i, s = struct.unpack(">HH", icmp[4:8])
        return src, dst, ttl, typ, i, s, None
    if typ in (3, 11) and len(icmp) >= 8 + 20:
        q = icmp[8:]
        qihl = (q[0] & 0x0f) * 4
        if q[9] != 1 or len(q) < qihl + 8 or q[qihl] != 8:
            return None
        i, s = struct.unpack(">HH", q[qihl + 4:qihl + 8])
        return src, dst, ttl, typ, i, s, q[16:20]
    return None


def ip4(b):
    return ".".join(str(x) for x in b)


def wire_probes(path):
    """The probes seen on the wire: dicts with tx, rx (ns), dst, id,
    seq, ttl and the reply's source; a probe never answered has rx
    None."""
    last = {}               # (dst, id, seq) -> the latest request
    probes = []
    for ts, frame in pcap_packets(path):
        p = icmp_of(frame)
        if p is None:
            continue
        src, dst, ttl, typ, i, s, qdst = p
        if typ == 8:
            pr = {"tx": ts, "rx": None, "dst": ip4(dst), "id": i,
                  "seq": s, "ttl": ttl, "from": None}
            probes.append(pr)
            last[(pr["dst"], i, s)] = pr
            continue
        target = ip4(src) if typ == 0 else ip4(qdst)
        pr = last.get((target, i, s))
        if pr is not None and pr["rx"] is None and ts > pr["tx"]:
            pr["rx"], pr["from"] = ts, ip4(src)
    return [p for p in probes if p["rx"] is not None], len(probes)


def iputils_rtts(path):
    """(seq, rtt_us) of each reply iputils ping printed."""
    out = []
    for l in open(path, errors="replace"):
        m = re.search(r"icmp_seq=(\d+) .*time=([0-9.]+) ms", l)
        if m:
            out.append((int(m.group(1)), float(m.group(2)) * 1000))
    return out


def tv_us(tv):
    return tv["sec"] * 1000000 + tv["usec"]


def scamper_rtts(path):
    """(rx_us, rtt_us, key) of each reply in scamper's JSON at PATH: a
    ping's responses (key: the target) and a trace's hops (key: the
    probe's TTL)."""
    out = []
    for l in open(path, errors="replace"):
        if not l.startswith("{"):
            continue
        o = json.loads(l)
        for r in o.get("responses", []):
            out.append((tv_us(r["rx"]), r["rtt"] * 1000, o["dst"]))
        for h in o.get("hops", []):
            rtt = h["rtt"] * 1000
            out.append((tv_us(h["tx"]) + round(rtt), rtt, h["probe_ttl"]))
    return out


def med(v):
    return statistics.median(v) if v else None


def fmt(x, w=8):
    return ("%*.1f" % (w, x)) if x is not None else "%*s" % (w, "-")


def match_runs(index, wire):
    """Per (tool, key): lists of tool RTT, wire RTT and error (us), and
    the counts of tool replies matched and not."""
    res, miss = {}, {}
    byrx = {}
    for p in wire:
        byrx.setdefault(p["rx"] // 1000, []).append(p)
    for tool, hop, t0, t1, path in index:
        inwin = [p for p in wire if t0 <= p["tx"] <= t1]
        if tool == "iputils":
            byseq = {p["seq"]: p for p in inwin if p["dst"] == hop}
            got = [(byseq.get(s % 65536), rtt, hop)
                   for s, rtt in iputils_rtts(path)]
        else:
            got = []
            for rx, rtt, key in scamper_rtts(path):
                cand = [p for d in range(-MATCH_US, MATCH_US + 1)
                        for p in byrx.get(rx + d, []) if t0 <= p["tx"] <= t1]
                cand.sort(key=lambda p: abs(p["rx"] / 1000 - rx))
                got.append((cand[0] if cand else None, rtt, key))
        for p, rtt, key in got:
            k = (tool, str(key))
            if p is None:
                miss[k] = miss.get(k, 0) + 1
                continue
            w = (p["rx"] - p["tx"]) / 1000
            r = res.setdefault(k, ([], [], []))
            r[0].append(rtt)
            r[1].append(w)
            r[2].append(rtt - w)
    return res, miss


TOOLS = ("iputils", "ours", "ours-dl", "debian")


def ping_table(res, miss, hops):
    print("ping, median RTT in us (samples): the tools' own")
    print("%-14s" % "hop" + "".join("%15s" % t for t in TOOLS) +
          " ours-iputils")
    diffs = []
    for h in hops:
        m = {t: res.get((t, h), ([], [], [])) for t in TOOLS}
        i, o = med(m["iputils"][0]), med(m["ours"][0])
        dd = o - i if i is not None and o is not None else None
        if dd is not None:
            diffs.append(dd)
        print("%-14s" % h + "".join(" %s (%3d)" % (fmt(med(m[t][0])),
              len(m[t][0])) for t in TOOLS) + fmt(dd, 13))
    print("median over hops of ours-iputils: %s us" % fmt(med(diffs), 1))
    print()
    print("ping against the wire (h1's capture), median in us per hop: the "
          "wire RTT of each tool's probes, then each tool's RTT less its "
          "probe's wire RTT")
    print("%-14s" % "hop" + "".join("%9s" % ("w:" + t) for t in TOOLS) +
          " |" + "".join("%9s" % t for t in TOOLS) + " | matched (missed)")
    allerr = {t: [] for t in TOOLS}
    for h in hops:
        wires, errs, cnt = "", "", []
        for t in TOOLS:
            r = res.get((t, h), ([], [], []))
            wires += fmt(med(r[1]), 9)
            errs += fmt(med(r[2]), 9)
            allerr[t] += r[2]
            cnt.append("%d (%d)" % (len(r[2]), miss.get((t, h), 0)))
        print("%-14s%s |%s | %s" % (h, wires, errs, " ".join(cnt)))
    for t, v in allerr.items():
        if v:
            q = statistics.quantiles(v, n=10) if len(v) > 1 else [v[0]] * 9
            print("%-8s error against the wire over all hops: median %.1f us,"
                  " p10 %.1f, p90 %.1f, %d probes" % (t, med(v), q[0], q[8],
                                                     len(v)))


def trace_table(res, miss):
    keys = sorted({int(k) for (t, k) in res if t.startswith("trace-")})
    if not keys:
        return
    print()
    print("trace (icmp-paris -q 3) against the wire, median in us per TTL:")
    print("%-4s %8s %8s | %8s %9s %8s %9s | %s" % (
        "ttl", "wire-our", "wire-deb", "ours", "ours-wire", "debian",
        "deb-wire", "matched (missed)"))
    for k in keys:
        o = res.get(("trace-ours", str(k)), ([], [], []))
        d = res.get(("trace-debian", str(k)), ([], [], []))
        print("%-4d %s %s | %s %s %s %s | %d (%d) %d (%d)" % (
            k, fmt(med(o[1])), fmt(med(d[1])), fmt(med(o[0])),
            fmt(med(o[2]), 9), fmt(med(d[0])), fmt(med(d[2]), 9),
            len(o[2]), miss.get(("trace-ours", str(k)), 0), len(d[2]),
            miss.get(("trace-debian", str(k)), 0)))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n")[0])
    index = []
    for n, l in enumerate(open(sys.argv[1]), 1):
        w = l.split()
        if len(w) != 5:
            sys.exit("lab_rtt.py: %s:%d: expected 'TOOL HOP T0 T1 FILE'" %
                     (sys.argv[1], n))
        index.append((w[0], w[1], int(w[2]), int(w[3]), w[4]))
    wire, sent = wire_probes(sys.argv[2])
    print("capture: %d echo requests from h1, %d answered" %
          (sent, len(wire)))
    res, miss = match_runs(index, wire)
    ping_table(res, miss, sys.argv[3].split())
    trace_table(res, miss)


if __name__ == "__main__":
    main()
