#!/usr/bin/env bash
# test_ctl.sh SCAMPER HELPER SC_ATTACH CLIENT: our scamper's control
# socket in a lab namespace (loopback targets, plus 198.51.100.0/24 routed
# to a host that drops it, for measurements that take a while):
# every interactive command's reply including errors; attach mode (MORE,
# OK id-N, ERR, halt, done, DATA decoded to JSON); -U (mode 0600, stale
# socket replaced); -D with -e; many clients; a client that stops
# reading; clients leaving mid-measurement; junk input; shutdown
# done/flush/now/cancel.  Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN sc_attach client" "$@"
lab_require_root
lab_require_cmd python3
lab_two_hosts ctl "route h1 198.51.100.0/24 via 192.0.2.2" || exit 1
W2J=sc_warts2json
command -v $W2J >/dev/null || W2J=$(dirname "$sc_attach")/../warts/sc_warts2json

lab_checks tap
py() { lab_exec h1 timeout 300 python3 "$client" "$@"; }

# start_ours NAME ARGS...: our scamper as a daemon, pid in $tmp/NAME.pid
start_ours() {
	local name=$1
	shift
	lab_exec h1 "$scamper" -D -e "$tmp/$name.pid" -d "$tmp/$name.log" "$@" ||
	    { bad "start scamper $*: $(cat "$tmp/$name.log" 2>/dev/null)"; return 1; }
	for _ in $(seq 50); do
		[ -s "$tmp/$name.pid" ] && break
		sleep 0.1
	done
	lab_atexit "kill $(cat "$tmp/$name.pid") 2>/dev/null"
}
stop_ours() { kill "$(cat "$tmp/$1.pid")" 2>/dev/null; }
alive() { kill -0 "$(cat "$tmp/$1.pid")" 2>/dev/null; }
# expect DESCRIPTION INPUT EXPECTED: the transcript of INPUT (masked)
expect() {
	local out
	out=$(printf '%s\n' "$2" | py "$A" transcript | grep -v '^ok - ' |
	    sed -E 's/^OK pid [0-9]+$/OK pid N/; s/^OK sport [0-9]+$/OK sport N/;
	    s/^OK version [0-9]+$/OK version V/')
	if [ "$out" = "$3" ]; then ok "$1"; else
		bad "$1"; diff <(echo "$3") <(echo "$out") | sed 's/^/#   /'
	fi
}

A=31337
start_ours p -P $A -p 10000 || exit 1
pid=$(cat "$tmp/p.pid")

# ---- interactive commands ----
expect "get" "get version
get pps
get window
get monitorname
get command
get pid
get sport
get holdtime
get nameserver
GET PPS
get
get foo
exit" "OK version V
OK pps 10000
OK window 0/0
OK null monitorname
OK command trace
OK pid N
OK sport N
OK holdtime 0
OK null nameserver
OK pps 10000
ERR usage: get [command | holdtime | monitorname | nameserver | pid | pps | sport | version | window]
ERR unhandled get command 'foo'"

expect "set" "set pps 500
get pps
set pps
set pps x
set pps 0
set pps 10001
set window 5
get window
set window 70000
set window
set window 0
set holdtime 3
get holdtime
set holdtime 256
set monitorname mon1
get monitorname
set monitorname
set command ping -c 2
get command
set command bogus
set command host
set command
set command trace
set
set foo
set pps 10000
exit" "OK pps 500
OK pps 500
ERR set pps requires argument
ERR set pps argument is not an integer
ERR pps: 0 out of range (1, 10000)
ERR pps: 10001 out of range (1, 10000)
OK window 5
OK window 0/5
ERR window: 70000 out of range (0, 65535)
ERR set window requires argument
OK window 0
OK holdtime 3
OK holdtime 3
ERR holdtime: 256 out of range (0, 255)
OK
OK monitorname mon1
ERR could not set monitorname
OK
OK command ping -c 2
ERR could not set command: unknown method 'bogus'
ERR could not set command: host: not implemented yet
ERR could not set command
OK
ERR usage: set [command | holdtime | monitorname | pps | window]
ERR unhandled set command 'foo'
OK pps 10000"

expect "outfile, observe, help, unknown" "outfile list
outfile
outfile foo
outfile open
outfile open name x
outfile open name x file /tmp/x mode sideways
outfile open name x file /tmp/x mode append
outfile open name - file /tmp/x mode append
outfile close
outfile close nope
outfile close -
outfile swap a
outfile swap - nope
observe
observe foo
observe sources
help
frobnicate
lss-clear x

exit" "INFO '-' file '-' refcnt 1
OK
ERR usage: outfile [close | list | open | swap]
ERR unhandled outfile command 'foo'
ERR usage: outfile open name <alias> file <path> mode <truncate|append>
ERR usage: outfile open name <alias> file <path> mode <truncate|append>
ERR mode must be truncate or append
ERR could not add outfile: file commands are off on a TCP control socket (scamper -O tcp-files allows them)
ERR could not add outfile: '-' exists
ERR usage: outfile close <alias>
ERR unknown outfile 'nope'
ERR could not drop outfile: refcnt 2
ERR usage outfile swap <alias 1> <alias 2>
ERR unknown outfile 'nope'
ERR usage: observe [sources]
ERR usage: observe [sources]
OK
INFO commands: attach counters exit get help lss-clear observe outfile set shutdown source
OK
ERR unhandled command 'frobnicate'
ERR lss-clear x failed"

expect "shutdown usage" "shutdown
shutdown foo
exit" "ERR usage: [cancel | done | flush | now]
ERR unhandled command 'foo'"

# shutdown done waits for work in progress; cancel keeps scamper running
# (the attached client says when its trace has been taken: the second
# MORE; ctl_client.py's #wait and #touch)
printf '%s\n' attach '#wait MORE' 'trace -w 1 -q 1 -m 3 198.51.100.1' \
    '#wait MORE 2' "#touch $tmp/running" done |
    py "$A" transcript >"$tmp/cancel.out" &
bg=$!
for _ in $(seq 600); do [ -e "$tmp/running" ] && break; sleep 0.05; done
expect "shutdown done, then cancel, while a task runs" "shutdown done
shutdown cancel
exit" "OK
OK"
wait $bg
grep -q '^ok - the server closed' "$tmp/cancel.out" &&
    [ "$(py - decode <"$tmp/cancel.out" | $W2J | grep -c '"type":"trace"')" = 1 ] &&
    ok "the attached client got its trace" || bad "cancel: $(cat "$tmp/cancel.out")"
alive p && ok "shutdown cancel: scamper still runs" || bad "scamper exited after shutdown cancel"

expect "attach parameter errors" "attach format foo
attach priority 0
attach priority x
attach list_id x
attach cycle_id -1
attach foo 1
attach format
exit" "ERR format must be warts or json
ERR invalid priority
ERR invalid priority
ERR invalid list_id
ERR invalid cycle_id
ERR command attach param 'foo' failed
ERR command attach param 'format' failed"

# ---- attach mode ----
out=$(printf '%s\n' attach 'trace -q 1 -m 1 127.0.0.1' 'bogus cmd' \
    'host 127.0.0.1' 'trace -N 127.0.0.1' 'halt 99' \
    halt 'halt x' 'halt 0' 'halt 4294967296' 'ping -c 1 127.0.0.1' \
    127.0.0.1 done | py "$A" transcript)
lines=$(grep -v -e '^ok - ' <<<"$out" | awk '/^DATA /{print "DATA"; skip=1; next}
    skip && /^`$/ {skip=0; next} !skip')
want="OK
OK id-1
ERR command not accepted: bogus: unknown command 'bogus'
ERR command not accepted: host: not implemented yet
ERR command not accepted: trace: -N: unknown option
ERR no task id-99
ERR usage: halt [id]
ERR usage: halt [id]
ERR halt number invalid
ERR halt number invalid
OK id-2
OK id-3
OK"
got=$(grep -v '^DATA$' <<<"$lines" | grep -v '^MORE$')
[ "$got" = "$want" ] && ok "attach replies" ||
    { bad "attach replies"; diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'; }
[ "$(grep -c '^DATA$' <<<"$lines")" = 6 ] &&
    ok "attach: list, cycle start, three results, cycle stop" ||
    bad "attach DATA count: $lines"
py - decode <<<"$out" >"$tmp/a.warts"
$W2J "$tmp/a.warts" >"$tmp/a.json" 2>&1
if grep -q '"type":"cycle-start", "list_name":"127.0.0.1:' "$tmp/a.json" &&
    [ "$(grep -c '"type":"trace"' "$tmp/a.json")" = 2 ] &&
    [ "$(grep -c '"type":"ping"' "$tmp/a.json")" = 1 ] &&
    grep -q '"type":"cycle-stop"' "$tmp/a.json"; then
	ok "attach results decode with $W2J"
else
	bad "attach results: $(cat "$tmp/a.json")"
fi

# MORE: one after attach when nothing else is queued, one per command taken
out=$(printf '%s\n' attach '#wait MORE' 'trace -q 1 -m 1 127.0.0.1' '#wait MORE' \
    done | py "$A" transcript | grep -v '^ok - ' | grep -E '^(OK|MORE)')
[ "$out" = "OK
MORE
OK id-1
MORE
OK" ] && ok "MORE after attach and after each command taken" ||
    bad "MORE sequence: $out"

# JSON: no list record; the cycle start comes first
out=$(printf '%s\n' 'attach format json' 'ping -c 1 127.0.0.1' done |
    py "$A" transcript | grep -v '^ok - ')
if grep -q '^{"type":"cycle-start", "list_name":"127.0.0.1:' <<<"$out" &&
    grep -q '^{"type":"ping"' <<<"$out" && grep -q '^{"type":"cycle-stop"' <<<"$out" &&
    [ "$(grep -c '^DATA ' <<<"$out")" = 3 ]; then
	ok "attach format json"
else
	bad "attach format json: $out"
fi

# halt a running task: its partial result is delivered
# (the MORE after the trace: it was taken to run)
out=$(printf '%s\n' attach '#wait MORE' 'trace -w 1 -q 1 198.51.100.1' '#wait MORE' \
    'halt 1' done |
    py "$A" transcript | grep -v '^ok - ')
if grep -q '^OK halted 1$' <<<"$out" &&
    py - decode <<<"$out" | $W2J | grep -q '"stop_reason":"HALTED"'; then
	ok "halt 1: OK halted 1 and the HALTED trace"
else
	bad "halt: $out"
fi

# our sc_attach and Debian's drive ours
printf '%s\n' 'trace -q 1 -m 1 127.0.0.1' 'ping -c 1 127.0.0.1' >"$tmp/cmds"
if lab_exec h1 "$sc_attach" -p $A -i "$tmp/cmds" -o "$tmp/sa.warts" &&
    [ "$($W2J "$tmp/sa.warts" | grep -c -e '"type":"trace"' -e '"type":"ping"')" = 2 ]; then
	ok "our sc_attach: two results"
else
	bad "our sc_attach"
fi
if lab_exec h1 "$sc_attach" -j -O impatient -p 127.0.0.1:$A -c 'ping -c 1' \
    -i <(printf '127.0.0.1\n127.0.0.1\n127.0.0.1\n') -o - >"$tmp/sa.json" &&
    [ "$(grep -c '"type":"ping"' "$tmp/sa.json")" = 3 ]; then
	ok "our sc_attach -j -O impatient -c: three JSON pings"
else
	bad "our sc_attach -j: $(cat "$tmp/sa.json")"
fi

# ---- sources, observe ----
py "$A" sources && ok "source commands and events" || bad "source commands and events"

# ---- robustness ----
py "$A" junk && ok "junk input" || bad "junk input"
alive p && ok "alive after junk" || bad "scamper died on junk input"
py "$A" many 50 20 'trace -q 1 -m 1 127.0.0.1' && ok "50 clients x 20 traces" ||
    bad "50 clients x 20 traces"
if method_ping=$(printf 'attach\nping -c 1 127.0.0.1\ndone\n' | py "$A" transcript) &&
    ! grep -q 'ERR' <<<"$method_ping"; then
	py "$A" many 100 100 'ping -c 1 -i 0.01 127.0.0.1' &&
	    ok "100 clients x 100 pings" || bad "100 clients x 100 pings"
fi
py "$A" stall 20000 'trace -q 1 -m 1 127.0.0.1' "$pid" &&
    ok "a client that stops reading" || bad "a client that stops reading"
py "$A" disconnect 100 'trace -w 1 -q 1 198.51.100.1' "$pid" &&
    ok "clients leaving mid-measurement" || bad "clients leaving mid-measurement"
alive p && ok "alive after the robustness tests" || bad "scamper died"

# ---- shutdown ----
for mode in done flush now; do
	py "$A" shutdown $mode 'trace -w 1 -q 1 -m 2 198.51.100.1' &&
	    ok "shutdown $mode" || bad "shutdown $mode"
	for _ in $(seq 50); do alive p || break; sleep 0.1; done
	alive p && bad "scamper still runs after shutdown $mode" ||
	    ok "scamper exited after shutdown $mode"
	start_ours p -P $A -p 10000 || exit 1
done

# ---- -U ----
sock=$tmp/ctl.sock
start_ours u -U "$sock" || exit 1
[ "$(stat -c %a "$sock")" = 600 ] && ok "-U socket mode 0600" ||
    bad "-U socket mode $(stat -c %a "$sock")"
out=$(printf 'get pid\nexit\n' | py "$sock" transcript | grep '^OK pid')
[ "$out" = "OK pid $(cat "$tmp/u.pid")" ] && ok "-U get pid matches the -e pid file" ||
    bad "-U get pid: $out vs $(cat "$tmp/u.pid")"
lab_exec h1 "$sc_attach" -U "$sock" -i "$tmp/cmds" -o "$tmp/su.warts" &&
    [ "$($W2J "$tmp/su.warts" | grep -c '"type":"trace"')" = 1 ] &&
    ok "sc_attach over -U" || bad "sc_attach over -U"
stop_ours u
for _ in $(seq 50); do alive u || break; sleep 0.1; done
start_ours u -U "$sock" && out=$(printf 'get version\nexit\n' | py "$sock" transcript) &&
    grep -q '^OK version' <<<"$out" && ok "a stale -U socket is replaced" ||
    bad "stale -U socket"
if lab_exec h1 "$scamper" -D -U "$sock" 2>"$tmp/u2.err"; then
	bad "a second scamper took a -U socket in use"
else
	grep -q 'Address already in use' "$tmp/u2.err" &&
	    ok "a -U socket in use is refused: $(cat "$tmp/u2.err")" ||
	    bad "second -U: $(cat "$tmp/u2.err")"
fi
stop_ours u

lab_checks_end
