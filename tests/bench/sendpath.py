#!/usr/bin/env python3
"""sendpath.py DST COUNT INTERVAL: how long the local send path is (a
benchmark helper, run by tests/bench/lab_sendpath inside a lab namespace;
root: a raw ICMP socket).

Sends COUNT ICMP echo requests to DST, INTERVAL seconds apart, from one
raw socket asking for the kernel's software transmit timestamps
(SO_TIMESTAMPING: TX_SOFTWARE, OPT_ID, OPT_TSONLY, as scamper does) and
receive timestamps (SO_TIMESTAMPNS).  For each echo answered within a
second: send_path, the kernel's transmit timestamp less the wall clock
read just before sendto(2); rtt_kernel_tx, the reply's receive timestamp
less the transmit timestamp (how our scamper measures); rtt_user_clock,
the receive timestamp less the clock read before the send (how iputils
ping and scamper 20211212 measure).  Prints their medians in
microseconds on one line.
"""
import select
import socket
import statistics
import struct
import sys
import time

SO_TIMESTAMPNS = 35
SO_TIMESTAMPING = 37
TS_FLAGS = (1 << 1) | (1 << 4) | (1 << 7) | (1 << 11)
IDENT = 0x4242


def csum(b):
    if len(b) % 2:
        b += b"\0"
    x = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    x = (x >> 16) + (x & 0xffff)
    x += x >> 16
    return ~x & 0xffff


def ns_of(anc, typ):
    for lvl, t, data in anc:
        if lvl == socket.SOL_SOCKET and t == typ and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec * 1000000000 + nsec
    return None


def one(s, dst, seq):
    """(before, tx, rx) in ns for echo SEQ, or None."""
    body = struct.pack("!BBHHH", 8, 0, 0, IDENT, seq) + b"x" * 56
    pkt = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    before = time.time_ns()
    s.sendto(pkt, (dst, 0))
    tx = rx = None
    end = time.monotonic() + 1
    while (tx is None or rx is None) and time.monotonic() < end:
        try:
            _, anc, _, _ = s.recvmsg(64, 512,
                                     socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
            tx = ns_of(anc, SO_TIMESTAMPING) or tx
            continue
        except BlockingIOError:
            pass
        if not select.select([s], [], [], 0.01)[0]:
            continue
        try:
            d, anc, _, _ = s.recvmsg(2048, 512, socket.MSG_DONTWAIT)
        except BlockingIOError:
            continue
        ihl = (d[0] & 15) * 4 if d else 0
        if len(d) >= ihl + 8 and d[ihl] == 0 and \
                struct.unpack("!HH", d[ihl + 4:ihl + 8]) == (IDENT, seq):
            rx = ns_of(anc, SO_TIMESTAMPNS)
    return (before, tx, rx) if tx and rx else None


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    dst, count, ival = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    if not 1 <= count <= 10000 or not 0 <= ival <= 10:
        print("sendpath.py: COUNT must be 1..10000, INTERVAL 0..10 s",
              file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, TS_FLAGS)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    path, kern, user = [], [], []
    for seq in range(count):
        r = one(s, dst, seq)
        if r is not None:
            before, tx, rx = r
            path.append((tx - before) / 1e3)
            kern.append((rx - tx) / 1e3)
            user.append((rx - before) / 1e3)
        time.sleep(ival)
    if not path:
        print("sendpath.py: no echo answered", file=sys.stderr)
        return 1
    m = statistics.median
    print("interval_s=%g answered=%d send_path_us=%.1f rtt_kernel_tx_us=%.1f "
          "rtt_user_clock_us=%.1f" % (ival, len(path), m(path), m(kern),
                                      m(user)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
