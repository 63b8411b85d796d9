#!/usr/bin/env bash
# lab_limits.sh SCAMPER HELPER SC_REMOTED SRCDIR: idle and vanishing
# clients do not lock others out (scamper(1) and sc_remoted(1), LIMITS):
# the control socket's per-peer cap (TCP: address; unix: uid), its 10 s
# deadline for a first command and idle clients making way; sc_remoted's
# per-address caps on connections and on sessions waiting to resume.
# The clients are tests/faults/limits_client.py, inside one namespace
# with three addresses.
set -u
scamper=$1 helper=$2 remoted=$3 src=$4
. "$src/tests/lab/lab.sh"
lab_require_root
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
lab_init limits >/dev/null
lab_node a host >/dev/null
for ip in 192.0.2.1 192.0.2.2 192.0.2.3; do
	lab_addr a lo "$ip/32" >/dev/null || exit 1
done
client=$src/tests/faults/limits_client.py
TMP=$LAB_DIR/w
mkdir -m 755 "$TMP" "$TMP/empty" "$TMP/vps"

fails=0 n=0
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
ok() { n=$((n + 1)); echo "ok: $*"; }
# py WHAT ARGS...: run the client, count its lines
py() {
	local what=$1 out rc
	shift
	out=$(lab_exec a timeout 300 python3 "$client" "$@" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	[ $rc -eq 0 ] && ok "$what" || fail "$what (exit $rc)"
}

# ---- the control socket: -P, then -U ----------------------------------
# ctl WHAT -P|-U WHERE: scamper with that control socket, and the client
ctl() {
	local what=$1 opt=$2 where=$3 spid
	lab_exec a env SCAMPER_HELPER_BIN="$helper" \
	    SCAMPER_CHROOT="$TMP/empty" "$scamper" "$opt" "$where" \
	    2>"$TMP/scamper.err" &
	spid=$!
	for _ in $(seq 200); do
		grep -q 'running' "$TMP/scamper.err" 2>/dev/null && break
		[ -S "$where" ] && break
		lab_exec a python3 -c 'import socket,sys; socket.create_connection(("192.0.2.1", 31337), 1).close()' \
		    2>/dev/null && break
		sleep 0.05
	done
	if [ "$opt" = -P ]; then
		py "$what" ctl-tcp 192.0.2.1 31337
	else
		py "$what" ctl-unix 192.0.2.1 "$where"
	fi
	kill -TERM "$spid"
	wait "$spid"
}
ctl "control socket over TCP: per-address cap, deadline, idle clients make way" \
    -P 192.0.2.1:31337
ctl "control socket over unix: per-user cap" -U "$TMP/s.sock"

# ---- sc_remoted ---------------------------------------------------------
lab_exec a "$remoted" -P 192.0.2.1:31338 -U "$TMP/vps" -O debug \
    >"$TMP/remoted.log" 2>&1 &
rpid=$!
for _ in $(seq 200); do
	lab_exec a python3 -c 'import socket; socket.create_connection(("192.0.2.1", 31338), 1).close()' \
	    2>/dev/null && break
	sleep 0.05
done
py "sc_remoted: caps on connections and on sessions waiting to resume" \
    remoted 192.0.2.1 31338 "$TMP/remoted.log"
kill -TERM "$rpid"
wait "$rpid"

echo "lab-limits: $((n - fails))/$n checks passed"
[ "$fails" -eq 0 ]
