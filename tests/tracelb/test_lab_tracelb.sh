#!/usr/bin/env bash
# test_lab_tracelb.sh SCAMPER HELPER OURTOOLS: our tracelb against Linux
# routers (topo-mda.txt: a 3-wide and a 2-wide ECMP stage, a silent
# router in the second), every method over IPv4 and IPv6:
#   1. exactly the lab's links (mda-truth.txt): recall and precision 1;
#   2. Debian's sc_wartsdump, sc_warts2json and sc_warts2text read our
#      warts, and render it as our tools do (our extension keys aside);
#      our own -O json and -O text runs name the same links;
#   3. Debian's scamper on the same lab: every node it finds and every
#      link it reports between two nodes that the lab has (across silent
#      hops at most) we find too; its links the lab lacks are said.
# The kernels' multipath hash key is random per boot, so the branches a
# flow takes differ between machines: MDA's job is to find them all
# whatever the key.  We run at -c 99.99999999 (a next hop is missed with
# chance 1e-10 per node; ~20 nodes and 10 runs make it 2e-8 per test).
# Debian's runs are statistical (95%) and only checked against ours.
# The second stage hashes other header fields than the first (policy 3
# at r4), as routers of different makes do; ICMP echo is balanced by
# nftables (Linux's multipath hash has no ICMP fields) with fixed seeds.
# Needs root; skipped otherwise.
set -u
scamper=$1
export SCAMPER_HELPER_BIN=$2
tools=$3	# our sc_warts2json, sc_warts2text are in $tools
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
REF=/usr/bin/scamper
for t in $REF sc_wartsdump sc_warts2json sc_warts2text python3; do
	command -v $t >/dev/null 2>&1 ||
	    { echo "SKIP: $t not found (Debian packages scamper, python3)"; exit 77; }
done
lab_init tracelb
lab_build "$here/topo-mda.txt" >/dev/null || exit 1
tmp=$LAB_DIR
links="python3 $here/lb_links.py"

fail=0 n=0
ok() { n=$((n + 1)); echo "ok: $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# r4 hashes only the protocol and ports (policy 3), r2 the 5-tuple
for fam in ipv4 ipv6; do
	lab_exec r4 sysctl -q -w net.$fam.fib_multipath_hash_policy=3 \
	    net.$fam.fib_multipath_hash_fields=0x0034 ||
	    { echo "FAIL: r4 cannot hash on chosen fields (Linux >= 5.14)"; exit 1; }
done
# ICMP echo: nftables marks by a hash of the checksum, rules pick the
# branch (r2: 3 ways, r4: 2 ways, seeds apart)
icmp_lb() {	# icmp_lb NODE WAYS SEED V4GW... -- V6GW...
	local node=$1 ways=$2 seed=$3 i=1 gw
	shift 3
	lab_exec "$node" nft -f - <<EOF || return 1
table inet mdalb {
	chain pre {
		type filter hook prerouting priority mangle;
		icmp type echo-request meta mark set jhash ip saddr . ip daddr . icmp checksum mod $ways seed $seed offset 1;
		icmpv6 type echo-request meta mark set jhash ip6 saddr . ip6 daddr . icmpv6 checksum mod $ways seed $seed offset 1;
	}
}
EOF
	for gw in "$@"; do
		[ "$gw" = -- ] && { i=1; continue; }
		if [[ $gw == *:* ]]; then
			lab_exec "$node" ip -6 rule add fwmark $i table $((100 + i)) &&
			lab_exec "$node" ip -6 route add 2001:db8:ff::/64 via "$gw" \
			    table $((100 + i)) || return 1
		else
			lab_exec "$node" ip rule add fwmark $i table $((100 + i)) &&
			lab_exec "$node" ip route add 203.0.113.0/24 via "$gw" \
			    table $((100 + i)) || return 1
		fi
		i=$((i + 1))
	done
}
icmp_lb r2 3 0x5eed 192.0.2.10 192.0.2.14 192.0.2.18 -- \
    2001:db8:3::2 2001:db8:4::2 2001:db8:5::2 &&
icmp_lb r4 2 0xbeef 192.0.2.34 192.0.2.38 -- 2001:db8:9::2 2001:db8:a::2 ||
    { echo "FAIL: nftables ICMP balancing"; exit 1; }

methods="udp-dport icmp-echo udp-sport tcp-sport tcp-ack-sport"
dst4=203.0.113.1 dst6=2001:db8:ff::1
truth() {	# truth 4|6: the lab's links, A>B/H sorted, comma-joined
	sed -n "s/^v$1 //p" "$here/mda-truth.txt" | LC_ALL=C sort | paste -sd, -
}

echo "# lab built after $SECONDS s"

# --- 1. ours, every method and family at once ---------------------------
# (ours are checked while Debian's still run: CPU taken from Debian's
# can only make its findings fewer or wrong, and part 3 holds neither
# against ours)
ours=()
for m in $methods; do
	for fam in 4 6; do
		dst=dst$fam
		lab_bg h1 timeout -k 5 100 "$scamper" -p 2000 -O warts -o "$tmp/ours-$m-$fam.warts" \
		    -c "tracelb -P $m -c 99.99999999 -w 1 -W 1 -q 2" -i "${!dst}" \
		    >/dev/null
		ours+=($!)
	done
done
# Debian's too, meanwhile (its -W is at least 15)
for m in $methods; do
	for fam in 4 6; do
		dst=dst$fam
		lab_bg h1 timeout -k 5 60 "$REF" -O warts -o "$tmp/deb-$m-$fam.warts" \
		    -c "tracelb -P $m -w 1 -W 15" -i "${!dst}" >/dev/null
	done
done
# and ours in text and JSON for one method per family
for fam in 4 6; do
	dst=dst$fam
	for fmt in json text; do
		lab_bg h1 timeout -k 5 100 "$scamper" -p 2000 -O $fmt -o "$tmp/ours-$fam.$fmt" \
		    -c "tracelb -P udp-sport -c 99.99999999 -w 1 -W 1" \
		    -i "${!dst}" >/dev/null
		ours+=($!)
	done
done
wait "${ours[@]}"
echo "# our runs done after $SECONDS s"

for m in $methods; do
	for fam in 4 6; do
		f=$tmp/ours-$m-$fam.warts
		got=$(sc_wartsdump "$f" 2>"$tmp/err" | $links)
		set -- $got
		want=$(truth $fam)
		gl=${4#links=}
		if [ "$gl" = "$want" ] && [ "${5:-}" = clumps= ]; then
			ok "ours $m IPv$fam: every link of the lab, no other"
		else
			bad "ours $m IPv$fam: got $gl, want $want ($(cat "$tmp/err"))"
			continue
		fi
		# Debian's readers: JSON and text as ours render it
		sc_warts2json "$f" >"$tmp/dj" 2>&1 &&
		    "$tools/sc_warts2json" "$f" |
		    sed -E 's/, "stop_reason":"[A-Z]+"//; s/, "confidence":[0-9.]+, "links"/, "links"/g' |
		    cmp -s - "$tmp/dj" &&
		    python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$tmp/dj" &&
		    sc_warts2text "$f" >"$tmp/dt" 2>&1 &&
		    "$tools/sc_warts2text" "$f" | cmp -s - "$tmp/dt" &&
		    ok "ours $m IPv$fam: Debian's sc_warts2json and sc_warts2text read it as ours do" ||
		    bad "ours $m IPv$fam: Debian's tools read it differently"
	done
done

# --- 2. our text and JSON outputs ----------------------------------------
for fam in 4 6; do
	# every "A -> B" line of the text is a truth link (nodes with one
	# link print the hops between; those lines are checked by warts)
	t=$tmp/ours-$fam.text
	if head -1 "$t" | grep -q "^tracelb from .* to .*, [0-9]* nodes, [0-9]* links, [0-9]* probes, 99%$"; then
		ok "ours -O text IPv$fam: header"
	else
		bad "ours -O text IPv$fam: $(head -3 "$t")"
	fi
	bad_lines=$(awk 'NR > 1 && NF == 3 { print $1 ">" $3 }' "$t" | while read -r l; do
		grep -q "^v$fam ${l%>*}>${l#*>}/" "$here/mda-truth.txt" || echo "$l"
	done)
	[ -z "$bad_lines" ] && ok "ours -O text IPv$fam: every link line is the lab's" ||
	    bad "ours -O text IPv$fam: not the lab's: $bad_lines"
	python3 - "$tmp/ours-$fam.json" <<'EOF' &&
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
t = [o for o in objs if o["type"] == "tracelb"]
assert len(t) == 1 and t[0]["stop_reason"] == "COMPLETED", t
assert all("confidence" in n for n in t[0]["nodes"])
# per billion: 99.99999999 asked is 99.9999999 reported, never more
assert min(n["confidence"] for n in t[0]["nodes"]) >= 99.9999999, t[0]
EOF
	ok "ours -O json IPv$fam: one tracelb, COMPLETED, every node at least as sure as asked" ||
	    bad "ours -O json IPv$fam"
done

# --- 3. Debian's scamper on the same lab ---------------------------------
wait
echo "# Debian's runs done after $SECONDS s"
for m in $methods; do
	for fam in 4 6; do
		f=$tmp/deb-$m-$fam.warts
		deb=$(sc_wartsdump "$f" 2>/dev/null | $links)
		if [ -z "$deb" ]; then
			echo "# Debian $m IPv$fam did not finish"
			continue
		fi
		ours=$(sc_wartsdump "$tmp/ours-$m-$fam.warts" | $links)
		python3 - "$deb" "$ours" "$(truth $fam)" <<'EOF' &&
import sys
def parse(s):
    w = dict(x.split("=", 1) for x in s.split()[2:])
    return {k: set(v.split(",")) - {""} for k, v in w.items()}
d, o = parse(sys.argv[1]), parse(sys.argv[2])
truth = set(sys.argv[3].split(",")) - {""}
miss_n = d["nodes"] - o["nodes"]
# A link of Debian's between two nodes that the lab does not have is
# Debian's error (a late reply on a loaded machine matched to the wrong
# probe, e.g. A>DST/1 where the lab has A>B>DST): said, not held against
# ours, which is checked against the lab's truth above.
wrong = {l for l in d["links"]
         if not l.split(">", 1)[1].startswith("*") and l not in truth}
if wrong:
    print("# Debian's links the lab does not have: %s" % sorted(wrong))
miss_l = d["links"] - o["links"] - wrong
# A link of Debian's into silence ("A>*/n": its probes past A got no
# answer, as happens when a reply is late on a loaded machine) is covered
# by any link of ours from A across the silent hop.
miss_l = {l for l in miss_l
          if not (l.split(">", 1)[1].startswith("*") and
                  any(x.startswith(l.split(">", 1)[0] + ">")
                      for x in o["links"]))}
print("# Debian: %d nodes, %d links (+%d clumps); ours %d, %d" % (
    len(d["nodes"]), len(d["links"]), len(d["clumps"]),
    len(o["nodes"]), len(o["links"])))
if miss_n or miss_l:
    print("# only Debian's: %s %s" % (sorted(miss_n), sorted(miss_l)))
    sys.exit(1)
EOF
		ok "Debian $m IPv$fam: its nodes and links are among ours" ||
		    bad "Debian $m IPv$fam: found what we did not"
	done
done

echo "$((n - fail)) of $n checks passed"
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
