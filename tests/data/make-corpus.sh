#!/usr/bin/env bash
# make-corpus.sh: regenerate the warts corpus in tests/data with Debian's
# scamper (CAIDA 20211212), run ONLY inside a private lab of network
# namespaces, and store Debian's sc_warts2json output beside each file.
#
# Lab (all addresses from 198.18.0.0/15 and 2001:db8::/32, no route out):
#
#   src --- r1 ===(r2a | r2b)=== r3 --- dst
#   .1.2   .1.1                 .6.1   .6.2      (198.18.N.x / 2001:db8:N::x)
#
# r1 and r3 hold multipath routes over r2a and r2b; the link r3-dst has
# MTU 1400 so PMTUD sees a Packet Too Big.
#
# A small DNS server (tests/lab/dnsd.py, python3) answers for lab.example
# on dst, for the host records.
#
# usage: [ONLY=regex] make-corpus.sh [OUTDIR]   (root; needs scamper, nc,
# ip, python3)
# ONLY limits the run to the files whose names match the regex.
set -euo pipefail
out=$(cd "${1:-$(dirname "$0")}" && pwd)
[ "$(id -u)" = 0 ] || { echo "make-corpus: needs root" >&2; exit 77; }
command -v scamper >/dev/null || { echo "make-corpus: scamper missing" >&2; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)

sfx="c$$"
NS=(src r1 r2a r2b r3 dst)
pids=()
cleanup() {
	for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
	for n in "${NS[@]}"; do ip netns del "$n-$sfx" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
n() { echo "$1-$sfx"; }
x() { local ns=$1; shift; ip netns exec "$(n "$ns")" "$@"; }

for ns in "${NS[@]}"; do
	ip netns add "$(n "$ns")"
	x "$ns" ip link set lo up
	x "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	    net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
	    net.ipv4.icmp_msgs_per_sec=100000 \
	    net.ipv4.fib_multipath_hash_policy=1 \
	    net.ipv6.fib_multipath_hash_policy=1
done

# link A IFA NET HA B IFB HB: veth between namespaces A and B on subnet NET
link() {
	ip link add "$2" netns "$(n "$1")" type veth peer name "$6" netns "$(n "$5")"
	x "$1" ip addr add "198.18.$3.$4/24" dev "$2"
	x "$5" ip addr add "198.18.$3.$7/24" dev "$6"
	x "$1" ip -6 addr add "2001:db8:$3::$4/64" dev "$2" nodad
	x "$5" ip -6 addr add "2001:db8:$3::$7/64" dev "$6" nodad
	x "$1" ip link set "$2" up
	x "$5" ip link set "$6" up
}
link src eth0 1 2 r1 eth0 1
link r1 eth1 2 1 r2a eth0 2
link r1 eth2 3 1 r2b eth0 2
link r2a eth1 4 1 r3 eth0 2
link r2b eth1 5 1 r3 eth1 2
link r3 eth2 6 1 dst eth0 2
x r3 ip link set eth2 mtu 1400
x dst ip link set eth0 mtu 1400

# routes: ECMP on r1 (towards dst) and on r3 (back towards src)
route() {	# route NS PREFIXNET VIA1 [VIA2]   (net numbers; both families)
	local ns=$1 net=$2; shift 2
	local h4=() h6=()
	for via in "$@"; do
		h4+=(nexthop via "198.18.$via"); h6+=(nexthop via "2001:db8:${via/./::}")
	done
	x "$ns" ip route add "198.18.$net.0/24" "${h4[@]}"
	x "$ns" ip -6 route add "2001:db8:$net::/64" "${h6[@]}"
}
x src ip route add default via 198.18.1.1
x src ip -6 route add default via 2001:db8:1::1
x dst ip route add default via 198.18.6.1
x dst ip -6 route add default via 2001:db8:6::1
for net in 4 5 6 9; do route r1 $net 2.2 3.2; done
for net in 1 2 3; do route r3 $net 4.1 5.1; done
route r2a 6 4.2; route r2a 1 2.1; route r2a 5 4.2; route r2a 3 2.1
route r2b 6 5.2; route r2b 1 3.1; route r2b 4 5.2; route r2b 2 3.1
route r2a 9 4.2; route r2b 9 5.2

D4=198.18.6.2 D6=2001:db8:6::2
# TCP listeners on the destination for tcp traces, tcp pings, tbit, sting
# (started by ip netns exec itself, so $! is the server's pid and the
# cleanup ends it)
ip netns exec "$(n dst)" nc -lk 198.18.6.2 80 >/dev/null 2>&1 & pids+=($!)
ip netns exec "$(n dst)" nc -lk 2001:db8:6::2 80 >/dev/null 2>&1 & pids+=($!)
# warm up neighbour caches so the first probes are not lost
x src ping -c1 -W2 $D4 >/dev/null || true
x src ping -6 -c1 -W2 $D6 >/dev/null || true

cd "$out"
# run NAME CMD...: one warts file per name, commands run by Debian's scamper
# inside the src namespace only; OPTS adds scamper options (word split)
run() {
	local name=$1; shift
	local args=() rc=0
	[[ "$name" =~ ${ONLY:-.} ]] || return 0
	for c in "$@"; do args+=(-I "$c"); done
	rm -f "$name.warts"
	echo "make-corpus: $name: ${OPTS:-}${OPTS:+ }$*" >&2
	# shellcheck disable=SC2086
	timeout 60 ip netns exec "$(n src)" scamper -p 1000 ${OPTS:-} -O warts \
	    -o "$name.warts" "${args[@]}" || rc=$?
	[ $rc = 0 ] || echo "make-corpus: $name: scamper exit $rc" >&2
}

# a blackhole beyond r3 makes hops 3.. silent (gap limit, last-ditch)
x r3 ip route add blackhole 198.18.9.0/24
x r3 ip -6 route add blackhole 2001:db8:9::/64
S4=198.18.1.2 S6=2001:db8:1::2 R1=198.18.1.1 R1b=198.18.2.1
B4=198.18.9.9 B6=2001:db8:9::9

for m in udp-paris udp icmp icmp-paris tcp tcp-ack; do
	run "trace-$m-v4" "trace -P $m -q 1 $D4"
	run "trace-$m-v6" "trace -P $m -q 1 $D6"
done
run trace-pmtud-v4 "trace -M -P udp $D4"
run trace-pmtud-v6 "trace -M -P udp $D6"
run trace-allattempts "trace -Q -q 3 -w 1 -P icmp $D4"
run trace-opts "trace -P udp -s 40000 -d 33500 -t 8 -U 77 -m 10 -W 5 -c 95 $D4"
run trace-dtree "trace -P icmp-paris -f 2 -z 198.18.9.1 -Z lss1 $D4"
# backwards: without -Z one hop back, stopped there (lss-stop); with -Z
# back to TTL 1 (firsthop lowered), then a second trace stops at TTL 2
run trace-dtree-back "trace -P icmp-paris -f 3 -z $D4 $D4" \
    "trace -P icmp-paris -f 3 -Z lssb $D4" "trace -P icmp-paris -f 3 -Z lssb $D4"
run trace-gaplimit "trace -P icmp -q 1 -w 1 -g 2 $B4" "trace -P icmp -q 1 -w 1 -g 2 $B6"
run trace-lastditch "trace -P icmp -q 1 -w 1 -g 2 -G 2 $B4"
run trace-unreach "trace -P udp -q 1 198.18.7.7"

for m in icmp-echo udp udp-dport tcp-ack tcp-ack-sport tcp-syn tcp-synack tcp-rst icmp-time; do
	run "ping-$m-v4" "ping -c 2 -i 0.2 -P $m $D4"
done
for m in icmp-echo udp tcp-ack tcp-syn; do
	run "ping-$m-v6" "ping -c 2 -i 0.2 -P $m $D6"
done
run ping-rr "ping -c 2 -R $D4"
run ping-tsonly "ping -c 1 -T tsonly $D4"
run ping-tsandaddr "ping -c 1 -T tsandaddr $D4"
run ping-tsprespec "ping -c 1 -T tsprespec=$R1,$D4 $D4"
run ping-opts "ping -c 3 -i 0.5 -W 2 -s 120 -m 30 -z 4 -U 9 -p abcd -o 2 $D4"
run ping-payload "ping -c 1 -B 0102030405060708 -C 4660 $D4"
run ping-loss "ping -c 2 -i 0.2 -W 1 $B4"

run tracelb-v4 "tracelb -P udp-dport $D4"
run tracelb-icmp-v4 "tracelb -P icmp-echo $D4"
run tracelb-v6 "tracelb -P icmp-echo $D6"

run dealias-mercator "dealias -m mercator $R1b"
run dealias-mercator-v6 "dealias -m mercator 2001:db8:2::1"
run dealias-ally "dealias -m ally -W 200 -p '-P icmp-echo -i $R1' -p '-P icmp-echo -i $R1b'"
run dealias-radargun "dealias -m radargun -q 2 -W 100 -r 500 -p '-P icmp-echo' $R1 $R1b"
run dealias-prefixscan "dealias -m prefixscan -p '-P icmp-echo' $R1b 198.18.2.2/30"
run dealias-bump "dealias -m bump -W 100 -p '-P icmp-echo -i $R1' -p '-P icmp-echo -i $R1b'"

run neighbourdisc "neighbourdisc -i eth0 -q 2 $R1" "neighbourdisc -i eth0 -q 1 2001:db8:1::1"

run sniff "sniff -S $S4 -c 4 -G 3 icmp[icmpid] == 4660" "ping -c 2 -i 0.2 -F 4660 $D4"

run tbit-null "tbit -t null -p http -u http://198.18.6.2/ $D4"
run tbit-nourl "tbit -t null -p http $D4"
run sting "sting -c 4 $D4"

run multi "trace -P icmp -q 1 $D4" "ping -c 1 $D4" "trace -P udp-paris -q 1 $D4"
# list records: a named list with an id, a cycle id and a monitor name
OPTS="-l mylist -L 42 -C 7 -M mon.example" run list-named "ping -c 1 $D4"

# host (DNS) records: lab.example served by dnsd.py on dst (20211212's
# host takes only an IPv4 server, and -t A, AAAA, PTR (for an address)
# and MX: it refuses the run otherwise)
cat >"$out/.zone" <<ZONE
lab.example. NS ns.lab.example.
ns.lab.example. A $D4
ns.lab.example. AAAA $D6
lab.example. SOA ns.lab.example. admin.lab.example. 2026120601 3600 600 86400 300
lab.example. MX 10 mail.lab.example.
lab.example. MX 20 mail2.lab.example.
mail.lab.example. A 198.18.6.25
www.lab.example. A 198.18.6.80
www.lab.example. A 198.18.6.81
www.lab.example. AAAA 2001:db8:6::80
alias.lab.example. CNAME www.lab.example.
odd.lab.example. A 198.18.6.82
+odd.lab.example. TXT "v=lab text"
+odd.lab.example. SOA ns.lab.example. admin.lab.example. 7 3600 600 86400 300
2.6.18.198.in-addr.arpa. PTR dst.lab.example.
2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR dst6.lab.example.
ZONE
ip netns exec "$(n dst)" python3 "$here/../lab/dnsd.py" $D4 "$out/.zone" & pids+=($!)
# wait until it listens (at most 10 s)
for _ in $(seq 100); do
	[ -n "$(x dst ss -Hlun 'sport = :53')" ] && break
	sleep 0.1
done
run host-a "host -s $D4 www.lab.example" "host -s $D4 -t AAAA www.lab.example" \
    "host -s $D4 alias.lab.example"
run host-mx "host -s $D4 -t MX lab.example"
# an answer with records of types 20211212 keeps without data (TXT) in
# the additional section
run host-odd "host -s $D4 odd.lab.example"
run host-ptr "host -s $D4 $D4" "host -s $D4 $D6"
run host-nx "host -s $D4 nx.lab.example"
run host-timeout "host -r -s $D4 -W 1 -R 1 silent.lab.example"
rm -f "$out/.zone"

# drop empty or missing outputs, then store what Debian's tools print for
# each file (standard output only) and, when not 0, their exit status
# (X.EXT.rc)
for f in *.warts; do
	if [ ! -s "$f" ]; then rm -f "$f"; continue; fi
	for t in json:sc_warts2json txt:sc_warts2text dump:sc_wartsdump; do
		ext=${t%%:*} tool=${t#*:} b=${f%.warts} rc=0
		TZ=UTC "$tool" "$f" > "$b.$ext" 2>/dev/null || rc=$?
		rm -f "$b.$ext.rc"
		[ $rc = 0 ] || echo $rc > "$b.$ext.rc"
	done
done
echo "make-corpus: done: $(ls *.warts | wc -l) files" >&2
