#!/usr/bin/env python3
"""dnsd.py ADDR ZONE [LOG]: a small authoritative DNS server over UDP port
53 on ADDR, for lab tests only (run it inside a lab namespace).

ZONE has one record a line, "NAME TYPE VALUE..." ('#' comments):
    www.lab.example. A 198.18.6.2
    www.lab.example. AAAA 2001:db8:6::2
    lab.example. NS ns.lab.example.
    alias.lab.example. CNAME www.lab.example.
    lab.example. MX 10 mail.lab.example.
    lab.example. SOA ns.lab.example. admin.lab.example. 1 3600 600 86400 300
    lab.example. TXT "some text"
    2.6.18.198.in-addr.arpa. PTR www.lab.example.
A query is answered from the records of its name and type (following a
CNAME), with the zone's NS records in the authority section and their
addresses in the additional section, then the "extra" records of the
name asked (lines "+NAME TYPE VALUE...": any type, sent only there); a name with no records at all gets
NXDOMAIN, a name without that type an empty answer with the SOA.  Every
TTL is 300.  The RD bit is copied and RA is clear.  Each query is logged
as "QNAME QTYPE ID" to LOG.  Names "silent.*" get no answer at all.
"""
import ipaddress
import socket
import struct
import sys

TYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15,
         'TXT': 16, 'AAAA': 28}
TTL = 300


def enc_name(n):
    n = n.rstrip('.')
    out = b''
    if n:
        for label in n.split('.'):
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def dec_name(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n == 0:
            return '.'.join(labels).lower() + '.', off + 1
        if n & 0xc0:
            raise ValueError('compressed name in a query')
        labels.append(msg[off + 1:off + 1 + n].decode('ascii', 'replace'))
        off += 1 + n


def rdata(rtype, v):
    if rtype == 'A':
        return ipaddress.IPv4Address(v[0]).packed
    if rtype == 'AAAA':
        return ipaddress.IPv6Address(v[0]).packed
    if rtype in ('NS', 'CNAME', 'PTR'):
        return enc_name(v[0])
    if rtype == 'MX':
        return struct.pack('!H', int(v[0])) + enc_name(v[1])
    if rtype == 'SOA':
        return enc_name(v[0]) + enc_name(v[1]) + struct.pack(
            '!IIIII', *(int(x) for x in v[2:7]))
    if rtype == 'TXT':
        s = ' '.join(v).strip('"').encode()
        return bytes([len(s)]) + s
    raise ValueError(rtype)


def load(path):
    zone, extra = [], []
    for line in open(path):
        line = line.split('#', 1)[0].split()
        if not line:
            continue
        rec = (line[0].lstrip('+').lower(), line[1].upper(), line[2:])
        (extra if line[0].startswith('+') else zone).append(rec)
    return zone, extra


def rr(name, rtype, v):
    d = rdata(rtype, v)
    return enc_name(name) + struct.pack('!HHIH', TYPES[rtype], 1, TTL,
                                        len(d)) + d


def answer(zone, extra, msg):
    qid, flags = struct.unpack('!HH', msg[:4])
    qname, off = dec_name(msg, 12)
    qtype, qclass = struct.unpack('!HH', msg[off:off + 4])
    question = msg[12:off + 4]
    names = {n for n, _, _ in zone}
    an, ns, ar = [], [], []
    name, rcode = qname, 0
    for _ in range(8):		# follow CNAMEs
        recs = [(t, v) for n, t, v in zone if n == name]
        hit = [(t, v) for t, v in recs if TYPES[t] == qtype]
        if hit:
            an += [rr(name, t, v) for t, v in hit]
            break
        cn = [(t, v) for t, v in recs if t == 'CNAME']
        if cn and qtype != TYPES['CNAME']:
            an.append(rr(name, 'CNAME', cn[0][1]))
            name = cn[0][1][0].lower()
            continue
        if name not in names:
            rcode = 3
        break
    if an:
        for n, t, v in zone:
            if t == 'NS':
                ns.append(rr(n, t, v))
                ar += [rr(v[0], t2, v2) for n2, t2, v2 in zone
                       if n2 == v[0].lower() and t2 in ('A', 'AAAA')]
    else:
        ns += [rr(n, t, v) for n, t, v in zone if t == 'SOA']
    ar += [rr(n, t, v) for n, t, v in extra if n == qname]
    hflags = 0x8400 | (flags & 0x0100) | rcode
    return struct.pack('!HHHHHH', qid, hflags, 1, len(an), len(ns),
                       len(ar)) + question + b''.join(an + ns + ar), \
        qname, qtype, qid


def main():
    addr, zonef = sys.argv[1], sys.argv[2]
    log = open(sys.argv[3], 'a', buffering=1) if len(sys.argv) > 3 else None
    zone, extra = load(zonef)
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            out, qname, qtype, qid = answer(zone, extra, msg)
        except (ValueError, IndexError, struct.error):
            continue
        if log:
            log.write('%s %d %d\n' % (qname, qtype, qid))
        if not qname.startswith('silent.'):
            s.sendto(out, peer)


if __name__ == '__main__':
    main()
