#!/usr/bin/env bash
# test_pktsend.sh SCAMPER HELPER BUILDDIR: probes sent on packet sockets
# through a transmit ring (-O pktring), by sendmmsg with replies read
# through receive rings (-O pktmmsg -O pktrecv) and on raw sockets (-O
# rawsend) give the same, correct results, and the counters say which
# paths sent and received them.
#  - veth (Ethernet), the lab of topo-basic.txt: traces (icmp-paris,
#    udp-paris, tcp) and pings to h2 over IPv4 and IPv6 follow the lab's
#    path (basic_path_ok), every RTT is above 0.000 ms (the reply's
#    receive time after the probe's send time), every send time is the
#    kernel's, every reply has the kernel's receive time, and the debug
#    log counts the probes sent on packet sockets (all but those sent
#    before the socket came: none with -O rawsend), with -O pktring all
#    of them through the ring, with -O pktmmsg none; with -O pktrecv
#    replies come through the receive ring (and none twice: the ping's
#    count of replies).
#    With h1's neighbour table flushed and -O noinitndc the first probes
#    go raw ("neighbour") and the trace is still right.
#    -O pktsend picks the way by -p (a ping of four, 0.2 s apart):
#    sendmmsg at the default -p, the ring at -p 100000.
#  - veth, -O pktsend -O pktrecv: TCP traces and pings (tcp-syn,
#    tcp-ack; IPv4 with -O rawtcp) are right with their TCP replies read
#    through the receive ring (its count in the debug log) and not
#    again on the raw TCP socket (no duplicate ping replies).
#  - veth, -O pktsend -O pktrecv: with the ring up the raw ICMP and ICMPv6
#    sockets block time exceeded (debug log), a trace is right, and a
#    ping and a UDP trace to h1's own address (loopback: no ring) in
#    the same run are answered on the raw sockets.
#  - sc_netsim's TUN (no link header): 300 traces each of icmp-paris and
#    tcp (20211212 sends no TCP probe there) on each path, scored by
#    tests/bench/run against the simulator's truth: accuracy at least
#    0.99, no RTT of zero or below the design; 300 pings (-c 2) on each
#    path get replies (the harness does not score pings); with
#    -O pktrecv the TCP traces' replies come through the ring.  The three
#    paths' runs on the TUN go side by side (each its own namespace), and
#    all of them beside the veth part (their own namespaces too): they
#    start before it and are scored after it.
#    IPv4 TCP traces on Ethernet go out on the datalink, not netio
#    (unless -O rawtcp): their counters are not checked.
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN build" "$@"
. "$here/../lab/basic.sh"
lab_require_root
lab_basic pktsend || exit 1
lab_checks
ok=0 bad=0
pass() { ok=$((ok + 1)); echo "ok: $*"; }
fail() { bad=$((bad + 1)); echo "FAIL: $*"; }

# stat LOG WORDS: the number after WORDS in the statistics of LOG
stat() { sed -n "s/.*$2 \([0-9]*\).*/\1/p" "$1" | head -1; }

# Every RTT in text output F is above zero (a ping's summary's standard
# deviation, the last of its four figures, may be 0.000: equal RTTs).
rtts_positive() {
	sed '/^round-trip/s|/[0-9.]* ms$| ms|' "$1" |
	    grep -Eq '(^|[ /=])0\.000( ms|/)' && return 1
	grep -Eq '[0-9]\.[0-9]{3} ms' "$1"
}

# check_counts MODE LOG WHAT: packet sockets (and rings) used as MODE
# says; all send and receive times the kernel's.
check_counts() {
	local mode=$1 log=$2 what=$3 pk sent before ring noring nostamp rxr
	pk=$(stat "$log" "sent on packet sockets")
	ring=$(stat "$log" "through a transmit ring")
	noring=$(stat "$log" "sockets without a ring")
	sent=$(sed -n 's/.*probes [0-9]* (sent \([0-9]*\) in.*/\1/p' "$log")
	before=$(stat "$log" "before-send")
	nostamp=$(stat "$log" "replies without a kernel time")
	rxr=$(stat "$log" "replies through a receive ring")
	[ "${nostamp:-1}" = 0 ] || { fail "$what: ${nostamp:-?} replies without the kernel's receive time"; return; }
	if [ "${sent:-}" = 0 ]; then
		# IPv4 TCP probes go out on the datalink unless -O rawtcp
		# (as 20211212's): netio sent none on either path
		pass "$what: none sent through netio (the datalink's)"
		return
	fi
	if [ "$mode" != rawsend ]; then
		[ "${pk:-0}" -gt 0 ] || { fail "$what: no probe sent on a packet socket ($(grep 'packet sockets' "$log"))"; return; }
		if [ "$mode" = pktring ]; then
			[ "$ring" = "$pk" ] && [ "$noring" = 0 ] || { fail "$what: $pk on packet sockets, ${ring:-?} of them through a ring, ${noring:-?} sockets without"; return; }
		else
			[ "${ring:-1}" = 0 ] || { fail "$what: -O pktmmsg sent $ring through a ring"; return; }
			[ "${rxr:-0}" -gt 0 ] || { fail "$what: -O pktrecv: no reply through a receive ring"; return; }
		fi
	else
		[ "${pk:-1}" = 0 ] || { fail "$what: -O rawsend sent $pk on packet sockets"; return; }
	fi
	[ "${before:-1}" = 0 ] || { fail "$what: $before send times not the kernel's"; return; }
	[ "$mode" = pktmmsg ] || [ "${rxr:-1}" = 0 ] || { fail "$what: $rxr replies through a receive ring without -O pktrecv"; return; }
	pass "$what: $pk of $sent probes on packet sockets (${ring:-0} through a ring), ${rxr:-0} replies through a receive ring, every send and receive time the kernel's"
}

# the first hop's hardware address is in the kernel's table before the
# probers start (their neighbour caches take it at start)
lab_exec h1 ping -c 1 -W 2 192.0.2.2 >/dev/null
lab_exec h1 ping -6 -c 1 -W 2 2001:db8:1::2 >/dev/null

# the mode's -O words (pktmmsg also reads replies through rings)
mode_opts() { [ "$1" = pktmmsg ] && echo "-O pktmmsg -O pktrecv" || echo "-O $1"; }

# sc_netsim's TUN: the bench harness's runs (each in its own namespaces),
# the three paths side by side, start now and run beside the veth part;
# they are scored at the end.  On an early exit lab_teardown stops them
# first (tun_stop): this loop, so that it starts no more runs, then each
# bench/run by SIGTERM, waited for (bounded), as its trap takes its
# namespaces down once its step in hand is over (not killed outright:
# that left its sc_netsim and namespaces behind).
tun_cmds=("trace -P icmp-paris -w 1" "trace -P tcp -w 1" "ping -c 2")
tt=$tmp/tun
mkdir -p "$tt" || exit 1
export NETSIM_WRAP="nice -n -15"
tun_runs() {
	local i c mode
	echo "$BASHPID" >>"$tt/pids"
	for i in "${!tun_cmds[@]}"; do
		c=${tun_cmds[$i]}
		for mode in rawsend pktring pktmmsg; do
			"$here/../bench/run" -b "$build" -p 10000 -n 300 -c "$c" \
			    -- "$scamper" $(mode_opts $mode) -d "$tt/$i.$mode.log" \
			    >"$tt/$i.$mode.out" 2>&1 &
			echo $! >>"$tt/pids"
		done
		wait
	done
}
tun_stop() {
	local p i alive
	[ -f "$tt/pids" ] || return 0
	while read -r p; do kill "$p" 2>/dev/null; done <"$tt/pids"
	for i in $(seq 1200); do
		alive=0
		while read -r p; do
			kill -0 "$p" 2>/dev/null && alive=1
		done <"$tt/pids"
		[ $alive = 0 ] && break
		sleep 0.1
	done
}
lab_atexit tun_stop
tun_runs &
tunpid=$!

for mode in rawsend pktring pktmmsg; do
	for fam in 4 6; do
		[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
		for m in icmp-paris udp-paris tcp; do
			what="veth $mode IPv$fam trace -P $m"
			f=$tmp/$mode.$fam.$m
			basic_prober ours
			lab_exec h1 timeout 60 "$scamper" $(mode_opts $mode) -d "$f.log" \
			    -I "trace -P $m -q 1 -w 1 $dst" >"$f" 2>"$f.err"
			if basic_path_ok $fam "$f" && rtts_positive "$f"; then
				pass "$what: the lab's path, RTTs above 0"
			else
				fail "$what: $(cat "$f" "$f.err")"
			fi
			check_counts $mode "$f.log" "$what"
		done
		what="veth $mode IPv$fam ping"
		f=$tmp/$mode.$fam.ping
		lab_exec h1 timeout 60 "$scamper" $(mode_opts $mode) -d "$f.log" \
		    -I "ping -c 3 -i 0.2 $dst" >"$f" 2>"$f.err"
		if grep -q '3 packets transmitted, 3 packets received' "$f" &&
		    rtts_positive "$f"; then
			pass "$what: 3 of 3 replies, RTTs above 0"
		else
			fail "$what: $(cat "$f" "$f.err")"
		fi
		check_counts $mode "$f.log" "$what"
	done
done

# TCP replies through the receive rings (-O pktsend -O pktrecv; IPv4
# with -O rawtcp, else its TCP probes go out on the datalink, not on the
# packet path, and no ring is opened): the rings read them (the debug
# log's "TCP read", summed over the interfaces), and the raw TCP sockets
# do not read them again (a ping's replies: 3, no duplicates).
tcp_read() { sed -n 's/.*TCP read \([0-9]*\).*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }
for fam in 4 6; do
	[ $fam = 4 ] && dst=203.0.113.1 raw="-O rawtcp" || dst=2001:db8:ff::1 raw=
	for c in "trace -P tcp -q 1 -w 1" "ping -P tcp-syn -c 3 -i 0.2" \
	    "ping -P tcp-ack -c 3 -i 0.2"; do
		what="veth pktsend pktrecv IPv$fam $c"
		f=$tmp/ring.$fam.$(tr -c 'a-z0-9' _ <<<"$c")
		lab_exec h1 timeout 60 "$scamper" -O pktsend -O pktrecv $raw \
		    -d "$f.log" -I "$c $dst" >"$f" 2>"$f.err"
		n=$(tcp_read "$f.log")
		case $c in
		trace*)	basic_path_ok $fam "$f" && rtts_positive "$f" ;;
		*)	grep -q '3 packets transmitted, 3 packets received, 0%' \
			    "$f" && rtts_positive "$f" ;;
		esac
		if [ $? = 0 ] && [ "$n" -gt 0 ]; then
			pass "$what: right, $n TCP replies through a receive ring, none twice"
		else
			fail "$what: $n TCP replies through a receive ring: $(cat "$f" "$f.err"; grep -E 'statistics|interface' "$f.log")"
		fi
	done
done

# Time exceeded only through the rings: once h1's one interface (besides
# loopback) has its ring, the raw ICMP and ICMPv6 sockets block time
# exceeded (the debug log says so), the trace to h2 is still right (its
# time exceeded read by the ring), and replies on loopback, which has no
# ring, still come on the raw sockets: a ping and a UDP trace to h1's own
# address in the same run are answered.
for fam in 4 6; do
	[ $fam = 4 ] && dst=203.0.113.1 self=192.0.2.1 v= ||
	    dst=2001:db8:ff::1 self=2001:db8:1::1 v=v6
	what="veth pktsend pktrecv IPv$fam: time exceeded on the ring alone"
	f=$tmp/self.$fam
	lab_exec h1 timeout 60 "$scamper" -O pktsend -O pktrecv -d "$f.log" \
	    -I "trace -P icmp-paris -q 1 -w 1 $dst" \
	    "ping -c 3 -i 0.5 $self" "trace -P udp-paris -q 1 -w 1 $self" \
	    >"$f" 2>"$f.err"
	grep -E '^ [0-9]+  ' "$f" >"$f.hops"
	if grep -q "raw ICMP$v socket: takes no time exceeded" "$f.log" &&
	    basic_path_ok $fam "$f.hops" && grep -q "^ 1  $self " "$f" &&
	    grep -q '3 packets transmitted, 3 packets received' "$f"; then
		pass "$what; loopback's replies on the raw socket"
	else
		fail "$what: $(cat "$f" "$f.err"; grep 'raw ICMP' "$f.log")"
	fi
done

# no neighbour known: the packet path leaves the first probes raw
lab_exec h1 ip neigh flush all
f=$tmp/noneigh
lab_exec h1 timeout 60 "$scamper" -O pktsend -O noinitndc -d "$f.log" \
    -I "trace -P icmp-paris -q 1 -w 1 203.0.113.1" >"$f" 2>"$f.err"
nb=$(sed -n 's/.*(route [0-9]*, neighbour \([0-9]*\),.*/\1/p' "$f.log")
if basic_path_ok 4 "$f" && [ "${nb:-0}" -gt 0 ]; then
	pass "veth, no neighbour known: the lab's path; $nb probes left raw for it"
else
	fail "veth, no neighbour known: neighbour fallbacks ${nb:-?}: $(cat "$f" "$f.err")"
fi
# -O pktsend: sendmmsg below -p 100000, the transmit ring from there up.
# A ping, its probes 0.2 s apart: the first goes raw while scamper-helper
# opens the interface's socket, the later ones on it (a trace in this
# lab is over in 20 ms, before the socket may be open on a slow machine)
for p in 20 100000; do
	f=$tmp/auto.$p
	lab_exec h1 timeout 60 "$scamper" -O pktsend -p $p -d "$f.log" \
	    -I "ping -c 4 -i 0.2 203.0.113.1" >"$f" 2>"$f.err"
	pk=$(stat "$f.log" "sent on packet sockets")
	ring=$(stat "$f.log" "through a transmit ring")
	[ $p = 20 ] && want=0 || want=$pk
	if grep -q '4 packets transmitted, 4 packets received' "$f" &&
	    [ "${pk:-0}" -gt 0 ] && [ "$ring" = "$want" ]; then
		pass "veth, -O pktsend -p $p: 4 of 4 replies; $pk probes on packet sockets, $ring through a ring"
	else
		fail "veth, -O pktsend -p $p: ${pk:-?} on packet sockets, ${ring:-?} through a ring (expected $want): $(cat "$f" "$f.err"; grep -E 'statistics|packet' "$f.log")"
	fi
done
# sc_netsim's TUN: the runs started above, scored against its truth by
# the bench harness
wait "$tunpid"
for i in "${!tun_cmds[@]}"; do
	c=${tun_cmds[$i]}
	for mode in rawsend pktring pktmmsg; do
		log=$tt/$i.$mode.log
		line=$(tail -1 "$tt/$i.$mode.out")
		case $line in *SKIP*) echo "$line"; exit 77 ;; esac
		get() { tr ' ' '\n' <<<"$line" | sed -n "s/^$1=//p"; }
		rc=$(get rc) tasks=$(get tasks) acc=$(get accuracy)
		zero=$(get rtt_zero) below=$(get rtt_below) replies=$(get replies)
		what="TUN $mode $c"
		# (the harness scores traces only: of pings, the replies)
		if [ "$rc" = 0 ] && [ "${replies:-0}" -gt 0 ] &&
		    { [[ $c == ping* ]] || { [ "$tasks" = 300 ] &&
		    [ "$zero" = 0 ] && [ "$below" = 0 ] &&
		    awk -v a="$acc" 'BEGIN { exit !(a >= 0.99) }'; }; }; then
			pass "$what: rc 0, $tasks traces scored, accuracy $acc, $replies replies, RTTs of 0 / below the design: $zero / $below"
		else
			fail "$what: $line"
		fi
		check_counts $mode "$log" "$what"
		if [ $mode = pktmmsg ] && [[ $c == *tcp* ]]; then
			n=$(tcp_read "$log")
			[ "$n" -gt 0 ] && pass "$what: $n TCP replies through a receive ring" ||
			    fail "$what: no TCP reply through a receive ring"
		fi
	done
done
lab_teardown
echo "$ok passed, $bad failed"
[ $bad -eq 0 ]
