#!/bin/bash
# db-clickhouse.sh TMP: test-db.sh's ClickHouse part, run in a network
# namespace of its own (unshare -n), so the server's fixed ports are on
# that namespace's loopback only.  TMP holds all.json, trace.json,
# ping.json, expect and ch/{config,users}.xml; the server's pid goes to
# TMP/ch/pid.  Talks to the server over its HTTP port from one python3
# (clickhouse-client takes a second or more to start on a loaded
# machine).  Prints "ok ..." or "FAIL: ..." lines.
set -u
tmp=$1
ip link set lo up || { echo "FAIL: no loopback in the namespace"; exit 1; }
runuser -u nobody -- /usr/sbin/clickhouse-server \
    --config-file="$tmp/ch/config.xml" >/dev/null 2>&1 &
srv=$!
echo $srv > "$tmp/ch/pid"
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT
python3 - "$tmp" $srv <<'PY'
import json, os, sys, time, urllib.error, urllib.parse, urllib.request
tmp, srv = sys.argv[1], int(sys.argv[2])
URL = "http://127.0.0.1:8123/"

def q(sql, data=None, **settings):
    """Run SQL (DATA: the INSERT's rows); the answer's text."""
    params = dict(settings, query=sql)
    if data is None:
        url, body = URL, sql.encode()
        params.pop("query")
    else:
        body = data
    url = URL + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, data=body, timeout=60) as r:
        return r.read().decode().strip()

def alive():
    try:
        os.kill(srv, 0)
        return True
    except OSError:
        return False

for _ in range(240):			# a minute on a loaded machine
    try:
        q("SELECT 1")
        break
    except (urllib.error.URLError, ConnectionError, OSError):
        if not alive():
            break
        time.sleep(0.25)
else:
    pass
try:
    q("SELECT 1")
except Exception:
    print("FAIL: clickhouse-server did not start")
    try:
        print(open(tmp + "/ch/error.log").read()[-800:])
    except OSError:
        pass
    sys.exit(1)

fails = 0
def check(what, got, want):
    global fails
    if str(got) == str(want):
        print("ok", what)
    else:
        fails += 1
        print("FAIL: ClickHouse: %s: got %r, want %r" % (what, got, want))

for sql in [
    "CREATE TABLE rec (type String, version String, src String, "
    "dst String, method String, hostname String) ENGINE = Log",
    "CREATE TABLE trace (dst String, userid UInt32, method String, "
    "stop_reason String, hop_count UInt16, firsthop UInt8, "
    "probe_count UInt16, attempts UInt8, sport UInt16, dport UInt16) "
    "ENGINE = Log",
    "CREATE TABLE ping (dst String, userid UInt32, method String, "
    "ping_sent UInt16, probe_size UInt16, ttl UInt8, wait Float64) "
    "ENGINE = Log"]:
    q(sql)
for table, name in [("rec", "all"), ("trace", "trace"), ("ping", "ping")]:
    data = open("%s/%s.json" % (tmp, name), "rb").read()
    try:
        q("INSERT INTO %s FORMAT JSONEachRow" % table, data,
          input_format_skip_unknown_fields=1)
        print("ok load", table)
    except urllib.error.HTTPError as e:
        fails += 1
        print("FAIL: ClickHouse: INSERT FORMAT JSONEachRow into %s: %s"
              % (table, e.read().decode()[:500]))

def rows(name):
    return [json.loads(l) for l in open("%s/%s.json" % (tmp, name))]
every, traces, pings = rows("all"), rows("trace"), rows("ping")
types = {}
for r in every:
    types[r["type"]] = types.get(r["type"], 0) + 1
got = q("SELECT type, count() FROM rec GROUP BY type ORDER BY type "
        "FORMAT TSV")
check("rows per type", got, "\n".join("%s\t%d" % (t, types[t])
                                      for t in sorted(types)))
check("destinations", q("SELECT uniqExact(dst) FROM rec WHERE dst != ''"),
      len({r["dst"] for r in every if "dst" in r}))
check("trace rows", q("SELECT count() FROM trace"), len(traces))
check("trace hop counts", q("SELECT sum(hop_count) FROM trace"),
      sum(r["hop_count"] for r in traces))
check("traces completed to 198.18.6.2",
      q("SELECT count() FROM trace WHERE stop_reason = 'COMPLETED' "
        "AND dst = '198.18.6.2'"),
      sum(1 for r in traces if r["stop_reason"] == "COMPLETED"
          and r["dst"] == "198.18.6.2"))
check("ping probes sent", q("SELECT sum(ping_sent) FROM ping"),
      sum(r["ping_sent"] for r in pings))
check("ping userids", q("SELECT sum(userid) FROM ping"),
      sum(r["userid"] for r in pings))
want = "\n".join("%s\t%s" % (l.split()[1], l.split()[2])
                 for l in open(tmp + "/expect") if l.startswith("hostname"))
check("hostnames (hostile ones included)",
      q("SELECT lower(hex(MD5(hostname))) AS h, count() FROM rec "
        "WHERE type IN ('cycle-start', 'cycle-stop') GROUP BY h ORDER BY h "
        "FORMAT TSV"), want)
print("ClickHouse %s: %s rows loaded" % (q("SELECT version()"),
                                         q("SELECT count() FROM rec")))
sys.exit(1 if fails else 0)
PY
