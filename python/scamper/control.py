"""The controller: many scampers at once, through their control sockets
(Unix or TCP) and through sc_remoted's multiplexed socket.

    ctrl = Controller()
    a = ctrl.add_unix("/run/scamper.sock")
    vps = ctrl.add_remoted("/run/vps.mux")      # sc_remoted -M
    for vp in [a] + vps:
        ctrl.do("ping -c 3 192.0.2.1", vp)
    for r in ctrl.results(timeout=60):
        print(r.vp, r.command.text, r.type, r.dst)

One thread, no threads started: I/O happens inside results(), poll()
and wait().
"""

import collections
import os
import selectors
import socket
import struct
import time

from . import mux
from .errors import CommandError, ConnectionLost, ScamperError
from .session import Command, Session


class VantagePoint:
    """A scamper the controller can give commands to.  name: how it is
    known (the monitor name a remote scamper gave with -M, else its
    address; or the socket for a direct one); attrs: what sc_remoted said
    of it (name, arrival, address); alive: False once it has gone."""

    def __init__(self, ctrl, name, kind, attrs=None):
        self.ctrl = ctrl
        self.name = name
        self.kind = kind            # "unix", "inet" or "remoted"
        self.attrs = dict(attrs or {})
        self.alive = True
        self.session = None
        self.conn = None
        self.vp_id = None           # sc_remoted's id

    def __str__(self):
        return self.name

    def __repr__(self):
        return "<VantagePoint %s (%s)%s>" % (self.name, self.kind,
                                             "" if self.alive else " gone")

    def do(self, command):
        return self.ctrl.do(command, self)


class VpEvent:
    """A vantage point came (kind "arrived"), changed ("updated") or went
    ("departed") on an sc_remoted socket."""

    def __init__(self, kind, vp):
        self.kind = kind
        self.vp = vp

    def __repr__(self):
        return "<VpEvent %s %s>" % (self.kind, self.vp)


class _Conn:
    """A socket to a scamper or to sc_remoted, non-blocking once
    connected; writes are queued and flushed as the socket allows."""

    def __init__(self, ctrl, sock, name):
        self.ctrl = ctrl
        self.sock = sock
        self.name = name
        self.wbuf = bytearray()
        self.closed = False
        sock.setblocking(False)
        ctrl._sel.register(sock, selectors.EVENT_READ, self)

    def write(self, data):
        if self.closed:
            return
        self.wbuf += data
        self.flush()

    def flush(self):
        try:
            while self.wbuf:
                n = self.sock.send(self.wbuf)
                del self.wbuf[:n]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as e:
            self.fail("write: %s" % e.strerror)
            return
        ev = selectors.EVENT_READ | (selectors.EVENT_WRITE if self.wbuf
                                     else 0)
        self.ctrl._sel.modify(self.sock, ev, self)

    def on_ready(self, mask):
        if mask & selectors.EVENT_WRITE:
            self.flush()
        if self.closed or not mask & selectors.EVENT_READ:
            return
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.fail("read: %s" % e.strerror)
            return
        if not data:
            self.fail("connection closed")
            return
        try:
            self.got(data)
        except ScamperError as e:
            self.fail(e.reason)

    def close(self):
        if not self.closed:
            self.closed = True
            self.ctrl._sel.unregister(self.sock)
            self.sock.close()

    def fail(self, reason):
        raise NotImplementedError

    def got(self, data):
        raise NotImplementedError


class _CtlConn(_Conn):
    """A scamper control socket, attached: one session."""

    def __init__(self, ctrl, sock, vp, fmt):
        super().__init__(ctrl, sock, vp.name)
        self.vp = vp
        vp.conn = self
        vp.session = Session(vp, self.write, fmt=fmt,
                             attach="attach format %s" % fmt,
                             cycles=ctrl.cycles)

    def got(self, data):
        self.ctrl._post(self.vp.session.feed(data))

    def fail(self, reason):
        self.close()
        self.vp.alive = False
        self.ctrl._post(self.vp.session.lost(
            "connection to scamper lost: %s" % reason))


class _MuxConn(_Conn):
    """sc_remoted's multiplexed socket: many vantage points, a channel of
    ours for each one we give commands to."""

    def __init__(self, ctrl, sock, path):
        super().__init__(ctrl, sock, path)
        self.rbuf = b""
        self.vps = {}               # sc_remoted's VP id -> VantagePoint
        self.chans = {}             # our channel -> VantagePoint
        self.next_chan = 1
        self.go = False

    def open_channel(self, vp):
        chan = self.next_chan
        self.next_chan += 1
        self.chans[chan] = vp
        self.write(mux.channel_open(vp.vp_id, chan))

        def send(data, chan=chan):
            for i in range(0, len(data), 65536):
                self.write(mux.frame(chan, data[i:i + 65536]))
        vp.session = Session(vp, send, fmt="warts", cycles=self.ctrl.cycles)
        vp.session.chan = chan

    def got(self, data):
        try:
            msgs, self.rbuf = mux.split(self.rbuf + data)
        except mux.MuxError as e:
            raise ConnectionLost(str(e), vp=self.name) from None
        for chan, payload in msgs:
            if chan == 0:
                self.control(payload)
                continue
            vp = self.chans.get(chan)
            if vp is None:
                continue        # a channel we closed: late bytes
            try:
                self.ctrl._post(vp.session.feed(payload))
            except ScamperError as e:
                self.end_channel(chan, e.reason)
                self.write(mux.channel_close(chan))

    def control(self, payload):
        try:
            t, m = mux.decode_ctl(payload)
        except mux.MuxError as e:
            raise ConnectionLost(str(e), vp=self.name) from None
        if t == mux.GO:
            self.go = True
        elif t == mux.VP_UPDATE:
            self.vp_update(m["vp"], m["attrs"])
        elif t == mux.VP_DEPART:
            vp = self.vps.pop(m["vp"], None)
            if vp is not None:
                for chan in [c for c, v in self.chans.items() if v is vp]:
                    self.end_channel(chan, "the vantage point went away")
                vp.alive = False
                self.ctrl._vp_gone(vp)
        elif t == mux.CHANNEL_CLOSE:
            self.end_channel(m["chan"], "scamper ended the channel")

    def vp_update(self, vp_id, attrs):
        vp = self.vps.get(vp_id)
        if vp is not None:
            vp.attrs.update(attrs)
            self.ctrl._vp_event("updated", vp)
            return
        name = attrs.get("name") or attrs.get("address") or "vp%d" % vp_id
        vp = VantagePoint(self.ctrl, self.ctrl._unique(name), "remoted",
                          attrs)
        vp.vp_id = vp_id
        vp.conn = self
        self.vps[vp_id] = vp
        self.ctrl._vp_add(vp)

    def end_channel(self, chan, reason):
        vp = self.chans.pop(chan, None)
        if vp is None:
            return
        s = vp.session
        vp.session = None
        if s is not None:
            self.ctrl._post(s.lost(reason))

    def fail(self, reason):
        self.close()
        for chan in list(self.chans):
            self.end_channel(chan, "sc_remoted's socket: %s" % reason)
        for vp in self.vps.values():
            vp.alive = False
            self.ctrl._vp_gone(vp)
        self.vps = {}
        self.ctrl._mux_lost(self, reason)


class Controller:
    """Drive scampers: add them, give them commands, read results.

    cycles=True also delivers cycle-start and cycle-stop records."""

    def __init__(self, cycles=False):
        self.cycles = cycles
        self._sel = selectors.DefaultSelector()
        self._vps = {}
        self._events = collections.deque()
        self._vp_events = collections.deque()
        self._muxes = []
        self._pending = set()
        self._errors = []           # errors of the sockets themselves

    # ---- vantage points ----------------------------------------------
    def _unique(self, name):
        if name not in self._vps:
            return name
        n = 2
        while "%s#%d" % (name, n) in self._vps:
            n += 1
        return "%s#%d" % (name, n)

    def add_unix(self, path, name=None, fmt="json"):
        """A scamper control socket at PATH (scamper -U).  fmt "json"
        needs nothing but Python; "warts" decodes through
        libscamperfile."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
        except OSError as e:
            s.close()
            raise ConnectionLost("cannot connect: %s" % e.strerror,
                                 vp=name or path) from None
        return self._add_ctl(s, name or path, "unix", fmt)

    def add_inet(self, host, port, name=None, fmt="json"):
        """A scamper control socket on HOST:PORT (scamper -P)."""
        label = name or "%s:%d" % (host, port)
        try:
            s = socket.create_connection((host, port), timeout=10)
        except OSError as e:
            raise ConnectionLost("cannot connect: %s" % e.strerror,
                                 vp=label) from None
        return self._add_ctl(s, label, "inet", fmt)

    def _add_ctl(self, sock, name, kind, fmt):
        if fmt not in ("json", "warts"):
            sock.close()
            raise ValueError("fmt must be json or warts")
        vp = VantagePoint(self, self._unique(name), kind)
        self._vps[vp.name] = vp
        _CtlConn(self, sock, vp, fmt)
        return vp

    def add_remoted(self, path, timeout=10.0):
        """sc_remoted's multiplexed socket at PATH (sc_remoted -M).
        Returns the vantage points connected now (after sc_remoted's GO);
        later ones arrive as VpEvents (vp_events())."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
        except OSError as e:
            s.close()
            raise ConnectionLost("cannot connect: %s" % e.strerror,
                                 vp=path) from None
        m = _MuxConn(self, s, path)
        self._muxes.append(m)
        deadline = time.monotonic() + timeout
        while not m.go and not m.closed:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConnectionLost("no GO from sc_remoted in %.0f s"
                                     % timeout, vp=path)
            self._io(left)
        self._raise_socket_errors()
        return list(m.vps.values())

    def vps(self):
        """Every vantage point still here."""
        return [v for v in self._vps.values() if v.alive]

    def vp(self, name):
        """The vantage point called NAME (or whose name starts NAME-)."""
        if name in self._vps:
            return self._vps[name]
        for v in self._vps.values():
            if v.alive and (v.name.startswith(name + "-") or
                            v.attrs.get("name") == name):
                return v
        raise KeyError("no vantage point '%s'" % name)

    def vp_events(self):
        """VpEvents since the last call (arrived, updated, departed)."""
        out = list(self._vp_events)
        self._vp_events.clear()
        return out

    def _vp_add(self, vp):
        self._vps[vp.name] = vp
        self._vp_event("arrived", vp)

    def _vp_gone(self, vp):
        # its name is free again: a vantage point that comes back under
        # the same name gets it, not "name#2"
        if self._vps.get(vp.name) is vp:
            del self._vps[vp.name]
        self._vp_event("departed", vp)

    def _vp_event(self, kind, vp):
        self._vp_events.append(VpEvent(kind, vp))

    def _mux_lost(self, m, reason):
        self._errors.append(ConnectionLost(reason, vp=m.name))

    # ---- commands ------------------------------------------------------
    def do(self, command, vp):
        """Queue COMMAND (text, as for scamper -I) on VP (a VantagePoint
        or its name).  Returns the Command; it is sent when scamper asks
        for one (MORE)."""
        if isinstance(vp, str):
            vp = self.vp(vp)
        if not vp.alive:
            raise CommandError("the vantage point has gone", vp=vp,
                               command=command)
        if "\n" in command or not command.strip():
            raise CommandError("a command is one non-empty line", vp=vp,
                               command=command)
        if vp.session is None and vp.kind == "remoted":
            vp.conn.open_channel(vp)
        cmd = Command(command.strip(), vp)
        vp.session.submit(cmd)
        self._pending.add(cmd)
        return cmd

    def halt(self, cmd):
        """Ask scamper to stop CMD; its partial result still comes.
        False if it cannot be halted (not accepted yet, or finished)."""
        s = cmd.vp.session
        return s is not None and s.halt(cmd)

    def done(self, vp=None):
        """Tell VP (every vantage point if None) that no more commands
        follow: its session ends once its results are out."""
        for v in [vp] if vp is not None else list(self._vps.values()):
            if v.session is not None and not v.session.closed:
                v.session.finish()

    @property
    def pending(self):
        """Commands given whose result or error has not come yet."""
        return len(self._pending)

    # ---- I/O -----------------------------------------------------------
    def _post(self, events):
        for e in events:
            cmd = e.command if hasattr(e, "command") else None
            if isinstance(e, CommandError):
                self._pending = {c for c in self._pending
                                 if not c.finished}
            elif cmd is not None and not isinstance(cmd, str):
                self._pending.discard(cmd)
            self._events.append(e)

    def _io(self, timeout):
        for key, mask in self._sel.select(timeout):
            key.data.on_ready(mask)

    def _raise_socket_errors(self):
        if self._errors:
            raise self._errors.pop(0)

    def poll(self, timeout=0.0):
        """Do the I/O that is ready (waiting up to TIMEOUT seconds for
        some) and return the events: Results and CommandErrors."""
        if not self._events:
            self._io(timeout)
        out = list(self._events)
        self._events.clear()
        return out

    def results(self, timeout=None, errors="raise"):
        """Yield Results as they arrive until every command given has its
        result or error.  A failed command raises its CommandError (or,
        with errors="yield", is yielded).  TIMEOUT (seconds, overall)
        raises TimeoutError naming the commands still out."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            while self._events:
                e = self._events.popleft()
                if isinstance(e, ScamperError) and errors == "raise":
                    raise e
                yield e
            self._raise_socket_errors()
            if not self._pending:
                return
            left = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    out = sorted(self._pending, key=lambda c: c.vp.name)
                    raise TimeoutError(
                        "%d command(s) without a result after %s s: %s" % (
                            len(out), timeout, "; ".join(
                                "%s: '%s'" % (c.vp, c.text)
                                for c in out[:5])))
            self._io(left if left is None else min(left, 1.0))

    def wait(self, cmd, timeout=None):
        """Run I/O until CMD finishes; return its Result or raise its
        CommandError.  Other events stay queued for results()/poll()."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not cmd.finished:
            left = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("'%s' on %s: no result after %s s"
                                       % (cmd.text, cmd.vp, timeout))
            self._io(left)
            self._raise_socket_errors()
        if cmd.error is not None:
            raise cmd.error
        return cmd.result

    def close(self):
        """Close every socket (unfinished commands are abandoned)."""
        for v in self._vps.values():
            if v.conn is not None and v.kind != "remoted":
                v.conn.close()
        for m in self._muxes:
            m.close()
        self._sel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
