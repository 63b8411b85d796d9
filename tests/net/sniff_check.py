#!/usr/bin/env python3
"""sniff_check.py: the packets of pcap files, for the sniff lab test.

  sniff_check.py sig ID ADDR FILE   the IP packets of FILE (any link type
                                    tcpdump writes here) that belong to
                                    ICMP echo id ID with our address ADDR:
                                    echo requests/replies with that id,
                                    ICMP errors quoting one (our own
                                    reading of sniff's signature)
  sniff_check.py all FILE           every IP packet of FILE

Each packet is printed as "SEC.USEC HEX" in file order, trimmed to the
length its IP header gives (Ethernet pads short frames).
"""
import ipaddress
import struct
import sys

LINK_ETH, LINK_RAW_BSD, LINK_RAW = 1, 12, 101


def packets(path):
    d = open(path, 'rb').read()
    magic = struct.unpack('<I', d[:4])[0]
    if magic == 0xa1b2c3d4:
        e = '<'
    elif magic == 0xd4c3b2a1:
        e = '>'
    else:
        sys.exit('%s: not a pcap file' % path)
    link = struct.unpack(e + 'I', d[20:24])[0]
    off = 24
    while off + 16 <= len(d):
        sec, usec, cap, _ = struct.unpack(e + 'IIII', d[off:off + 16])
        f = d[off + 16:off + 16 + cap]
        off += 16 + cap
        if link == LINK_ETH:
            if len(f) < 14 or f[12:14] not in (b'\x08\x00', b'\x86\xdd'):
                continue
            f = f[14:]
        elif link not in (LINK_RAW_BSD, LINK_RAW):
            sys.exit('%s: link type %d' % (path, link))
        if len(f) >= 20 and f[0] >> 4 == 4:
            f = f[:struct.unpack('>H', f[2:4])[0]]
        elif len(f) >= 40 and f[0] >> 4 == 6:
            f = f[:40 + struct.unpack('>H', f[4:6])[0]]
        else:
            continue
        yield sec, usec, f


def icmp_of(p):
    """(family, our-side addresses, ICMP message) of IP packet P."""
    if p[0] >> 4 == 4:
        if p[9] != 1 or struct.unpack('>H', p[6:8])[0] & 0x1fff:
            return None
        hl = (p[0] & 0xf) * 4
        return 4, (p[12:16], p[16:20]), p[hl:]
    if p[6] != 58:
        return None
    return 6, (p[8:24], p[24:40]), p[40:]


def echo_id(fam, m):
    """The id of echo message M, or None."""
    if len(m) >= 8 and m[0] in ((0, 8) if fam == 4 else (128, 129)):
        return struct.unpack('>H', m[4:6])[0]
    return None


def matches(p, want, addr):
    x = icmp_of(p)
    if x is None:
        return False
    fam, (src, dst), m = x
    if addr not in (src, dst) or len(m) < 8:
        return False
    if echo_id(fam, m) == want:
        return True
    errors = (3, 4, 5, 11, 12) if fam == 4 else (1, 2, 3, 4)
    if m[0] not in errors:
        return False
    q = icmp_of(m[8:]) if len(m) >= 8 + 20 else None
    return q is not None and q[0] == fam and echo_id(fam, q[2]) == want


def main():
    if len(sys.argv) == 5 and sys.argv[1] == 'sig':
        want = int(sys.argv[2])
        addr = ipaddress.ip_address(sys.argv[3]).packed
        for sec, usec, p in packets(sys.argv[4]):
            if matches(p, want, addr):
                print('%d.%06d %s' % (sec, usec, p.hex()))
    elif len(sys.argv) == 3 and sys.argv[1] == 'all':
        for sec, usec, p in packets(sys.argv[2]):
            print('%d.%06d %s' % (sec, usec, p.hex()))
    else:
        sys.exit(__doc__)


main()
