#!/usr/bin/env bash
# test_lab_exporter.sh SCAMPER HELPER: the counters of a real scamper
# through its control socket and the Prometheus exporter.  In a lab (h1
# measures h2): scamper -U, a "ping -c 3" and a "trace" from the Python
# controller, then "python3 -m scamper.exporter --once" on that socket
# and on one that is not there: the text passes "promtool check
# metrics" (prometheus's Debian package; skipped if missing), the ping
# probes are 3, the replies matched, tasks done 2, results' bytes > 0,
# the missing scamper is scamper_up 0 and named on stderr.  The same
# scrape over HTTP.  Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONPATH=$here/../../python
. "$here/../lab/lab.sh"
lab_require_root
lab_two_hosts exp || exit 1
fail=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }

sc=$(lab_bg h1 "$scamper" -U "$tmp/ctl" -d "$tmp/sc.log")
for _ in $(seq 100); do [ -S "$tmp/ctl" ] && break; sleep 0.1; done
[ -S "$tmp/ctl" ] || { bad "scamper -U: no socket"; cat "$tmp/sc.log"; exit 1; }

if lab_exec h1 timeout 120 python3 - "$tmp/ctl" <<'PY'
import sys, scamper
with scamper.Controller() as c:
    vp = c.add_unix(sys.argv[1])
    a = c.do("ping -c 3 -i 0.1 192.0.2.2", vp)
    b = c.do("trace -q 1 192.0.2.2", vp)
    rs = list(c.results(timeout=60))
    ping = [r for r in rs if r.type == "ping"]
    assert len(rs) == 2 and len(ping) == 1 and ping[0].replied == 3, rs
PY
then ok "a ping and a trace through the control socket"
else bad "a ping and a trace through the control socket"; fi

lab_exec h1 timeout 60 python3 -m scamper.exporter --once "$tmp/ctl" \
    "$tmp/none" >"$tmp/m.txt" 2>"$tmp/m.err"
rc=$?
[ $rc = 1 ] && grep -q "$tmp/none: cannot connect" "$tmp/m.err" &&
    ok "a scamper not there: exit 1, named on stderr" ||
    { bad "missing scamper: rc $rc: $(cat "$tmp/m.err")"; }
sed 's/^/#   /' "$tmp/m.txt"
# val METRIC SCAMPER MORE_LABELS: the value of that series
val() { awk -v k="$1{scamper=\"$2\"$3}" '$1 == k { print $2 }' "$tmp/m.txt"; }
L="$tmp/ctl"
check() {	# DESCRIPTION GOT TEST
	if [ -n "$2" ] && eval "$3"; then ok "$1 ($2)"; else bad "$1 (${2:-none})"; fi
}
v=$(val scamper_up "$L" ""); check "scamper_up 1" "$v" '[ "$v" = 1 ]'
v=$(val scamper_up "$tmp/none" ""); check "missing: scamper_up 0" "$v" '[ "$v" = 0 ]'
v=$(val scamper_probes_sent_total "$L" ',technique="ping"')
check "ping probes 3" "$v" '[ "$v" = 3 ]'
v=$(val scamper_probes_sent_total "$L" ',technique="trace"')
check "trace probes >= 1" "$v" '[ "$v" -ge 1 ]'
v=$(val scamper_replies_matched_total "$L" "")
check "replies matched >= 4" "$v" '[ "$v" -ge 4 ]'
v=$(val scamper_tasks_done_total "$L" ""); check "tasks done 2" "$v" '[ "$v" = 2 ]'
v=$(val scamper_tasks_running "$L" ""); check "tasks running 0" "$v" '[ "$v" = 0 ]'
v=$(val scamper_results_written_total "$L" ""); check "results 2" "$v" '[ "$v" = 2 ]'
v=$(val scamper_output_bytes_total "$L" ""); check "output bytes > 0" "$v" '[ "$v" -gt 0 ]'
k=$(val scamper_send_time_total "$L" ',source="kernel"')
b=$(val scamper_send_time_total "$L" ',source="before_send"')
check "send times: kernel + before-send = probes" "$k+$b" \
    '[ -n "$k" ] && [ -n "$b" ] && [ $((k + b)) -ge 4 ]'

if command -v promtool >/dev/null; then
	if out=$(promtool check metrics <"$tmp/m.txt" 2>&1); then
		ok "promtool check metrics"
	else bad "promtool check metrics"; echo "$out" | sed 's/^/#   /'; fi
else
	echo "ok $((n += 1)) - # SKIP promtool missing (apt-get install prometheus)"
fi

# over HTTP, on the lab's loopback (port 0 is not possible on the
# command line: a port inside h1's own namespace, nobody else's)
ex=$(lab_bg h1 python3 -m scamper.exporter -l 127.0.0.1:9901 "$L")
got=
for _ in $(seq 100); do
	got=$(lab_exec h1 python3 -c '
import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:9901/metrics", timeout=5).read().decode())' 2>/dev/null) && break
	sleep 0.1
done
echo "$got" | grep -q '^scamper_probes_sent_total{scamper="'"$L"'",technique="ping"} 3$' &&
    ok "the same over HTTP /metrics" || bad "over HTTP: $(echo "$got" | head -3)"
kill "$ex" "$sc" 2>/dev/null
echo "1..$n"
exit $fail
