#!/usr/bin/env bash
# tests/lab/test_lab_basic.sh: prove tests/lab/lab.sh on topo-basic.txt.
# iputils ping crosses the lab over IPv4 and IPv6; Debian's scamper
# (/usr/bin/scamper, run only inside h1) traces the expected routers; a
# silent router leaves its hop unanswered; the mtu 1400 link stops a
# 1450-byte DF ping; teardown leaves no namespace; lab_build rejects
# malformed descriptions naming the line.  Needs root (else exit 77).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.sh"
lab_require_root
lab_require_ref
command -v ping >/dev/null || { echo "SKIP: ping missing (iputils-ping)"; exit 77; }

failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
check() {	# check DESCRIPTION CMD...: ok if CMD succeeds; its output as #
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && sed 's/^\(# \)\?/# /' <<<"$out"
	if [ $rc = 0 ]; then ok "$what"; else notok "$what"; fi
}

DST4=203.0.113.1
DST6=2001:db8:ff::1
# expected hops, by TTL; "a|b" allows either ECMP branch
HOPS4=(192.0.2.2 192.0.2.6 "192.0.2.10|192.0.2.14" "192.0.2.18|192.0.2.22"
    192.0.2.26 "$DST4")
HOPS6=(2001:db8:1::2 2001:db8:2::2 "2001:db8:3::2|2001:db8:4::2"
    "2001:db8:5::2|2001:db8:6::2" 2001:db8:7::2 "$DST6")

# trace_hops JSON: print "TTL ADDR" per reply in scamper's json trace
trace_hops() {
	grep '"type":"trace"' <<<"$1" |
	    grep -o '"addr":"[^"]*", "probe_ttl":[0-9]*' |
	    sed 's/"addr":"\([^"]*\)", "probe_ttl":\([0-9]*\)/\2 \1/' |
	    sort -un -k1,1
}

# expect_trace FAMILY DST SILENT_TTL HOPS...: trace from h1, compare hops
expect_trace() {
	local fam=$1 dst=$2 silent=$3 out hops ttl want got rc=0 opts=
	shift 3
	[ "$silent" != 0 ] && opts="-w 1 -q 1"
	out=$(lab_exec h1 "$REF" -O json -I "trace -P icmp-paris $opts $dst" 2>&1)
	if ! grep -q '"stop_reason":"COMPLETED"' <<<"$out"; then
		echo "# IPv$fam trace did not complete:"; sed 's/^/  /' <<<"$out"
		return 1
	fi
	hops=$(trace_hops "$out")
	ttl=0
	for want in "$@"; do
		ttl=$((ttl + 1))
		got=$(awk -v t=$ttl '$1 == t { print $2 }' <<<"$hops")
		if [ "$ttl" = "$silent" ]; then
			[ -z "$got" ] && continue
			echo "# IPv$fam hop $ttl: silent router answered from $got"
			rc=1
		elif [[ "|$want|" != *"|$got|"* ]] || [ -z "$got" ]; then
			echo "# IPv$fam hop $ttl: got '${got:-nothing}', want '$want'"
			rc=1
		fi
	done
	if [ "$(wc -l <<<"$hops")" -ne $(($# - (silent != 0))) ]; then
		echo "# IPv$fam: unexpected hops:"; sed 's/^/  /' <<<"$hops"
		rc=1
	fi
	[ $rc = 0 ] && lab_exec h1 "$REF" -I "trace -P icmp-paris $opts $dst" \
	    2>&1 | sed 's/^/  /'
	return $rc
}

# a 1450-byte DF ping must fail on the mtu 1400 link, saying why
expect_too_big() {
	local out
	out=$(lab_exec h1 ping -c 1 -W 2 -M do -s 1450 "$1" 2>&1) && {
		echo "# 1450-byte DF ping to $1 got through"; return 1; }
	grep -Eiq 'frag needed|packet too big|message too long' <<<"$out" || {
		echo "# no too-big error from ping:"; sed 's/^/  /' <<<"$out"
		return 1; }
	grep -Ei 'frag needed|packet too big|message too long' <<<"$out" |
	    head -1 | sed 's/^/  /'
}

lab_init basic
if ! lab_build "$here/topo-basic.txt"; then
	echo "not ok - lab_build topo-basic.txt"
	exit 1
fi
ok "lab_build topo-basic.txt ($LAB_ID)"

# (a) iputils ping across the lab
check "ping IPv4 h1 -> h2" lab_exec h1 ping -c 2 -W 2 -q "$DST4"
check "ping IPv6 h1 -> h2" lab_exec h1 ping -c 2 -W 2 -q "$DST6"

# (b) Debian's scamper traces the expected routers
check "reference trace icmp-paris IPv4" expect_trace 4 "$DST4" 0 "${HOPS4[@]}"
check "reference trace icmp-paris IPv6" expect_trace 6 "$DST6" 0 "${HOPS6[@]}"

# (d) the mtu 1400 link (ping's first try gets the router's ICMP error,
# later ones the kernel's cached path MTU: both are fine)
check "1450-byte DF ping IPv4 hits mtu 1400" expect_too_big "$DST4"
check "1450-byte DF ping IPv6 hits mtu 1400" expect_too_big "$DST6"
check "1372-byte DF ping IPv4 fits mtu 1400" \
    lab_exec h1 ping -c 1 -W 2 -q -M do -s 1372 "$DST4"

# (c) a silent router is an unanswered hop (r5, hop 5)
check "lab_silent r5" lab_silent r5
check "trace IPv4 with silent r5: hop 5 unanswered" \
    expect_trace 4 "$DST4" 5 "${HOPS4[@]}"
check "trace IPv6 with silent r5: hop 5 unanswered" \
    expect_trace 6 "$DST6" 5 "${HOPS6[@]}"

# lab_bg processes die at teardown
bgpid=$(lab_bg h2 sleep 300)
in_ns() {	# in_ns PID NS: PID gets into NS (it starts in the root one)
	local i
	for i in $(seq 50); do
		[ "$(ip netns identify "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "# pid $1 is in '$(ip netns identify "$1" 2>&1)', not $2"
	return 1
}
check "lab_bg runs in h2" in_ns "$bgpid" "$(lab_ns h2)"

# (e) teardown removes everything, and again is harmless
id=$LAB_ID
lab_teardown
check "no namespace of $id left" \
    bash -c "! ip netns list | grep -q 'sclab-$id-'"
check "lab_bg process $bgpid gone" eval "! _lab_alive $bgpid"
check "lab_teardown twice" lab_teardown

# (f) malformed descriptions: an error naming the line, nothing left over
expect_reject() {	# expect_reject WANT_IN_ERROR DESCRIPTION
	local out id2
	out=$(bash -c '. "$1"; lab_init bad; echo "ID $LAB_ID"
	    lab_build -; echo "rc $?"' _ "$here/lab.sh" <<<"$2" 2>&1)
	id2=$(sed -n 's/^ID //p' <<<"$out")
	if ! grep -q '^rc 1$' <<<"$out"; then
		echo "# not rejected:"; sed 's/^/  /' <<<"$out"; return 1
	fi
	if ! grep -qF -- "$1" <<<"$out"; then
		echo "# error lacks '$1':"; sed 's/^/  /' <<<"$out"; return 1
	fi
	grep '^lab:' <<<"$out" | head -1 | sed 's/^/  /'
	if [ -z "$id2" ] || ip netns list | grep -q "sclab-$id2-"; then
		echo "# namespaces of lab '$id2' left behind"; return 1
	fi
}
good='node a host
node b router
link a b 192.0.2.1/30 192.0.2.2/30'
check "reject unknown statement" expect_reject "stdin:4: unknown statement" \
    "$good
frobnicate a"
check "reject non-documentation address" expect_reject \
    "stdin:3: link address '100.64.0.1/30'" "node a host
node b host
link a b 100.64.0.1/30 100.64.0.2/30"
check "reject undeclared node" expect_reject "stdin:4: unknown node 'c'" \
    "$good
route c 192.0.2.0/24 via 192.0.2.2"
check "reject bad mtu" expect_reject "stdin:3:" \
    "node a host
node b host
link a b 192.0.2.1/30 192.0.2.2/30 mtu lots"
check "reject bad node type" expect_reject "stdin:2: node type" \
    "node a host
node b switch"
check "reject unreachable gateway (after building part)" \
    expect_reject "stdin:4:" "$good
route a 203.0.113.0/24 via 198.51.100.1"

exit $failed
