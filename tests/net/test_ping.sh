#!/usr/bin/env bash
# test_ping.sh SCAMPER HELPER: our ping against Linux hosts in the basic
# lab: every method over IPv4 and IPv6 (where it exists) prints Debian
# scamper's text and JSON for the same ping (RTTs, times, IP IDs, ports
# and timestamps masked), and every reply we record is on the wire as we
# record it (tcpdump of the same run); record route, timestamps, tcp-syn
# to an open and a closed port, -C, -O spoof, -M, -O tbt, -o, -O tsps lists,
# tcp-ack-sport replies that come back after later probes went out; and
# every bad option value is refused with a message naming it.
# Needs root; skipped otherwise.
set -u
scamper=$1
export SCAMPER_HELPER_BIN=$2
ourjson=${3:-}	# our sc_warts2json (optional)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
. "$here/../lab/basic.sh"
. "$here/debian.sh"
lab_require_root
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit 77; }
lab_basic ping || exit 1
D4=203.0.113.1 D6=2001:db8:ff::1

lab_checks

ours() { basic_prober ours && lab_exec h1 timeout 60 "$scamper" "$@"; }
theirs() { basic_prober theirs && lab_exec h1 timeout 60 scamper "$@"; }
have_theirs=0
command -v scamper >/dev/null && have_theirs=1

# (record route and timestamps name routers of the ECMP pair: which
# branch is hidden, tests/lab/basic.sh)
mask_text() {
	sed -E 's/[0-9]+\.[0-9]{3}( ms|\/)/X\1/g; s/(ts[orst])=[0-9:.]+/\1=T/g;
	    s/^( TS: |     )([0-9.]+ +)?[0-9]+$/\1\2TS/' | basic_mask
}
mask_json() {
	sed -E 's/"(sec|usec|rtt|probe_ipid|reply_ipid|sport|tcp_seq|tcp_ack|min|max|avg|stddev|ts|start_time|stop_time)":[0-9.]+/"\1":X/g;
	    s/"tsonly":\[[0-9,]+\]/"tsonly":[X]/g; s/"hostname":"[^"]*", //' |
	    basic_mask
}

# tcpdump on h1's link to r1 around a command: cap FILE CMD...  The
# capture starts once tcpdump says it listens, and ends once a marker
# sent after CMD (an echo request to r1 with its own pattern) is in the
# file: every packet of CMD was captured by then.  Bounded waits only.
h1if=$(lab_ifname h1 r1)
ncap=0
cap() {
	local f=$1 pid log mark i; shift
	ncap=$((ncap + 1))
	mark=$(printf 'c0ffee%04x' $ncap)
	pid=$(lab_bg h1 tcpdump -i "$h1if" -nn -U -s 0 -w "$f" \
	    'not arp and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)')
	log=$(lab_bglog "$pid")
	for i in $(seq 200); do
		grep -q 'listening on' "$log" 2>/dev/null && break
		sleep 0.05
	done
	"$@"
	lab_exec h1 ping -c 1 -W 1 -p "$mark" 192.0.2.2 >/dev/null 2>&1
	for i in $(seq 200); do
		tcpdump -r "$f" -nn -x 'icmp[0] == 8' 2>/dev/null |
		    tr -d ' \n' | grep -q "$mark" && break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# The packets of a capture, one line each: "src=A size=N ttl=T [ipid=I]
# dst=B[.PORT]: <rest of tcpdump's line>" (the outer header's fields).
wire() {
	tcpdump -r "$1" -nn -v 2>/dev/null | awk '
	    /^[0-9]/ { if (l != "") print l; l = $0; next }
	    { l = l " " $0 } END { if (l != "") print l }' |
	sed -E -n \
	    -e 's/^[0-9:.]+ IP \(tos [^,]*, ttl ([0-9]+), id ([0-9]+), offset [0-9]+, flags \[[^]]*\], proto [^,]*, length ([0-9]+)[^>]* ([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(\.[0-9]+)? > ([0-9.]+): (.*)/src=\4 size=\3 ttl=\1 ipid=\2 dst=\6: \7/p' \
	    -e 's/^[0-9:.]+ IP6 \(.*hlim ([0-9]+), next-header [^)]*\) payload length: ([0-9]+)\) ([0-9a-f:]+)(\.[0-9]+)? > ([0-9a-f:]+)(\.[0-9]+)?: (.*)/src=\3 plen=\2 ttl=\1 dst=\5\6: \7/p' |
	awk '{ if ($2 ~ /^plen=/) { sub(/^plen=/, "", $2); $2 = "size=" ($2 + 40) } print }'
}

# on_wire PCAP JSON FLOW [JSON FLOW ...]: every response of each JSON
# file is a packet of capture PCAP (wire's lines, kept in PCAP.txt) with
# its source, size, TTL, IP ID and kind, that matches the regex FLOW (the
# run's own ports or ICMP id, see flow).  Prints one line per JSON file,
# "ok" or what is wrong (one python for all: its start is costly on a
# loaded machine).
on_wire() {
	[ -s "$1.txt" ] || wire "$1" >"$1.txt"
	python3 - "$1.txt" "${@:2}" <<'PY'
import json, re, sys
wire = open(sys.argv[1]).read().split("\n")
kinds = [((0, None), "echo reply"), ((129, None), "echo reply"),
         ((14, None), "time stamp reply"), ((3, 3), "port [0-9]+ unreachable"),
         ((1, 4), "unreachable port")]
def check(path, flow):
  n = 0
  for l in open(path):
    o = json.loads(l)
    if o.get("type") != "ping":
        continue
    for r in o.get("responses", []):
        n += 1
        head = "src=%s size=%d ttl=%d" % (r["from"], r["reply_size"],
                                         r["reply_ttl"])
        if "reply_ipid" in r and ":" not in r["from"]:
            head += " ipid=%d" % r["reply_ipid"]
        what = None
        if "tcp_flags" in r:
            what = {20: r"Flags \[R\.\]", 4: r"Flags \[R\]",
                    18: r"Flags \[S\.\]"}.get(r["tcp_flags"])
        for (t, c), w in kinds:
            if r.get("icmp_type") == t and c in (None, r.get("icmp_code")):
                what = w
        if not any(w.startswith(head + " ") and what and re.search(what, w)
                   and flow.search(w) for w in wire):
            return "not on the wire: %s %s (%s)" % (head, what, flow.pattern)
  return "ok" if n > 0 else "no responses"
a = sys.argv[2:]
for path, flow in zip(a[0::2], a[1::2]):
    try:
        print(check(path, re.compile(flow)))
    except (OSError, ValueError) as e:
        print("cannot read %s: %s" % (path, e))
PY
}

# flow METHOD PORT FAMILY: what a reply to a ping -F PORT says of its
# flow on the wire: the ICMP id, the port it is sent to, the source port
# of the probe it quotes (ICMPv6 errors do not show it: any, there)
flow() {
	case $1 in
	icmp-echo|icmp-time) echo "id $2[, ]" ;;
	tcp-ack-sport)	echo "\.($2|$(($2 + 1))|$(($2 + 2))): Flags" ;;
	tcp-*)		echo "\.$2: Flags" ;;
	udp*)		[ "$3" = 4 ] && echo "\.$2 > " || echo . ;;
	esac
}

# ---- every method, both families ------------------------------------
# Every run has ports (or an ICMP id) of its own, -F: run R of combination
# I uses 41000 + 50 I + 5 R (tcp-ack-sport takes three from there).  All
# our JSON runs go out together under one capture, each reply found on
# the wire by its flow; then our text and warts runs and Debian's JSON and
# text runs, a family at a time.
combos=()
for m in icmp-echo icmp-time tcp-syn tcp-ack tcp-ack-sport udp udp-dport; do
	combos+=("$m 4")
	[ $m = icmp-time ] || combos+=("$m 6")
done
port() { echo $((41000 + 50 * $1 + 5 * $2)); }
# (reply numbers hidden where $tcpseq is 1; see below)
seqmask() {
	if [ "$tcpseq" = 1 ]; then
		sed -E 's/("seq":|seq=)[0-9]+/\1N/g;
		    s/, [0-9]+ packets received.*/, STATS/;
		    s/"statistics":\{[^}]*\}/"statistics":S/'
	else
		cat
	fi
}
pcmd() {	# pcmd I R: the command of run R of combination I
	local m fam
	read -r m fam <<<"${combos[$1]}"
	[ $fam = 4 ] && fam=$D4 || fam=$D6
	echo "ping -c 3 -i 0.2 -P $m -F $(port "$1" "$2") $fam"
}
all_json() {
	local i pids=
	for i in "${!combos[@]}"; do
		ours -O json -I "$(pcmd "$i" 0)" >"$tmp/oj$i" 2>"$tmp/oe$i" &
		pids="$pids $!"
	done
	wait $pids
}
cap "$tmp/all.pcap" all_json
args=()
for i in "${!combos[@]}"; do
	read -r m fam <<<"${combos[$i]}"
	args+=("$tmp/oj$i" "$(flow "$m" "$(port "$i" 0)" "$fam")")
done
mapfile -t whys < <(on_wire "$tmp/all.pcap" "${args[@]}")
for i in "${!combos[@]}"; do
	cmd=$(pcmd "$i" 0)
	why=${whys[$i]:-no answer}
	if grep -q '"replies":3' "$tmp/oj$i" && [ "$why" = ok ]; then
		ok "ours $cmd: 3 replies, each on the wire as recorded"
	else
		bad "ours $cmd: $why $(cat "$tmp/oj$i" "$tmp/oe$i")"
	fi
done
if [ $have_theirs = 1 ]; then
	for f in 4 6; do
		pids=
		for i in "${!combos[@]}"; do
			read -r m fam <<<"${combos[$i]}"
			[ "$fam" = $f ] || continue
			ours -I "$(pcmd "$i" 1)" >"$tmp/ot$i" 2>&1 &
			pids="$pids $!"
			if [ -n "$ourjson" ]; then
				ours -O warts -o "$tmp/ow$i.warts" \
				    -I "$(pcmd "$i" 2)" >/dev/null 2>&1 &
				pids="$pids $!"
			fi
			basic_split $pids
			theirs -O json -I "$(pcmd "$i" 3)" >"$tmp/tj$i" \
			    2>/dev/null &
			pids="$pids $!"
			theirs -I "$(pcmd "$i" 4)" >"$tmp/tt$i" 2>/dev/null &
			pids="$pids $!"
		done
		wait $pids
	done
fi
for i in "${!combos[@]}"; do
	[ $have_theirs = 1 ] || break
	read -r m fam <<<"${combos[$i]}"
	[ $fam = 4 ] && cmd="ping -c 3 -i 0.2 -P $m $D4" ||
	    cmd="ping -c 3 -i 0.2 -P $m $D6"
	# our warts file: Debian's tools read it, and Debian's
	# sc_warts2json gives the objects ours gives
	if [ -n "$ourjson" ]; then
		if debian_reads "$tmp/ow$i.warts" ping; then
			ok "Debian's sc_wartsdump and sc_warts2json read our warts for $cmd"
		else
			bad "warts for $cmd: $(head -5 "$tmp/dump" "$tmp/diff")"
		fi
	fi
	# Debian's tcp-syn and tcp-ack number a reset by when it arrives
	# (seen on a busy machine: two resets both numbered 1, counted as a
	# duplicate and a loss), so the numbers of TCP replies, and the
	# statistics made from them, are ours to check (one reply to each of
	# probes 0, 1, 2), not to compare
	tcpseq=0
	case $m in
	tcp-syn|tcp-ack)
		tcpseq=1
		[ "$(grep -o '"seq":[0-9]*' "$tmp/oj$i" | sort | tr '\n' ' ')" = \
		    '"seq":0 "seq":1 "seq":2 ' ] &&
		    ok "ours $cmd: replies to probes 0, 1 and 2" ||
		    bad "ours $cmd: reply numbers: $(cat "$tmp/oj$i")" ;;
	esac
	if grep -q '"type":"ping"' "$tmp/oj$i" &&
	    diff <(mask_json <"$tmp/oj$i" | seqmask) \
	    <(mask_json <"$tmp/tj$i" | seqmask) >"$tmp/diff"; then
		ok "ours and Debian's JSON agree for $cmd"
	else
		bad "JSON differs from Debian's for $cmd: $(cat "$tmp/diff")"
	fi
	if grep -q 'packets received' "$tmp/ot$i" &&
	    diff <(mask_text <"$tmp/ot$i" | seqmask) \
	    <(mask_text <"$tmp/tt$i" | seqmask) >"$tmp/diff"; then
		ok "ours and Debian's text agree for $cmd"
	else
		bad "text differs from Debian's for $cmd: $(cat "$tmp/diff")"
	fi
done

# ---- tcp-ack-sport: replies that arrive after later probes went out ----
# h2 holds back what it sends (netem: 100 ms each; without netem, a
# 4 kbit/s token bucket: one reset about every 100 ms), so with -i 0.01
# the resets to earlier probes come back after the later probes (each
# from its own port) have gone out.
h2if=$(lab_ifname h2 r5)
if lab_exec h2 tc qdisc add dev "$h2if" root netem delay 100ms 2>/dev/null ||
    lab_exec h2 tc qdisc add dev "$h2if" root tbf rate 4kbit burst 100 \
    limit 100000 2>"$tmp/tc"; then
	for dst in $D4 $D6; do
		cmd="ping -c 5 -i 0.01 -W 3 -P tcp-ack-sport $dst"
		ours -O json -I "$cmd" >"$tmp/o" 2>&1
		grep -q '"ping_sent":5, .*"replies":5' "$tmp/o" &&
		    [ "$(grep -o '"seq":[0-4],' "$tmp/o" | sort -u | wc -l)" = 5 ] &&
		    ok "$cmd with late replies: all 5 matched" ||
		    bad "$cmd with late replies: $(cat "$tmp/o")"
	done
	lab_exec h2 tc qdisc del dev "$h2if" root
else
	echo "skip: no tc qdisc to delay replies: $(cat "$tmp/tc")"
fi

# ---- options whose output Debian's equals ----------------------------
# (every run at once: each has its own ICMP id or port, from its pid;
# -F 4660 is one run of ours and one of Debian's, one after the other)
opts=("-R" "-T tsonly" "-T tsandaddr" "-C 4660" \
    "-B 0102030405060708 -C 4660" "-p abcd -s 100" "-P icmp-time -R" \
    "-W 2 -s 120 -m 30 -z 4 -U 9 -p abcd -o 1" "-F 4660 -d 5" \
    "-P udp -B 0102" "-P tcp-syn -s 60" "-O spoof -S 198.51.100.7")
if [ $have_theirs = 1 ]; then
	pids=
	for i in "${!opts[@]}"; do
		cmd="ping -c 2 -i 0.2 ${opts[$i]} $D4"
		if [ "${opts[$i]}" = "-F 4660 -d 5" ]; then
			{ ours -O json -I "$cmd" >"$tmp/o$i.json" 2>&1
			  theirs -O json -I "$cmd" >"$tmp/t$i.json" 2>/dev/null; } &
			pids="$pids $!"
			continue
		fi
		ours -O json -I "$cmd" >"$tmp/o$i.json" 2>&1 &
		pids="$pids $!"
		basic_split $pids
		theirs -O json -I "$cmd" >"$tmp/t$i.json" 2>/dev/null &
		pids="$pids $!"
	done
	wait $pids
	for i in "${!opts[@]}"; do
		cmd="ping -c 2 -i 0.2 ${opts[$i]} $D4"
		if grep -q '"type":"ping"' "$tmp/o$i.json" &&
		    diff <(mask_json <"$tmp/o$i.json") \
		    <(mask_json <"$tmp/t$i.json") >"$tmp/diff"; then
			ok "ours and Debian's JSON agree for $cmd"
		else
			bad "JSON differs from Debian's for $cmd: $(cat "$tmp/diff")"
		fi
	done
fi

# ---- record route and timestamps -------------------------------------
pids=
ours -I "ping -c 1 -R $D4" >"$tmp/rr" 2>&1 &
pids="$pids $!"
ours -O json -I "ping -c 1 -T tsonly $D4" >"$tmp/ts1" 2>&1 &
pids="$pids $!"
ours -O json -I "ping -c 1 -T tsandaddr $D4" >"$tmp/ts2" 2>&1 &
pids="$pids $!"
ours -O json -I "ping -c 1 -T tsprespec=192.0.2.6,$D4 $D4" >"$tmp/ts3" 2>&1 &
pids="$pids $!"
ours -I "ping -c 1 -P icmp-time $D4" >"$tmp/it" 2>&1 &
wait $pids $!
# forward: r1 r2 r3a|r3b r4 r5 (their far-side addresses), h2; back: ...
if [ "$(grep -cE '^( RR: |     )[0-9.]+$' "$tmp/rr")" -eq 9 ] &&
    grep -q ' RR: 192\.0\.2\.5$' "$tmp/rr" && grep -q '^     192\.0\.2\.25$' "$tmp/rr" &&
    grep -q '^     192\.0\.2\.29$' "$tmp/rr" && grep -q '^     203\.0\.113\.1$' "$tmp/rr"; then
	ok "-R lists the lab's routers"
else
	bad "-R: $(cat "$tmp/rr")"
fi
grep -Eq '"tsonly":\[[1-9][0-9]*(,[1-9][0-9]*){8}\]' "$tmp/ts1" &&
    ok "-T tsonly returns 9 timestamps" || bad "-T tsonly: $(cat "$tmp/ts1")"
grep -Eq '"tsandaddr":\[\{"ip":"192\.0\.2\.2","ts":[1-9][0-9]*\},\{"ip":"192\.0\.2\.6",' "$tmp/ts2" &&
    ok "-T tsandaddr returns the routers' addresses and timestamps" ||
    bad "-T tsandaddr: $(cat "$tmp/ts2")"
grep -Eq '"probe_size":104, .*"probe_tsps":\["192\.0\.2\.6","203\.0\.113\.1"\].*"tsandaddr":\[\{"ip":"192\.0\.2\.6","ts":[1-9][0-9]*\},\{"ip":"203\.0\.113\.1","ts":[1-9][0-9]*\}\]' "$tmp/ts3" &&
    ok "-T tsprespec stamps the prespecified addresses" ||
    bad "-T tsprespec: $(cat "$tmp/ts3")"
grep -Eq '^40 bytes from 203\.0\.113\.1, seq=0 ttl=59 time=[0-9.]+ ms tso=[0-9:.]+ tsr=[0-9:.]+ tst=[0-9:.]+$' "$tmp/it" &&
    ok "icmp-time records the timestamp reply" || bad "icmp-time: $(cat "$tmp/it")"

# ---- TCP to an open and a closed port; UDP to a closed port ----------
lab_bg h2 nc -lk $D4 80 >/dev/null
lab_bg h2 nc -6 -lk $D6 80 >/dev/null
for i in $(seq 100); do
	[ "$(lab_exec h2 ss -ltnH 'sport = :80' 2>/dev/null | wc -l)" -ge 2 ] &&
	    break
	sleep 0.05
done
pids=
for dst in $D4 $D6; do
	ours -I "ping -c 2 -i 0.2 -P tcp-syn -d 80 $dst" >"$tmp/open$dst" 2>&1 &
	pids="$pids $!"
	ours -I "ping -c 2 -i 0.2 -P tcp-syn -d 81 $dst" >"$tmp/closed$dst" 2>&1 &
	pids="$pids $!"
done
ours -O json -I "ping -c 2 -i 0.2 -P udp $D4" >"$tmp/o" 2>&1 &
wait $pids $!
for dst in $D4 $D6; do
	[ "$(grep -c "seq=[01] tcp=open " "$tmp/open$dst")" -eq 2 ] &&
	    ok "tcp-syn to a listening port of $dst: open" ||
	    bad "tcp-syn open: $(cat "$tmp/open$dst")"
	[ "$(grep -c "seq=[01] tcp=closed " "$tmp/closed$dst")" -eq 2 ] &&
	    ok "tcp-syn to a closed port of $dst: closed" ||
	    bad "tcp-syn closed: $(cat "$tmp/closed$dst")"
done
[ "$(grep -o '"icmp_type":3, "icmp_code":3' "$tmp/o" | wc -l)" -eq 2 ] &&
    ok "udp to a closed port: port unreachable" || bad "udp: $(cat "$tmp/o")"

# ---- -C, -O spoof, -M on the wire -------------------------------------
# (four pings at once under one capture: each has its own ICMP id, and
# each check looks at its own packets)
four() {
	local pids=
	ours -I "ping -c 1 -C 4660 $D4" >/dev/null 2>&1 &
	pids="$pids $!"
	ours -I "ping -c 1 -O spoof -S 198.51.100.7 $D4" >/dev/null 2>&1 &
	pids="$pids $!"
	ours -I "ping -c 3 -i 0.3 -s 1000 -M 600 $D4" >"$tmp/m4" 2>&1 &
	pids="$pids $!"
	ours -I "ping -c 3 -i 0.3 -s 1400 -M 1280 $D6" >"$tmp/m6" 2>&1 &
	pids="$pids $!"
	wait $pids
}
cap "$tmp/c.pcap" four
tcpdump -r "$tmp/c.pcap" -nn -x 'icmp[0] == 8' 2>/dev/null | grep -q '0x0010:  cb00 7101 0800 1234 ' &&
    ok "-C 4660 puts checksum 0x1234 on the wire" ||
    bad "-C: $(tcpdump -r "$tmp/c.pcap" -nn -x 2>/dev/null)"
tcpdump -r "$tmp/c.pcap" -nn -x 'icmp[0] == 8 and src host 198.51.100.7' \
    2>/dev/null >"$tmp/s.txt"
grep -q '198\.51\.100\.7 > 203\.0\.113\.1: ICMP echo request' "$tmp/s.txt" &&
    grep -Eq '0x0010:  cb00 7101 0800 [0-9a-f]{4} [0-9a-f]{4} 0000 c000 0201' "$tmp/s.txt" &&
    ok "-O spoof: the spoofed source on the wire, ours in the payload" ||
    bad "-O spoof: $(cat "$tmp/s.txt")"

# -M: a Packet Too Big, then fragmented replies
tcpdump -r "$tmp/c.pcap" -nn -v icmp 2>/dev/null >"$tmp/m4.txt"
grep -q '192\.0\.2\.1 > 203\.0\.113\.1: ICMP 192\.0\.2\.1 unreachable - need to frag (mtu 600)' "$tmp/m4.txt" &&
    grep -A1 'flags \[+\], proto ICMP' "$tmp/m4.txt" | grep -q '203\.0\.113\.1 > 192\.0\.2\.1: ICMP echo reply' &&
    [ "$(grep -c '^1000 bytes from' "$tmp/m4")" -eq 3 ] &&
    ok "-M 600 (IPv4): frag-needed sent, then fragmented replies" ||
    bad "-M IPv4: $(cat "$tmp/m4" "$tmp/m4.txt")"
tcpdump -r "$tmp/c.pcap" -nn -v icmp6 or ip6 2>/dev/null >"$tmp/m6.txt"
grep -q 'ICMP6, packet too big, mtu 1280' "$tmp/m6.txt" &&
    grep -q '2001:db8:ff::1 > 2001:db8:1::1: frag (' "$tmp/m6.txt" &&
    [ "$(grep -c '^1400 bytes from' "$tmp/m6")" -eq 3 ] &&
    ok "-M 1280 (IPv6): packet too big sent, then fragmented replies" ||
    bad "-M IPv6: $(cat "$tmp/m6" "$tmp/m6.txt")"

# ---- -O tbt: the too-big trick -----------------------------------------
# h2 forgets the path MTU it learned above, so its first reply comes
# whole (1300 bytes, and draws a Packet Too Big) and the later ones in
# fragments, each recorded with its first fragment's size and the
# fragment identification; -o 2 counts only the fragmented replies.
cmd="ping -O tbt -M 1280 -s 1300 -c 5 -i 0.3 -o 2 $D6"
lab_exec h2 ip -6 route flush cache
cap "$tmp/t.pcap" ours -O json -I "$cmd" >"$tmp/o.json" 2>&1
tcpdump -r "$tmp/t.pcap" -nn -v icmp6 or ip6 2>/dev/null >"$tmp/t.txt"
sed 's/{"from"/\n{"from"/g' "$tmp/o.json" | grep '^{"from"' >"$tmp/t.resp"
ids=$(sed -En 's/.*"reply_size":1280, .*"reply_ipid":([0-9]+),.*/\1/p' "$tmp/t.resp")
wired=0
for id in $ids; do
	grep -q "2001:db8:ff::1 > 2001:db8:1::1: frag ($(printf '0x%08x' "$id"):0|1232) ICMP6, echo reply" \
	    "$tmp/t.txt" && wired=$((wired + 1))
done
grep -q '"ping_sent":3, .*"flags":\["dl","tbt"\]' "$tmp/o.json" &&
    [ "$(wc -l <"$tmp/t.resp")" = 3 ] &&
    head -1 "$tmp/t.resp" | grep '"reply_size":1300,' | grep -vq reply_ipid &&
    [ "$wired" = 2 ] && grep -q 'ICMP6, packet too big, mtu 1280' "$tmp/t.txt" &&
    ok "$cmd: one whole reply, a PTB, then 2 fragmented replies whose ids are on the wire" ||
    bad "-O tbt: $(cat "$tmp/o.json" "$tmp/t.txt")"
if [ $have_theirs = 1 ]; then
	lab_exec h2 ip -6 route flush cache
	theirs -O json -I "$cmd" >"$tmp/t.json" 2>/dev/null
	if diff <(mask_json <"$tmp/o.json") <(mask_json <"$tmp/t.json") \
	    >"$tmp/diff"; then
		ok "ours and Debian's JSON agree for $cmd"
	else
		bad "JSON differs from Debian's for $cmd: $(cat "$tmp/diff")"
	fi
fi

# ---- -o, -O tsps --------------------------------------------------------
ours -O json -I "ping -c 5 -i 0.2 -o 2 $D4" >"$tmp/o" 2>&1
grep -q '"ping_sent":2,.*"replies":2' "$tmp/o" &&
    ok "-c 5 -o 2 stops after 2 replies" || bad "-o: $(cat "$tmp/o")"
printf '# target, then the prespecified addresses\n%s 192.0.2.6 %s\n' $D4 $D4 >"$tmp/tsps.txt"
ours -O json -O tsps -c "ping -c 1" -f "$tmp/tsps.txt" >"$tmp/o" 2>&1
if grep -q -- '-O tsps: not implemented yet' "$tmp/o"; then
	echo "skip: -O tsps is not switched on in prober/opts.c yet"
elif grep -q '"ping_sent":1, .*"probe_tsps":\["192\.0\.2\.6","203\.0\.113\.1"\].*"tsandaddr":\[' "$tmp/o"; then
	ok "-O tsps: the list's addresses are prespecified"
else
	bad "-O tsps: $(cat "$tmp/o")"
fi

# ---- bad option values --------------------------------------------------
# (every refusal at once: none of them sends anything)
refusals=()
while IFS='|' read -r opt want; do
	refusals+=("$opt|$want|$D4")
done <<'EOF'
-c 0|-c: invalid value '0' (expected 1 to 65535)
-i 0|-i: invalid value '0' (expected seconds from 0.001 to 20)
-i 1.2.3|-i: invalid value '1.2.3'
-i 21|-i: invalid value '21'
-W 0|-W: invalid value '0'
-m 256|-m: invalid value '256'
-z 256|-z: invalid value '256'
-s 20|-s: 20 is too small
-s 65536|-s: invalid value '65536'
-p 0102030405060708090a0b0c0d0e0f1011|-p: hex value must be 1 to 16 whole bytes
-B 0x|-B: '0x' is not hex
-B 01 -p 02|-B: cannot be combined with -p
-R -T tsonly|-R: cannot be combined with -T
-T foo|-T: invalid value 'foo'
-T tsprespec=192.0.2.4,192.0.2.5,192.0.2.6,192.0.2.7,192.0.2.8|-T tsprespec: at most 4 addresses
-T tsprespec=2001:db8::1|-T tsprespec: '2001:db8::1' is not an IPv4 address
-P foo|-P: unknown value 'foo'
-P tcp-syn -C 5|-C: only with -P icmp-echo
-O tbl|-O tbl: IPv6 only
-O tbt -M 600 -s 1000|-O tbt: IPv6 only
-O bogus|-O: unknown value 'bogus'
-M 10|-M: invalid value '10'
-S 2001:db8::1|-S: 2001:db8::1 is not of the target's address family
-F 70000|-F: invalid value '70000'
-U -1|-U: invalid value '-1'
-P icmp-time -s 30|-s: 30 is too small
EOF
for o in "-R|-R: IP options are IPv4 only" "-P icmp-time|-P icmp-time: IPv4 only" \
    "-M 600|-M: invalid value '600' (IPv6 needs at least 1280)" \
    "-O tbt|-O tbt: needs -M (the pseudo MTU)" \
    "-O tbt -M 1280 -s 1280|-O tbt: -s 1280 must be larger than -M 1280"; do
	refusals+=("$o|$D6")
done
pids=
for i in "${!refusals[@]}"; do
	IFS='|' read -r opt want dst <<<"${refusals[$i]}"
	ours -I "ping $opt $dst" >"$tmp/r$i" 2>&1 &
	pids="$pids $!"
done
wait $pids
for i in "${!refusals[@]}"; do
	IFS='|' read -r opt want dst <<<"${refusals[$i]}"
	grep -qF -- "$want" "$tmp/r$i" && ! grep -q 'bytes from' "$tmp/r$i" &&
	    ok "ping $opt $dst: refused ($want)" ||
	    bad "ping $opt $dst: $(cat "$tmp/r$i")"
done

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
