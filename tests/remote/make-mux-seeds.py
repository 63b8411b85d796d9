#!/usr/bin/env python3
"""make-mux-seeds.py OUTDIR: the seed corpus of fuzz-remoted-mux
(tests/remote/fuzz_remoted_mux.c): steps of a -M client and two remote
scampers, A (vantage point 1) and B (vantage point 2)."""
import os
import struct
import sys

CLIENT, A, B = 0, 2, 3
VP_UPDATE, VP_DEPART, GO, CHANNEL_OPEN, CHANNEL_CLOSE = range(5)
RP_CHANNEL_FIN, RP_KEEPALIVE, RP_ACK = 3, 4, 5


def steps(dest, data):
    """DATA for DEST, as steps of at most 63 bytes."""
    out = b""
    while data:
        piece, data = data[:63], data[63:]
        out += bytes([len(piece) << 2 | dest]) + piece
    return out


def event(s):
    """1: the client closes its end and another connects, 2/3: A/B
    break."""
    return bytes([s])


def mx(chan, payload):
    return struct.pack(">II", chan, len(payload)) + payload


def mx_open(vp, chan):
    return mx(0, struct.pack(">HII", CHANNEL_OPEN, vp, chan))


def mx_close(chan):
    return mx(0, struct.pack(">HI", CHANNEL_CLOSE, chan))


def rp(seq, chan, payload):
    return struct.pack(">IIH", seq, chan, len(payload)) + payload


def rp_ack(num):
    return rp(0, 0, struct.pack(">BI", RP_ACK, num))


def rp_fin(seq, chan):
    return rp(seq, 0, struct.pack(">BI", RP_CHANNEL_FIN, chan))


SEEDS = {
    # a channel to each vantage point, used and ended from both sides
    "session": steps(CLIENT, mx_open(1, 7) + mx(7, b"attach\n"))
    + steps(A, rp_ack(0) + rp_ack(1) + rp(0, 1, b"OK\n")
            + rp(1, 1, b"DATA 5\nbegin\n") + rp_fin(2, 1))
    + steps(CLIENT, mx_open(2, 8) + mx(8, b"attach format json\n")
            + mx_close(8))
    + steps(B, rp_ack(0) + rp_ack(1) + rp_ack(2)
            + rp(0, 0, bytes([RP_KEEPALIVE])) + rp_fin(0, 1)),
    # refusals that keep the client, then ones that close it
    "errors": steps(CLIENT, mx_open(9, 1) + mx_open(1, 0) + mx_open(1, 3)
                    + mx_open(2, 3) + mx_close(44) + mx(5, b"x\n")
                    + mx(0, struct.pack(">HI", CHANNEL_OPEN, 1)))
    + event(1)
    + steps(CLIENT, mx(0, struct.pack(">H", GO)))
    + event(1)
    + steps(CLIENT, struct.pack(">II", 3, 0))
    + event(1)
    + steps(CLIENT, mx(0, b"\x00")),
    # vantage points and clients that go while channels are open
    "breaks": steps(CLIENT, mx_open(1, 1) + mx_open(2, 2))
    + event(2)
    + steps(CLIENT, mx(1, b"ping 192.0.2.1\n") + mx(2, b"done\n"))
    + steps(B, rp(0, 1, b"OK\n"))
    + event(1)
    + steps(B, rp(1, 1, b"late\n") + rp_fin(2, 1))
    + steps(CLIENT, mx_open(2, 2))
    + event(3)
    + event(1),
    # long frames both ways, split across steps
    "long": steps(CLIENT, mx_open(1, 1) + mx(1, b"trace 192.0.2.7\n" * 200))
    + steps(A, rp_ack(0) + rp(0, 1, b"DATA 1000\n" + b"M" * 1000)
            + rp_ack(1) + rp_ack(7)),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
