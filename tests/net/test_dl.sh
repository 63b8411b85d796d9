#!/usr/bin/env bash
# test_dl.sh SCAMPER HELPER: the datalink features against Linux routers.
#
#  - trace -r ROUTER: h1 shares a LAN (a Linux bridge) with two routers,
#    r1 (h1's default route) and r2, each leading to h2 by its own path.
#    A plain trace follows r1; trace -r r2 follows r2's path, -r r1 r1's;
#    IPv4 and IPv6; with the neighbour table flushed first (resolution is
#    provoked); text and JSON the same as Debian scamper's -r; bad
#    routers (silent, off-link, our own address, other family) refused
#    with a message naming the problem; PMTUD (-M) through the chosen
#    router finds the MTU of its path.
#  - trace -O dl and ping -O dl: the warts records carry datalink tx and
#    rx timestamps on every hop (Debian's sc_wartsdump reads them), the
#    trace flag "dl", no absurd RTT at the first hop, and -r with -O dl
#    together; fragmented ping replies recorded as their first fragment.
#  - probes sent at layer 2 (-r) get the kernel's transmit timestamps.
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN" "$@"
lab_require_root
lab_init dl

# h1, r1, r2 on bridge br0 inside node sw; r1 -> ra -> rd -> h2 and
# r2 -> rb -> rd -> h2; rd sends everything back through ra.
dl_build() {
	local n
	for n in h1 sw h2; do lab_node $n host || return 1; done
	for n in r1 r2 ra rb rd; do lab_node $n router || return 1; done
	ip -n "$(lab_ns sw)" link add br0 type bridge || return 1
	ip -n "$(lab_ns sw)" link set br0 up || return 1
	for n in h1 r1 r2; do
		ip link add lan0 netns "$(lab_ns $n)" type veth peer \
		    name "p-$n" netns "$(lab_ns sw)" || return 1
		ip -n "$(lab_ns sw)" link set "p-$n" master br0 up || return 1
		ip -n "$(lab_ns $n)" link set lan0 up || return 1
	done
	lab_addr h1 lan0 192.0.2.1/28 && lab_addr r1 lan0 192.0.2.2/28 &&
	    lab_addr r2 lan0 192.0.2.3/28 &&
	    lab_addr h1 lan0 2001:db8:10::1/64 &&
	    lab_addr r1 lan0 2001:db8:10::2/64 &&
	    lab_addr r2 lan0 2001:db8:10::3/64 || return 1
	lab_link r1 ra 192.0.2.17/30 192.0.2.18/30 \
	    2001:db8:11::1/64 2001:db8:11::2/64 >/dev/null &&
	lab_link r2 rb 192.0.2.21/30 192.0.2.22/30 \
	    2001:db8:12::1/64 2001:db8:12::2/64 >/dev/null &&
	lab_link ra rd 192.0.2.25/30 192.0.2.26/30 \
	    2001:db8:13::1/64 2001:db8:13::2/64 >/dev/null &&
	lab_link rb rd 192.0.2.29/30 192.0.2.30/30 \
	    2001:db8:14::1/64 2001:db8:14::2/64 >/dev/null &&
	lab_link rd h2 203.0.113.1/30 203.0.113.2/30 \
	    2001:db8:ff::1/64 2001:db8:ff::2/64 >/dev/null || return 1
	lab_route h1 default via 192.0.2.2 &&
	lab_route h1 default6 via 2001:db8:10::2 &&
	lab_route r1 default via 192.0.2.18 &&
	lab_route r1 default6 via 2001:db8:11::2 &&
	lab_route r2 default via 192.0.2.22 &&
	lab_route r2 default6 via 2001:db8:12::2 &&
	lab_route ra 203.0.113.0/24 via 192.0.2.26 &&
	lab_route ra 2001:db8:ff::/64 via 2001:db8:13::2 &&
	lab_route ra 192.0.2.0/28 via 192.0.2.17 &&
	lab_route ra 2001:db8:10::/64 via 2001:db8:11::1 &&
	lab_route rb 203.0.113.0/24 via 192.0.2.30 &&
	lab_route rb 2001:db8:ff::/64 via 2001:db8:14::2 &&
	lab_route rb 192.0.2.0/28 via 192.0.2.21 &&
	lab_route rb 2001:db8:10::/64 via 2001:db8:12::1 &&
	lab_route rd 192.0.2.0/24 via 192.0.2.25 &&
	lab_route rd 2001:db8::/32 via 2001:db8:13::1 &&
	lab_route h2 default via 203.0.113.1 &&
	lab_route h2 default6 via 2001:db8:ff::1
}
dl_build || { echo "FAIL: building the lab"; exit 1; }
tmp=$LAB_DIR

lab_checks

ours() { lab_exec h1 timeout 60 "$scamper" "$@"; }
theirs() { lab_exec h1 timeout 60 scamper "$@"; }
have_theirs() { command -v scamper >/dev/null 2>&1; }
mask() { sed -E 's/[0-9]+\.[0-9]{3} ms/X ms/g'; }
flush() { lab_exec h1 ip neigh flush dev lan0; }
# the hop addresses of a text trace, one line: "1 A 2 B ..."
hops() { awk 'NR > 1 { printf "%s %s ", $1, $2 }' "$1"; }

D4=203.0.113.2 D6=2001:db8:ff::2
VIA_R1_4="1 192.0.2.2 2 192.0.2.18 3 192.0.2.26 4 $D4 "
VIA_R2_4="1 192.0.2.3 2 192.0.2.22 3 192.0.2.26 4 $D4 "
VIA_R1_6="1 2001:db8:10::2 2 2001:db8:11::2 3 2001:db8:13::2 4 $D6 "
VIA_R2_6="1 2001:db8:10::3 2 2001:db8:12::2 3 2001:db8:14::2 4 $D6 "

# ---- trace -r -------------------------------------------------------------

for fam in 4 6; do
	if [ $fam = 4 ]; then
		d=$D4 r1=192.0.2.2 r2=192.0.2.3 p1=$VIA_R1_4 p2=$VIA_R2_4
	else
		d=$D6 r1=2001:db8:10::2 r2=2001:db8:10::3 p1=$VIA_R1_6 p2=$VIA_R2_6
	fi
	ours -I "trace -q 1 $d" >"$tmp/plain" 2>&1
	[ "$(hops "$tmp/plain")" = "$p1" ] &&
	    ok "IPv$fam: a plain trace follows the routing table (r1)" ||
	    bad "IPv$fam plain trace: $(cat "$tmp/plain")"
	for m in udp-paris icmp-paris tcp; do
		flush
		ours -I "trace -P $m -q 1 -r $r2 $d" >"$tmp/r2" 2>&1
		[ "$(hops "$tmp/r2")" = "$p2" ] &&
		    head -1 "$tmp/r2" | grep -q " via $r2\$" &&
		    ok "IPv$fam $m: trace -r $r2 follows r2's path (neighbour table flushed)" ||
		    bad "IPv$fam $m trace -r $r2: $(cat "$tmp/r2")"
	done
	ours -I "trace -q 1 -r $r1 $d" >"$tmp/r1" 2>&1
	[ "$(hops "$tmp/r1")" = "$p1" ] &&
	    ok "IPv$fam: trace -r $r1 follows r1's path" ||
	    bad "IPv$fam trace -r $r1: $(cat "$tmp/r1")"
	if have_theirs; then
		cmd="trace -q 1 -s 40123 -r $r2 $d"
		ours -I "$cmd" >"$tmp/o" 2>&1
		theirs -I "$cmd" >"$tmp/t" 2>&1
		diff <(mask <"$tmp/o") <(mask <"$tmp/t") >"$tmp/diff" &&
		    ok "IPv$fam: text of '$cmd' is Debian scamper's" ||
		    bad "IPv$fam text differs from Debian's: $(cat "$tmp/diff")"
	fi
done

# JSON: the router is recorded, and the record is Debian's but for times
jnorm() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") != "trace":
        continue
    for k in ("start", "sport"):
        o.pop(k, None)
    for h in o.get("hops", []):
        for k in ("tx", "rtt", "reply_ipid"):
            h.pop(k, None)
    print(json.dumps(o, sort_keys=True))
'
}
ours -O json -I "trace -q 1 -r 192.0.2.3 $D4" >"$tmp/j" 2>&1
grep -q '"rtr":"192.0.2.3"' "$tmp/j" && grep -q '"stop_reason":"COMPLETED"' "$tmp/j" &&
    ok "JSON records \"rtr\"" || bad "JSON -r: $(cat "$tmp/j")"
if have_theirs; then
	theirs -O json -I "trace -q 1 -r 192.0.2.3 $D4" >"$tmp/tj" 2>&1
	diff <(jnorm <"$tmp/j") <(jnorm <"$tmp/tj") >"$tmp/diff" &&
	    ok "JSON of trace -r is Debian scamper's (times aside)" ||
	    bad "JSON -r differs from Debian's: $(cat "$tmp/diff")"
fi

# probes sent on the datalink socket get the kernel's transmit
# timestamps too: no send time is the clock read before the send, and
# every RTT is sane (0.001-50 ms)
ours -d "$tmp/rlog" -O json -I "trace -q 1 -r 192.0.2.3 $D4" \
    -I "trace -q 1 -P icmp-paris -r 2001:db8:10::3 $D6" >"$tmp/rj" 2>&1
stats=$(grep -o 'send times: .*' "$tmp/rlog" | tail -1)
rtts=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    for h in o.get("hops", []):
        print("%.3f" % h["rtt"], "ok" if 0.001 <= h["rtt"] <= 50 else "BAD")
' "$tmp/rj")
if [[ $stats =~ kernel\ ([0-9]+),\ before-send\ 0, ]] &&
    [ "${BASH_REMATCH[1]}" -ge 8 ] && [ -n "$rtts" ] &&
    ! grep -q BAD <<<"$rtts"; then
	ok "trace -r: send times from the kernel ($stats), RTTs" $rtts
else
	bad "trace -r times: '$stats', RTTs: $rtts"
fi

# many traces at once share the datalink: each goes its own way
ours -p 200 -I "trace -q 1 -r 192.0.2.3 $D4" -I "trace -q 1 -r 192.0.2.2 $D4" \
    -I "trace -q 1 -r 2001:db8:10::3 $D6" -I "trace -q 1 $D6" \
    -I "trace -q 1 -O dl -r 192.0.2.3 -P icmp-paris $D4" >"$tmp/many" 2>&1
python3 - "$tmp/many" "$VIA_R2_4" "$VIA_R1_4" "$VIA_R2_6" "$VIA_R1_6" <<'EOF' &&
import sys
traces = []
for l in open(sys.argv[1]):
    w = l.split()
    if l.startswith("traceroute"):
        traces.append([" ".join(w[2:]), ""])
    else:
        traces[-1][1] += w[0] + " " + w[1] + " "
want = sorted([
    ["192.0.2.1 to 203.0.113.2 via 192.0.2.3", sys.argv[2]],
    ["192.0.2.1 to 203.0.113.2 via 192.0.2.3", sys.argv[2]],
    ["192.0.2.1 to 203.0.113.2 via 192.0.2.2", sys.argv[3]],
    ["2001:db8:10::1 to 2001:db8:ff::2 via 2001:db8:10::3", sys.argv[4]],
    ["2001:db8:10::1 to 2001:db8:ff::2", sys.argv[5]],
])
assert sorted(traces) == want, (traces, want)
EOF
    ok "five traces at once, three routers, one datalink: each its own path" ||
    bad "concurrent -r traces: $(cat "$tmp/many")"

# refusals name the problem
expect_err() {	# expect_err PATTERN COMMAND
	ours -O json -I "$2" >"$tmp/e" 2>&1
	if grep -q -- "$1" "$tmp/e"; then
		ok "'$2': $1"
	else
		bad "'$2': wanted '$1', got: $(cat "$tmp/e")"
	fi
}
expect_err 'router 203.0.113.1 is not on a directly connected network (reached via 192.0.2.2)' \
    "trace -r 203.0.113.1 $D4"
expect_err 'router 192.0.2.1 is an address of this host' "trace -r 192.0.2.1 $D4"
expect_err '-r: 2001:db8:10::3 is not of the target' "trace -r 2001:db8:10::3 $D4"
expect_err "-r: 'nonsense' is not an IPv4 or IPv6 address" "trace -r nonsense $D4"
expect_err 'router 192.0.2.9 on lan0 did not answer address resolution' \
    "trace -r 192.0.2.9 $D4"
grep -q '"stop_reason":"ERROR"' "$tmp/e" && grep -q '"rtr":"192.0.2.9"' "$tmp/e" &&
    ok "a silent router ends the trace with stop reason ERROR" ||
    bad "silent router: $(cat "$tmp/e")"

# ---- -O dl ------------------------------------------------------------------

# every hop (and ping reply) with datalink timestamps, read by Debian's
# sc_wartsdump; no RTT near 4294967 s (a busy machine may delay one, so
# the bound is a minute, not a second)
ours -O warts -o "$tmp/dl.warts" -I "trace -q 1 -O dl $D4" \
    -I "trace -q 1 -O dl -P tcp $D6" -I "trace -q 1 -O dl -r 192.0.2.3 $D4" \
    -I "ping -c 3 -O dl $D4" -I "ping -c 3 -O dl -P udp $D6" >"$tmp/dl.out" 2>&1
if command -v sc_wartsdump >/dev/null 2>&1; then
	sc_wartsdump "$tmp/dl.warts" >"$tmp/dump" 2>&1
	python3 - "$tmp/dump" <<'EOF' &&
import re, sys
traces, hops, pings, replies = 0, [], 0, 0
for l in open(sys.argv[1]):
    if l.startswith("traceroute from"):
        traces += 1
    elif l.startswith("ping from"):
        pings += 1
    elif l.startswith("reply from"):
        replies += 1
        rtt = float(re.search(r"rtt: ([0-9.]+)s", l).group(1))
        assert rtt < 60, l  # a bogus one is ~4294967 s
    elif l.startswith(" attempt:"):
        rtt = float(re.search(r"rtt: ([0-9.]+)s", l).group(1))
        assert rtt < 60, l  # a bogus one is ~4294967 s
    elif re.match(r" flags: 0x[0-9a-f]+ \( .*replyttl", l):
        hops.append(l)
assert traces == 3 and len(hops) == 12, (traces, len(hops))
for h in hops:
    assert "dltxts" in h and "dlrxts" in h and "sockrxts" not in h, h
assert pings == 2 and replies == 6, (pings, replies)
EOF
	    ok "-O dl: every hop has datalink tx and rx timestamps, RTTs sane (incl. -r, TCP, IPv6)" ||
	    bad "-O dl dump: $(cat "$tmp/dl.out" "$tmp/dump")"
	[ "$(grep -c 'flags: 0x04 ( dl )' "$tmp/dump")" = 3 ] &&
	    [ "$(grep -c '^ flags: dl' "$tmp/dump")" = 2 ] &&
	    ok "-O dl: the trace and ping flag \"dl\" is recorded" ||
	    bad "-O dl flags: $(cat "$tmp/dump")"
else
	echo "note: sc_wartsdump (Debian's scamper package) not found: dump checks skipped"
fi
ours -I "trace -q 1 -O dl $D4" -I "ping -c 2 -O dl $D6" >"$tmp/t" 2>&1
! grep -q '4294967' "$tmp/t" && [ "$(grep -c ' ms$' "$tmp/t")" -ge 4 ] &&
    grep -q '2 packets received' "$tmp/t" &&
    ok "-O dl text: answers at every hop, no bogus RTT" ||
    bad "-O dl text: $(cat "$tmp/t")"
ours -O json -I "ping -c 2 -O dl $D4" >"$tmp/pj" 2>&1
grep -q '"flags":\["dl"\]' "$tmp/pj" && grep -q '"replies":2' "$tmp/pj" &&
    ok "ping -O dl JSON: flag dl, both replies" || bad "ping -O dl JSON: $(cat "$tmp/pj")"

# -O dl with fragmented replies (-M makes the target fragment them): the
# reply is the first fragment, as scamper records it: its size, and for
# IPv6 its fragment identification ("reply_ipid")
ours -O json -I "ping -c 3 -s 1400 -M 1280 -O dl $D6" \
    -I "ping -c 3 -s 1400 -M 576 -O dl $D4" >"$tmp/frag" 2>&1
python3 - "$tmp/frag" <<'PYEOF' &&
import json, sys
p = [json.loads(l) for l in open(sys.argv[1]) if '"ping"' in l]
assert len(p) == 2, p
v6, v4 = p[0]["responses"], p[1]["responses"]
assert len(v6) == 3 and len(v4) == 3, (v6, v4)
assert v6[-1]["reply_size"] == 1280 and "reply_ipid" in v6[-1], v6[-1]
assert v4[-1]["reply_size"] == 572, v4[-1]
for r in v6:
    assert ("reply_ipid" in r) == (r["reply_size"] == 1280), r
PYEOF
    ok "-O dl: fragmented replies recorded as their first fragment (size, IPv6 fragment id)" ||
    bad "-O dl fragments: $(cat "$tmp/frag")"

# PMTUD through the chosen router: only r2's path has a 1400-byte link
ifb=$(lab_ifname rb rd) && ifd=$(lab_ifname rd rb) &&
    lab_exec rb ip link set "$ifb" mtu 1400 &&
    lab_exec rd ip link set "$ifd" mtu 1400 || bad "setting an MTU of 1400"
ours -I "trace -M -q 1 -r 192.0.2.3 $D4" -I "trace -M -q 1 -r 192.0.2.2 $D4" \
    >"$tmp/pm" 2>&1
grep -q '^ 3  192\.0\.2\.26 .*\[mtu: 1400\]$' "$tmp/pm" &&
    [ "$(grep -c 'mtu: 1400' "$tmp/pm")" = 2 ] &&
    ok "trace -M -r finds the smaller MTU on r2's path only" ||
    bad "trace -M -r: $(cat "$tmp/pm")"
if have_theirs; then
	cmd="trace -M -q 1 -s 40125 -r 192.0.2.3 $D4"
	ours -I "$cmd" >"$tmp/o" 2>&1
	theirs -I "$cmd" >"$tmp/t" 2>&1
	diff <(mask <"$tmp/o") <(mask <"$tmp/t") >"$tmp/diff" &&
	    ok "text of '$cmd' is Debian scamper's" ||
	    bad "'$cmd' differs from Debian's: $(cat "$tmp/diff")"
fi

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
