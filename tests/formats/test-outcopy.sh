#!/usr/bin/env bash
# test-outcopy.sh SCAMPER HELPER SC_ATTACH TOOLSDIR: -O outcopy as Debian's
# scamper 20211212 does it (observed in a lab namespace): a command-line
# run writes each result once to -o, outcopy or not; with a control
# socket, each attached client's results go to the client and, with
# -O outcopy, also to the -o output (which then holds the client's list
# and a cycle definition, no cycle start or stop); without it, none.
# Needs root; skipped while our scamper refuses -O outcopy.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN sc_attach tools" "$@"
. "$here/tap.sh"
two_hosts outcp
# count TYPE FILE: JSON objects of TYPE in warts FILE (0 if no file)
count() {
	[ -f "$2" ] || { echo 0; return; }
	"$tools/sc_warts2json" "$2" 2>/dev/null | grep -c "^{\"type\":\"$1\""
}
# ctl NAME ARGS...: scamper -U on a socket with ARGS while our sc_attach
# runs a trace and a ping through it; then stop scamper
ctl() {
	local name=$1 pid
	shift
	pid=$(lab_bg h1 "$scamper" -U "$tmp/$name.sock" "$@")
	for _ in $(seq 50); do [ -S "$tmp/$name.sock" ] && break; sleep 0.1; done
	lab_exec h1 timeout 60 "$sc_attach" -U "$tmp/$name.sock" \
	    -i "$tmp/cmds" -o "$tmp/$name-client.warts" ||
	    bad "$name: sc_attach failed"
	kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}
printf 'trace -q 1 192.0.2.2\nping -c 1 192.0.2.2\n' > "$tmp/cmds"

# command line: one copy, outcopy or not
lab_exec h1 timeout 60 "$scamper" -O warts -o "$tmp/cl.warts" -O outcopy \
    -I "trace -q 1 192.0.2.2" 2> "$tmp/cl.err"
if grep -q 'outcopy: not implemented' "$tmp/cl.err"; then
	echo "SKIP: this scamper refuses -O outcopy (not wired into control/ yet)"
	exit 77
fi
if [ "$(count trace "$tmp/cl.warts")" = 1 ] &&
    [ "$(count cycle-start "$tmp/cl.warts")" = 1 ] &&
    [ "$(count cycle-stop "$tmp/cl.warts")" = 1 ]; then
	ok "command line: one trace in -o, one cycle"
else
	bad "command line: $("$tools/sc_warts2json" "$tmp/cl.warts" 2>&1 | cut -c1-80)"
fi

# control socket with outcopy: results in both the client's and -o
ctl oc -O warts -o "$tmp/oc.warts" -O outcopy
if [ "$(count trace "$tmp/oc.warts")" = 1 ] &&
    [ "$(count ping "$tmp/oc.warts")" = 1 ] &&
    [ "$(count cycle-start "$tmp/oc.warts")" = 0 ] &&
    "$tools/sc_wartsdump" "$tmp/oc.warts" | grep -q '^cycle def,'; then
	ok "control + outcopy: the trace and ping copied to -o with a cycle def"
else
	bad "control + outcopy: $("$tools/sc_wartsdump" "$tmp/oc.warts" 2>&1 | head -3)"
fi
if [ "$(count trace "$tmp/oc-client.warts")" = 1 ] &&
    [ "$(count ping "$tmp/oc-client.warts")" = 1 ]; then
	ok "control + outcopy: the client still gets its results"
else
	bad "control + outcopy: client file"
fi

# control socket without outcopy: nothing in -o
ctl plain -O warts -o "$tmp/plain.warts"
if [ "$(count trace "$tmp/plain.warts")" = 0 ] &&
    [ "$(count ping "$tmp/plain.warts")" = 0 ] &&
    [ "$(count trace "$tmp/plain-client.warts")" = 1 ]; then
	ok "control without outcopy: results to the client only"
else
	bad "control without outcopy: -o has results"
fi
tap_done
