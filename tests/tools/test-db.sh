#!/bin/bash
# test-db.sh WARTS2JSON HOSTILE_NAMES CORPUS: our JSON lines load into
# databases as they are, one line a row.  Every corpus file goes through
# our sc_warts2json (every JSON record type we write: cycle-start,
# cycle-stop, trace, ping, tracelb, dealias, tbit; neighbourdisc, sting,
# sniff and host records have no JSON form, as in 20211212), and again
# made hostile by hostile_names (list names and hostnames with quotes,
# backslashes, control bytes, invalid UTF-8: json-hostile's name); the
# hostnames must come out of each database as python decodes them (MD5
# of their UTF-8 compared).  Then:
#  * PostgreSQL (Debian's postgresql-15): a cluster of our own in a temp
#    directory, run as nobody, on a Unix socket there only; COPY of every
#    line into a jsonb column; counts per type and a few fields by SQL.
#  * ClickHouse (Debian's clickhouse-server 18.16, which has no JSON
#    column type): a server of our own, as nobody, in a network namespace
#    of its own (unshare -n: its ports are on that namespace's loopback
#    only); INSERT ... FORMAT JSONEachRow of every line into a table of
#    the top-level fields every record has, and of the trace and ping
#    lines into tables of theirs, nested objects skipped
#    (input_format_skip_unknown_fields); counts and fields by SQL.
# Expected values come from python3's json module, which also checks that
# no object has a key twice.  Needs root (runuser, unshare); skips (77)
# saying why without root or the packages.
set -u
w2j=$1 hostile=$2 corpus=$3
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (a cluster run as nobody, a network namespace)"
	exit 77
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
have_pg=0 have_ch=0
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] && command -v psql >/dev/null &&
    have_pg=1
[ -x /usr/sbin/clickhouse-server ] && command -v clickhouse-client \
    >/dev/null && have_ch=1
if [ $have_pg = 0 ] && [ $have_ch = 0 ]; then
	echo "SKIP: neither postgresql nor clickhouse-server is installed" \
	    "(scripts/deps lists them)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scamper-db.XXXXXX") || exit 1
pgdata=$tmp/pg/data
cleanup() {
	local p
	p=$(cat "$tmp/ch/pid" 2>/dev/null) && kill "$p" 2>/dev/null
	if [ -f "$pgdata/postmaster.pid" ]; then
		runuser -u nobody -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate \
		    stop >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
chmod 755 "$tmp"
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# the JSON lines and what the databases must say about them
HEX=61225c620111097f20c3a9ffe2827aeda080e280a8f09f98803c2f7363726970743e
"$hostile" "$HEX" "$tmp/hostile.warts" "$corpus"/*.warts ||
    { echo "FAIL: hostile_names"; exit 1; }
"$w2j" "$corpus"/*.warts "$tmp/hostile.warts" > "$tmp/all.json" 2>/dev/null
chmod 644 "$tmp/all.json"
grep '^{"type":"trace"' "$tmp/all.json" > "$tmp/trace.json"
grep '^{"type":"ping"' "$tmp/all.json" > "$tmp/ping.json"
python3 - "$tmp/all.json" > "$tmp/expect" <<'PY' || { echo "FAIL: JSON"; exit 1; }
import collections, hashlib, json, sys
types = collections.Counter()
names = collections.Counter()
hops = resp = 0
dsts = set()
def once(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key twice: %s" % keys)
    return dict(pairs)
for i, line in enumerate(open(sys.argv[1]), 1):
    try:
        r = json.loads(line, object_pairs_hook=once)
    except ValueError as e:
        sys.exit("line %d: %s" % (i, e))
    types[r["type"]] += 1
    if "dst" in r:
        dsts.add(r["dst"])
    if "hostname" in r:
        names[hashlib.md5(r["hostname"].encode()).hexdigest()] += 1
    if r["type"] == "trace":
        hops += len(r.get("hops", []))
    if r["type"] == "ping":
        resp += len(r.get("responses", []))
for t in sorted(types):
    print("type %s %d" % (t, types[t]))
print("dsts %d" % len(dsts))
print("hops %d" % hops)
print("responses %d" % resp)
for n in sorted(names):
    print("hostname %s %d" % (n, names[n]))
if len(names) < 2:
    sys.exit("no hostile hostname in the JSON")
PY
grep '^type' "$tmp/expect" | sort > "$tmp/types.want"
want() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/expect"; }
# check WHAT GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
echo "corpus: $(wc -l < "$tmp/all.json") JSON lines," \
    "$(wc -l < "$tmp/types.want") record types"
for t in trace ping tracelb dealias tbit cycle-start cycle-stop; do
	grep -q "^type $t " "$tmp/types.want" ||
	    bad "no $t record in the corpus's JSON"
done

pg() {	# pg SQL: one psql run, unaligned rows
	psql -h "$tmp/pg" -U scamper -d postgres -X -q -At -v ON_ERROR_STOP=1 \
	    -c "$1"
}
run_pg() {
	mkdir -p "$tmp/pg" && chown nobody: "$tmp/pg" && chmod 700 "$tmp/pg"
	if ! runuser -u nobody -- "$pgbin/initdb" -D "$pgdata" -A trust \
	    -U scamper -E UTF8 --no-sync >"$tmp/initdb.log" 2>&1; then
		bad "initdb"; cat "$tmp/initdb.log"; return
	fi
	if ! runuser -u nobody -- "$pgbin/pg_ctl" -D "$pgdata" -w -t 60 \
	    -l "$tmp/pg/log" -o "-c listen_addresses='' -k $tmp/pg -c fsync=off" \
	    start >/dev/null; then
		bad "postgres did not start"; cat "$tmp/pg/log"; return
	fi
	pg "CREATE TABLE r (line jsonb NOT NULL)" || { bad "create"; return; }
	# CSV with quote and delimiter bytes JSON never holds: each line is
	# one field, taken as it is (text COPY would undo backslashes)
	if ! pg "COPY r FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01',
	    DELIMITER E'\\x02')" < "$tmp/all.json"; then
		bad "PostgreSQL COPY of the JSON lines"; return
	fi
	pg "SELECT 'type', line->>'type', count(*) FROM r GROUP BY 2 ORDER BY 2" |
	    tr '|' ' ' | sort > "$tmp/types.pg"
	if cmp -s "$tmp/types.pg" "$tmp/types.want"; then ok; else
		bad "PostgreSQL: rows per type"
		diff "$tmp/types.want" "$tmp/types.pg"
	fi
	check "PostgreSQL: destinations" \
	    "$(pg "SELECT count(DISTINCT line->>'dst') FROM r")" "$(want dsts)"
	check "PostgreSQL: trace hops" "$(pg "SELECT sum(jsonb_array_length(
	    line->'hops')) FROM r WHERE line->>'type' = 'trace' AND
	    line ? 'hops'")" "$(want hops)"
	check "PostgreSQL: ping responses" "$(pg "SELECT coalesce(sum(
	    jsonb_array_length(line->'responses')), 0) FROM r WHERE
	    line->>'type' = 'ping' AND line ? 'responses'")" "$(want responses)"
	check "PostgreSQL: a trace's fields" "$(pg "SELECT count(*) FROM r
	    WHERE line->>'type' = 'trace' AND line->>'dst' = '198.18.6.2'
	    AND (line->'start'->>'sec')::bigint > 1700000000
	    AND (line->>'hop_count')::int >= 1")" \
	    "$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1])
	    for r in [json.loads(l)] if r["dst"] == "198.18.6.2"
	    and r["start"]["sec"] > 1700000000 and r["hop_count"] >= 1))' \
	    "$tmp/trace.json")"
	pg "SELECT 'hostname', md5(line->>'hostname'), count(*) FROM r
	    WHERE line ? 'hostname' GROUP BY 2 ORDER BY 2" | tr '|' ' ' \
	    > "$tmp/names.pg"
	if grep '^hostname' "$tmp/expect" | cmp -s - "$tmp/names.pg"; then
		ok; else bad "PostgreSQL: hostnames (hostile ones included)"
		cat "$tmp/names.pg"; fi
	echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'):" \
	    "$(pg "SELECT count(*) FROM r") rows loaded"
}

# ClickHouse, inside a network namespace of its own: db-clickhouse.sh
run_ch() {
	mkdir -p "$tmp/ch" && chown nobody: "$tmp/ch"
	cat > "$tmp/ch/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
 <logger><level>warning</level><log>$tmp/ch/server.log</log>
  <errorlog>$tmp/ch/error.log</errorlog><console>0</console></logger>
 <http_port>8123</http_port>
 <tcp_port>9000</tcp_port>
 <listen_host>127.0.0.1</listen_host>
 <path>$tmp/ch/data/</path>
 <tmp_path>$tmp/ch/tmp/</tmp_path>
 <user_files_path>$tmp/ch/files/</user_files_path>
 <format_schema_path>$tmp/ch/schemas/</format_schema_path>
 <users_config>$tmp/ch/users.xml</users_config>
 <default_profile>default</default_profile>
 <default_database>default</default_database>
 <mark_cache_size>5368709</mark_cache_size>
 <uncompressed_cache_size>5368709</uncompressed_cache_size>
</yandex>
XML
	cat > "$tmp/ch/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
 <profiles><default></default></profiles>
 <users><default><password></password><networks><ip>127.0.0.1</ip>
  </networks><profile>default</profile><quota>default</quota></default>
 </users>
 <quotas><default></default></quotas>
</yandex>
XML
	chmod 644 "$tmp/ch/"*.xml
	unshare -n bash "$(dirname "$0")/db-clickhouse.sh" "$tmp" \
	    > "$tmp/ch/out" 2>&1
	cat "$tmp/ch/out"
	grep -q '^FAIL' "$tmp/ch/out" && fail=$((fail + 1))
	n=$((n + $(grep -c '^ok' "$tmp/ch/out")))
}

SECONDS=0
if [ $have_pg = 1 ]; then run_pg; else
	echo "PostgreSQL: not installed (postgresql), not tested"; fi
echo "PostgreSQL part: ${SECONDS}s"
SECONDS=0
if [ $have_ch = 1 ]; then run_ch; else
	echo "ClickHouse: not installed (clickhouse-server), not tested"; fi
echo "ClickHouse part: ${SECONDS}s"
echo "databases: $n checks, $fail failed"
[ $fail = 0 ]
