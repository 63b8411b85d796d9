"""The Controller against fake peers: a scamper control socket and
sc_remoted's multiplexed socket with two vantage points, one of which
goes away while a command is out."""

import os
import shutil
import struct
import tempfile
import unittest

import scamper
from scamper import mux
from tests.fake import (FakeServer, LineReader, MuxReader, data_json,
                        mux_ctl, vp_update)


class ControllerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.path = os.path.join(self.tmp, "sock")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_control_socket(self):
        def script(srv, c):
            r = LineReader(c)
            srv.seen.append(r.line())
            c.sendall(b"OK\nMORE\n" + data_json({"type": "cycle-start"}))
            while True:
                l = r.line()
                if l is None:
                    return
                srv.seen.append(l)
                if l.startswith("ping"):
                    c.sendall(b"OK id-1\nMORE\n")
                elif l.startswith("trace"):
                    c.sendall(b"OK id-2\nMORE\n" + data_json(
                        {"type": "trace", "dst": "192.0.2.2"}) + data_json(
                        {"type": "ping", "dst": "192.0.2.1"}))
                elif l == "done":
                    c.sendall(b"OK\n" + data_json({"type": "cycle-stop"}))
                    return
        srv = FakeServer(self.path, script)
        srv.start()
        with scamper.Controller() as ctrl:
            vp = ctrl.add_unix(self.path, name="local")
            a = ctrl.do("ping 192.0.2.1", vp)
            b = vp.do("trace 192.0.2.2")
            got = list(ctrl.results(timeout=10))
            self.assertEqual(sorted(r.type for r in got), ["ping", "trace"])
            self.assertEqual(a.result.type, "ping")
            self.assertEqual(b.result.type, "trace")
            self.assertEqual((a.id, b.id), (1, 2))
            self.assertEqual(got[0].vp, vp)
            ctrl.done(vp)
            while vp.alive:
                ctrl.poll(0.2)
        srv.join(5)
        self.assertIsNone(srv.error)
        self.assertEqual(srv.seen, ["attach format json", "ping 192.0.2.1",
                                    "trace 192.0.2.2", "done"])

    def test_connect_refused_names_socket(self):
        with scamper.Controller() as ctrl:
            with self.assertRaises(scamper.ConnectionLost) as e:
                ctrl.add_unix(self.path)
        self.assertIn(self.path, str(e.exception))

    def test_remoted(self):
        def script(srv, c):
            c.sendall(vp_update(7, "vpA", "192.0.2.5") +
                      vp_update(9, "vpB", "192.0.2.6") + mux_ctl(mux.GO))
            r = MuxReader(c)
            chans = {}
            while True:
                m = r.msg()
                if m is None:
                    return
                chan, p = m
                if chan == 0:
                    t = struct.unpack_from(">H", p)[0]
                    srv.seen.append(p)
                    if t == mux.CHANNEL_OPEN:
                        vp, ch = struct.unpack_from(">II", p, 2)
                        chans[ch] = vp
                        c.sendall(mux.frame(ch, b"MORE\n"))
                    continue
                line = p.decode().strip()
                srv.seen.append((chans[chan], line))
                if chans[chan] == 7:
                    c.sendall(mux.frame(chan, b"OK id-1\nMORE\n" + data_json(
                        {"type": "ping", "dst": "192.0.2.1"})))
                else:
                    # B answers OK, then leaves before its result
                    c.sendall(mux.frame(chan, b"OK id-1\nMORE\n"))
                    c.sendall(mux_ctl(mux.VP_DEPART, struct.pack(">I", 9)))
                    # and comes back under the same name, a new id
                    c.sendall(vp_update(11, "vpB", "192.0.2.7"))
        srv = FakeServer(self.path, script)
        srv.start()
        with scamper.Controller() as ctrl:
            vps = ctrl.add_remoted(self.path)
            self.assertEqual([v.name for v in vps], ["vpA", "vpB"])
            self.assertEqual(vps[0].attrs["address"], "192.0.2.5")
            a = ctrl.do("ping 192.0.2.1", "vpA")
            b = ctrl.do("ping 192.0.2.1", vps[1])
            got = list(ctrl.results(timeout=10, errors="yield"))
            self.assertEqual(len(got), 2)
            for _ in range(100):    # until vpB is back (no timing)
                if len(ctrl.vps()) == 2:
                    break
                ctrl.poll(0.1)
            res = [g for g in got if isinstance(g, scamper.Result)]
            err = [g for g in got if isinstance(g, scamper.CommandError)]
            self.assertEqual(res[0].command, a)
            self.assertEqual(res[0].vp.name, "vpA")
            self.assertIn("vpB", str(err[0]))
            self.assertIn("'ping 192.0.2.1'", str(err[0]))
            self.assertIn("went away", str(err[0]))
            self.assertIs(b.error, err[0])
            ev = ctrl.vp_events()
            self.assertEqual([(e.kind, e.vp.name) for e in ev],
                             [("arrived", "vpA"), ("arrived", "vpB"),
                              ("departed", "vpB"), ("arrived", "vpB")])
            self.assertEqual([v.name for v in ctrl.vps()], ["vpA", "vpB"])
            self.assertEqual(ctrl.vp("vpB").attrs["address"], "192.0.2.7")
            with self.assertRaises(scamper.CommandError):
                ctrl.do("ping 192.0.2.1", vps[1])
        srv.join(5)
        self.assertIsNone(srv.error)

    def test_timeout_names_commands(self):
        def script(srv, c):
            c.sendall(vp_update(1, "slow", "192.0.2.5") + mux_ctl(mux.GO))
            r = MuxReader(c)
            while r.msg() is not None:
                pass
        srv = FakeServer(self.path, script)
        srv.start()
        with scamper.Controller() as ctrl:
            ctrl.add_remoted(self.path)
            ctrl.do("trace 192.0.2.77", "slow")
            with self.assertRaises(TimeoutError) as e:
                list(ctrl.results(timeout=0.3))
            self.assertIn("slow: 'trace 192.0.2.77'", str(e.exception))

    def test_bad_mux_message(self):
        def script(srv, c):
            c.sendall(mux_ctl(77))
            c.recv(10)
        srv = FakeServer(self.path, script)
        srv.start()
        with scamper.Controller() as ctrl:
            with self.assertRaises(scamper.ConnectionLost) as e:
                ctrl.add_remoted(self.path, timeout=5)
            self.assertIn("unknown control message", str(e.exception))


class MuxCodecTest(unittest.TestCase):
    def test_roundtrip(self):
        b = vp_update(3, "n", "2001:db8::1")
        msgs, rest = mux.split(b + b"\0\0")
        self.assertEqual(rest, b"\0\0")
        t, m = mux.decode_ctl(msgs[0][1])
        self.assertEqual((t, m["vp"], m["attrs"]),
                         (mux.VP_UPDATE, 3,
                          {"name": "n", "address": "2001:db8::1"}))

    def test_errors(self):
        for p in (b"\0", b"\0\0\0\0\0\1\0\1abc",
                  struct.pack(">HI", mux.VP_DEPART, 1) + b"x",
                  struct.pack(">H", 99)):
            with self.assertRaises(mux.MuxError):
                mux.decode_ctl(p)
        with self.assertRaises(mux.MuxError):
            mux.split(struct.pack(">II", 1, 1 << 30))


if __name__ == "__main__":
    unittest.main()
