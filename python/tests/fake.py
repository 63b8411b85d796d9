"""Fake peers for the controller tests: a scamper control socket and
sc_remoted's multiplexed socket, each a thread running a script against
one client on a unix socket."""

import binascii
import json
import os
import socket
import struct
import threading

from scamper import mux


def uuencode(rec):
    out = b""
    for i in range(0, len(rec), 45):
        out += binascii.b2a_uu(rec[i:i + 45], backtick=True)
    return out + b"`\n"


def data_json(obj):
    p = (json.dumps(obj) + "\n").encode()
    return b"DATA %d\n" % len(p) + p


def data_warts(rec):
    p = uuencode(rec)
    return b"DATA %d\n" % len(p) + p


class LineReader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def line(self):
        while b"\n" not in self.buf:
            d = self.sock.recv(4096)
            if not d:
                return None
            self.buf += d
        l, self.buf = self.buf.split(b"\n", 1)
        return l.decode()


class FakeServer(threading.Thread):
    """Listen on PATH, accept one client, run SCRIPT(sock)."""

    def __init__(self, path, script):
        super().__init__(daemon=True)
        self.path = path
        self.script = script
        self.ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ls.bind(path)
        self.ls.listen(1)
        self.error = None
        self.seen = []

    def run(self):
        try:
            c, _ = self.ls.accept()
            with c:
                self.script(self, c)
        except Exception as e:      # reported by the test
            self.error = e
        finally:
            self.ls.close()


def mux_ctl(t, body=b""):
    return mux.frame(0, struct.pack(">H", t) + body)


def vp_update(vp_id, name, addr):
    body = struct.pack(">I", vp_id)
    body += struct.pack(">H", mux.ATTR_NAME) + name.encode() + b"\0"
    body += struct.pack(">H", mux.ATTR_ADDR) + addr.encode() + b"\0"
    return mux_ctl(mux.VP_UPDATE, body)


class MuxReader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def msg(self):
        while True:
            msgs, rest = mux.split(self.buf)
            if msgs:
                chan, p = msgs[0]
                self.buf = self.buf[8 + len(p):]
                return chan, p
            d = self.sock.recv(4096)
            if not d:
                return None
            self.buf += d
