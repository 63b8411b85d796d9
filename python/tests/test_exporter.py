"""The Prometheus exporter against fake scampers: what "counters" gives
becomes Prometheus text (and, where promtool is installed, passes
promtool check metrics); a scamper that is not there is scamper_up 0;
a bad answer is named."""

import os
import shutil
import subprocess
import tempfile
import threading
import unittest
import urllib.request

from scamper import exporter
from tests.fake import FakeServer, LineReader

ANSWER = b"""INFO counter probes_sent.trace 12
INFO counter probes_sent.ping 3
INFO counter replies_matched 14
INFO gauge tasks_running 2
INFO counter output_bytes 4096
INFO counter send_time.kernel 15
OK
"""


def answering(answer):
    def script(srv, c):
        r = LineReader(c)
        srv.seen.append(r.line())
        c.sendall(answer)
        srv.seen.append(r.line())
    return script


class ExporterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.path = os.path.join(self.tmp, "sock")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_scrape_and_render(self):
        srv = FakeServer(self.path, answering(ANSWER))
        srv.start()
        missing = os.path.join(self.tmp, "nothing")
        errs = []
        text = exporter.render(exporter.collect([self.path, missing],
                                                2.0, errs))
        srv.join(5)
        self.assertIsNone(srv.error)
        self.assertEqual(srv.seen, ["counters", "exit"])
        self.assertEqual(len(errs), 1)
        self.assertIn(missing, errs[0])
        self.assertIn("cannot connect", errs[0])
        lab = 'scamper="%s"' % self.path
        for line in ['scamper_up{%s} 1' % lab,
                     'scamper_up{scamper="%s"} 0' % missing,
                     'scamper_probes_sent_total{%s,technique="trace"} 12'
                     % lab,
                     'scamper_probes_sent_total{%s,technique="ping"} 3'
                     % lab,
                     '# TYPE scamper_probes_sent_total counter',
                     'scamper_tasks_running{%s} 2' % lab,
                     '# TYPE scamper_tasks_running gauge',
                     'scamper_output_bytes_total{%s} 4096' % lab,
                     'scamper_send_time_total{%s,source="kernel"} 15' % lab]:
            self.assertIn(line, text.splitlines())
        promtool = shutil.which("promtool")
        if promtool:
            p = subprocess.run([promtool, "check", "metrics"],
                               input=text.encode(), capture_output=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_bad_answer_named(self):
        srv = FakeServer(self.path, answering(b"INFO counter x y\nOK\n"))
        srv.start()
        with self.assertRaises(exporter.ScrapeError) as cm:
            exporter.scrape(self.path, 2.0)
        self.assertIn(self.path, str(cm.exception))
        self.assertIn("line 1", str(cm.exception))
        srv.join(5)

    def test_err_answer_named(self):
        srv = FakeServer(self.path,
                         answering(b"ERR unhandled command 'counters'\n"))
        srv.start()
        with self.assertRaises(exporter.ScrapeError) as cm:
            exporter.scrape(self.path, 2.0)
        self.assertIn("unhandled command", str(cm.exception))
        srv.join(5)

    def test_http(self):
        srv = FakeServer(self.path, answering(ANSWER))
        srv.start()
        ready = threading.Event()
        httpd = exporter.serve(("127.0.0.1", 0), [self.path], 2.0, ready)
        try:
            port = httpd.server_address[1]
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics"
                                        % port, timeout=10) as r:
                body = r.read().decode()
                self.assertIn("text/plain", r.headers["Content-Type"])
        finally:
            httpd.shutdown()
            httpd.server_close()
        self.assertIn("scamper_replies_matched_total", body)
        srv.join(5)


if __name__ == "__main__":
    unittest.main()
