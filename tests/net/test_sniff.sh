#!/usr/bin/env bash
# test_sniff.sh SCAMPER HELPER SC_WARTSDUMP SC_WARTS2PCAP: sniff on a LAN
# of Linux hosts (tests/net/lan.sh), IPv4 and IPv6:
#  - while other processes ping from h1 (and to it) with ICMP id X, and
#    with other ids and to other addresses, sniff captures exactly the
#    echo requests and replies with id X to or from its -S address and
#    the ICMP errors quoting them: the same packets, bytes and
#    timestamps, as tcpdump on the same link sorted by our own reading of
#    the signature (sniff_check.py); it stops at -c (stop reason
#    limit-pktc) or -G (limit-time);
#  - sc_warts2pcap's file is read by tcpdump with the same packets;
#  - Debian's sc_wartsdump, sc_warts2json and sc_warts2pcap read our
#    records as ours do;
#  - refusals name the problem (no -S, an address of no interface, a bad
#    expression, -c and -G out of range).
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lan.sh"
lab_args "scamper SCAMPER_HELPER_BIN dump w2pcap" "$@"
lan_start sniff
check="python3 $here/sniff_check.py"

# sniff_bg NAME CMD: scamper running sniff command CMD in the background,
# writing NAME.warts; returns once it captures (its debug log says so).
sniff_bg() {
	local pid i
	pid=$(lab_bg h1 timeout 120 "$scamper" -d "$tmp/$1.log" -O warts \
	    -o "$tmp/$1.warts" -I "$2") || return 1
	for i in $(seq 1 400); do
		grep -q "capturing on" "$tmp/$1.log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "capturing on" "$tmp/$1.log" 2>/dev/null || {
		cat "$(lab_bglog "$pid")" "$tmp/$1.log" >&2
		return 1
	}
	echo "$pid"
}

# finish PID: wait (bounded) for a background scamper to end.
finish() {
	for i in $(seq 1 600); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

pinger() { lab_exec "$1" ping "${@:2}" >/dev/null 2>&1; }

# compare NAME ID ADDR CAP N REASON: the sniff in NAME.warts holds
# exactly the packets of tcpdump's CAP that match, N of them, and
# stopped for REASON.
compare() {
	local name=$1 id=$2 addr=$3 cap=$4 want=$5 reason=$6
	"$w2pcap" -o "$tmp/$name.pcap" "$tmp/$name.warts" ||
	    { bad "$name: sc_warts2pcap"; return; }
	$check sig "$id" "$addr" "$cap" >"$tmp/$name.want"
	$check all "$tmp/$name.pcap" >"$tmp/$name.got"
	if [ "$(wc -l <"$tmp/$name.want")" != "$want" ]; then
		bad "$name: the lab made $(wc -l <"$tmp/$name.want") matching packets, not $want"
	fi
	diff <(cut -d' ' -f2 "$tmp/$name.want") <(cut -d' ' -f2 "$tmp/$name.got") \
	    >"$tmp/diff" &&
	    ok "$name: sniff holds exactly the $want packets tcpdump saw that match, in order" ||
	    bad "$name: packets differ from tcpdump's: $(head -c 2000 "$tmp/diff")"
	diff "$tmp/$name.want" "$tmp/$name.got" >/dev/null &&
	    ok "$name: each with the datalink's timestamp (tcpdump's)" ||
	    bad "$name: timestamps differ: $(paste -d' ' <(cut -d' ' -f1 "$tmp/$name.want") <(cut -d' ' -f1 "$tmp/$name.got") | head -5)"
	"$dump" "$tmp/$name.warts" >"$tmp/$name.dump" 2>&1
	grep -q "result: $reason, pktc: $want\$" "$tmp/$name.dump" &&
	    ok "$name: stopped by $reason with $want packets" ||
	    bad "$name: $(grep result: "$tmp/$name.dump")"
	[ "$(tcpdump -n -r "$tmp/$name.pcap" 2>/dev/null | wc -l)" = "$want" ] &&
	    ok "$name: tcpdump reads sc_warts2pcap's file ($want packets)" ||
	    bad "$name: tcpdump -r: $(tcpdump -n -r "$tmp/$name.pcap" 2>&1 | head -3)"
	if command -v sc_wartsdump >/dev/null 2>&1; then
		sc_wartsdump "$tmp/$name.warts" >"$tmp/$name.ddump" 2>&1
		diff "$tmp/$name.dump" "$tmp/$name.ddump" >"$tmp/diff" &&
		    ok "$name: Debian's sc_wartsdump prints our record as ours" ||
		    bad "$name: sc_wartsdump differs: $(head -20 "$tmp/diff")"
		sc_warts2json "$tmp/$name.warts" >"$tmp/$name.dj" 2>&1 &&
		    "${dump%/*}/sc_warts2json" "$tmp/$name.warts" >"$tmp/$name.oj" 2>&1 &&
		    diff "$tmp/$name.dj" "$tmp/$name.oj" >/dev/null &&
		    ok "$name: Debian's sc_warts2json reads it as ours (no sniff object, as for its own)" ||
		    bad "$name: sc_warts2json: $(cat "$tmp/$name.dj")"
		sc_warts2pcap -o "$tmp/$name.dpcap" "$tmp/$name.warts" &&
		    $check all "$tmp/$name.dpcap" | diff - "$tmp/$name.got" >/dev/null &&
		    ok "$name: Debian's sc_warts2pcap gives the same packets" ||
		    bad "$name: Debian's sc_warts2pcap differs"
	fi
}

# ---- IPv4, stopped by -c ---------------------------------------------------
X=4660
cap=$(cap_start "$tmp/cap4") || { echo "FAIL: tcpdump"; exit 1; }
if pid=$(sniff_bg sn4 "sniff -S 192.0.2.1 -c 14 -G 120 icmp[icmpid] == $X"); then
	pinger h1 -c 3 -i 0.2 -e $X 192.0.2.2			# 6
	pinger h1 -c 3 -i 0.2 -e $((X + 1)) 192.0.2.2		# other id
	pinger n1 -c 2 -i 0.2 -e $X 203.0.113.1			# other address
	pinger h1 -c 2 -i 0.2 -W 1 -e $X 198.51.100.5		# 2 + 2 errors
	pinger h1 -c 2 -i 0.2 -W 1 -e $((X + 1)) 198.51.100.5	# other id
	pinger n1 -c 2 -i 0.2 -e $X 192.0.2.1			# 4
	finish "$pid" || bad "IPv4: sniff -c 14 did not stop"
else
	bad "IPv4: sniff did not start"
fi
cap_stop "$cap"
compare sn4 $X 192.0.2.1 "$tmp/cap4" 14 limit-pktc

# ---- IPv6, stopped by -G ---------------------------------------------------
X=4663
cap=$(cap_start "$tmp/cap6") || { echo "FAIL: tcpdump"; exit 1; }
if pid=$(sniff_bg sn6 "sniff -S 2001:db8:10::1 -G 8 -U 77 icmp[icmpid] == $X"); then
	pinger h1 -6 -c 3 -i 0.2 -e $X 2001:db8:10::2		# 6
	pinger h1 -6 -c 2 -i 0.2 -e $((X + 1)) 2001:db8:10::2	# other id
	pinger h1 -6 -c 2 -i 0.2 -W 1 -e $X 2001:db8:99::5	# 2 + 2 errors
	pinger h1 -c 2 -i 0.2 -e $X 192.0.2.2			# IPv4
	finish "$pid" || bad "IPv6: sniff -G 8 did not stop"
else
	bad "IPv6: sniff did not start"
fi
cap_stop "$cap"
compare sn6 $X 2001:db8:10::1 "$tmp/cap6" 10 limit-time
grep -q "user-id: 77" "$tmp/sn6.dump" && ok "IPv6: -U recorded" ||
    bad "IPv6 -U: $(grep user-id "$tmp/sn6.dump")"

# ---- refusals ---------------------------------------------------------------
expect_err() {	# expect_err PATTERN COMMAND
	lab_exec h1 timeout 30 "$scamper" -O warts -o /dev/null -I "$2" \
	    >"$tmp/e" 2>&1
	grep -q -- "$1" "$tmp/e" && ok "'$2': $1" ||
	    bad "'$2': wanted '$1', got: $(cat "$tmp/e")"
}
expect_err '-S: the address packets arrive with is required' 'sniff icmp[icmpid] == 1'
expect_err '-S 192.0.2.9: not an address of any interface of this host' \
    'sniff -S 192.0.2.9 icmp[icmpid] == 1'
expect_err "expression 'tcp port 80': the one supported is 'icmp\[icmpid\] == X'" \
    'sniff -S 192.0.2.1 tcp port 80'
expect_err "expression 'icmp\[icmpid\] == 65536'" 'sniff -S 192.0.2.1 icmp[icmpid] == 65536'
expect_err "expected the expression" 'sniff -S 192.0.2.1'
expect_err "-c: invalid value '5001' (expected 1 to 5000)" 'sniff -S 192.0.2.1 -c 5001 icmp[icmpid] == 1'
expect_err "-G: invalid value '0' (expected 1 to 1200)" 'sniff -S 192.0.2.1 -G 0 icmp[icmpid] == 1'
expect_err "-s and -S are the same option" 'sniff -s 192.0.2.1 -S 192.0.2.1 icmp[icmpid] == 1'

lab_checks_end
