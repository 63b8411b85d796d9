#!/usr/bin/env bash
# test_netsim_scamper.sh NETSIM_BIN: Debian's scamper traced over sc_netsim
# recovers the ground truth.
#   1. trace -P icmp-paris and udp-paris (IPv4) to 40 destinations of a
#      generated topology: every responsive hop is the one --path names,
#      and at least 90% of the truth's non-anonymous hops are found;
#   2. tracelb (icmp-echo and udp-dport) over tests/netsim/topo-lb.txt (a
#      4-way diamond, a diamond with a nested one): exactly the truth's
#      links, with the flows pinned so that the result is the same on
#      every run (see below; a run that misses a link, never a wrong
#      one, gets one more, which must find them all).
# Suite 'interop' (root, network namespaces).  Skips (77) without them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
. "$here/../lab/netsim.sh"

NETSIM_BIN=${1:?usage: test_netsim_scamper.sh NETSIM_BIN}
lab_require_root
for t in scamper sc_warts2json sc_warts2text python3; do
	command -v $t >/dev/null 2>&1 ||
	    { echo "SKIP: $t not found (Debian packages scamper, python3)"; exit 77; }
done
score="python3 $here/netsim_score.py"
fail=0

lab_init nsscamper
lab_node vp host || exit 1

# --- 2. tracelb over a topology file -------------------------------------
# (in the background, alongside part 1: its own node and simulator)
part2() {
	local fail=0 m sp res
	lab_node vp2 host || exit 1
	netsim_start vp2 -t "$here/topo-lb.txt" -T "$LAB_DIR/lb-truth.json" ||
	    exit 1
	# MDA is statistical: at each node it stops once enough flows
	# agree (95% confidence that no next hop is left).  Which flows
	# Debian's scamper sends follows from its source port (by default
	# from its pid), so the port is pinned (-s): every run sends the
	# same flows, sc_netsim's balancers (a documented hash) send them
	# the same way, and the result is the same on every machine.  A
	# missing or a wrong link is then a real difference, never chance.
	# -W 15 (150 ms between probes) is the least Debian's accepts; the
	# two methods run at once.
	for m in icmp-echo udp-dport; do
		[ $m = icmp-echo ] && sp=40001 || sp=40002
		lab_exec vp2 timeout 300 scamper -O warts \
		    -o "$LAB_DIR/lb-$m.warts" -c "tracelb -P $m -s $sp -W 15" \
		    -i 198.18.0.9 >"$LAB_DIR/lb-$m.log" 2>&1 &
		eval "pid_$(echo $m | tr - _)=$!"
	done
	for m in icmp-echo udp-dport; do
		[ $m = icmp-echo ] && sp=40001 || sp=40002
		eval "wait \$pid_$(echo $m | tr - _)" ||
		    { echo "FAIL: scamper tracelb $m: $(cat "$LAB_DIR/lb-$m.log")"; fail=1; }
		res=$(sc_warts2text "$LAB_DIR/lb-$m.warts" |
		    $score tracelb "$LAB_DIR/lb-truth.json" 198.18.0.9)
		echo "tracelb $m: $res"
		case $res in
		*" matched="[1-9]*" wrong=0 missing=0") continue ;;
		*" wrong=0 "*) ;;
		*)	echo "FAIL: tracelb $m found a link the truth does not have"
			fail=1; continue ;;
		esac
		# A link missed with the flows pinned: seen once in CI (one
		# branch of the 4-way diamond, udp-dport, beside part 1 on a
		# machine at load 8), not reproduced; the same command once
		# more, alone, must then find exactly the truth's links.
		lab_exec vp2 timeout 300 scamper -O warts \
		    -o "$LAB_DIR/lb-$m-2.warts" -c "tracelb -P $m -s $sp -W 15" \
		    -i 198.18.0.9 >>"$LAB_DIR/lb-$m.log" 2>&1
		res=$(sc_warts2text "$LAB_DIR/lb-$m-2.warts" |
		    $score tracelb "$LAB_DIR/lb-truth.json" 198.18.0.9)
		echo "tracelb $m, again: $res"
		case $res in
		*" matched="[1-9]*" wrong=0 missing=0") ;;
		*)	echo "FAIL: tracelb $m did not find exactly the truth's links"
			fail=1 ;;
		esac
	done
	netsim_counters
	return $fail
}
part2 >"$LAB_DIR/part2.out" 2>&1 &
p2=$!

# --- 1. Paris traces over a generated topology --------------------------
args=(-s 7 -P hops-max=16)
netsim_start vp "${args[@]}" || exit 1
for i in $(seq 0 39); do
	echo "198.18.$((i * 11 % 250)).$((i * 37 % 254 + 1))"
done >"$LAB_DIR/targets"
# (both methods at once: each scamper has its own port and ICMP id)
for m in icmp-paris udp-paris; do
	lab_exec vp timeout 300 scamper -p 200 -O warts \
	    -o "$LAB_DIR/$m.warts" -c "trace -P $m -w 1" \
	    -f "$LAB_DIR/targets" >"$LAB_DIR/$m.log" 2>&1 &
	eval "pid_$(echo $m | tr - _)=$!"
done
for m in icmp-paris udp-paris; do
	eval "wait \$pid_$(echo $m | tr - _)" ||
	    { echo "FAIL: scamper $m: $(cat "$LAB_DIR/$m.log")"; fail=1; }
	sc_warts2json "$LAB_DIR/$m.warts" >"$LAB_DIR/$m.json"
	res=$($score trace "$NETSIM_BIN" "${args[@]}" <"$LAB_DIR/$m.json")
	rc=$?
	echo "trace $m: $res"
	[ $rc = 0 ] || { echo "FAIL: trace $m: wrong hops"; fail=1; }
	set -- $(echo "$res" | tr ' ' '\n' | sed -n 's/^\(traces\|truth_hops\|found\)=//p')
	if [ "${1:-0}" -ne 40 ] || [ $(( ${3:-0} * 10 )) -lt $(( ${2:-1} * 9 )) ]; then
		echo "FAIL: trace $m: too few traces or hops found"
		fail=1
	fi
done
netsim_counters
netsim_stop

wait $p2 || fail=1
cat "$LAB_DIR/part2.out"
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
