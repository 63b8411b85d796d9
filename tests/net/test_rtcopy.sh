#!/usr/bin/env bash
# test_rtcopy.sh SCAMPER HELPER SC_ATTACH: the source address of each
# trace, now mostly from the prober's copy of the routing tables
# (prober/net/rtcopy.c), is what `ip route get` says, and follows the
# routes when they change while the prober runs.  In h1 of a two-host
# lab: routes through two interfaces, one with a preferred source, a
# longer prefix inside a shorter one, local and broadcast destinations
# (the kernel's to answer), IPv6 first with two global addresses (the
# kernel answers) and then with one (the copy does).  Then a daemon
# (-P), asked over the control socket before and after the routes
# change (the packet path's next hops following them), and a policy
# rule (the copy is then not used).  Nothing leaves h1 but towards h2 (traces of one probe,
# -m 1).  Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
attach=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
lab_two_hosts -6 rtcopy || exit 1
lab_checks
X() { lab_exec h1 "$@"; }

# a second way out of h1 (a veth pair inside h1: what goes out of d1
# comes back into d1p, also inside h1) and routes over both
X ip link add d1 type veth peer name d1p &&
X ip link set d1p up && X ip link set d1 up &&
X ip addr add 198.51.100.1/24 dev d1 &&
X ip addr add 192.0.2.77/32 dev lo &&
X ip route add default via 192.0.2.2 &&
X ip route add 203.0.113.0/24 via 198.51.100.2 &&
X ip route add 198.18.0.0/15 via 192.0.2.2 src 192.0.2.77 &&
X ip route add 198.19.5.0/24 via 198.51.100.3 &&
X ip -6 addr add 2001:db8:7::1/64 dev d1 nodad &&
X ip -6 route add 2001:2::/48 via 2001:db8:7::2 &&
X ip -6 route add 2001:db8:9::/48 via 2001:db8:1::2 || {
	bad "lab set-up"; lab_checks_end; exit 1; }

# compare NAME JSON DST...: each DST's trace in JSON has the source
# `ip route get` gives now
compare() {
	local name=$1 json=$2 d want got bad=0
	shift 2
	for d in "$@"; do
		want=$(X ip route get "$d" 2>/dev/null |
		    grep -o 'src [^ ]*' | cut -d' ' -f2)
		got=$(python3 - "$json" "$d" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "trace" and r["dst"] == sys.argv[2]:
        print(r["src"])
PY
)
		if [ -z "$want" ] || [ "$want" != "$got" ]; then
			bad "$name: $d from '$got', the kernel says '$want'"
			bad=1
		fi
	done
	[ $bad = 0 ] && ok "$name: $# sources as the kernel's"
}

# counts LOG: "COPY ASKED" from the debug log's statistics line
counts() {
	sed -n 's/.*routes. copy \([0-9]*\), asked of the kernel \([0-9]*\).*/\1 \2/p' "$1"
}
# nhcounts LOG: the packet path's next hops, "COPY ASKED"
nhcounts() {
	sed -n 's/.*next hops from the copy \([0-9]*\), asked of the kernel \([0-9]*\).*/\1 \2/p' "$1"
}

# waycounts LOG: the packet path's ways out, "ROUTE DESTINATION": from
# a route's shared entry (through a gateway) and from a destination's
# own (on the link, Ethernet)
waycounts() {
	sed -n 's/.*ways out: from a route.s entry \([0-9]*\), from a destination.s \([0-9]*\).*/\1 \2/p' "$1"
}

v4="192.0.2.9 192.0.2.2 198.51.100.20 203.0.113.5 203.0.113.200 198.18.0.1
    198.19.5.9 198.19.6.9 198.18.200.1 192.0.2.77"
v6="2001:db8:1::9 2001:2::5 2001:db8:7::7 2001:db8:9::1"
run() {
	local args=() d
	for d in "$@"; do args+=(-i "$d"); done
	X timeout 60 "$scamper" -O json -O pktsend -c "trace -q 1 -m 1 -w 1" \
	    -d "$tmp/d.log" "${args[@]}" >"$tmp/r.json" 2>"$tmp/r.err"
}

# shellcheck disable=SC2086
run $v4 $v6
compare "-i, two IPv6 globals" "$tmp/r.json" $v4 $v6
c=$(counts "$tmp/d.log")
[ "$c" = "9 5" ] && ok "the copy answered 9 (IPv4 routes), the kernel 5" ||
    bad "copy/asked '$c', wanted '9 5'"
c=$(nhcounts "$tmp/d.log")
[ "${c%% *}" -gt 0 ] 2>/dev/null &&
    ok "the packet path's next hops from the copy: $c (copy, asked)" ||
    bad "packet path next hops copy/asked '$c', wanted some from the copy"
c=$(waycounts "$tmp/d.log")
[ "${c%% *}" -gt 0 ] 2>/dev/null && [ "${c##* }" -gt 0 ] 2>/dev/null &&
    ok "the packet path's ways: $c (a route's, a destination's)" ||
    bad "packet path ways route/destination '$c', wanted some of both"

# one IPv6 global address (2001:db8:1::1 on the link to h2): the copy
# answers for the routes through that interface
X ip -6 addr del 2001:db8:7::1/64 dev d1
v6b="2001:db8:1::9 2001:db8:9::1 2001:db8:9:ff::1"
# shellcheck disable=SC2086
run $v6b
compare "-i, one IPv6 global" "$tmp/r.json" $v6b
c=$(counts "$tmp/d.log")
[ "$c" = "3 0" ] && ok "the copy answered the 3 IPv6 lookups" ||
    bad "copy/asked '$c', wanted '3 0'"

# a daemon: the routes change between two rounds of traces.  A
# neighbour for 198.51.100.2 (nothing answers behind it) lets the packet
# path send on d1: after 203.0.113.0/24 moves to h2, a new destination
# there (h2's 203.0.113.7) answers only if the copy's next hop moved too
X ip neigh replace 198.51.100.2 lladdr 02:00:00:00:00:02 dev d1 \
    nud permanent
lab_exec h2 ip addr add 203.0.113.7/32 dev lo
# (h2 answers d1's source too, so only the next hop decides)
lab_exec h2 ip route add 198.51.100.0/24 via 192.0.2.1
port=$((20000 + $$ % 20000))
lab_bg h1 "$scamper" -O pktsend -P "$port" -d "$tmp/daemon.log" >/dev/null
for i in $(seq 50); do
	X python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
	sleep 0.2
done
round() {
	printf 'trace -q 1 -m 1 -w 1 %s\n' "$@" >"$tmp/cmds"
	X timeout 60 "$attach" -j -p "$port" -i "$tmp/cmds" \
	    -o "$tmp/a.json" >/dev/null 2>"$tmp/a.err"
}
dd="203.0.113.5 198.18.0.1 198.19.5.9 192.0.2.9"
# shellcheck disable=SC2086
round $dd
compare "daemon, before" "$tmp/a.json" $dd
X ip route change 203.0.113.0/24 via 192.0.2.2
X ip route change 198.18.0.0/15 via 198.51.100.2
X ip route del 198.19.5.0/24
X ip addr add 192.0.2.5/30 dev "$(lab_ifname h1 h2)" 2>/dev/null
X ip route change default via 192.0.2.2 src 192.0.2.5
sleep 0.5
# shellcheck disable=SC2086
round $dd 203.0.113.7
compare "daemon, after the routes changed" "$tmp/a.json" $dd 203.0.113.7
if python3 - "$tmp/a.json" 203.0.113.7 <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "trace" and r["dst"] == sys.argv[2]:
        sys.exit(0 if any(h.get("addr") == sys.argv[2]
                          for h in r.get("hops", [])) else 1)
sys.exit(1)
PY
then ok "daemon, after the routes changed: 203.0.113.7 answered (next hop followed)"
else bad "daemon, after the routes changed: no answer from 203.0.113.7 (stale next hop?)"
fi

# a policy rule: the copy steps aside, the kernel answers every lookup
X ip route add 203.0.113.0/24 via 198.51.100.2 table 100
X ip rule add to 203.0.113.0/25 table 100
run 203.0.113.5 203.0.113.200 192.0.2.9
compare "-i, a policy rule" "$tmp/r.json" 203.0.113.5 203.0.113.200 192.0.2.9
c=$(counts "$tmp/d.log")
[ "$c" = "0 3" ] && ok "with a policy rule the kernel answered all 3" ||
    bad "copy/asked '$c', wanted '0 3'"
c=$(nhcounts "$tmp/d.log")
[ "${c%% *}" = 0 ] && ok "with a policy rule no next hop from the copy ($c)" ||
    bad "with a policy rule: next hops copy/asked '$c', wanted none from the copy"
c=$(waycounts "$tmp/d.log")
[ "${c%% *}" = 0 ] && [ "${c##* }" -gt 0 ] 2>/dev/null &&
    ok "with a policy rule every way a destination's ($c)" ||
    bad "with a policy rule: ways route/destination '$c', wanted none of a route's"
lab_checks_end
