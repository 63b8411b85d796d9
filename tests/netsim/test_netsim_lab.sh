#!/usr/bin/env bash
# test_netsim_lab.sh NETSIM_BIN: sc_netsim on a real TUN device.
#   - it refuses a namespace that has a default route;
#   - ping and ping -6 get echo replies through tests/lab/netsim.sh;
#   - path MTU: a DF probe too big for a site's link gets fragmentation
#     needed with MTU 1400, and the black-hole site answers nothing;
#   - SIGUSR1 prints the counters, which add up;
#   - --reply-truth has a line per reply sent, each named by its probe
#     and never sent before its designed time (no timing is asserted);
#   - --poll-us (io_uring and epoll) answers a trace hop for hop as
#     without it, polls while packets come, and stops polling when they
#     stop (its poll counter still over an idle half second).
# Suite 'lab' (root, network namespaces); skips (77) without them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
. "$here/../lab/netsim.sh"
NETSIM_BIN=${1:?usage: test_netsim_lab.sh NETSIM_BIN}
lab_require_root
fail=0
check() {	# check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

lab_init nslab

# 1. a namespace with a default route is refused
lab_node a host || exit 1
lab_node b router || exit 1
lab_link a b 192.0.2.10/24 192.0.2.11/24 >/dev/null || exit 1
lab_route a default via 192.0.2.11 || exit 1
out=$(lab_exec a timeout 10 "$NETSIM_BIN" -d nsx0 2>&1)
rc=$?
echo "$out" | sed 's/^/  /'
check "refuses a namespace with a default route" \
    test "$rc" = 1 -a -n "$(echo "$out" | grep 'refusing to run.*default route')"

# 2. echo replies over IPv4 and IPv6
lab_node vp host || exit 1
netsim_start vp -s 3 -P silent=0 --reply-truth "$LAB_DIR/replies.json" ||
    exit 1
dst4=198.18.0.7 dst6=2001:2::7
check "ping $dst4" lab_exec vp ping -c 2 -W 2 -q $dst4
check "ping -6 $dst6" lab_exec vp ping -6 -c 2 -W 2 -q $dst6

# 3. path MTU: site 1 sits behind an MTU of 1400, site 2's router never
#    says so (see sc_netsim(1), THE GENERATED TOPOLOGY)
out=$(lab_exec vp ping -M do -s 1472 -c 2 -W 2 198.18.1.7 2>&1)
echo "$out" | sed 's/^/  /' | head -4
check "fragmentation needed, MTU 1400" \
    test -n "$(echo "$out" | grep -i 'mtu.*1400\|1400.*mtu')"
lab_exec vp ping -M do -s 1472 -c 1 -W 1 -q 198.18.2.7 >/dev/null 2>&1
lab_exec vp ping -M do -s 1300 -c 1 -W 2 -q 198.18.1.7 >/dev/null 2>&1
check "a smaller probe gets through" test $? = 0

# 4. counters
c=$(netsim_counters | head -1)
echo "  $c"
get() { echo "$c" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
check "counted too-big replies" test "$(get out_too_big)" -ge 1
check "counted the black hole" test "$(get drop_pmtud_blackhole)" -ge 1
check "counted echo replies" test "$(get out_echo_reply)" -ge 4
check "in = v4 + v6" test "$(get in_pkts)" = $(( $(get in_v4) + $(get in_v6) ))
check "nothing malformed" test "$(get drop_malformed)" = 0
c=$(netsim_counters | tail -1)
echo "  $c"
check "lateness counted per reply, none early" \
    test "$(get late_n)" -ge 4 -a "$(get late_early)" = 0
check "a --reply-truth line per reply counted" \
    test "$(grep -c '"type":"reply"' "$LAB_DIR/replies.json")" = "$(get late_n)"
check "--reply-truth names the echo replies, none early" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
echo = [o for o in r if o["src"] == o["probe_dst"] == "198.18.0.7"]
sys.exit(not (len(echo) >= 2 and all(o["late_ns"] >= 0 and
    o["delay_ns"] >= 0 and o["probe_ttl"] > 0 for o in r)))
' "$LAB_DIR/replies.json"
# the lines are formatted by hand (run_late.c): the same keys on every
# line, and addresses written as inet_ntop(3) would, IPv4 and IPv6
check "--reply-truth lines well formed, IPv4 and IPv6" python3 -c '
import ipaddress, json, sys
keys = {"type", "src", "probe_dst", "probe_ttl", "read_ns", "delay_ns",
        "late_ns"}
r = [json.loads(l) for l in open(sys.argv[1])]
ok = all(set(o) == keys and o["type"] == "reply" and
         all(str(ipaddress.ip_address(o[k])) == o[k]
             for k in ("src", "probe_dst")) and
         all(isinstance(o[k], int) for k in keys - {"type", "src",
                                                    "probe_dst"})
         for o in r)
v6 = [o for o in r if o["src"] == o["probe_dst"] == "2001:2::7"]
sys.exit(not (ok and len(v6) >= 2))
' "$LAB_DIR/replies.json"
netsim_stop
check "final counters on exit" \
    test "$(grep -c 'sc_netsim: in_pkts=' "$NETSIM_LOG")" -ge 2

# 5. --poll-us: the same trace, hop for hop, with and without it
hops() {	# the trace's hop addresses (its RTTs vary with the jitter)
	lab_exec vp timeout 60 scamper -c "trace -P icmp-paris -q 1 -w 2" \
	    -i 198.18.3.9 -O text 2>/dev/null | awk 'NR > 1 { print $1, $2 }'
}
# one path per destination (no load balancers, whose branch depends on
# the prober's flow identifier), no rate limits
fixed="-P lb=0 -P lb-nested=0 -P lb-per-packet=0 -P ratelimit=0"
# shellcheck disable=SC2086  # $fixed: several words
if command -v scamper >/dev/null 2>&1; then
	netsim_start vp -s 3 $fixed || exit 1
	want=$(hops)
	netsim_stop
	echo "$want" | sed 's/^/  /'
	for io in uring epoll; do
		netsim_start vp -s 3 $fixed --io $io --poll-us 300 ||
		    exit 1
		got=$(hops)
		check "--io $io --poll-us 300: the trace as without" \
		    test -n "$want" -a "$got" = "$want"
		sleep 0.5
		c=$(netsim_counters | sed -n 2p)
		p0=$(get loop_polls)
		check "--io $io --poll-us 300: polled" test "$p0" -ge 1
		sleep 0.5
		c=$(netsim_counters | sed -n 2p)
		echo "  $c"
		check "--io $io --poll-us 300: no polling while idle" \
		    test "$(get loop_polls)" = "$p0"
		netsim_stop
	done
	# the plain reads of kernels before 6.7 (no multishot read)
	SC_NETSIM_PLAIN_READS=1 netsim_start vp -s 3 -v $fixed --io uring ||
	    exit 1
	got=$(hops)
	check "io_uring's plain reads: the trace as with the multishot read" \
	    test -n "$want" -a "$got" = "$want"
	check "io_uring's plain reads: used" \
	    grep -q 'SC_NETSIM_PLAIN_READS: using' "$NETSIM_LOG"
	netsim_stop
	out=$(lab_exec vp "$NETSIM_BIN" --poll-us 100001 -d nsx1 2>&1)
	check "--poll-us out of range refused, named" \
	    test -n "$(echo "$out" | grep -- '--poll-us 100001: expected')"
else
	echo "skip: --poll-us (no scamper to trace with)"
fi
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
