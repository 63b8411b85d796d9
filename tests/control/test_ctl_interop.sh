#!/usr/bin/env bash
# test_ctl_interop.sh SCAMPER HELPER SC_ATTACH CLIENT: the control socket
# against Debian's scamper 20211212 tools, in a lab namespace: Debian's
# sc_attach drives our scamper (-P and -U, polite and impatient; results
# read by Debian's sc_warts2json); our sc_attach drives Debian's scamper
# (warts and -j JSON); and the attach-mode exchange (OK, MORE, OK id-N,
# DATA) has the same shape from both for the same paced commands.
# Needs root and the scamper package; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN sc_attach client" "$@"
lab_require_root
lab_require_cmd scamper sc_attach sc_warts2json python3
lab_two_hosts -6 ctlx || exit 1
lab_checks tap
py() { lab_exec h1 timeout 120 python3 "$client" "$@"; }
alive() { kill -0 "$(cat "$tmp/$1.pid")" 2>/dev/null; }
start() {	# start NAME BINARY ARGS...
	local name=$1 bin=$2 a prev= want=
	shift 2
	for a in "$@"; do
		case $prev in
		-P)	want=":$a " ;;
		-U)	want=$a ;;
		esac
		prev=$a
	done
	lab_exec h1 "$bin" -D -e "$tmp/$name.pid" "$@" ||
	    { bad "start $bin $*"; return 1; }
	for _ in $(seq 50); do [ -s "$tmp/$name.pid" ] && break; sleep 0.1; done
	lab_atexit "kill $(cat "$tmp/$name.pid") 2>/dev/null"
	# listening? (Debian's may write its pid file first)
	for _ in $(seq 200); do
		lab_exec h1 ss -ltnxH 2>/dev/null | grep -qF -- "$want" && break
		sleep 0.05
	done
}
stop() {	# stop NAME: kill it and wait until it is gone
	local pid
	pid=$(cat "$tmp/$1.pid")
	kill "$pid" 2>/dev/null
	for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
}
# count TYPE FILE: measurements of TYPE Debian's sc_warts2json finds
count() { sc_warts2json "$2" 2>/dev/null | grep -c "^{\"type\":\"$1\""; }

cat >"$tmp/cmds" <<'EOF'
trace -q 1 192.0.2.2
ping -c 2 192.0.2.2
trace -P icmp-paris -q 1 2001:db8:1::2
ping -c 1 2001:db8:1::2
EOF

# ---- Debian's sc_attach drives ours ----
start ours "$scamper" -P 31337 -p 1000 || exit 1
if lab_exec h1 timeout 120 sc_attach -p 31337 -i "$tmp/cmds" -o "$tmp/d1.warts" &&
    [ "$(count trace "$tmp/d1.warts")" = 2 ] && [ "$(count ping "$tmp/d1.warts")" = 2 ] &&
    [ "$(count cycle-start "$tmp/d1.warts")" = 1 ] &&
    [ "$(count cycle-stop "$tmp/d1.warts")" = 1 ]; then
	ok "Debian's sc_attach -p drives ours: 2 traces, 2 pings, one cycle"
else
	bad "Debian's sc_attach -p: $(sc_warts2json "$tmp/d1.warts" 2>&1 | cut -c1-100)"
fi
if sc_warts2json "$tmp/d1.warts" | grep '"type":"trace"' | grep -q '"stop_reason":"COMPLETED"' &&
    sc_warts2json "$tmp/d1.warts" | grep '"type":"ping"' | grep -q '"replies":2'; then
	ok "the traces completed and the pings were answered"
else
	bad "results: $(sc_warts2json "$tmp/d1.warts" 2>&1 | cut -c1-200)"
fi
for i in $(seq 40); do echo 192.0.2.2; done >"$tmp/addrs"
if lab_exec h1 timeout 120 sc_attach -O impatient -c 'ping -c 1' -p 31337 \
    -i "$tmp/addrs" -o "$tmp/d2.warts" && [ "$(count ping "$tmp/d2.warts")" = 40 ]; then
	ok "Debian's sc_attach -O impatient -c: 40 pings"
else
	bad "impatient: $(count ping "$tmp/d2.warts") pings"
fi
kill "$(cat "$tmp/ours.pid")"
start oursu "$scamper" -U "$tmp/s.sock" || exit 1
if lab_exec h1 timeout 120 sc_attach -U "$tmp/s.sock" -i "$tmp/cmds" -o "$tmp/d3.warts" &&
    [ "$(count trace "$tmp/d3.warts")" = 2 ] && [ "$(count ping "$tmp/d3.warts")" = 2 ]; then
	ok "Debian's sc_attach -U drives ours"
else
	bad "Debian's sc_attach -U"
fi
kill "$(cat "$tmp/oursu.pid")"

# ---- our sc_attach drives Debian's ----
start theirs scamper -P 31338 -p 1000 || exit 1
if lab_exec h1 timeout 120 "$sc_attach" -p 31338 -i "$tmp/cmds" -o "$tmp/o1.warts" &&
    [ "$(count trace "$tmp/o1.warts")" = 2 ] && [ "$(count ping "$tmp/o1.warts")" = 2 ]; then
	ok "our sc_attach drives Debian's scamper (warts)"
else
	bad "our sc_attach vs Debian's: $(sc_warts2json "$tmp/o1.warts" 2>&1 | cut -c1-100)"
fi
if lab_exec h1 timeout 120 "$sc_attach" -j -O impatient -c 'ping -c 1' -p 31338 \
    -i "$tmp/addrs" -o "$tmp/o2.json" &&
    [ "$(grep -c '^{"type":"ping"' "$tmp/o2.json")" = 40 ]; then
	ok "our sc_attach -j -O impatient drives Debian's: 40 JSON pings"
else
	bad "our sc_attach -j vs Debian's: $(grep -c ping "$tmp/o2.json")"
fi

# ---- the same exchange from both ----
shape() {	# shape PORT: the line skeleton of a paced attach session
	# (paced by replies, not sleeps: list, cycle and ping make 3 DATA)
	printf '%s\n' attach '#wait MORE' 'ping -c 1 192.0.2.2' '#wait DATA 3' \
	    bogus '#wait ERR' 'halt 99' '#wait ERR 2' done |
	    py "$1" transcript | grep -v '^ok - ' |
	    awk '/^DATA /{print "DATA"; skip=1; next} skip && /^`$/ {skip=0; next} !skip' |
	    sed -E 's/^ERR .*/ERR/'
}
stop theirs
start theirs scamper -P 31338 -p 1000 || exit 1
start ours "$scamper" -P 31337 -p 1000 || exit 1
s_theirs=$(shape 31338)
s_ours=$(shape 31337)
if [ "$s_ours" = "$s_theirs" ]; then
	ok "attach exchange has Debian's shape: $(echo $s_ours)"
else
	bad "attach exchange differs"
	diff <(echo "$s_theirs") <(echo "$s_ours") | sed 's/^/#   /'
fi

lab_checks_end
