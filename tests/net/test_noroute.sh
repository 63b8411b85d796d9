#!/usr/bin/env bash
# test_noroute.sh SCAMPER HELPER SC_ATTACH: measurements of a target the
# prober has no route to (203.0.113.9, 2001:db8:ff::9 from h1 of a
# two-host lab) are never lost.  With -I, and over the control socket
# in attach mode (which said "OK id-N" and then nothing, leaving a
# driver waiting), each ping and trace ends with its record: a ping with
# no probe sent, a trace stopped with ERROR, from the unspecified
# address; the reason is logged.  Debian's scamper writes no record
# here (README: differences).  Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
attach=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
lab_two_hosts noroute || exit 1
lab_checks
port=$((20000 + $$ % 20000))
cmds=("ping -c 2 203.0.113.9" "trace -w 1 203.0.113.9"
    "ping -c 2 2001:db8:ff::9" "trace -w 1 2001:db8:ff::9")

# check NAME FILE: FILE (JSON lines) holds the four records, each as
# an unrouted measurement ends
check() {
	if python3 - "$2" <<'PY'; then
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])
        if l.startswith('{"type":"ping"') or l.startswith('{"type":"trace"')]
got = sorted((r["type"], r["dst"]) for r in recs)
want = sorted([("ping", "203.0.113.9"), ("trace", "203.0.113.9"),
               ("ping", "2001:db8:ff::9"), ("trace", "2001:db8:ff::9")])
assert got == want, got
for r in recs:
    assert r["src"] in ("0.0.0.0", "::"), r
    if r["type"] == "ping":
        assert r["ping_sent"] == 0 and r["statistics"]["replies"] == 0, r
    else:
        assert r["stop_reason"] == "ERROR" and r["hop_count"] == 0, r
PY
		ok "$1: four records, pings with none sent, traces stopped with ERROR"
	else
		bad "$1: $(head -c 600 "$2")"
	fi
}

args=()
for c in "${cmds[@]}"; do args+=(-I "$c"); done
lab_exec h1 timeout 60 "$scamper" -O json "${args[@]}" >"$tmp/i.json" \
    2>"$tmp/i.err"
check "-I" "$tmp/i.json"
n=$(grep -c "no route to the target" "$tmp/i.err")
[ "$n" = 4 ] && ok "-I: each logged 'no route to the target'" ||
    bad "-I: $n reasons logged: $(head -c 300 "$tmp/i.err")"

# the control socket, attach mode, by our sc_attach
printf '%s\n' "${cmds[@]}" >"$tmp/cmds"
lab_bg h1 "$scamper" -P "$port" >/dev/null
for i in $(seq 50); do
	lab_exec h1 python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
	sleep 0.2
done
lab_exec h1 timeout 60 "$attach" -j -p "$port" -i "$tmp/cmds" \
    -o "$tmp/a.json" >/dev/null 2>"$tmp/a.err"
rc=$?
[ $rc = 0 ] && ok "sc_attach ended (exit 0)" ||
    bad "sc_attach: exit $rc: $(head -c 300 "$tmp/a.err")"
check "control socket" "$tmp/a.json"
lab_checks_end
