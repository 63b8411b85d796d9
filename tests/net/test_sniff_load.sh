#!/usr/bin/env bash
# test_sniff_load.sh SCAMPER HELPER BUILDDIR SC_WARTS2PCAP: a sniff
# running beside a 10,000-pps trace in the same scamper loses no matching
# packet.
#
# One scamper in a lab node whose only route leads into sc_netsim (the
# simulated Internet, on a TUN device) runs, at -p 10000, a sniff for
# ICMP id X on the device's address and some 6,000 traces (about 90,000
# UDP probes, the time-exceeded and port-unreachable answers coming
# back), with trace -O dl so that every one of those packets also goes through
# the datalink receiving socket the sniff shares.  While the traces run,
# two ping processes with ICMP id X make 400 echo requests and replies
# and 200 requests that expire at hop 2 (200 time-exceeded errors quoting
# them).  The sniff (-G 20) must hold exactly the packets that tcpdump on
# the same device sees match (tcpdump dropping none, by its own count):
# under load the TUN device's queue may drop some of the pings, so the
# lab makes up to 1200 of them, and how many is printed.  Preconditions
# checked: the traces still running when the pings are done (else there
# was no load) and the last matching packet before the sniff's finish
# (else the pings outlasted -G).  The probe rate during the pings is
# printed, not asserted.  Needs root; skipped otherwise.
set -u
scamper=$1
export SCAMPER_HELPER_BIN=$2
build=$3
w2pcap=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
. "$here/../lab/netsim.sh"
lab_require_root
lab_require_cmd tcpdump
NETSIM_BIN=$build/tools/sc_netsim/sc_netsim
export NETSIM_WRAP="nice -n -15"
lab_init sniffload
lab_node vp host || { echo "FAIL: building the lab"; exit 1; }
# every router answers (no rate limits, no anonymous ones), every
# destination answers: the errors quoting the pings are all made
netsim_start vp -s 3 -P ratelimit=0 -P anon=0 -P silent=0 ||
    { echo "FAIL: sc_netsim"; exit 1; }
tmp=$LAB_DIR
check="python3 $here/sniff_check.py"
X=4660

lab_checks

# a destination that answers echo requests, 3 hops or more away
dst=
for h in 198.18.1.7 198.18.2.9 198.18.3.11 198.18.4.13 198.18.5.15; do
	if lab_exec vp ping -c 1 -W 2 "$h" >/dev/null 2>&1 &&
	    ! lab_exec vp ping -c 1 -W 2 -t 2 "$h" >/dev/null 2>&1; then
		dst=$h
		break
	fi
done
[ -n "$dst" ] || { echo "FAIL: no destination of sc_netsim answers"; exit 1; }

# the commands: the sniff first, then the traces (host k of site j over
# the 448 IPv4 sites, as tests/bench/run; UDP from port 33000, so no
# quotation of them is read as id X)
{
	echo "sniff -S 192.0.2.1 -c 5000 -G 20 icmp[icmpid] == $X"
	awk 'BEGIN {
		for (i = 0; i < 6000; i++) {
			leaf = i % 448; host = 1 + int(i / 448) % 254
			printf "trace -P udp-paris -O dl -q 1 -w 1 -s 33000 " \
			    "198.%d.%d.%d\n", 18 + int(leaf / 256), leaf % 256, host
		}
	}'
} >"$tmp/cmds"

# tcpdump on the device, taking only ICMP of id X or quoting it, at nice
# -15 as sc_netsim (so that it keeps up beside other tests); its own drop
# count is checked
lab_bg vp nice -n -15 tcpdump --immediate-mode -U -n -B 16384 -i "$NETSIM_DEV" \
    -w "$tmp/cap.pcap" "icmp and (icmp[4:2] == $X or icmp[32:2] == $X)" \
    >"$tmp/tcpdump.pid" || { echo "FAIL: tcpdump"; exit 1; }
cap=$(cat "$tmp/tcpdump.pid")
for i in $(seq 1 200); do
	grep -q "listening on" "$(lab_bglog "$cap")" 2>/dev/null && break
	sleep 0.05
done
grep -q "listening on" "$(lab_bglog "$cap")" ||
    { echo "FAIL: tcpdump did not start"; exit 1; }

c0=$(netsim_counter in_pkts)
pid=$(lab_bg vp timeout 300 "$scamper" -d "$tmp/scamper.log" -p 10000 \
    -O warts -o "$tmp/out.warts" -O cmdfile -f "$tmp/cmds") ||
    { echo "FAIL: scamper did not start"; exit 1; }
for i in $(seq 1 400); do
	grep -q "capturing on" "$tmp/scamper.log" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if ! grep -q "capturing on" "$tmp/scamper.log" 2>/dev/null; then
	cat "$(lab_bglog "$pid")" "$tmp/scamper.log" >&2
	echo "FAIL: the sniff did not start"
	exit 1
fi
c1=$(netsim_counter in_pkts)
t1=$(date +%s.%N)
lab_exec vp ping -q -c 400 -i 0.002 -e $X "$dst" >/dev/null 2>&1 &
p1=$!
lab_exec vp ping -q -c 200 -i 0.002 -t 2 -e $X "$dst" >/dev/null 2>&1 &
p2=$!
wait $p1 $p2
t2=$(date +%s.%N)
c2=$(netsim_counter in_pkts)
if kill -0 "$pid" 2>/dev/null; then
	ok "the traces were still running when the pings were done"
else
	bad "scamper ended before the pings did: no load to speak of"
fi
awk -v a="$c1" -v b="$c2" -v t1="$t1" -v t2="$t2" 'BEGIN {
	printf "# sc_netsim took %d packets in the %.2f s of the pings: %.0f/s\n",
	    b - a, t2 - t1, (t2 > t1 ? (b - a) / (t2 - t1) : 0) }'
for i in $(seq 1 6000); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
kill -0 "$pid" 2>/dev/null && { bad "scamper did not end in 300 s"; kill "$pid"; }
c3=$(netsim_counter in_pkts)
echo "# sc_netsim took $((c3 - c0)) packets from scamper in all"
sleep 0.5
kill -INT "$cap" 2>/dev/null
for i in $(seq 1 100); do
	kill -0 "$cap" 2>/dev/null || break
	sleep 0.05
done
drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$(lab_bglog "$cap")")
[ "$drops" = 0 ] && ok "tcpdump dropped nothing" ||
    bad "tcpdump: $(tail -3 "$(lab_bglog "$cap")")"

"$w2pcap" -o "$tmp/sniff.pcap" "$tmp/out.warts" ||
    { bad "sc_warts2pcap"; exit 1; }
# Both in the order of their timestamps (ties by their bytes): the kernel
# hands an outgoing packet to each tap as it is sent and an incoming one
# as it arrives, on whichever CPU does that work, so two sockets may see
# a request going out and another ping's reply coming in in either order
# (CI saw one such pair swapped at 0d5b241, timestamps equal on both
# sides); each packet's timestamp is the same on every tap.
$check sig $X 192.0.2.1 "$tmp/cap.pcap" | LC_ALL=C sort -s -k1,1n -k2,2 >"$tmp/want"
$check all "$tmp/sniff.pcap" | LC_ALL=C sort -s -k1,1n -k2,2 >"$tmp/got"
made=$(wc -l <"$tmp/want")
echo "# the lab made $made of the 1200 packets of id X"
[ "$made" -gt 0 ] && ok "tcpdump saw $made packets of id X" ||
    bad "tcpdump saw no packet of id X"
diff <(cut -d' ' -f2 "$tmp/want") <(cut -d' ' -f2 "$tmp/got") >"$tmp/diff" &&
    ok "the sniff holds exactly those packets: none lost" ||
    bad "the sniff's packets differ from tcpdump's ($(wc -l <"$tmp/got") against $made): $(head -c 1000 "$tmp/diff")"
diff "$tmp/want" "$tmp/got" >/dev/null &&
    ok "each with tcpdump's timestamp" ||
    bad "timestamps differ: $(diff "$tmp/want" "$tmp/got" | head -4)"
"$build/tools/warts/sc_wartsdump" "$tmp/out.warts" >"$tmp/dump" 2>&1
grep -q "result: limit-time, pktc: $made\$" "$tmp/dump" &&
    ok "the sniff stopped at -G 20 with $made packets" ||
    bad "the sniff's result: $(grep 'result:' "$tmp/dump")"
fin=$(sed -n 's/^ finish: \(.*\)$/\1/p' "$tmp/dump" | head -1)
python3 - "$fin" "$(tail -1 "$tmp/want" | cut -d' ' -f1)" <<'PY' &&
import sys, time
d, usec = sys.argv[1].rsplit(' ', 1)
fin = time.mktime(time.strptime(d, '%a %b %d %H:%M:%S %Y')) + int(usec) / 1e6
sys.exit(0 if float(sys.argv[2]) < fin else 1)
PY
    ok "the pings ended before the sniff's -G did" ||
    bad "the pings outlasted the sniff's -G 20 (finish $fin): a machine too slow for this test"
traces=$("$build/tools/warts/sc_warts2json" "$tmp/out.warts" | grep -c '"type":"trace"')
[ "$traces" = 6000 ] && ok "the 6000 traces completed" ||
    bad "$traces traces written, not 6000"

lab_checks_end
