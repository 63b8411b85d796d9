#!/usr/bin/env python3
"""limits_client.py: clients that try to lock others out (lab_limits.sh).

usage: limits_client.py ctl-tcp ADDR PORT
       limits_client.py ctl-unix ADDR PATH
       limits_client.py remoted ADDR PORT LOGFILE
Run inside the lab namespace, where ADDR is the server's address and
192.0.2.2 / 192.0.2.3 are two more local addresses to connect from.
Prints "ok - ..." / "not ok - ..." lines; exits 0 only if all passed.
Every wait is bounded.
"""
import os
import resource
import selectors
import socket
import struct
import sys
import time

failed = 0


def ok(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    sys.stdout.flush()
    failed += not cond
    return cond


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n if hard == resource.RLIM_INFINITY else min(n, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def tcp(src, addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.connect((addr, port))
    return s


def unix(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def closed(socks, limit, want=None):
    """Wait up to LIMIT s, or until WANT (default all) are closed; return
    {sock: bytes received} of those the server closed (EOF or reset)."""
    sel = selectors.DefaultSelector()
    got, done = {}, {}
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        got[s] = b""
    want = len(socks) if want is None else want
    end = time.time() + limit
    while time.time() < end and len(done) < want:
        for key, _ in sel.select(0.2):
            s = key.fileobj
            try:
                b = s.recv(4096)
            except (ConnectionError, BlockingIOError):
                b = b""
            if b:
                got[s] += b
            else:
                done[s] = got[s]
                sel.unregister(s)
    sel.close()
    return done


def made_room(socks, want, then):
    """The server makes room among idle SOCKS: wait (at most 60 s) until
    WANT of them are closed, then call THEN(), a request it can answer
    only once it has accepted every one of SOCKS (so closed all it will
    for them), and collect the others it closed.  Returns THEN's result
    and {sock: bytes received} of those closed."""
    gone = closed(socks, 60, want)
    res = then()
    gone.update(closed([s for s in socks if s not in gone], 0.2))
    return res, gone


def past_deadline(gone):
    """Split GONE: those closed by the 10 s deadline for a first command
    (when the server took that long to make room), and the rest."""
    late = {s: v for s, v in gone.items() if b"no command within" in v}
    return late, {s: v for s, v in gone.items() if s not in late}


def attach_and_ping(s, target):
    """Attach on S, ping TARGET once; True if the result came back."""
    s.setblocking(True)
    s.settimeout(30)
    s.sendall(b"attach format json\n")
    s.sendall(("ping -c 1 %s\n" % target).encode())
    s.sendall(b"done\n")
    buf = b""
    end = time.time() + 60
    while time.time() < end:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        if not b:
            break
        buf += b
    return b'"type":"ping"' in buf


def ctl_tcp(addr, port):
    raise_nofile(4096)
    # 1000 idle TCP clients from one address: at most 250 stay, each
    # newer one takes the place of the oldest that has said nothing.
    # Another address is not locked out (its client, accepted after the
    # 1000, is the sign that the server has made all the room it will).
    idle = []
    for _ in range(1000):
        idle.append(tcp("192.0.2.2", addr, port))
    served, gone = made_room(
        idle, 750, lambda: attach_and_ping(tcp("192.0.2.3", addr, port), addr))
    late, gone = past_deadline(gone)
    ok(len(gone) == 750, "1000 idle clients from 192.0.2.2: 750 closed "
       "(got %d), 250 kept" % len(gone))
    ok(all(b"took its place" in v for v in gone.values()),
       "each closed one was told a newer connection took its place")
    ok(set(gone) == set(idle[:750]), "the oldest were the ones closed")
    ok(served, "a client from 192.0.2.3 is served")
    live = [s for s in idle if s not in gone]
    # nor is the same address
    s2 = tcp("192.0.2.2", addr, port)
    ok(attach_and_ping(s2, addr), "a new client from 192.0.2.2 is served")
    # the idle ones hear the deadline and are closed
    # (but the oldest made way for the new client from 192.0.2.2)
    gone = late
    gone.update(closed([s for s in live if s not in gone], 60))
    told = sum(b"ERR no command within 10 s: closing" in v
               for v in gone.values())
    ok(len(gone) == len(live) and told == len(live) - 1 and
       gone[live[0]].find(b"took its place") >= 0,
       "the idle clients are closed after 10 s without a command, and told "
       "(%d of %d; the oldest made way)" % (told, len(live)))


def ctl_unix(addr, path):
    # unix socket: the peer is the user id; a new client of that user
    # makes one more of the idle ones make way
    idle = [unix(path) for _ in range(300)]
    served, gone = made_room(idle, 50,
                             lambda: attach_and_ping(unix(path), addr))
    gone = past_deadline(gone)[1]
    ok(set(gone) == set(idle[:51]), "300 idle unix-socket clients of one "
       "user: the 50 oldest closed, and one more for a new client (got %d)"
       % len(gone))
    ok(served, "a new unix-socket client is served")
    for x in idle:
        x.close()


# ---- sc_remoted -----------------------------------------------------------

def rp_send(s, payload, seq=0, chan=0):
    s.sendall(struct.pack(">IIH", seq, chan, len(payload)) + payload)


def rp_recv(s, limit=10):
    """One message (chan, payload) or None."""
    s.settimeout(limit)
    buf = b""
    try:
        while len(buf) < 10:
            b = s.recv(10 - len(buf))
            if not b:
                return None
            buf += b
        _, chan, n = struct.unpack(">IIH", buf)
        pl = b""
        while len(pl) < n:
            b = s.recv(n - len(pl))
            if not b:
                return None
            pl += b
        return chan, pl
    except (socket.timeout, ConnectionError):
        return None


def master_new(src, addr, port, magic, name):
    s = tcp(src, addr, port)
    rp_send(s, b"\x00\x08" + magic + bytes([len(name) + 1]) +
            name.encode() + b"\x00")
    m = rp_recv(s)
    return s, m is not None and m[0] == 0 and m[1][:1] == b"\x01"


def master_res(src, addr, port, magic):
    """'ok', 'rej' or None: a resume with nothing exchanged."""
    s = tcp(src, addr, port)
    rp_send(s, b"\x06\x08" + magic + b"\x00" * 12)
    m = rp_recv(s)
    s.close()
    if m is None or m[0] != 0:
        return None
    return {8: "ok", 7: "rej"}.get(m[1][0])


def logged(log, text, count, limit=60):
    """Wait (at most LIMIT s) until LOG has COUNT lines with TEXT."""
    end = time.time() + limit
    while time.time() < end:
        with open(log) as f:
            if sum(text in line for line in f) >= count:
                return
        time.sleep(0.05)


def remoted(addr, port, log):
    raise_nofile(4096)
    magic = [struct.pack(">Q", 0x5c0000 + i) for i in range(41)]
    # a message before MASTER_NEW ends only that connection (it once
    # crashed sc_remoted: fuzz-remoted found it)
    s = tcp("192.0.2.3", addr, port)
    rp_send(s, b"\x04")
    rp_send(s, b"\x04")
    ok(rp_recv(s, 5) is None, "a message before MASTER_NEW: closed")
    s.close()
    # a session from 192.0.2.3 first, then 40 from 192.0.2.2; all vanish
    s, good = master_new("192.0.2.3", addr, port, magic[0], "other")
    ok(good, "a vantage point from 192.0.2.3 identifies itself")
    s.close()
    ids = 0
    for i in range(1, 41):
        s, good = master_new("192.0.2.2", addr, port, magic[i], "vp%d" % i)
        ids += good
        s.close()
    ok(ids == 40, "40 vantage points from 192.0.2.2 identify, then vanish")
    # (once sc_remoted has seen them go: it forgets all but 16)
    logged(log, "forgotten: more than 16 sessions from 192.0.2.2", 24)
    ok(master_res("192.0.2.2", addr, port, magic[1]) == "rej",
       "the one waiting longest from 192.0.2.2 was forgotten (resume "
       "refused)")
    ok(master_res("192.0.2.2", addr, port, magic[24]) == "rej",
       "so were all but the 16 newest")
    ok(master_res("192.0.2.2", addr, port, magic[25]) == "ok",
       "the 16th newest from 192.0.2.2 resumes")
    ok(master_res("192.0.2.3", addr, port, magic[0]) == "ok",
       "the session from 192.0.2.3 resumes: another address's flood did "
       "not push it out")
    text = open(log).read()
    ok("forgotten: more than 16 sessions from 192.0.2.2 wait to resume"
       in text, "sc_remoted says which sessions it forgot and why")
    # 70 connections that never identify: 64 stay, the oldest make way
    idle = [tcp("192.0.2.2", addr, port) for _ in range(70)]
    (s, good), gone = made_room(idle, 6, lambda: master_new(
        "192.0.2.3", addr, port, magic[40], "late"))
    ok(len(gone) == 6 and set(gone) == set(idle[:6]),
       "70 silent connections from 192.0.2.2: the 6 oldest closed (got %d)"
       % len(gone))
    ok(good, "a vantage point from 192.0.2.3 still gets in")
    s.close()
    s, good = master_new("192.0.2.2", addr, port, os.urandom(8), "again")
    ok(good, "so does a new one from 192.0.2.2 (an idle one makes way)")
    s.close()
    for x in idle:
        x.close()


def main():
    if sys.argv[1] == "ctl-tcp":
        ctl_tcp(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "ctl-unix":
        ctl_unix(sys.argv[2], sys.argv[3])
    else:
        remoted(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
