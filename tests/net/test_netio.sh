#!/usr/bin/env bash
# test_netio.sh NETIO_PROBE: the probe path (pkt_build -> netio_send ->
# raw sockets -> netio receive -> pkt_parse -> match) against real Linux
# routers: time-exceeded quotes, echo replies, port unreachables and TCP
# resets, over IPv4 and IPv6.  Each probe's send time must be the kernel's
# transmit timestamp and come before the reply's kernel receive time.
# Needs root; skipped otherwise.
set -u
probe=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
lab_init netio
lab_build - <<'TOPO' || exit 1
node h1 host
node r1 router
node h2 host
link h1 r1 192.0.2.1/30 192.0.2.2/30 2001:db8:1::1/64 2001:db8:1::2/64
link r1 h2 192.0.2.5/30 192.0.2.6/30 2001:db8:2::1/64 2001:db8:2::2/64
route h1 192.0.2.4/30 via 192.0.2.2
route h1 2001:db8:2::/64 via 2001:db8:1::2
route h2 192.0.2.0/30 via 192.0.2.5
route h2 2001:db8:1::/64 via 2001:db8:2::1
TOPO

fail=0 n=0
# check WANT-REGEX probe args...
check() {
	local want=$1; shift
	local out
	n=$((n + 1))
	out=$(lab_exec h1 "$probe" "$@" 2>&1)
	if ! grep -Eq -- "$want" <<<"$out" ||
	    ! grep -Eq -- '^time tx=kernel rtt_ns=[1-9][0-9]*$' <<<"$out"; then
		echo "FAIL: netio_probe $*: got '$out', want /$want/ and" \
		    "a kernel send time before the reply"
		fail=$((fail + 1))
	else
		echo "ok: netio_probe $*: $(tr '\n' ' ' <<<"$out")"
	fi
}
check '^reply 192\.0\.2\.2 icmp 11 0 qttl 1$' 192.0.2.1 192.0.2.6 1 udp
check '^reply 192\.0\.2\.2 icmp 11 0 qttl 1$' 192.0.2.1 192.0.2.6 1 icmp
check '^reply 192\.0\.2\.2 icmp 11 0 qttl 1$' 192.0.2.1 192.0.2.6 1 tcp
check '^reply 192\.0\.2\.6 icmp 3 3 ' 192.0.2.1 192.0.2.6 64 udp
check '^reply 192\.0\.2\.6 icmp 0 0 ' 192.0.2.1 192.0.2.6 64 icmp
check '^reply 192\.0\.2\.6 tcp 14$' 192.0.2.1 192.0.2.6 64 tcp
check '^reply 2001:db8:1::2 icmp 3 0 qttl 1$' 2001:db8:1::1 2001:db8:2::2 1 udp
check '^reply 2001:db8:1::2 icmp 3 0 qttl 1$' 2001:db8:1::1 2001:db8:2::2 1 icmp
check '^reply 2001:db8:1::2 icmp 3 0 qttl 1$' 2001:db8:1::1 2001:db8:2::2 1 tcp
check '^reply 2001:db8:2::2 icmp 1 4 ' 2001:db8:1::1 2001:db8:2::2 64 udp
check '^reply 2001:db8:2::2 icmp 129 0 ' 2001:db8:1::1 2001:db8:2::2 64 icmp
check '^reply 2001:db8:2::2 tcp 14$' 2001:db8:1::1 2001:db8:2::2 64 tcp
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
