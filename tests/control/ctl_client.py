#!/usr/bin/env python3
"""ctl_client.py: a control-socket client for scamper's tests.

usage: ctl_client.py ADDR SCENARIO [ARGS...]
ADDR is [ip:]port or a unix socket path (containing '/').  Each scenario
prints "ok - ..." / "not ok - ..." lines and exits 0 only if all passed.
Every wait is bounded (a timeout ends the scenario as a failure).

  transcript             send stdin's lines, print all replies until the
                         server closes the connection (end with "exit" or
                         an attach ending in "done"); a line "#wait X"
                         is not sent but waits (up to 30 s) for a reply
                         line starting with X after the last line sent,
                         "#wait X N" until N replies in all started with
                         X (X "DATA": payloads); "#touch FILE" is not
                         sent but creates FILE (a test waits for it)
  decode                 (no ADDR: use -) stdin transcript -> warts bytes
  sources                source list/update/cycle/delete and observe
  many N M CMD           N attached clients, M commands each, all at once
  stall M CMD            a client that stops reading: no MORE, bounded,
                         others unaffected, nothing lost when it reads
  disconnect K CMD       K clients leave mid-measurement: tasks are freed
  junk                   long lines, binary, half lines: ERR, no crash
  shutdown MODE CMD      shutdown done|flush|now with a client's work
"""
import binascii
import os
import selectors
import socket
import sys
import threading
import time

TIMEOUT = 120
failed = 0


def ok(cond, what):
    global failed
    if cond:
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)
    sys.stdout.flush()
    return cond


def connect(addr, rcvbuf=None):
    if "/" in addr:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = addr
    else:
        host, _, port = addr.rpartition(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host or "127.0.0.1", int(port))
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(target)
    return s


class Conn:
    """A connection that parses scamper's lines and DATA payloads."""

    def __init__(self, addr, rcvbuf=None):
        self.s = connect(addr, rcvbuf)
        self.buf = b""
        self.lines = []      # text lines, in order
        self.data = []       # payloads, in order
        self.items = []      # ("line", text) or ("data", bytes)
        self.closed = False

    def send(self, text):
        self.s.sendall(text.encode() if isinstance(text, str) else text)

    def name(self):
        a = self.s.getsockname()
        return "%s:%d" % (a[0], a[1]) if isinstance(a, tuple) else None

    def feed(self, chunk):
        self.buf += chunk
        while True:
            nl = self.buf.find(b"\n")
            if nl < 0:
                return
            line = self.buf[:nl].decode("ascii", "replace")
            if line.startswith("DATA "):
                n = int(line[5:])
                if len(self.buf) < nl + 1 + n:
                    return
                payload = self.buf[nl + 1:nl + 1 + n]
                self.buf = self.buf[nl + 1 + n:]
                self.data.append(payload)
                self.items.append(("data", payload))
            else:
                self.buf = self.buf[nl + 1:]
                self.lines.append(line)
                self.items.append(("line", line))

    def pump(self, timeout=0.2):
        """Read what is there (waiting up to TIMEOUT); False at EOF."""
        if self.closed:
            return False
        self.s.settimeout(timeout)
        try:
            chunk = self.s.recv(65536)
        except socket.timeout:
            return True
        except ConnectionError:
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.feed(chunk)
        return True

    def until(self, pred, limit=TIMEOUT):
        end = time.time() + limit
        while not pred() and time.time() < end:
            if not self.pump():
                break
        return pred()

    def wait_line(self, prefix, start=0, limit=TIMEOUT):
        def found():
            return any(l.startswith(prefix) for l in self.lines[start:])
        return self.until(found, limit)

    def read_to_eof(self, limit=TIMEOUT):
        end = time.time() + limit
        while time.time() < end and self.pump(1.0):
            pass
        return self.closed


def uudecode(payload):
    out = b""
    for l in payload.split(b"\n"):
        if l and l != b"`":
            out += binascii.a2b_uu(l)
    return out


def results(conn, fmt="warts"):
    """Measurement payloads (not list/cycle records) of CONN."""
    n = 0
    for p in conn.data:
        if fmt == "json":
            n += b'"type":"cycle-' not in p
        else:
            rec = uudecode(p)
            n += int.from_bytes(rec[2:4], "big") not in (1, 2, 3, 4)
    return n


def interactive(addr, text):
    c = Conn(addr)
    c.send(text + "\nexit\n")
    c.read_to_eof(30)
    return c.lines


def sc_transcript(addr):
    c = Conn(addr)

    def feeder():
        # lines go out as they arrive on stdin (tests pace them, with
        # "#wait X" where a reply must come first: a sleep would lean on
        # how fast python starts and connects)
        def count(want, since):
            return sum(1 for kind, v in c.items[since:]
                       if (kind == "data" and want == "DATA") or
                       (kind == "line" and v.startswith(want)))
        sent = 0
        for line in sys.stdin.buffer:	# bytes: any byte may be sent
            if line.startswith(b"#wait "):
                w = line[6:].decode().split()
                want, end = w[0], time.time() + 30
                since, need = (0, int(w[1])) if len(w) > 1 else (sent, 1)
                while time.time() < end and not c.closed and \
                        count(want, since) < need:
                    time.sleep(0.02)
                continue
            if line.startswith(b"#touch "):
                open(line[7:].decode().strip(), "w").close()
                continue
            sent = len(c.items)
            try:
                c.send(line)
            except OSError:
                return
    threading.Thread(target=feeder, daemon=True).start()
    ok(c.read_to_eof(), "the server closed the connection")
    for kind, v in c.items:
        if kind == "line":
            print(v)
        else:
            print("DATA %d" % len(v))
            sys.stdout.flush()
            sys.stdout.buffer.write(v)	# as sent: JSON may hold UTF-8
            sys.stdout.buffer.flush()
    return 0


def sc_decode():
    c = Conn.__new__(Conn)
    c.buf, c.lines, c.data, c.items = b"", [], [], []
    c.feed(sys.stdin.buffer.read())
    for p in c.data:
        sys.stdout.buffer.write(uudecode(p))
    return 0


def sc_sources(addr):
    obs = Conn(addr)
    obs.send("observe sources\n")
    ok(obs.wait_line("OK"), "observe sources: OK")
    b = Conn(addr)
    b.send("attach priority 2\n")
    ok(b.wait_line("MORE"), "attach priority 2: OK, MORE")
    name = b.name()
    ok(obs.wait_line("EVENT") and any(
        "source add name '%s' list_id 0 cycle_id 1 priority 2 outfile '%s' "
        "type 'control'" % (name, name) in l for l in obs.lines),
        "observer saw the source add")
    lines = interactive(addr, "source list\nsource list %s\nsource list nope"
                        % name)
    info = "INFO name '%s' list_id 0 cycle_id 1 priority 2 outfile '%s' " \
        "type 'control'" % (name, name)
    ok(lines.count(info) == 2 and lines[-1] == "ERR no source 'nope'",
       "source list: %r" % lines)
    lines = interactive(addr, "source update %s priority 5\nsource update\n"
                        "source update nope priority 1\n"
                        "source update %s foo 1\nsource update %s cycles 3"
                        % (name, name, name))
    ok(lines == ["OK", "ERR missing name parameter",
                 "ERR no such source 'nope'",
                 "ERR source update param 'foo' failed",
                 "ERR source update param 'cycles' failed"],
       "source update replies: %r" % lines)
    ok(obs.until(lambda: any(
        "source update '%s' priority 5" % name in l for l in obs.lines)),
        "observer saw the update")
    n0 = len(b.data)
    lines = interactive(addr, "source cycle %s\nsource cycle\n"
                        "source cycle nope" % name)
    ok(lines == ["OK", "ERR missing required parameter for source cycle",
                 "ERR no source 'nope'"], "source cycle replies: %r" % lines)
    ok(b.until(lambda: len(b.data) >= n0 + 2),
       "the attached client got a cycle stop and a new cycle start")
    ok(obs.until(lambda: any("source cycle '%s' id 2" % name in l
                             for l in obs.lines)), "observer saw the cycle")
    lines = interactive(addr, "source delete\nsource delete nope\n"
                        "source delete %s" % name)
    ok(lines[:2] == ["ERR missing required parameter for source delete",
                     "ERR unknown source 'nope'"] and
       lines[2].startswith("ERR source '%s'" % name),
       "source delete replies: %r" % lines)
    lines = interactive(addr, "source add\nsource add name x\n"
                        "source add name x file f\n"
                        "source add name x file f outfile nope\n"
                        "source add name x file f outfile - foo 1\n"
                        "source add name x file f outfile - priority z\n"
                        "source add name x file f outfile -\n"
                        "source\nsource foo")
    ok(lines[:6] == ["ERR required parameter 'name' missing",
                     "ERR required parameter 'file' missing",
                     "ERR required parameter 'outfile' missing",
                     "ERR unknown outfile 'nope'",
                     "ERR source add param 'foo' failed",
                     "ERR source add param 'priority' failed"] and
       lines[6].startswith("ERR could not add source") and
       lines[7:] == ["ERR usage: source [add | cycle | delete | list | "
                     "update]", "ERR unhandled command 'foo'"],
       "source add replies: %r" % lines)
    b.send("done\n")
    ok(b.read_to_eof(30), "done closes the attached client")
    ok(obs.until(lambda: any("source finish '%s'" % name in l
                             for l in obs.lines)), "observer saw the finish")
    return 0


def run_clients(conns, cmds, polite=True, limit=TIMEOUT):
    """Attach every connection and run CMDS on each, one per MORE when
    POLITE, else all at once; until every connection is closed.  In a
    command "{c}" is the connection's index and "{k}" the command's."""
    sel = selectors.DefaultSelector()
    state = {}
    for ci, c in enumerate(conns):
        c.cmds = [x.replace("{c}", str(ci)).replace("{k}", str(k))
                  for k, x in enumerate(cmds)]
    for c in conns:
        c.s.setblocking(False)
        c.send_q = b"attach\n"
        if not polite:
            c.send_q += "".join(x + "\n" for x in c.cmds).encode() + \
                b"done\n"
        c.next = 0 if polite else len(cmds) + 1
        c.mores = 0
        state[c.s] = c
        sel.register(c.s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    end = time.time() + limit
    open_ = len(conns)
    while open_ > 0 and time.time() < end:
        for key, ev in sel.select(1.0):
            c = key.data
            if ev & selectors.EVENT_WRITE and c.send_q:
                try:
                    n = c.s.send(c.send_q)
                    c.send_q = c.send_q[n:]
                except BlockingIOError:
                    pass
            if ev & selectors.EVENT_READ:
                try:
                    chunk = c.s.recv(65536)
                except (BlockingIOError, ConnectionError):
                    chunk = None if not c.closed else b""
                if chunk == b"":
                    c.closed = True
                    sel.unregister(c.s)
                    open_ -= 1
                    continue
                if chunk:
                    before = len(c.lines)
                    c.feed(chunk)
                    for l in c.lines[before:]:
                        if l == "MORE":
                            c.mores += 1
                            if c.next < len(cmds):
                                c.send_q += (c.cmds[c.next] +
                                             "\n").encode()
                                c.next += 1
                            elif c.next == len(cmds):
                                c.send_q += b"done\n"
                                c.next += 1
            if not c.closed:
                try:
                    sel.modify(c.s, selectors.EVENT_READ |
                               (selectors.EVENT_WRITE if c.send_q else 0),
                               c)
                except KeyError:
                    pass
    return open_ == 0


def sc_many(addr, n, m, cmd, polite="impatient"):
    n, m = int(n), int(m)
    conns = [Conn(addr) for _ in range(n)]
    cmds = [cmd] * m
    done = run_clients(conns, cmds, polite=polite == "polite")
    ok(done, "%d clients x %d commands all finished" % (n, m))
    counts = [results(c) for c in conns]
    accepted = [sum(l.startswith("OK id-") for l in c.lines) for c in conns]
    ok(all(x == m for x in accepted), "every command accepted (%s)" %
       sorted(set(accepted)))
    ok(all(x == m for x in counts),
       "every client got all %d results (min %d, max %d)" %
       (m, min(counts), max(counts)))
    return 0


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return 0


def sc_stall(addr, m, cmd, pid):
    m, pid = int(m), int(pid)
    st = Conn(addr, rcvbuf=4096)
    # scamper stops reading it when its queue is full: send from a thread
    text = "attach\n" + "".join(cmd + "\n" for _ in range(m)) + "done\n"
    threading.Thread(target=st.send, args=(text,), daemon=True).start()
    time.sleep(1)
    rss0 = rss_kb(pid)
    # others keep working while it reads nothing
    others = [Conn(addr) for _ in range(3)]
    ok(run_clients(others, [cmd] * 5, polite=True, limit=60),
       "three other clients finish while one stalls")
    ok(all(results(c) == 5 for c in others), "they got all their results")
    time.sleep(2)
    rss1 = rss_kb(pid)
    ok(rss1 - rss0 < 64 * 1024,
       "memory stays bounded while stalled (%d -> %d kB)" % (rss0, rss1))
    lines = interactive(addr, "get window")
    ok(len(lines) == 1 and lines[0].startswith("OK window"),
       "interactive clients still served: %r" % lines)
    ok(st.read_to_eof(), "the stalled client reads everything to the end")
    ok(results(st) == m, "it got all %d results (%d)" % (m, results(st)))
    # MORE only when scamper took a command and has room: at most a few
    ok(st.lines.count("MORE") <= 2,
       "no MORE while commands were queued (%d MOREs)" %
       st.lines.count("MORE"))
    return 0


def sc_disconnect(addr, k, cmd, pid):
    k, pid = int(k), int(pid)
    for i in range(k):
        c = Conn(addr)
        c.send("attach\n" + cmd + "\n" + cmd + "\n")
        c.wait_line("OK id-2", limit=30)
        c.s.close()
    rss0 = rss_kb(pid)
    end = time.time() + 30
    lines = []
    while time.time() < end:
        lines = interactive(addr, "get window")
        if lines == ["OK window 0/0"]:
            break
        time.sleep(0.2)
    ok(lines == ["OK window 0/0"],
       "%d clients left mid-measurement: no task left (%r)" % (k, lines))
    for i in range(k):
        c = Conn(addr)
        c.send("attach\n" + cmd + "\n")
        c.wait_line("OK id-1", limit=30)
        c.s.close()
    time.sleep(1)
    rss1 = rss_kb(pid)
    ok(rss1 - rss0 < 4096, "no growth after %d more (%d -> %d kB)" %
       (k, rss0, rss1))
    return 0


def sc_junk(addr):
    c = Conn(addr)
    c.send("get " + "a" * 10000 + "\nget pid\n")
    ok(c.wait_line("OK pid") and c.lines[0] ==
       "ERR line too long (at most 8191 bytes)", "long line: %r" %
       c.lines[:1])
    c = Conn(addr)
    c.send(b"get\x01 pid\n\xff\xfe\x00junk\nget pid\n")
    ok(c.wait_line("OK pid") and c.lines[:2] ==
       ["ERR invalid character in line"] * 2, "binary: %r" % c.lines[:2])
    c = Conn(addr)
    c.send(os.urandom(200000))
    c.send(b"\nget pid\n")
    ok(c.wait_line("OK pid"), "200 kB of random bytes, then a command")
    c = Conn(addr)
    c.send("attach\ntrace -q 1 127.0.0.1\x01\n")
    ok(c.wait_line("ERR invalid"), "attach mode: %r" % c.lines)
    c.s.close()
    c = Conn(addr)
    c.send("get pi")
    c.s.close()
    c = Conn(addr)
    c.send("attach\ntrace -q 1 127.0.0.1\ndone")
    c.s.shutdown(socket.SHUT_WR)
    c.read_to_eof(10)
    c = Conn(addr)
    c.send("attach\n" + "trace " * 5000 + "\ndone\n")
    c.read_to_eof(10)
    ok(any(l.startswith("ERR") for l in c.lines), "huge command: ERR")
    lines = interactive(addr, "get version")
    ok(len(lines) == 1 and lines[0].startswith("OK version"),
       "still serving after the junk: %r" % lines)
    return 0


def sc_shutdown(addr, mode, cmd):
    a = Conn(addr)
    a.send("attach\n" + "".join(cmd + "\n" for _ in range(5)))
    ok(a.wait_line("OK id-5"), "five commands accepted")
    b = Conn(addr)
    b.send("shutdown %s\n" % mode)
    ok(b.wait_line("OK"), "shutdown %s: OK" % mode)
    if mode != "now":
        a.send(cmd + "\n")
        a.wait_line("OK id-6" if mode == "done" else "ERR", limit=10)
    ok(a.read_to_eof(), "the attached client is closed at exit")
    want = {"done": 6, "flush": 5, "now": 0}[mode]
    ok(results(a) == want, "shutdown %s: %d results (want %d)" %
       (mode, results(a), want))
    ok(a.data and uudecode(a.data[-1])[3] == 4,
       "the last payload is the cycle stop")
    b.read_to_eof(10)
    return 0


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    addr, scen, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    fn = {"transcript": sc_transcript, "sources": sc_sources,
          "many": sc_many, "stall": sc_stall, "disconnect": sc_disconnect,
          "junk": sc_junk, "shutdown": sc_shutdown}
    if scen == "decode":
        return sc_decode()
    try:
        fn[scen](addr, *args)
    except (OSError, ValueError, IndexError) as e:
        ok(False, "%s: %s" % (scen, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
