"""One attached session with a scamper: the line protocol of a control
socket in attach mode (OK, ERR, MORE, DATA), as spoken on a control
socket after "attach" and on each channel of sc_remoted.  Pure code: it
is fed bytes and hands back events; sending goes through a callable.
"""

import binascii
import collections
import json
import shlex

from .errors import CommandError, ConnectionLost, FormatError
from .result import make_result, norm_addr
from .warts import StreamDecoder

METHODS = ("trace", "ping", "tracelb", "dealias", "neighbourdisc", "tbit",
           "sting", "sniff", "host")
MAX_LINE = 65536
MAX_DATA = 64 << 20


class Command:
    """A measurement command given to Controller.do().  id: scamper's task
    id once accepted (None before); state: queued, sent, accepted, done or
    failed; result: the Result once it came; error: the CommandError if
    it failed."""

    def __init__(self, text, vp):
        self.text = text
        self.vp = vp
        self.id = None
        self.state = "queued"
        self.result = None
        self.error = None
        self.type, self.dst, self.userid = _command_key(text)

    @property
    def finished(self):
        return self.state in ("done", "failed")

    def __repr__(self):
        return "<Command %r on %s: %s%s>" % (
            self.text, self.vp, self.state,
            "" if self.id is None else " id-%d" % self.id)


def _command_key(text):
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if not words:
        return None, None, 0
    t = words[0] if words[0] in METHODS else "trace"
    uid = 0
    for i, w in enumerate(words[:-1]):
        if w == "-U":
            try:
                uid = int(words[i + 1])
            except ValueError:
                pass
    dst = norm_addr(words[-1]) if len(words) > 1 or t != words[0] else None
    return t, dst, uid


def uudecode(text):
    """The bytes of a uuencoded DATA payload (scamper's encoding: lines
    led by a length character, zero written as a backquote, ending with
    a line of one backquote)."""
    out = bytearray()
    for line in text.split(b"\n"):
        if not line or line[:1] == b"`":
            if line[:1] == b"`":
                break
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error as e:
            raise ValueError("bad uuencoded line: %s" % e) from None
    return bytes(out)


class Session:
    """The attached protocol on one byte stream with one vantage point.

    send(bytes) writes to scamper.  fmt is "json" or "warts", what the
    DATA payloads were asked to hold (either is decoded).  feed() takes bytes from scamper and returns
    events: Result objects and CommandError objects."""

    def __init__(self, vp, send, fmt="json", attach=None, cycles=False):
        self.vp = vp
        self.send = send
        self.fmt = fmt
        self.cycles = cycles
        self.decoder = StreamDecoder(str(vp)) if fmt == "warts" else None
        self.buf = bytearray()
        self.need = None            # bytes of a DATA payload still to come
        self.queue = collections.deque()    # Commands not yet sent
        self.awaiting = collections.deque()  # (kind, Command|None)
        self.inflight = []          # accepted, result not yet here
        self.more = False
        self.done_wanted = False
        self.done_sent = False
        self.closed = False
        if attach is not None:
            self.awaiting.append(("attach", None))
            self.send(attach.encode() + b"\n")

    # ---- from the user ------------------------------------------------
    def submit(self, cmd):
        if self.closed or self.done_sent:
            raise CommandError("the session has ended" if self.closed else
                               "done was sent on this session",
                               vp=self.vp, command=cmd.text)
        self.queue.append(cmd)
        self.pump()

    def halt(self, cmd):
        if cmd.id is None or cmd.finished or self.closed:
            return False
        self.awaiting.append(("halt", cmd))
        self.send(b"halt %d\n" % cmd.id)
        return True

    def finish(self):
        """No more commands: scamper ends the session once every result
        is out."""
        self.done_wanted = True
        self.pump()

    def pump(self):
        if self.closed:
            return
        if self.more and self.queue:
            cmd = self.queue.popleft()
            self.more = False
            cmd.state = "sent"
            self.awaiting.append(("cmd", cmd))
            self.send(cmd.text.encode() + b"\n")
        if self.done_wanted and not self.queue and not self.done_sent:
            self.done_sent = True
            self.awaiting.append(("done", None))
            self.send(b"done\n")

    @property
    def pending(self):
        """Commands given and not finished."""
        return len(self.queue) + sum(1 for k, c in self.awaiting
                                     if k == "cmd") + len(self.inflight)

    # ---- from scamper -------------------------------------------------
    def feed(self, data):
        """Bytes from scamper; returns the events they complete."""
        self.buf += data
        ev = []
        while True:
            if self.need is not None:
                if len(self.buf) < self.need:
                    break
                payload = bytes(self.buf[:self.need])
                del self.buf[:self.need]
                self.need = None
                self._data(payload, ev)
                continue
            nl = self.buf.find(b"\n")
            if nl < 0:
                if len(self.buf) > MAX_LINE:
                    raise ConnectionLost("a line of over %d bytes from "
                                         "scamper" % MAX_LINE, vp=self.vp)
                break
            line = bytes(self.buf[:nl]).rstrip(b"\r")
            del self.buf[:nl + 1]
            self._line(line.decode("utf-8", "replace"), ev)
        self.pump()
        return ev

    def _line(self, line, ev):
        if line == "MORE":
            self.more = True
            self.pump()
        elif line.startswith("DATA "):
            words = line.split()
            try:
                n = int(words[1])
            except ValueError:
                n = -1
            if n < 0 or n > MAX_DATA:
                raise ConnectionLost("bad DATA line '%s'" % line, vp=self.vp)
            self.need = n
        elif line == "OK" or line.startswith("OK "):
            self._ok(line[3:], ev)
        elif line.startswith("ERR"):
            self._err(line[4:] if len(line) > 4 else "error", ev)
        # anything else (EVENT, INFO) is not for an attached session

    def _pop(self, what):
        if not self.awaiting:
            raise ConnectionLost("scamper answered '%s' to nothing asked"
                                 % what, vp=self.vp)
        return self.awaiting.popleft()

    def _ok(self, rest, ev):
        kind, cmd = self._pop("OK " + rest)
        if kind == "cmd":
            if rest.startswith("id-"):
                try:
                    cmd.id = int(rest[3:])
                except ValueError:
                    pass
            cmd.state = "accepted"
            self.inflight.append(cmd)

    def _err(self, reason, ev):
        kind, cmd = self._pop("ERR " + reason)
        if kind == "cmd":
            cmd.state = "failed"
            cmd.error = CommandError(reason, vp=self.vp, command=cmd.text)
            ev.append(cmd.error)
        elif kind == "attach":
            raise ConnectionLost("attach refused: " + reason, vp=self.vp)
        elif kind == "done":
            raise ConnectionLost("done refused: " + reason, vp=self.vp)
        # a halt that came too late: the result comes anyway

    def _data(self, payload, ev):
        try:
            # JSON starts with "{"; a uuencoded line with its length
            # character, never "{": either may come, whatever was asked
            if payload[:1] == b"{":
                r = make_result(json.loads(payload.decode("utf-8")))
            else:
                if self.decoder is None:
                    self.decoder = StreamDecoder(str(self.vp))
                r = self.decoder.decode(uudecode(payload))
        except (ValueError, UnicodeDecodeError) as e:
            raise FormatError("bad DATA payload: %s" % e, vp=self.vp) \
                from None
        if r is None:
            return
        r.vp = self.vp
        if not r.is_measurement:
            if self.cycles:
                ev.append(r)
            return
        cmd = self._match(r)
        if cmd is not None:
            self.inflight.remove(cmd)
            cmd.state = "done"
            cmd.result = r
            r.command = cmd
        ev.append(r)

    def _match(self, r):
        """The accepted command R answers: the first with R's type,
        destination and userid; else the first with its type and
        destination; else the first of its type."""
        dst = norm_addr(r.data.get("dst"))
        uid = r.data.get("userid", 0)
        for test in (lambda c: c.type == r.type and c.dst == dst and
                     c.userid == uid,
                     lambda c: c.type == r.type and c.dst == dst,
                     lambda c: c.type == r.type):
            for c in self.inflight:
                if test(c):
                    return c
        return self.inflight[0] if self.inflight else None

    def lost(self, reason):
        """The stream ended: every unfinished command fails.  Returns the
        errors."""
        self.closed = True
        ev = []
        left = list(self.queue) + [c for k, c in self.awaiting
                                   if k == "cmd"] + self.inflight
        for c in left:
            c.state = "failed"
            c.error = CommandError(reason, vp=self.vp, command=c.text)
            ev.append(c.error)
        self.queue.clear()
        self.awaiting.clear()
        self.inflight = []
        return ev
