#!/usr/bin/env bash
# test_tbit_lab.sh SCAMPER HELPER SC_WARTS2JSON SC_WARTS2TEXT: tbit against
# Linux's own TCP in namespaces: client c -- router r -- server s, an
# HTTP server (python3 http.server, a 300 kB file) and a BGP speaker
# (bgpd.py) on s.  Each type must give the result the server's settings
# imply, over IPv4 and IPv6: ECN on/off, SACK on/off, initcwnd 10/4, PMTUD
# (a Packet Too Big honoured; DF off; MTU below Linux's minimum: DF
# cleared; the router dropping ICMP: fail; the router clamping the MSS:
# toosmall; -O blackhole with MTU probing on), the blind attacks (RFC 5961
# challenge ACKs, offset 0 accepted), abc, bgp's OPEN with a 2- and a
# 4-byte AS.  The firewall: without -F tbit is refused, saying how to
# enable it; our rule is in `nft list ruleset` only while its measurement
# runs; after kill -9 of the prober it is gone within a second; two
# scampers at once have rules of their own.  Formats: Debian's
# sc_warts2json and sc_warts2text print our warts as our tools do.
# Needs root; skipped otherwise.
ourjson=$3
ourtext=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tbitlab.sh"
tbitlab_lab tbit <<'EOF'
node c host
node r router
node s host
link c r 192.0.2.1/24 192.0.2.254/24 2001:db8:1::1/64 2001:db8:1::ff/64
link r s 198.51.100.254/24 198.51.100.2/24 2001:db8:2::ff/64 2001:db8:2::2/64
route c 198.51.100.0/24 via 192.0.2.254
route c 2001:db8:2::/64 via 2001:db8:1::ff
route s 192.0.2.0/24 via 198.51.100.254
route s 2001:db8:1::/64 via 2001:db8:2::ff
EOF
S4=198.51.100.2 S6=2001:db8:2::2
SIF=$(lab_ifname s r)
R=$(lab_ns r)
# one TCP segment per packet on the wire (veth would pass the server's
# 64 kB TSO packets whole)
ip -n "$(lab_ns s)" link set dev "$SIF" gso_max_segs 1 || exit 1


mkdir -p "$tmp/www"
head -c 300000 /dev/zero | tr '\0' x >"$tmp/www/big.txt"
echo small >"$tmp/www/small.txt"
# http.server's listen backlog of 5 would drop handshakes of tbits that
# run together (and so make the server's side differ from ours)
httpd() {
	(cd "$tmp/www" && lab_bg s $py -c "import http.server as h
h.ThreadingHTTPServer.request_queue_size = 128
h.ThreadingHTTPServer.address_family = __import__('socket').AF_INET6
h.ThreadingHTTPServer(('::', $1), h.SimpleHTTPRequestHandler).serve_forever()" \
	    >/dev/null)
}
# a server started without path MTU discovery (sockets take it when
# made), for pmtud-nodf; then the one everything else uses
lab_exec s sysctl -q -w net.ipv4.ip_no_pmtu_disc=1
# TCP fast open for every listener (taken at listen time)
lab_exec s sysctl -q -w net.ipv4.tcp_fastopen=0x403
httpd 8081
# (its listening socket must exist before the setting goes back: wait
# for it, however long python takes to start on a loaded machine)
for i in $(seq 150); do
	lab_exec s ss -Hltn 'sport = :8081' 2>/dev/null | grep -q . && break
	sleep 0.2
done
lab_exec s sysctl -q -w net.ipv4.ip_no_pmtu_disc=0
httpd 80
lab_bg s $py "$here/bgpd.py" "$tmp/bgp.log" >/dev/null
for i in $(seq 50); do
	lab_exec c $py -c "import socket
for p in (80, 8081, 179): socket.create_connection(('$S4', p), 1)" \
	    2>/dev/null && break
	sleep 0.2
done

ss() { lab_exec s sysctl -q -w "$@" >/dev/null; }
# the server's defaults, and no PMTU learnt from an earlier case
reset() {
	ss net.ipv4.tcp_ecn=2 net.ipv4.tcp_sack=1 net.ipv4.tcp_mtu_probing=0
	lab_exec s ip route change 192.0.2.0/24 via 198.51.100.254
	lab_exec s ip -6 route change 2001:db8:1::/64 via 2001:db8:2::ff
	lab_exec s ip route flush cache
	lab_exec s ip -6 route flush cache
	ip netns exec "$R" nft delete table inet tbitlab 2>/dev/null
	return 0
}
# router rules: RULE in a forward chain
router() {
	ip netns exec "$R" nft -f - <<EOF
table inet tbitlab {
	chain forward_c { type filter hook forward priority -150; $1; }
}
EOF
	[ $? = 0 ] || bad "router rule '$1' refused by nft"
}

# run NAME CMD...: our scamper with the firewall, JSON to NAME.json
run() {
	local name=$1; shift
	local args=() c
	for c in "$@"; do args+=(-I "$c"); done
	lab_exec c timeout 120 "$scamper" -F nft -p 100 -O json \
	    -o "$tmp/$name.json" "${args[@]}" 2>"$tmp/$name.err"
	$py "$here/tbit_check.py" "$tmp/$name.json" >"$tmp/$name.res"
}
# expect NAME UID WANT: the record of -U UID has result (and extra) WANT
expect() {
	local got
	got=$(awk -v u="$2" '$1 == u { $1 = ""; sub(/^ /, ""); print }' \
	    "$tmp/$1.res")
	if [[ "$got" == $3 ]]; then
		ok "$1 -U $2: $got"
	else
		bad "$1 -U $2: got '$got', expected '$3'"
		sed -n 1,5p "$tmp/$1.err"
	fi
}

U="-u http://s/big.txt"
# ---- the server's defaults: ECN on request, SACK, IW 10 -----------------
reset
# the server's retransmission timeout at least 1 s (Linux's floor is 200
# ms): on a loaded machine our duplicate ACKs can take longer than that
# to leave, and the server's timeout, not our SACK blocks, would then
# decide what it retransmits (sack-rcvr-nosack or -timeout)
lab_exec s ip route change 192.0.2.0/24 via 198.51.100.254 rto_min 1s
lab_exec s ip -6 route change 2001:db8:1::/64 via 2001:db8:2::ff rto_min 1s
run defaults \
    "tbit -U 1 -t null $U $S4" "tbit -U 2 -t null $U $S6" \
    "tbit -U 3 -t null -O tcpts -O sack $U $S4" \
    "tbit -U 4 -t null -O tcpts -O sack $U $S6" \
    "tbit -U 5 -t ecn $S4" "tbit -U 6 -t ecn $S6" \
    "tbit -U 7 -t sack-rcvr $U $S4" "tbit -U 8 -t sack-rcvr $U $S6" \
    "tbit -U 9 -t icw $U $S4" "tbit -U 10 -t icw $U $S6" \
    "tbit -U 11 -t blind-rst $S4" "tbit -U 12 -t blind-rst $S6" \
    "tbit -U 13 -t blind-rst -o 0 $S4" "tbit -U 14 -t blind-rst -o 0 $S6" \
    "tbit -U 15 -t blind-syn $S4" "tbit -U 16 -t blind-syn $S6" \
    "tbit -U 17 -t blind-data $S4" "tbit -U 18 -t blind-data $S6" \
    "tbit -U 19 -t blind-data -o 0 $S4" \
    "tbit -U 20 -t blind-data -o 0 $S6" \
    "tbit -U 21 -t abc -i 10 $U $S4" \
    "tbit -U 22 -t null -p bgp -b 65001 $S4" \
    "tbit -U 23 -t null -p bgp -b 4200000001 $S6" \
    "tbit -U 24 -t null -O fo $U $S4" "tbit -U 25 -t null -O fo-exp $U $S6" \
    "tbit -U 26 -t null -O iprr-syn $U $S4" \
    "tbit -U 27 -t blind-fin -o 0 $S4"
expect defaults 1 "null-success null_results="
expect defaults 2 "null-success null_results="
expect defaults 3 "null-success null_results=tcpts-ok,sack-ok"
expect defaults 4 "null-success null_results=tcpts-ok,sack-ok"
expect defaults 5 "ecn-success"
expect defaults 6 "ecn-success"
expect defaults 7 "sack-rcvr-success"
expect defaults 8 "sack-rcvr-success"
expect defaults 9 "icw-success icw=10"
expect defaults 10 "icw-success icw=10"
expect defaults 11 "blind-challenge"
expect defaults 12 "blind-challenge"
expect defaults 13 "blind-accepted"
expect defaults 14 "blind-accepted"
expect defaults 15 "blind-challenge"
expect defaults 16 "blind-challenge"
expect defaults 17 "blind-challenge"
expect defaults 18 "blind-challenge"
expect defaults 19 "blind-accepted"
expect defaults 20 "blind-accepted"
expect defaults 21 "abc-success"
expect defaults 22 "null-success null_results="
expect defaults 23 "null-success null_results="
expect defaults 24 "null-success null_results=fo-ok"
expect defaults 25 "null-success null_results=fo-ok"
expect defaults 26 "null-success null_results="
expect defaults 27 "blind-accepted"
# the fast-open cookie the server gave, in the SYN of a second connection:
# the request goes with it and the server takes it at once
cookie=$(grep -o '"kind":"fo", "cookie":"[0-9a-f]*"' "$tmp/defaults.json" |
    head -1 | sed 's/.*"cookie":"//; s/"//')
if [ -n "$cookie" ]; then
	run focookie "tbit -U 1 -t null -f $cookie $U $S4"
	expect focookie 1 "null-success null_results=fo-ok"
	if $py -c "import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get('type') == 'tbit' and any(p['dir'] == 'tx' and
        p.get('tcp_flags') == ['syn'] and p.get('tcp_datalen', 0) > 0
        for p in r['pkts']):
        sys.exit(0)
sys.exit(1)" "$tmp/focookie.json"; then
		ok "fast open: the SYN carried the request"
	else
		bad "fast open: no data in the SYN"
	fi
else
	bad "fast open: the server gave no cookie"
fi
if grep -q "open as=65001 as4=0" "$tmp/bgp.log" &&
    grep -q "open as=23456 as4=4200000001" "$tmp/bgp.log"; then
	ok "bgp: the server read OPENs of AS 65001 and AS_TRANS+4200000001"
else
	bad "bgp: the server's log: $(tr '\n' ' ' <"$tmp/bgp.log")"
fi

# ---- ECN and SACK off, a smaller initial window -------------------------
reset
ss net.ipv4.tcp_ecn=0 net.ipv4.tcp_sack=0
lab_exec s ip route change 192.0.2.0/24 via 198.51.100.254 initcwnd 4
lab_exec s ip -6 route change 2001:db8:1::/64 via 2001:db8:2::ff initcwnd 4
run off "tbit -U 1 -t ecn $S4" "tbit -U 2 -t ecn $S6" \
    "tbit -U 3 -t sack-rcvr $U $S4" "tbit -U 4 -t sack-rcvr $U $S6" \
    "tbit -U 5 -t icw $U $S4" "tbit -U 6 -t icw $U $S6" \
    "tbit -U 7 -t null -O sack $U $S4"
expect off 1 "ecn-incapable"
expect off 2 "ecn-incapable"
expect off 3 "sack-incapable"
expect off 4 "sack-incapable"
expect off 5 "icw-success icw=4"
expect off 6 "icw-success icw=4"
expect off 7 "null-success null_results="

# ---- PMTUD ---------------------------------------------------------------
reset
run pmtud "tbit -U 1 -t pmtud $U $S4" "tbit -U 2 -t pmtud $U $S6" \
    "tbit -U 3 -t null -u http://s/small.txt $S4"
expect pmtud 1 "pmtud-success"
expect pmtud 2 "pmtud-success"
reset
run cleardf "tbit -U 1 -t pmtud -M 400 $U $S4"
expect cleardf 1 "pmtud-cleardf"
reset
run nodf "tbit -U 1 -t pmtud -u http://s:8081/big.txt $S4"
expect nodf 1 "pmtud-nodf"
reset
router "meta l4proto { icmp, icmpv6 } drop"
run icmpdrop "tbit -U 1 -t pmtud $U $S4" "tbit -U 2 -t pmtud $U $S6"
expect icmpdrop 1 "pmtud-fail"
expect icmpdrop 2 "pmtud-fail"
reset
router "tcp flags syn tcp option maxseg size set 536"
run clamp "tbit -U 1 -t pmtud $U $S4" "tbit -U 2 -t pmtud $U $S6"
expect clamp 1 "pmtud-toosmall"
expect clamp 2 "pmtud-toosmall"
reset
ss net.ipv4.tcp_mtu_probing=1
run blackhole "tbit -U 1 -t pmtud -O blackhole $U $S4"
expect blackhole 1 "pmtud-success"
reset

# ---- the firewall --------------------------------------------------------
out=$(lab_exec c "$scamper" -O json -I "tbit $S4" 2>&1)
if [[ "$out" == *"needs the firewall"*"-F nft"* ]]; then
	ok "without -F: refused, saying how: ${out:0:120}"
else
	bad "without -F: '$out'"
fi
# rules: list our table's rules by local port, while a bgp tbit idles
rules() { lab_exec c nft list ruleset 2>/dev/null | grep -c "dport $1 drop"; }
lab_exec c timeout 60 "$scamper" -F nft -w 1 -O json -o "$tmp/fw.json" \
    -I "tbit -t null -p bgp -s 40001 $S4" \
    -I "tbit -t null -p bgp -s 40002 $S4" 2>"$tmp/fw.err" & spid=$!
seen1=0 seen2=0 both=0
for i in $(seq 150); do
	lab_exec c nft list ruleset >"$tmp/snap.nft" 2>/dev/null
	a=$(grep -c "dport 40001 drop" "$tmp/snap.nft")
	b=$(grep -c "dport 40002 drop" "$tmp/snap.nft")
	[ "$a" -gt 0 ] && seen1=1
	[ "$b" -gt 0 ] && seen2=1
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && both=1
	kill -0 $spid 2>/dev/null || break
	sleep 0.1
done
wait $spid
after=$(lab_exec c nft list ruleset | grep -c "scamper_")
if [ $seen1 = 1 ] && [ $seen2 = 1 ] && [ $both = 0 ] && [ "$after" = 0 ]; then
	ok "firewall: each measurement's rule only while it ran, none after"
else
	bad "firewall: seen 40001=$seen1 40002=$seen2 together=$both, tables after=$after"
fi
# kill -9 of the prober mid-measurement: the rule is gone within a second
C=$(lab_ns c)
ip netns exec "$C" "$scamper" -F nft -O json -o /dev/null \
    -I "tbit -t null -p bgp -s 40003 $S4" 2>/dev/null & spid=$!
for i in $(seq 100); do [ "$(rules 40003)" -gt 0 ] && break; sleep 0.05; done
had=$(rules 40003)
kill -9 $spid
wait $spid 2>/dev/null
sleep 1
if [ "$had" -gt 0 ] && [ "$(rules 40003)" = 0 ]; then
	ok "kill -9 of the prober: its rule gone within a second"
else
	bad "kill -9: rule before $had, after $(rules 40003)"
fi
# two scampers at once: each its own table and rule, both measure
ip netns exec "$C" "$scamper" -F nft -O json -o "$tmp/two1.json" \
    -I "tbit -U 1 -t null -p bgp -s 40004 $S4" 2>/dev/null & p1=$!
ip netns exec "$C" "$scamper" -F nft -O json -o "$tmp/two2.json" \
    -I "tbit -U 2 -t null -p bgp -s 40005 $S4" 2>/dev/null & p2=$!
r4= r5=
for i in $(seq 100); do
	if [ "$(rules 40004)" -gt 0 ] && [ "$(rules 40005)" -gt 0 ]; then
		lab_exec c nft list ruleset >"$tmp/two.nft"
		r4=$(awk '/table inet scamper_/ { t = $3 } /dport 40004 drop/ { print t }' "$tmp/two.nft")
		r5=$(awk '/table inet scamper_/ { t = $3 } /dport 40005 drop/ { print t }' "$tmp/two.nft")
		break
	fi
	sleep 0.05
done
wait $p1 $p2
$py "$here/tbit_check.py" "$tmp/two1.json" >"$tmp/two.res"
$py "$here/tbit_check.py" "$tmp/two2.json" >>"$tmp/two.res"
if [ -n "$r4" ] && [ -n "$r5" ] && [ "$r4" != "$r5" ] &&
    [ "$(grep -c null-success "$tmp/two.res")" = 2 ]; then
	ok "two scampers: rules in tables $r4 and $r5 at once, both measured"
else
	bad "two scampers: rule tables '$r4' '$r5': $(cat "$tmp/two.res")"
fi

# ---- sting: one-way loss with netem on one direction at the router -------
# 10% loss: 400 samples give 40 +- 6 holes; the bounds are 5 sigma wide
RS=$(lab_ifname r s) RC=$(lab_ifname r c)
# sting_run DIR: stings over IPv4 and IPv6 with loss towards DIR's side
sting_run() {
	lab_exec c timeout 120 "$scamper" -F nft -p 100 -O warts \
	    -o "$tmp/sting-$1.warts" -I "sting -c 400 -m 5 -i 500 $S4" \
	    -I "sting -c 400 -m 5 -i 500 $S6" 2>"$tmp/sting-$1.err"
	"$ourtext" "$tmp/sting-$1.warts" >"$tmp/sting-$1.txt"
}
# sting_check NAME: "dataackc holec" of each record
sting_check() {
	awk '/data-ack count/ { gsub(",", ""); print $3, $5 }' "$tmp/sting-$1.txt"
}
# loss_on IF: 10% of what the router sends out of IF is lost: netem
# where the kernel has it, else every tenth TCP packet (nft numgen: the
# same count every run)
loss_on() {
	if ip netns exec "$R" tc qdisc add dev "$1" root netem loss 10% \
	    2>/dev/null; then
		echo "loss on $1: netem"
		return
	fi
	echo "loss on $1: no netem in this kernel: nft numgen, every tenth"
	router "oifname \"$1\" meta l4proto tcp numgen inc mod 10 == 0 drop"
}
loss_off() {
	ip netns exec "$R" tc qdisc del dev "$1" root 2>/dev/null
	reset
}
loss_on "$RS"
sting_run fwd
loss_off "$RS"
loss_on "$RC"
sting_run rev
loss_off "$RC"
k=0
while read -r acks holes; do
	k=$((k + 1))
	if [ "$holes" -ge 10 ] && [ "$holes" -le 70 ] &&
	    [ "$acks" -ge $(( (400 - holes) * 95 / 100 )) ]; then
		ok "sting forward loss 10% ($k): $holes holes of 400, $acks ACKs"
	else
		bad "sting forward loss 10% ($k): $holes holes, $acks ACKs"
	fi
done < <(sting_check fwd)
[ $k = 2 ] || bad "sting forward: $k records, expected 2"
k=0
while read -r acks holes; do
	k=$((k + 1))
	if [ "$holes" -le 2 ] && [ "$acks" -ge 330 ] && [ "$acks" -le 390 ]; then
		ok "sting reverse loss 10% ($k): $acks ACKs of 400, $holes holes"
	else
		bad "sting reverse loss 10% ($k): $acks ACKs, $holes holes"
	fi
done < <(sting_check rev)
[ $k = 2 ] || bad "sting reverse: $k records, expected 2"
if grep -q "needs the firewall" < <(lab_exec c "$scamper" -I "sting $S4" 2>&1); then
	ok "sting without -F: refused, saying how"
else
	bad "sting without -F was not refused"
fi

# ---- formats: Debian's tools read our warts as ours do -------------------
lab_exec c timeout 60 "$scamper" -F nft -O warts -o "$tmp/all.warts" \
    -I "tbit -t null -O tcpts -O sack -w 7 $U $S4" \
    -I "tbit -t ecn $S6" -I "tbit -t blind-rst $S4" \
    -I "tbit -t pmtud -P 192.0.2.1 $U $S4" -I "tbit -t icw $U $S6" \
    -I "tbit -t null -p bgp -b 65001 $S4" \
    -I "tbit -t null -f 0102030405060708 -w 3 -O tcpts $U $S4" 2>/dev/null
if command -v sc_warts2json >/dev/null; then
	TZ=UTC sc_warts2json "$tmp/all.warts" >"$tmp/d.json" 2>&1
	TZ=UTC "$ourjson" "$tmp/all.warts" >"$tmp/o.json" 2>&1
	TZ=UTC sc_warts2text "$tmp/all.warts" >"$tmp/d.txt" 2>&1
	TZ=UTC "$ourtext" "$tmp/all.warts" >"$tmp/o.txt" 2>&1
	nrec=$(grep -c '"type":"tbit"' "$tmp/d.json")
	if [ "$nrec" = 7 ] && cmp -s "$tmp/d.json" "$tmp/o.json" &&
	    cmp -s "$tmp/d.txt" "$tmp/o.txt"; then
		ok "Debian's sc_warts2json/sc_warts2text read our 7 tbit records as ours print them"
	else
		bad "formats: $nrec records; $(diff "$tmp/d.json" "$tmp/o.json" | head -3; diff "$tmp/d.txt" "$tmp/o.txt" | head -3)"
	fi
	for f in fwd rev; do
		TZ=UTC sc_warts2text "$tmp/sting-$f.warts" >"$tmp/ds.txt" 2>&1
		if [ -s "$tmp/ds.txt" ] && cmp -s "$tmp/ds.txt" "$tmp/sting-$f.txt"; then
			ok "Debian's sc_warts2text reads our sting ($f) as ours prints it"
		else
			bad "sting $f formats: $(diff "$tmp/ds.txt" "$tmp/sting-$f.txt" | head -4)"
		fi
	done
else
	echo "note: Debian's scamper tools are not installed: formats not compared"
fi

tbitlab_end
