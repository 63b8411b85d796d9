#!/usr/bin/env bash
# test_netsim_lab.sh NETSIM_BIN: sc_netsim on a real TUN device.
#   - it refuses a namespace that has a default route;
#   - ping and ping -6 get echo replies through tests/lab/netsim.sh;
#   - path MTU: a DF probe too big for a site's link gets fragmentation
#     needed with MTU 1400, and the black-hole site answers nothing;
#   - SIGUSR1 prints the counters, which add up;
#   - --reply-truth has a line per reply sent, each named by its probe
#     and never sent before its designed time (no timing is asserted).
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
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
