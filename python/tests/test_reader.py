"""The file reader: warts and JSON give the same objects; compressed
files; bad input named clearly."""

import bz2
import gzip
import lzma
import os
import shutil
import tempfile
import unittest

import scamper
from tests.common import CORPUS, corpus_pairs, have_lib

LIB = have_lib()


class ReaderTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    @unittest.skipUnless(LIB, "libscamperfile.so.1 not found (set "
                         "SCAMPER_LIBSCAMPERFILE)")
    def test_warts_equals_json_corpus(self):
        n = types = 0
        seen = set()
        for w, j in corpus_pairs():
            a, b = list(scamper.read(w)), list(scamper.read(j))
            self.assertEqual(a, b, os.path.basename(w))
            n += 1
            seen.update(r.type for r in a)
        self.assertGreater(n, 50)
        for t in ("trace", "ping", "tracelb", "dealias", "tbit",
                  "cycle-start", "cycle-stop"):
            self.assertIn(t, seen)

    @unittest.skipUnless(LIB, "libscamperfile not found")
    def test_compressed(self):
        w = os.path.join(CORPUS, "multi.warts")
        j = os.path.join(CORPUS, "multi.json")
        want = list(scamper.read(j))
        self.assertTrue(want)
        for ext, op in (("gz", gzip.open), ("bz2", bz2.open),
                        ("xz", lzma.open)):
            for src in (w, j):
                dst = os.path.join(self.tmp, "f." + ext)
                with open(src, "rb") as f, op(dst, "wb") as g:
                    g.write(f.read())
                self.assertEqual(list(scamper.read(dst)), want,
                                 src + " " + ext)

    def test_types_and_conveniences(self):
        rs = list(scamper.read(os.path.join(CORPUS, "multi.json"),
                               measurements_only=True))
        self.assertTrue(all(r.is_measurement for r in rs))
        tr = [r for r in rs if r.type == "trace"]
        pg = [r for r in rs if r.type == "ping"]
        self.assertTrue(tr and pg)
        self.assertIsInstance(tr[0], scamper.Trace)
        self.assertIsInstance(pg[0], scamper.Ping)
        self.assertEqual(tr[0].dst, tr[0]["dst"])
        self.assertIsInstance(tr[0].hop_addrs(), dict)
        self.assertIsInstance(pg[0].rtts(), list)
        with self.assertRaises(AttributeError):
            tr[0].no_such_member

    def test_bad_json_line_named(self):
        p = os.path.join(self.tmp, "bad.json")
        with open(p, "w") as f:
            f.write('{"type":"ping"}\n\n{"type":\n')
        with self.assertRaises(scamper.FormatError) as e:
            list(scamper.read(p))
        self.assertIn(p, str(e.exception))
        self.assertIn("line 3", str(e.exception))

    def test_not_a_scamper_file(self):
        p = os.path.join(self.tmp, "x.bin")
        with open(p, "wb") as f:
            f.write(b"\x00\x01garbage")
        with self.assertRaises(scamper.FormatError) as e:
            list(scamper.read(p))
        self.assertIn(p, str(e.exception))

    def test_json_without_type(self):
        p = os.path.join(self.tmp, "n.json")
        with open(p, "w") as f:
            f.write('[1, 2]\n')
        with self.assertRaises(scamper.FormatError):
            list(scamper.read(p))

    @unittest.skipUnless(LIB, "libscamperfile not found")
    def test_truncated_warts_named(self):
        src = os.path.join(CORPUS, "multi.warts")
        p = os.path.join(self.tmp, "cut.warts")
        with open(src, "rb") as f:
            data = f.read()
        with open(p, "wb") as f:
            f.write(data[:len(data) - 7])
        with self.assertRaises(scamper.FormatError) as e:
            list(scamper.read(p))
        self.assertIn(p, str(e.exception))
        self.assertIn("offset", str(e.exception))


if __name__ == "__main__":
    unittest.main()
