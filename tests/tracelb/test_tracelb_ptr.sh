#!/usr/bin/env bash
# test_tracelb_ptr.sh SCAMPER HELPER TOOLDIR: tracelb -O ptr against
# Debian's scamper 20211212 in the basic lab (its r3a/r3b diamond), with
# tests/lab/dnsd.py on a documentation address inside h1, named by h1's
# own resolv.conf (/etc/netns/NS/resolv.conf, removed at teardown):
# every node is asked once, its name (where the zone has one) is in our
# warts (header flag ptr, node names) and JSON as Debian writes them,
# and not in text (Debian prints none); Debian's tools read our names;
# a silent nameserver still lets the trace be written, without names;
# no nameserver refuses -O ptr.  IPv4 and IPv6.  Needs root; skipped
# otherwise.
#
# Where we differ on purpose (as trace -O ptr, see tests/net/
# test_trace_ptr.sh): Debian's 20211212 loses names that arrive after
# the trace's last reply (the target's own, always); ours records them.
# The comparisons leave the target's name out, and compare nodes as
# sets (the two probers send different probes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
# tools: our warts tools (sc_warts2json, sc_wartsdump)
lab_args "scamper SCAMPER_HELPER_BIN tools" "$@"
lab_require_root
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
command -v scamper >/dev/null && command -v sc_wartsdump >/dev/null &&
    command -v sc_warts2json >/dev/null ||
    { echo "SKIP: Debian's scamper package is not installed"; exit 77; }
lab_basic lbptr || exit 1

# A fixed source port: which branch of r2's multipath route a flow takes
# follows the kernel's L4 hash, whose seed lab.sh fixes (Linux 6.11+),
# and the flows' ports, which are then fixed too, so every run sends the
# same flows down the same branches; source port 40000 sends both
# probers' flows down both (found by trying: the default, from the
# process ID, made runs differ and MDA's 95% stop could miss a branch).
fail=0 n=0 sport=40000
ok() { n=$((n + 1)); echo "ok: $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# h1's own resolver configuration
resolv() { lab_resolv h1 "$1"; }
resolv 'nameserver 198.51.100.53\n' || exit 1
lab_addr h1 lo 198.51.100.53/32 || exit 1

# names for some nodes; 192.0.2.22, 192.0.2.26 and IPv6's middle hops
# have none (NXDOMAIN); the targets' are left out of comparisons
cat >"$tmp/zone" <<'Z'
2.2.0.192.in-addr.arpa. PTR r1.lab.example.
6.2.0.192.in-addr.arpa. PTR r2.lab.example.
10.2.0.192.in-addr.arpa. PTR r3a.lab.example.
14.2.0.192.in-addr.arpa. PTR r3b.lab.example.
18.2.0.192.in-addr.arpa. PTR r4.lab.example.
1.113.0.203.in-addr.arpa. PTR h2.lab.example.
2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR r1.lab.example.
2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR r5.lab.example.
1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.f.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR h2.lab.example.
Z
: >"$tmp/dnslog"
lab_bg h1 python3 "$here/../lab/dnsd.py" 198.51.100.53 "$tmp/zone" "$tmp/dnslog" >/dev/null
for i in $(seq 50); do
	lab_exec h1 ss -lun 2>/dev/null | grep -q '198.51.100.53:53' && break
	sleep 0.1
done

ours() { lab_exec h1 timeout 120 "$scamper" "$@"; }
theirs() { lab_exec h1 timeout 120 scamper "$@"; }
queries() { grep -c ' 12 ' "$tmp/dnslog"; }

# IPv6 ICMP echo takes one branch of the ECMP pair, which depends on
# the kernel's hash key: r3b's and r4's ends of it named as r3a's
branch() { sed -E 's/2001:db8:4::2/2001:db8:3::2/; s/2001:db8:6::2/2001:db8:5::2/'; }

# JSON lines to "ADDR=NAME" per node, sorted ("ADDR=" without one),
# leaving out the target ($1)
names() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") != "tracelb":
        continue
    for n in o["nodes"]:
        if n["addr"] != sys.argv[1]:
            print("%s=%s" % (n["addr"], n.get("name", "")))
' "$1" | branch | LC_ALL=C sort
}
# sc_wartsdump's header flags and its node lines without the target's,
# sorted (node numbers dropped: the order nodes were found in differs)
dnodes() {
	grep -E '^ flags:|^node ' | grep -Ev "^node [0-9]+ $1(,|\$)" |
	    sed -E 's/^node [0-9]+ /node /' | branch | LC_ALL=C sort
}

# (IPv6 with icmp-echo: Debian's udp-dport over IPv6 does not finish in
# a Linux lab, see README)
for dst in 203.0.113.1 2001:db8:ff::1; do
	m=udp-dport
	[ $dst = 2001:db8:ff::1 ] && m=icmp-echo
	cmd="tracelb -O ptr -P $m -s $sport -q 1 -w 1 -W 15 $dst"
	if [ $dst = 203.0.113.1 ]; then
		want='192.0.2.10=r3a.lab.example
192.0.2.14=r3b.lab.example
192.0.2.18=r4.lab.example
192.0.2.2=r1.lab.example
192.0.2.22=
192.0.2.26=
192.0.2.6=r2.lab.example'
	else
		want='2001:db8:1::2=r1.lab.example
2001:db8:2::2=
2001:db8:3::2=
2001:db8:5::2=
2001:db8:7::2=r5.lab.example'
	fi
	# MDA stops at 95% confidence: where the hash's seed cannot be fixed
	# (Linux before 6.11: drawn at boot) a run may see every flow take
	# one branch (CI saw it once, IPv4, and Debian's miss one at
	# 91d495e, before the fixed source port).  A run that misses a node
	# gets another, up to three; Debian's the same.
	for try in 1 2 3; do
		: >"$tmp/dnslog"
		ours -O warts -o "$tmp/o.warts" -I "$cmd" >"$tmp/olog" 2>&1
		ourq=$(queries)
		"$tools/sc_warts2json" "$tmp/o.warts" >"$tmp/oj" 2>&1
		names $dst <"$tmp/oj" >"$tmp/on"
		[ "$(cat "$tmp/on")" = "$(echo "$want" | LC_ALL=C sort)" ] &&
		    break
		[ $try = 3 ] || echo "note: $cmd: a node missed: once more"
	done
	for try in 1 2 3; do
		theirs -O warts -o "$tmp/t.warts" -I "$cmd" >"$tmp/tlog" 2>&1
		sc_warts2json "$tmp/t.warts" >"$tmp/tj" 2>&1
		names $dst <"$tmp/tj" >"$tmp/tn"
		[ "$(cat "$tmp/tn")" = "$(echo "$want" | LC_ALL=C sort)" ] &&
		    break
		[ $try = 3 ] ||
		    echo "note: $cmd: Debian's missed a node: once more"
	done
	[ "$(cat "$tmp/on")" = "$(echo "$want" | LC_ALL=C sort)" ] &&
	    ok "$cmd: every node found, named where the zone has a name" ||
	    bad "names, $cmd: $(cat "$tmp/on" "$tmp/olog")"
	diff "$tmp/on" "$tmp/tn" >"$tmp/diff" &&
	    ok "$cmd: our nodes and names are Debian's" ||
	    bad "names against Debian's, $cmd: $(cat "$tmp/diff")"
	nodes=$(python3 -c '
import json, sys
print(sum(len(o["nodes"]) + (o["nodec"] > len(o["nodes"]))
          for o in map(json.loads, sys.stdin) if o.get("type") == "tracelb"))
' <"$tmp/oj")
	[ "$ourq" = "$nodes" ] && [ "$nodes" -ge $(( $(echo "$want" | wc -l) + 1 )) ] &&
	    ok "$cmd: one query per node ($nodes)" ||
	    bad "queries, $cmd: $ourq for $nodes nodes: $(cat "$tmp/dnslog")"
	# the target's name, which Debian loses (JSON leaves out a node
	# without links: the dump shows every node)
	"$tools/sc_wartsdump" "$tmp/o.warts" 2>&1 |
	    grep -Eq "^node [0-9]+ $dst(, q-ttl [0-9]+)?, name h2.lab.example\$" &&
	    ok "$cmd: the target's name too" ||
	    bad "target's name, $cmd: $("$tools/sc_wartsdump" "$tmp/o.warts" | grep '^node')"

	"$tools/sc_wartsdump" "$tmp/o.warts" 2>&1 | dnodes $dst >"$tmp/od"
	sc_wartsdump "$tmp/o.warts" 2>&1 | dnodes $dst >"$tmp/odd"
	sc_wartsdump "$tmp/t.warts" 2>&1 | dnodes $dst >"$tmp/td"
	grep -qx ' flags: ptr' "$tmp/odd" && grep -q ', name r1.lab.example$' "$tmp/odd" &&
	    diff "$tmp/odd" "$tmp/td" >"$tmp/diff" &&
	    diff "$tmp/od" "$tmp/odd" >>"$tmp/diff" &&
	    ok "$cmd: our warts (flag ptr, node names) dumps as Debian's, by both dumpers" ||
	    bad "warts, $cmd: $(cat "$tmp/diff")"
	# (ours adds the stop reason and each node's confidence)
	sc_warts2json "$tmp/o.warts" >"$tmp/dj" 2>&1
	sed -E 's/, "stop_reason":"[A-Z]+"//; s/, "confidence":[0-9.]+, "links"/, "links"/g' \
	    "$tmp/oj" >"$tmp/ojc"
	[ -s "$tmp/dj" ] && diff "$tmp/dj" "$tmp/ojc" >"$tmp/diff" &&
	    grep -q '"name":"r1.lab.example"' "$tmp/ojc" &&
	    ok "$cmd: Debian's and our sc_warts2json agree on our warts" ||
	    bad "warts2json, $cmd: $(cat "$tmp/diff")"

	# JSON and text written by the prober: names in JSON only, as
	# Debian's (its text has none)
	ours -O json -I "$cmd" 2>&1 | names $dst >"$tmp/on2"
	diff "$tmp/on" "$tmp/on2" >"$tmp/diff" &&
	    ok "$cmd: the prober's JSON has the names" ||
	    bad "JSON, $cmd: $(cat "$tmp/diff")"
	ours -I "$cmd" >"$tmp/ot" 2>&1
	grep -q "^tracelb from .* to $dst, " "$tmp/ot" &&
	    ! grep -q 'lab.example' "$tmp/ot" &&
	    ok "$cmd: the text has no names, as Debian's" ||
	    bad "text, $cmd: $(cat "$tmp/ot")"
done

# a nameserver address where nothing listens: every lookup fails or
# times out, and the trace is written without names
resolv 'nameserver 198.51.100.54\n'
lab_addr h1 lo 198.51.100.54/32 || exit 1
cmd="tracelb -O ptr -P udp-dport -s $sport -q 1 -w 1 -W 15 203.0.113.1"
ours -O json -I "$cmd" >"$tmp/oj" 2>&1
names 203.0.113.1 <"$tmp/oj" >"$tmp/on"
[ "$(grep -c '=$' "$tmp/on")" -ge 7 ] && ! grep -q 'lab.example' "$tmp/on" &&
    ok "nameserver silent: the trace is written, without names" ||
    bad "silent nameserver: $(cat "$tmp/on" "$tmp/oj")"

# no nameserver: -O ptr is refused, naming the reason
resolv 'search lab.example\n'
ours -I "tracelb -O ptr 203.0.113.1" >"$tmp/o" 2>&1
grep -q -- '-O ptr: no nameserver in /etc/resolv.conf' "$tmp/o" &&
    ok "no nameserver: -O ptr is refused with the reason" ||
    bad "no nameserver: $(cat "$tmp/o")"

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
