#!/usr/bin/env python3
"""make-seeds.py: write the packet seeds of tests/fuzz/corpus/pkt and
netsim-packet (well-formed probes and replies, documentation addresses
only).  Run from the source root; the files are committed."""
import os
import struct


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def a4(s):
    return bytes(int(x) for x in s.split("."))


def a6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def ip4(src, dst, proto, payload, ttl=64, ipid=1, df=False):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ipid,
                    0x4000 if df else 0, ttl, proto, 0, a4(src), a4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nxt, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, hlim,
                       a6(src), a6(dst)) + payload


def pseudo4(src, dst, proto, l4):
    return a4(src) + a4(dst) + struct.pack("!BBH", 0, proto, len(l4))


def pseudo6(src, dst, nxt, l4):
    return a6(src) + a6(dst) + struct.pack("!IxxxB", len(l4), nxt)


def udp(sport, dport, data, ph):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    return u[:6] + struct.pack("!H", csum(ph(u)) or 0xffff) + u[8:]


def tcp(sport, dport, seq, ack, flags, ph):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                    65535, 0, 0)
    return t[:16] + struct.pack("!H", csum(ph(t))) + t[18:]


def icmp(typ, code, rest, data, v6=None):
    m = struct.pack("!BBH", typ, code, 0) + rest + data
    c = csum(v6(m) if v6 else m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def write(d, name, b):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(b)


S4, D4, R4 = "192.0.2.1", "198.51.100.7", "203.0.113.5"
S6, D6, R6 = "2001:db8::1", "2001:db8:1::7", "2001:db8:2::5"

# probes (what sc_netsim receives)
pu4 = ip4(S4, "198.18.0.9", 17, udp(40000, 33435, b"\0" * 12,
          lambda u: pseudo4(S4, "198.18.0.9", 17, u)), ttl=3)
pe4 = ip4(S4, "198.18.0.9", 1, icmp(8, 0, struct.pack("!HH", 0x8001, 1),
          b"\0" * 16), ttl=2)
pt4 = ip4(S4, "198.18.1.9", 6, tcp(40000, 80, 1, 0, 0x02,
          lambda t: pseudo4(S4, "198.18.1.9", 6, t)), ttl=9)
pu6 = ip6(S6, "2001:2::9", 17, udp(40000, 33435, b"\0" * 12,
          lambda u: pseudo6(S6, "2001:2::9", 17, u)), hlim=2)
pe6 = ip6(S6, "2001:2::9", 58, icmp(128, 0, struct.pack("!HH", 0x8001, 1),
          b"\0" * 16, lambda m: pseudo6(S6, "2001:2::9", 58, m)), hlim=9)
for n, b in [("udp4", pu4), ("echo4", pe4), ("syn4", pt4), ("udp6", pu6),
             ("echo6", pe6)]:
    write("tests/fuzz/corpus/netsim-packet", n, b)

# replies (what the prober parses)
q4 = ip4(S4, D4, 17, udp(40000, 33435, b"\0" * 12,
         lambda u: pseudo4(S4, D4, 17, u)), ttl=1)
te4 = ip4(R4, S4, 1, icmp(11, 0, b"\0" * 4, q4[:28]))
# port unreachable with an RFC 4884 extension holding an MPLS stack
ext = struct.pack("!HH", 0x2000, 0) + struct.pack("!HBB", 8, 1, 1) + \
    struct.pack("!I", (16001 << 12) | (1 << 8) | 1)
ext = ext[:2] + struct.pack("!H", csum(ext)) + ext[4:]
orig = q4 + b"\0" * (128 - len(q4))
un4 = ip4(R4, S4, 1, icmp(3, 3, struct.pack("!BBH", 0, 32, 0), orig + ext))
er4 = ip4(D4, S4, 1, icmp(0, 0, struct.pack("!HH", 0x8001, 1), b"\0" * 16))
ptb4 = ip4(R4, S4, 1, icmp(3, 4, struct.pack("!HH", 0, 1400), q4[:28]))
rst4 = ip4(D4, S4, 6, tcp(80, 40000, 0, 2, 0x14,
           lambda t: pseudo4(D4, S4, 6, t)))
sa4 = ip4(D4, S4, 6, tcp(80, 40000, 77, 2, 0x12,
          lambda t: pseudo4(D4, S4, 6, t)))
q6 = ip6(S6, D6, 17, udp(40000, 33435, b"\0" * 12,
         lambda u: pseudo6(S6, D6, 17, u)), hlim=1)
te6m = icmp(3, 0, b"\0" * 4, q6, lambda m: pseudo6(R6, S6, 58, m))
te6 = ip6(R6, S6, 58, te6m)
er6m = icmp(129, 0, struct.pack("!HH", 0x8001, 1), b"\0" * 16,
            lambda m: pseudo6(D6, S6, 58, m))
ptb6m = icmp(2, 0, struct.pack("!I", 1280), q6,
             lambda m: pseudo6(R6, S6, 58, m))
for n, b in [("time-exceeded4", te4), ("unreach-mpls4", un4),
             ("echo-reply4", er4), ("ptb4", ptb4), ("rst4", rst4),
             ("synack4", sa4), ("time-exceeded6", te6),
             ("icmp6-time-exceeded", te6m), ("icmp6-echo-reply", er6m),
             ("icmp6-ptb", ptb6m)]:
    write("tests/fuzz/corpus/pkt", n, b)
# datalink frames: Ethernet headers in front of two of them
eth = bytes.fromhex("020000000001020000000002")
write("tests/fuzz/corpus/pkt", "frame-time-exceeded4", eth + b"\x08\x00" + te4)
write("tests/fuzz/corpus/pkt", "frame-time-exceeded6", eth + b"\x86\xdd" + te6)
