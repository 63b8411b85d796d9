#!/usr/bin/env bash
# test_ndcache.sh SCAMPER HELPER: the prober's neighbour cache and
# -O noinitndc, on the wire (tests/net/lan.sh's LAN):
#  - trace -r n1 after the kernel learned n1: the cache was filled from
#    the system's tables at start, so h1 sends no ARP request (IPv6: no
#    neighbour solicitation) for n1, and the trace goes through n1;
#  - the same with -O noinitndc: the cache starts empty and the prober
#    asks itself, one request on the wire, and the trace goes through n1;
#  - the neighbour table flushed: the prober asks, with or without
#    -O noinitndc.
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lan.sh"
lab_args "scamper SCAMPER_HELPER_BIN" "$@"
lan_start ndc

H1=$(lan_mac h1)
# n1 knows h1 for good, so it never asks for h1's address: a Linux host
# that is asked learns the asker, and n1's own requests (a stale entry's
# probe, seconds after the last trace) would refill h1's table between
# the flush and the prober's start (CI of 69a08e8: 0 requests seen).
lab_exec n1 ip neigh replace 192.0.2.1 lladdr "$H1" nud permanent dev lan0 &&
lab_exec n1 ip -6 neigh replace 2001:db8:10::1 lladdr "$H1" nud permanent dev lan0 ||
    { echo "FAIL: n1's permanent entries for h1"; exit 1; }

# asks CAP FAM: h1's requests for n1's hardware address in CAP.
asks() {
	if [ "$2" = 4 ]; then
		f="arp[6:2] == 1 and arp[24:4] == 0xc0000202"
	else
		f="icmp6 and icmp6[0] == 135 and icmp6[20:4] == 0x00000002 and icmp6[8:4] == 0x20010db8"
	fi
	tcpdump -n -r "$1" "ether src $H1 and $f" 2>/dev/null | wc -l
}

# run NAME FAM [-O noinitndc]: trace -r n1 with a capture; checks the
# trace went through n1.
run() {
	local name=$1 fam=$2 cap r d
	shift 2
	if [ "$fam" = 4 ]; then r=192.0.2.2 d=198.51.100.5; else
		r=2001:db8:10::2 d=2001:db8:99::5; fi
	cap=$(cap_start "$tmp/$name.pcap") || { bad "$name: tcpdump"; return; }
	lab_exec h1 timeout 60 "$scamper" "$@" -I "trace -q 1 -w 1 -r $r $d" \
	    >"$tmp/$name.out" 2>&1
	cap_stop "$cap"
	awk 'NR == 2 { print $2 }' "$tmp/$name.out" | grep -qx "$r" &&
	    ok "$name: the trace went through $r" ||
	    bad "$name: $(cat "$tmp/$name.out")"
}

for fam in 4 6; do
	if [ $fam = 4 ]; then r=192.0.2.2; else r=2001:db8:10::2; fi
	lab_exec h1 ping -$fam -c 1 -W 2 $r >/dev/null 2>&1
	lab_exec h1 ip -$fam neigh show $r | grep -q lladdr ||
	    bad "IPv$fam: the kernel did not learn $r"
	run init$fam $fam
	[ "$(asks "$tmp/init$fam.pcap" $fam)" = 0 ] &&
	    ok "IPv$fam: the cache had $r from the system's table: no request on the wire" ||
	    bad "IPv$fam: $(asks "$tmp/init$fam.pcap" $fam) requests for $r without -O noinitndc"
	run noinit$fam $fam -O noinitndc
	[ "$(asks "$tmp/noinit$fam.pcap" $fam)" = 1 ] &&
	    ok "IPv$fam: -O noinitndc: the prober asked for $r itself, once" ||
	    bad "IPv$fam: $(asks "$tmp/noinit$fam.pcap" $fam) requests for $r with -O noinitndc"
	lab_exec h1 ip -$fam neigh flush dev lan0
	run flushed$fam $fam
	[ "$(asks "$tmp/flushed$fam.pcap" $fam)" = 1 ] &&
	    ok "IPv$fam: the table flushed: the prober asked for $r itself" ||
	    bad "IPv$fam: $(asks "$tmp/flushed$fam.pcap" $fam) requests for $r after a flush"
done

lab_checks_end
