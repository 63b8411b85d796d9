"""The attached-mode protocol: replies, ids, DATA in JSON and in warts,
matching results to commands, errors that name the vantage point and
the command."""

import os
import unittest

from scamper import reader, warts
from scamper.errors import CommandError, ConnectionLost
from scamper.session import Command, Session, _command_key, uudecode
from tests.common import CORPUS, have_lib
from tests.fake import data_json, data_warts, uuencode

PING = {"type": "ping", "dst": "192.0.2.1", "userid": 0}
TRACE = {"type": "trace", "dst": "192.0.2.9", "userid": 0}


class Sink:
    def __init__(self):
        self.out = b""

    def __call__(self, b):
        self.out += b


class SessionTest(unittest.TestCase):
    def session(self, fmt="json", attach="attach format json"):
        self.sink = Sink()
        return Session("vpA", self.sink, fmt=fmt, attach=attach)

    def test_command_key(self):
        self.assertEqual(_command_key("ping -c 1 -U 7 192.0.2.1"),
                         ("ping", "192.0.2.1", 7))
        self.assertEqual(_command_key("2001:db8::0001"),
                         ("trace", "2001:db8::1", 0))
        self.assertEqual(_command_key('tbit -u "http://x/ y" 192.0.2.3'),
                         ("tbit", "192.0.2.3", 0))

    def test_flow(self):
        s = self.session()
        self.assertEqual(self.sink.out, b"attach format json\n")
        a = Command("ping -c 1 192.0.2.1", "vpA")
        b = Command("trace 192.0.2.9", "vpA")
        c = Command("bogus 192.0.2.1", "vpA")
        for x in (a, b, c):
            s.submit(x)
        self.assertEqual(self.sink.out, b"attach format json\n")
        ev = s.feed(b"OK\nMORE\n" + data_json({"type": "cycle-start"}))
        self.assertEqual(ev, [])
        self.assertTrue(self.sink.out.endswith(b"ping -c 1 192.0.2.1\n"))
        ev = s.feed(b"OK id-1\nMORE\n")
        self.assertEqual(a.id, 1)
        self.assertTrue(self.sink.out.endswith(b"trace 192.0.2.9\n"))
        ev = s.feed(b"OK id-2\nMO")
        ev += s.feed(b"RE\nERR command not accepted\n")
        self.assertEqual(len(ev), 1)
        self.assertIsInstance(ev[0], CommandError)
        self.assertIn("vpA", str(ev[0]))
        self.assertIn("'bogus 192.0.2.1'", str(ev[0]))
        self.assertEqual(c.state, "failed")
        # results in the other order, the trace's payload in two pieces
        d = data_json(TRACE)
        ev = s.feed(d[:10])
        ev += s.feed(d[10:] + data_json(PING))
        self.assertEqual([r.type for r in ev], ["trace", "ping"])
        self.assertIs(ev[0].command, b)
        self.assertIs(ev[1].command, a)
        self.assertEqual(ev[1].vp, "vpA")
        self.assertEqual(s.pending, 0)
        s.finish()
        self.assertTrue(self.sink.out.endswith(b"done\n"))
        self.assertEqual(s.feed(b"OK\n"), [])

    def test_same_type_matched_by_dst_and_userid(self):
        s = self.session(attach=None)
        cmds = [Command("ping -U %d 192.0.2.%d" % (u, d), "vpA")
                for u, d in ((1, 1), (2, 1), (1, 2))]
        for x in cmds:
            s.submit(x)
        for i in range(3):
            s.feed(b"MORE\nOK id-%d\n" % (i + 1))
        ev = s.feed(data_json({"type": "ping", "dst": "192.0.2.2",
                               "userid": 1}) +
                    data_json({"type": "ping", "dst": "192.0.2.1",
                               "userid": 2}) +
                    data_json({"type": "ping", "dst": "192.0.2.1",
                               "userid": 1}))
        self.assertEqual([r.command for r in ev],
                         [cmds[2], cmds[1], cmds[0]])

    def test_lost_fails_what_is_left(self):
        s = self.session(attach=None)
        a = Command("ping 192.0.2.1", "vpA")
        b = Command("ping 192.0.2.2", "vpA")
        s.submit(a)
        s.submit(b)
        s.feed(b"MORE\nOK id-1\n")
        ev = s.lost("connection closed")
        self.assertEqual([e.command for e in ev], [b.text, a.text])
        self.assertTrue(all("vpA" in str(e) for e in ev))
        with self.assertRaises(CommandError):
            s.submit(Command("ping 192.0.2.3", "vpA"))

    def test_bad_data_line(self):
        s = self.session(attach=None)
        with self.assertRaises(ConnectionLost) as e:
            s.feed(b"DATA x\n")
        self.assertIn("vpA", str(e.exception))

    def test_unasked_reply(self):
        s = self.session(attach=None)
        with self.assertRaises(ConnectionLost):
            s.feed(b"OK id-4\n")

    def test_attach_refused(self):
        s = self.session()
        with self.assertRaises(ConnectionLost) as e:
            s.feed(b"ERR format must be warts or json\n")
        self.assertIn("attach refused", str(e.exception))

    def test_uudecode(self):
        for n in (0, 1, 2, 3, 44, 45, 46, 90, 200):
            b = bytes((i * 7) & 0xff for i in range(n))
            self.assertEqual(uudecode(uuencode(b)), b)

    @unittest.skipUnless(have_lib(), "libscamperfile not found")
    def test_warts_stream(self):
        """A corpus file's records as DATA payloads give its JSON."""
        path = os.path.join(CORPUS, "multi.warts")
        with open(path, "rb") as f:
            recs, rest = warts.split_records(f.read())
        self.assertEqual(rest, b"")
        s = Session("vpW", Sink(), fmt="warts", cycles=True)
        want = list(reader.read(os.path.join(CORPUS, "multi.json")))
        got = []
        for t, rec in recs:
            got += s.feed(data_warts(rec))
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
