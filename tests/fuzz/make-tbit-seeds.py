#!/usr/bin/env python3
"""make-tbit-seeds.py: write the seeds of tests/fuzz/corpus/tbit: for
each command of fuzz_tbit.c a plausible server (SYN/ACK with options,
data, timers, a FIN, a reset).  Run from the source root; the files are
committed."""
import os
import struct

CMDS = ["null", "null-http", "ecn", "pmtud", "sack-rcvr", "icw", "abc",
        "blind-data", "blind-rst", "blind-syn", "blind-fin", "null-bgp",
        "null-v6-ts-sack", "null-fo", "pmtud-v6", "ecn-v6", "sting",
        "sting-v6"]
FIN, SYN, RST, PSH, ACK, ECE, CWR = 1, 2, 4, 8, 16, 64, 128
MSS = bytes([2, 4, 0x05, 0xb4])
SACKOK_TS = bytes([4, 2, 8, 10]) + struct.pack("!II", 7, 0)
HTTP = b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + b"x" * 20


def seg(flags, seq, ack, payload=b"", opts=b"", tos=0, absolute=False,
        foreign=False):
    op = 1 | (4 if absolute else 0) | (8 if foreign else 0)
    return (struct.pack("!BBBIIHB", op, flags, tos, seq, ack, 65535,
                        len(opts)) + opts +
            struct.pack("!H", len(payload)) + payload)


def fire(n=1):
    return b"\0" * n


def sent(lag_us, refused=False):
    """the kernel's word: the next probe refused, or transmit stamps
    LAG_US after the clock from now on (0: no stamps at all)"""
    return struct.pack("!BB", 3 | (4 if refused else 0), lag_us)


def raw(pkt):
    return struct.pack("!BH", 2, len(pkt)) + pkt


def session(i, name):
    synack_opts = MSS + (SACKOK_TS if "ts" in name or "sack" in name
                         else b"")
    tos = 0
    flags = SYN | ACK
    if name.startswith("ecn"):
        flags |= ECE
    s = bytes([i, 0])
    s += seg(flags, 0, 1, opts=synack_opts)
    s += sent(0)
    if name.startswith("ecn"):
        tos = 3     # CE
    s += seg(ACK, 1, 0, tos=tos)
    s += seg(ACK | PSH, 1, 0, payload=HTTP, tos=tos)
    if name.startswith("pmtud"):
        s += seg(ACK, 1 + len(HTTP), 0, payload=b"y" * 1460)
        s += fire()
        s += seg(ACK, 1 + len(HTTP), 0, payload=b"y" * 1200)
    if name.startswith("blind") or name.startswith("sting"):
        s += seg(ACK, 1, 0)                  # a challenge ACK, a hole
        s += fire(3)
        s += seg(ACK, 1, 4)
    s += fire(2)
    s += seg(ACK, 1 + len(HTTP), 0, opts=bytes([1, 1, 5, 10]) +
             struct.pack("!II", 1, 100))     # a SACK block
    s += seg(FIN | ACK, 1 + len(HTTP), 0)
    s += raw(b"\x45\x00\x00\x14" + b"\0" * 16)
    s += seg(RST, 2 + len(HTTP), 0, foreign=True)
    s += seg(RST | ACK, 2 + len(HTTP), 0)
    s += fire(4)
    return s


def main():
    out = "tests/fuzz/corpus/tbit"
    os.makedirs(out, exist_ok=True)
    for i, name in enumerate(CMDS):
        with open(os.path.join(out, name), "wb") as f:
            f.write(session(i, name))
    with open(os.path.join(out, "fw-refused"), "wb") as f:
        f.write(bytes([0, 1]))
    with open(os.path.join(out, "no-answer"), "wb") as f:
        f.write(bytes([1, 0]) + fire(10))


if __name__ == "__main__":
    main()
