"""Prometheus exporter for scamper's counters.

    python3 -m scamper.exporter [-l [ADDR:]PORT] [--once] [-t SECS] SCAMPER...

Each SCAMPER is a control socket: a path (scamper -U) or HOST:PORT
(scamper -P).  For every scrape the exporter connects to each one, sends
"counters" and turns the answer (INFO counter|gauge NAME VALUE lines,
then OK) into the Prometheus text format, one series per scamper under
the label scamper="SCAMPER".  A scamper that cannot be reached gives
scamper_up 0 and an error on stderr; the others are still served.
--once prints one scrape on stdout and exits (0 if every scamper
answered, 1 otherwise).  Standard library only.
"""

import argparse
import http.server
import re
import socket
import sys
import threading

# name -> (help, label of the part after ".", or None)
KNOWN = {
    "probes_sent": ("Probes handed to the kernel, by technique.",
                    "technique"),
    "packets_sent": ("Packets the kernel accepted to send.", None),
    "send_errors": ("Sends the kernel refused.", None),
    "send_waits": ("Times a send buffer was full and the prober waited.",
                   None),
    "replies_received": ("Packets received on the probing sockets.", None),
    "replies_matched": ("Replies that matched a probe of a running task.",
                        None),
    "replies_unmatched": ("Replies that matched no task.", None),
    "replies_malformed": ("Packets received that could not be parsed.",
                          None),
    "tasks_started": ("Measurements started.", None),
    "tasks_done": ("Measurements finished.", None),
    "tasks_running": ("Measurements running now.", None),
    "tasks_queued": ("Measurements parsed and waiting to start.", None),
    "commands_refused": ("Commands refused (bad, not implemented, no "
                         "route).", None),
    "results_written": ("Results written.", None),
    "output_bytes": ("Bytes of results written to files and clients.",
                     None),
    "send_time": ("Probes by where their send time came from.", "source"),
    "kernel_stamps_unused": ("Kernel transmit timestamps not used (the "
                             "datalink's time stood).", None),
    "kernel_stamps_stray": ("Kernel transmit timestamps that matched no "
                            "probe.", None),
    "replies_without_kernel_time": ("Replies that came without a kernel "
                                    "receive timestamp.", None),
    "rtt_negative": ("Replies received before their probe was sent, by "
                     "the clock.", None),
}

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)?$")


class ScrapeError(Exception):
    """A scamper could not be asked, or answered what we cannot read."""


def _connect(target, timeout):
    if "/" in target or ":" not in target:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(target)
        except OSError:
            s.close()
            raise
        return s
    host, _, port = target.rpartition(":")
    if not port.isdigit():
        raise ScrapeError("%s: not a path or HOST:PORT" % target)
    return socket.create_connection((host.strip("[]"), int(port)),
                                    timeout=timeout)


def parse(lines, target="scamper"):
    """The INFO lines of a "counters" answer as [(kind, name, value)];
    raises ScrapeError naming TARGET and the line for anything else."""
    out = []
    for i, line in enumerate(lines, 1):
        w = line.split()
        if (len(w) != 4 or w[0] != "INFO" or w[1] not in
                ("counter", "gauge") or not NAME_RE.match(w[2]) or
                not w[3].isdigit()):
            raise ScrapeError("%s: line %d of the answer: %r" %
                              (target, i, line))
        out.append((w[1], w[2], int(w[3])))
    return out


def scrape(target, timeout=5.0):
    """Ask the scamper at TARGET for its counters: [(kind, name, value)].
    Raises ScrapeError (or OSError) naming TARGET."""
    try:
        s = _connect(target, timeout)
    except OSError as e:
        raise ScrapeError("%s: cannot connect: %s" %
                          (target, e.strerror or e)) from None
    with s:
        try:
            s.sendall(b"counters\n")
            buf, lines = b"", []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    raise ScrapeError("%s: closed before OK" % target)
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    line = line.decode("utf-8", "replace").rstrip("\r")
                    if line == "OK":
                        s.sendall(b"exit\n")
                        return parse(lines, target)
                    if line.startswith("ERR"):
                        raise ScrapeError("%s: %s" % (target, line))
                    lines.append(line)
        except socket.timeout:
            raise ScrapeError("%s: no answer in %.0f s" %
                              (target, timeout)) from None
        except OSError as e:
            raise ScrapeError("%s: %s" % (target, e.strerror or e)) \
                from None


def _esc(v):
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n",
                                                                  "\\n")


def render(results):
    """Prometheus text for RESULTS, [(target, counters or None)]."""
    series = {}         # metric -> (type, help, [(labels, value)])
    up = []
    for target, counters in results:
        up.append(('scamper="%s"' % _esc(target),
                   0 if counters is None else 1))
        for kind, name, value in counters or []:
            base, _, part = name.partition(".")
            helptext, label = KNOWN.get(base, ("scamper counter %s." % base,
                                               "kind"))
            metric = "scamper_" + base + ("_total" if kind == "counter"
                                          else "")
            labels = 'scamper="%s"' % _esc(target)
            if part:
                labels += ',%s="%s"' % (label or "kind", _esc(part))
            ent = series.setdefault(metric, (kind, helptext, []))
            ent[2].append((labels, value))
    out = ["# HELP scamper_up Whether the scamper answered (1) or not (0).",
           "# TYPE scamper_up gauge"]
    out += ["scamper_up{%s} %d" % (lab, v) for lab, v in up]
    for metric in sorted(series):
        kind, helptext, rows = series[metric]
        out.append("# HELP %s %s" % (metric, helptext))
        out.append("# TYPE %s %s" % (metric, kind))
        out += ["%s{%s} %d" % (metric, lab, v) for lab, v in rows]
    return "\n".join(out) + "\n"


def collect(targets, timeout=5.0, errors=None):
    """One scrape of every target: [(target, counters or None)]; each
    failure's message is appended to ERRORS (a list) if given."""
    res = []
    for t in targets:
        try:
            res.append((t, scrape(t, timeout)))
        except ScrapeError as e:
            res.append((t, None))
            if errors is not None:
                errors.append(str(e))
    return res


class _Handler(http.server.BaseHTTPRequestHandler):
    targets = []
    timeout = 5.0

    def do_GET(self):
        if self.path.split("?")[0] not in ("/metrics", "/"):
            self.send_error(404, "only /metrics is here")
            return
        errs = []
        body = render(collect(self.targets, self.timeout, errs)).encode()
        for e in errs:
            sys.stderr.write("scamper-exporter: %s\n" % e)
        self.send_response(200)
        self.send_header("Content-Type",
                         "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def serve(listen, targets, timeout=5.0, ready=None):
    """Serve /metrics on LISTEN ((addr, port)) until interrupted; READY
    (a threading.Event) is set once listening.  Returns the server if
    READY is given (run in a thread by the caller), else never."""
    handler = type("Handler", (_Handler,), {"targets": list(targets),
                                            "timeout": timeout})
    srv = http.server.ThreadingHTTPServer(listen, handler)
    if ready is not None:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        ready.set()
        return srv
    srv.serve_forever()
    return srv


def _listen_arg(v):
    addr, _, port = v.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError("bad port in '%s'" % v)
    return (addr.strip("[]") or "127.0.0.1", int(port))


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python3 -m scamper.exporter",
        description="Serve scamper's counters in the Prometheus text "
                    "format.")
    ap.add_argument("-l", "--listen", type=_listen_arg,
                    default=("127.0.0.1", 9901),
                    help="[ADDR:]PORT to serve /metrics on "
                         "(default 127.0.0.1:9901)")
    ap.add_argument("-t", "--timeout", type=float, default=5.0,
                    help="seconds to wait for each scamper (default 5)")
    ap.add_argument("--once", action="store_true",
                    help="print one scrape on stdout and exit")
    ap.add_argument("scampers", nargs="+", metavar="SCAMPER",
                    help="control socket: a path, or HOST:PORT")
    a = ap.parse_args(argv)
    if a.once:
        errs = []
        sys.stdout.write(render(collect(a.scampers, a.timeout, errs)))
        for e in errs:
            sys.stderr.write("scamper-exporter: %s\n" % e)
        return 1 if errs else 0
    try:
        serve(a.listen, a.scampers, a.timeout)
    except OSError as e:
        sys.stderr.write("scamper-exporter: %s:%d: %s\n" %
                         (a.listen[0], a.listen[1], e.strerror or e))
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
