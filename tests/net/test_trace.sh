#!/usr/bin/env bash
# test_trace.sh SCAMPER HELPER: our trace against Linux routers, for every
# method over IPv4 and IPv6: the hops are the lab's path, and the text is
# line for line Debian scamper's (RTTs masked, and which branch of the
# lab's ECMP pair answered: tests/lab/basic.sh).  Also the options'
# effects: -f, -m, -g/-G, -q/-Q, -l, -w, -M, -z/-Z, -c (see below).
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
# ourjson: our sc_warts2json
lab_args "scamper SCAMPER_HELPER_BIN ourjson" "$@"
. "$here/../lab/basic.sh"
. "$here/debian.sh"
lab_require_root
lab_basic trace || exit 1

lab_checks

ours() { basic_prober ours && lab_exec h1 timeout 60 "$scamper" "$@"; }
theirs() { basic_prober theirs && lab_exec h1 timeout 60 scamper "$@"; }
# text without RTTs, and with the ECMP pair's addresses hidden (each
# prober's own path is checked against the lab's truth on its own)
mask() { sed -E 's/[0-9]+\.[0-9]{3} ms/X ms/g' | basic_mask; }
# JSON without what differs between any two runs (times, IP IDs, the
# source port and what follows from it) and with the ECMP pair hidden:
# jnorm IN OUT [IN OUT ...] (one python for all: its start is costly on
# a loaded machine); an IN that is not JSON gives an empty OUT
jnorm() {
	python3 - "$@" <<'PY'
import json, sys
a = sys.argv[1:]
for src, dst in zip(a[0::2], a[1::2]):
    out = []
    try:
        for l in open(src):
            o = json.loads(l)
            for k in ("start", "start_time", "stop_time", "sport",
                      "icmp_sum"):
                o.pop(k, None)
            for h in o.get("hops", []):
                for k in ("tx", "rtt", "reply_ipid"):
                    h.pop(k, None)
            out.append(json.dumps(o, sort_keys=True) + "\n")
    except (OSError, ValueError) as e:
        out = ["not JSON: %s\n" % e]
    open(dst + ".n", "w").writelines(out)
PY
	while [ $# -ge 2 ]; do
		basic_mask <"$2.n" >"$2"
		shift 2
	done
}

# Runs that go out at once each have a source port of their own (-s):
# ports derived from neighbouring pids can meet (a busy flow moves to the
# next port) and two probers would then take each other's replies.  The
# port changes no output but JSON's "sport" (left out of the comparison)
# and the ECMP branch (hidden, and checked against the truth).  Both
# families of a method go out at once (ten runs).
for m in udp-paris icmp-paris udp icmp tcp tcp-ack; do
	ourpids=
	for fam in 4 6; do
		[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
		ours -I "trace -P $m -q 1 -s 40123 $dst" >"$tmp/ours$fam" \
		    2>"$tmp/ours$fam.err" &
		ourpids="$ourpids $!"
		ours -O json -I "trace -P $m -q 1 -s 40124 $dst" \
		    >"$tmp/oj$fam.raw" 2>&1 &
		ourpids="$ourpids $!"
		ours -O warts -o "$tmp/o$fam.warts" \
		    -I "trace -P $m -q 1 -s 40125 $dst" >/dev/null 2>&1 &
		ourpids="$ourpids $!"
	done
	basic_split $ourpids
	for fam in 4 6; do
		[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
		# (Debian's 20211212 matches no IPv6 udp-paris reply:
		# LAB-NOTES)
		[ "$m" = udp-paris ] && [ $fam = 6 ] && continue
		theirs -I "trace -P $m -q 1 -s 40126 $dst" \
		    >"$tmp/theirs$fam" 2>/dev/null &
		theirs -O json -I "trace -P $m -q 1 -s 40127 $dst" \
		    >"$tmp/tj$fam.raw" 2>&1 &
	done
	wait
	jnorm "$tmp/oj4.raw" "$tmp/oj4" "$tmp/tj4.raw" "$tmp/tj4" \
	    "$tmp/oj6.raw" "$tmp/oj6" "$tmp/tj6.raw" "$tmp/tj6"
	for fam in 4 6; do
		[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
		cmd="trace -P $m -q 1 $dst"
		if basic_path_ok $fam "$tmp/ours$fam"; then
			ok "ours $cmd follows the lab's path"
		else
			bad "ours $cmd: $(cat "$tmp/ours$fam" "$tmp/ours$fam.err")"
		fi
		# our warts file: Debian's tools read it, and Debian's
		# sc_warts2json gives the objects ours gives
		if debian_reads "$tmp/o$fam.warts" trace &&
		    grep -q '^traceroute from' "$tmp/dump"; then
			ok "Debian's sc_wartsdump and sc_warts2json read our warts for $cmd"
		else
			bad "warts for $cmd: $(head -5 "$tmp/dump" "$tmp/diff")"
		fi
		[ "$m" = udp-paris ] && [ $fam = 6 ] && continue
		# which branches the two took (SCAMPER_TEST_ECMP forces them)
		echo "# hops 3-4: ours $(awk '$1 == 3 || $1 == 4 { printf "%s ", $2 }' \
		    "$tmp/ours$fam")Debian's $(awk '$1 == 3 || $1 == 4 { printf "%s ", $2 }' \
		    "$tmp/theirs$fam")"
		if basic_path_ok $fam "$tmp/theirs$fam"; then
			ok "Debian's $cmd follows the lab's path"
		else
			bad "Debian's $cmd: $(cat "$tmp/theirs$fam")"
		fi
		if diff <(mask <"$tmp/ours$fam") <(mask <"$tmp/theirs$fam") \
		    >"$tmp/diff"; then
			ok "ours and Debian's text agree for $cmd"
		else
			bad "text differs from Debian's for $cmd: $(cat "$tmp/diff")"
		fi
		if [ -s "$tmp/oj$fam" ] &&
		    grep -q '"type": "trace"' "$tmp/oj$fam" &&
		    diff "$tmp/oj$fam" "$tmp/tj$fam" >"$tmp/diff"; then
			ok "ours and Debian's JSON agree for $cmd"
		else
			bad "JSON differs from Debian's for $cmd: $(cat "$tmp/diff")"
		fi
	done
done

# -f 3 -m 4: hops 3 and 4 only, stop reason HOPLIMIT
ours -O json -I "trace -P icmp-paris -f 3 -m 4 203.0.113.1" >"$tmp/j" 2>&1
grep -q '"stop_reason":"HOPLIMIT"' "$tmp/j" && grep -q '"firsthop":3' "$tmp/j" &&
    ! grep -q '"probe_ttl":[125]' "$tmp/j" && grep -q '"probe_ttl":4' "$tmp/j" &&
    ok "-f 3 -m 4 probes TTLs 3..4 and stops at the hop limit" ||
    bad "-f/-m: $(cat "$tmp/j")"

# -Q -q 3: three replies per hop
ours -I "trace -P icmp-paris -Q -q 3 203.0.113.1" >"$tmp/q" 2>&1
[ "$(grep -c ' ms' "$tmp/q")" -eq 6 ] &&
    [ "$(grep -Eo '[0-9]+\.[0-9]{3} ms' "$tmp/q" | wc -l)" -eq 18 ] &&
    ok "-Q -q 3 sends every attempt at every hop" || bad "-Q: $(cat "$tmp/q")"

# -M: the r4-r5 link has MTU 1400; r4 says so (Fragmentation Needed /
# Packet Too Big), and our text is Debian's (UDP: the method 20211212 does
# PMTUD with)
for dst in 203.0.113.1 2001:db8:ff::1; do
	cmd="trace -M -P udp -q 1 $dst"
	ours -I "trace -M -P udp -q 1 -s 40123 $dst" >"$tmp/ours" 2>&1 &
	basic_split $!
	theirs -I "trace -M -P udp -q 1 -s 40124 $dst" >"$tmp/theirs" 2>&1 &
	wait
	grep -q '^ 5  .* \[mtu: 1400\]$' "$tmp/ours" &&
	    diff <(mask <"$tmp/ours") <(mask <"$tmp/theirs") >"$tmp/diff" &&
	    ok "$cmd finds MTU 1400 after hop 4, as Debian's does" ||
	    bad "$cmd: $(cat "$tmp/ours" "$tmp/diff")"
done
# every method can do PMTUD here (20211212: UDP only)
for m in udp-paris icmp-paris tcp; do
	sp=$((40160 + ${#m}))
	ours -O warts -o "$tmp/pm-$m.warts" -I "trace -M -P $m -s $sp 203.0.113.1" \
	    "trace -M -P $m -s $sp 2001:db8:ff::1" >/dev/null 2>&1 &
done
wait
for m in udp-paris icmp-paris tcp; do
	[ "$(sc_wartsdump "$tmp/pm-$m.warts" | grep -c 'pmtu 1400, notec 1')" = 2 ] &&
	    ok "-M with $m: path MTU 1400 (read by Debian's sc_wartsdump)" ||
	    bad "-M with $m: $(sc_wartsdump "$tmp/pm-$m.warts" | grep pmtud)"
done
# r4 now discards big packets without a word: the search finds the MTU
# and the TTL search names r4 (its replies at TTL 4)
lab_exec r4 nft -f - <<'NFT'
table inet noptb { chain out { type filter hook output priority 0; icmp type destination-unreachable icmp code frag-needed drop; icmpv6 type packet-too-big drop; }; }
NFT
for fam in 4 6; do
	[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
	ours -O warts -o "$tmp/bh$fam.warts" \
	    -I "trace -M -w 1 -q 1 -P udp-paris -s 4017$fam $dst" >/dev/null 2>&1 &
done
wait
for fam in 4 6; do
	[ $fam = 4 ] && dst=203.0.113.1 || dst=2001:db8:ff::1
	sc_wartsdump "$tmp/bh$fam.warts" >"$tmp/bh.txt"
	grep -q 'pmtu 1400, notec 1' "$tmp/bh.txt" &&
	    grep -q 'note 0: nhmtu 1400, silence > ttl 4' "$tmp/bh.txt" &&
	    ok "-M to $dst identifies the silent router at TTL 4" ||
	    bad "-M silent router to $dst: $(grep -E 'pmtud|note' "$tmp/bh.txt")"
done
lab_exec r4 nft delete table inet noptb

# -z/-Z doubletree: forwards from -f 3 to the global stop set entry, back
# to TTL 1 filling the local stop set; the second trace stops backwards at
# the first address already in it.  Compared with Debian's, via its
# sc_wartsdump.
dt='trace -P icmp-paris -f 3 -z 192.0.2.26 -Z lss1 203.0.113.1'
dt2='trace -P icmp-paris -f 3 -Z lss1 203.0.113.1'
dtk() { sc_wartsdump "$1" | grep -E 'doubletree|stop reason|^hop|probec' |
    basic_mask; }
ours -O warts -o "$tmp/dt.warts" -I "${dt/-f 3/-s 40131 -f 3}" \
    "${dt2/-f 3/-s 40132 -f 3}" >/dev/null 2>&1 &
basic_split $!
theirs -O warts -o "$tmp/dt2.warts" -I "${dt/-f 3/-s 40133 -f 3}" \
    "${dt2/-f 3/-s 40134 -f 3}" >/dev/null 2>&1 &
wait
if dtk "$tmp/dt.warts" >"$tmp/a" && dtk "$tmp/dt2.warts" >"$tmp/b" &&
    grep -q 'gss-stop: 192.0.2.26' "$tmp/a" &&
    grep -q 'lss-stop: 192.0.2.6' "$tmp/a" && diff "$tmp/a" "$tmp/b" >"$tmp/diff"; then
	ok "-z/-Z doubletree stops at the GSS, then at the LSS, as Debian's does"
else
	bad "doubletree: $(cat "$tmp/a" "$tmp/diff")"
fi

# -z without -Z: backwards one hop from -f 3, stopped there (lss-stop,
# the hop at TTL 2), as Debian's
dt='trace -P icmp-paris -f 3 -z 192.0.2.26 203.0.113.1'
ours -O warts -o "$tmp/dt3.warts" -I "$dt" >/dev/null 2>&1
theirs -O warts -o "$tmp/dt4.warts" -I "$dt" >/dev/null 2>&1
if dtk "$tmp/dt3.warts" >"$tmp/a" && dtk "$tmp/dt4.warts" >"$tmp/b" &&
    grep -q 'lss-stop: 192.0.2.6, gss-stop: 192.0.2.26' "$tmp/a" &&
    ! grep -q '^hop  1 ' "$tmp/a" && diff "$tmp/a" "$tmp/b" >"$tmp/diff"; then
	ok "-z without -Z: one hop backwards, lss-stop at TTL 2, as Debian's"
else
	bad "doubletree -z only: $(cat "$tmp/a" "$tmp/diff")"
fi
# the trace's firsthop is lowered to each TTL passed backwards: the
# first trace goes back to TTL 1 (ours records firsthop 1; Debian's 2,
# so its readers hide hop 1: README), the second passes TTL 3 and stops
# at TTL 2, already in the set (firsthop 3 in both); -w 1 runs them one
# after the other, as Debian's does with one destination
a='trace -P icmp-paris -f 3 -Z lssF 203.0.113.1'
b='trace -P icmp-paris -f 4 -Z lssF 203.0.113.1'
fh() { "$ourjson" "$1" | sed -n 's/.*"firsthop":\([0-9]*\).*/\1/p' | tr '\n' ' '; }
ours -w 1 -O warts -o "$tmp/dt5.warts" -I "$a" -I "$b" >/dev/null 2>&1
theirs -w 1 -O warts -o "$tmp/dt6.warts" -I "$a" -I "$b" >/dev/null 2>&1
if dtk "$tmp/dt5.warts" >"$tmp/a" && dtk "$tmp/dt6.warts" >"$tmp/b" &&
    [ "$(fh "$tmp/dt5.warts")" = "1 3 " ] && [ "$(fh "$tmp/dt6.warts")" = "2 3 " ] &&
    grep -q 'lss-stop: 192.0.2.6' "$tmp/a" && diff "$tmp/a" "$tmp/b" >"$tmp/diff"; then
	ok "-Z: firsthop lowered to the TTL reached backwards (1, 3; Debian's 2, 3)"
else
	bad "doubletree firsthop: ours $(fh "$tmp/dt5.warts"), Debian's $(fh "$tmp/dt6.warts"): $(cat "$tmp/diff")"
fi

# -g 2: 203.0.113.99 is routed to h2, which drops it silently: hops 6 and
# 7 are gaps, the trace stops at the gap limit; -G 2 adds last-ditch
# probes at TTL 255 (unanswered here) and still stops at GAPLIMIT
ld='trace -P icmp-paris -q 2 -w 1 -g 2 -G 2 203.0.113.99'
ours -O json -I "trace -P icmp-paris -q 1 -w 1 -g 2 -s 40141 203.0.113.99" \
    >"$tmp/g" 2>&1 &
ours -O warts -o "$tmp/ld.warts" -I "${ld/-G 2/-G 2 -s 40142}" >/dev/null 2>&1 &
basic_split $!
theirs -O warts -o "$tmp/ld2.warts" -I "${ld/-G 2/-G 2 -s 40143}" \
    >/dev/null 2>&1 &
wait
grep -q '"stop_reason":"GAPLIMIT"' "$tmp/g" && grep -q '"hop_count":7' "$tmp/g" &&
    grep -q '"probe_count":7' "$tmp/g" &&
    ok "-g 2 stops after two silent hops" || bad "-g: $(cat "$tmp/g")"
# (5 answered hops, 2 x 2 silent attempts, 2 last-ditch probes: 11)
sc_wartsdump "$tmp/ld.warts" | grep -E 'gapaction|probec|stop reason|^hop' |
    basic_mask >"$tmp/ld"
sc_wartsdump "$tmp/ld2.warts" | grep -E 'gapaction|probec|stop reason|^hop' |
    basic_mask >"$tmp/ld2"
grep -q 'gapaction: lastditch' "$tmp/ld" && grep -q 'probec: 11' "$tmp/ld" &&
    grep -q 'stop reason: gaplimit' "$tmp/ld" && diff -q "$tmp/ld" "$tmp/ld2" >/dev/null &&
    ok "-G 2 sends -q last-ditch probes after the gap limit, as Debian's" ||
    bad "-G 2: $(cat "$tmp/ld" "$tmp/ld2")"

# -l: a forwarding loop between r4 and r5 for 198.51.100.0/24; r4 answers
# at TTL 4 and 6: a loop (|TTL difference| > 1); -l 0 disables the check
lab_route h1 198.51.100.0/24 via 192.0.2.2 >/dev/null
lab_route r1 198.51.100.0/24 via 192.0.2.6 >/dev/null
lab_route r2 198.51.100.0/24 via 192.0.2.10 via 192.0.2.14 >/dev/null
lab_route r3a 198.51.100.0/24 via 192.0.2.18 >/dev/null
lab_route r3b 198.51.100.0/24 via 192.0.2.22 >/dev/null
lab_route r4 198.51.100.0/24 via 192.0.2.26 >/dev/null
lab_route r5 198.51.100.0/24 via 192.0.2.25 >/dev/null
ours -O json -I "trace -P icmp-paris -q 1 -w 1 -s 40151 198.51.100.1" \
    >"$tmp/l" 2>&1 &
ours -O json -I "trace -P icmp-paris -q 1 -w 1 -l 0 -m 12 -s 40152 198.51.100.1" \
    >"$tmp/l0" 2>&1 &
wait
grep -q '"stop_reason":"LOOP"' "$tmp/l" && grep -q '"hop_count":6' "$tmp/l" &&
    grep -q '"stop_reason":"HOPLIMIT"' "$tmp/l0" && grep -q '"hop_count":12' "$tmp/l0" &&
    ok "a forwarding loop stops the trace (-l 1); -l 0 probes to -m" ||
    bad "-l: $(cat "$tmp/l" "$tmp/l0")"

# -W (the spacing between probes) is checked in simulated time by the
# harness (tests/harness/test_h_trace.c, wait_probe): the send times of a
# real run depend on how busy the machine is.

# -c 95: each hop is probed until the confidence rule is met: 6 probes
# while one address answers, 11 once two do (ECMP at hops 3 and 4, where
# classic UDP's per-probe ports spread over both branches)
ours -O json -I "trace -P udp -c 95 -w 1 203.0.113.1" >"$tmp/c" 2>&1
if python3 -c '
import json, sys, collections
n = 0
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["type"] != "trace":
        continue
    n += 1
    at = collections.defaultdict(list)
    for h in o["hops"]:
        at[h["probe_ttl"]].append(h["addr"])
    assert o["stop_reason"] == "COMPLETED" and sorted(at) == [1, 2, 3, 4, 5, 6]
    for ttl, addrs in at.items():
        want = {1: 6, 2: 11}[len(set(addrs))]
        assert len(addrs) == want, (ttl, addrs)
assert n == 1, "%d traces" % n
' "$tmp/c"; then
	ok "-c 95 probes each hop to the confidence rule (6 or 11 probes)"
else
	bad "-c 95: $(cat "$tmp/c")"
fi
ours -I "trace -c 97 203.0.113.1" >"$tmp/o" 2>&1
grep -q -- '-c: confidence must be 95 or 99' "$tmp/o" && ok "-c 97 is refused" ||
    bad "-c 97: $(cat "$tmp/o")"

# a list file: a bad line is reported with its file and line number and
# skipped; the good lines are measured
printf '# targets\n203.0.113.1\nnot-an-address\n\n2001:db8:ff::1\n' >"$tmp/list"
ours -c "trace -P icmp-paris -q 1" "$tmp/list" >"$tmp/lo" 2>"$tmp/le"
[ "$(grep -c '^traceroute from' "$tmp/lo")" = 2 ] &&
    grep -q "list:3: trace: 'not-an-address' is not an IPv4 or IPv6 address" "$tmp/le" &&
    ok "a bad list line is reported with its line number and the rest is measured" ||
    bad "list file: $(cat "$tmp/lo" "$tmp/le")"

# two scampers at once on one host, same targets and methods: each gets
# its own replies (its flows carry its own source port / ICMP id) and
# neither loses any to the other
for i in 1 2; do
	ours -O json -I "trace -P icmp-paris -Q -q 2 203.0.113.1" \
	    -I "trace -P udp-paris -Q -q 2 2001:db8:ff::1" \
	    -I "ping -c 5 -i 0.2 203.0.113.1" -I "ping -P tcp-syn -c 3 -d 22 2001:db8:ff::1" \
	    >"$tmp/two$i" 2>&1 &
done
wait
for i in 1 2; do
	python3 - "$tmp/two$i" <<'PY' && ok "scamper $i of two at once got all its own replies" || bad "two scampers, $i: $(cat "$tmp/two$i")"
import json, sys
tr, pi = [], []
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("type") == "trace":
        tr.append((o["stop_reason"], o["hop_count"], len(o["hops"])))
    elif o.get("type") == "ping":
        pi.append(len(o["responses"]))
ok = sorted(tr) == [("COMPLETED", 6, 12)] * 2 and sorted(pi) == [3, 5]
ok or print("traces (stop, hops, replies):", tr, "ping replies:", pi)
sys.exit(0 if ok else 1)
PY
done

# a silent router (r5 sends no time exceeded): its hop is "*", as in
# Debian's text
lab_silent r5 >/dev/null
for dst in 203.0.113.1 2001:db8:ff::1; do
	cmd="trace -P icmp-paris -q 1 -w 1 $dst"
	ours -I "trace -P icmp-paris -q 1 -w 1 -s 40123 $dst" >"$tmp/ours" 2>&1 &
	basic_split $!
	theirs -I "trace -P icmp-paris -q 1 -w 1 -s 40124 $dst" >"$tmp/theirs" \
	    2>&1 &
	wait
	grep -q '^ 5  \*$' "$tmp/ours" && grep -q "^ 6  $dst " "$tmp/ours" &&
	    diff <(mask <"$tmp/ours") <(mask <"$tmp/theirs") >"$tmp/diff" &&
	    ok "$cmd: the silent router is '*', as in Debian's text" ||
	    bad "silent router, $cmd: $(cat "$tmp/ours" "$tmp/diff")"
done

# probes of one pass go out together (sendmmsg): one the kernel refuses
# (an output rule drops it: EPERM) ends its own trace with stop reason
# ERROR and errno 1; the traces sent in the same passes complete
lab_exec h1 nft -f - <<'NFT'
table inet labdrop {
	chain out { type filter hook output priority 0; ip daddr 203.0.113.77 drop; }
}
NFT
printf '203.0.113.1\n203.0.113.77\n2001:db8:ff::1\n' >"$tmp/elist"
ours -O json -c "trace -P icmp-paris -q 1 -w 1" -f "$tmp/elist" >"$tmp/ej" 2>&1
python3 - "$tmp/ej" <<'PY' && ok "a refused probe ends only its own trace, with ERROR/EPERM" || bad "send error: $(cat "$tmp/ej")"
import json, sys
r = {}
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("type") == "trace":
        r[o["dst"]] = (o["stop_reason"], o["stop_data"])
sys.exit(0 if r == {"203.0.113.1": ("COMPLETED", 0),
                    "203.0.113.77": ("ERROR", 1),
                    "2001:db8:ff::1": ("COMPLETED", 0)} else 1)
PY
lab_exec h1 nft delete table inet labdrop

# -O ptr: tests/net/test_trace_ptr.sh

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
