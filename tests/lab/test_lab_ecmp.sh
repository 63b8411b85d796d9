#!/usr/bin/env bash
# tests/lab/test_lab_ecmp.sh: Debian's scamper tracelb (MDA, run only
# inside h1) finds both ECMP branches of topo-basic.txt, r2 -> {r3a, r3b}
# -> r4, over IPv4 (udp-dport) and IPv6 (udp-sport).  MDA is
# probabilistic (99% confidence that no branch is left, per node), and
# which way each flow goes is the routers' hash: the flows are pinned
# (-s) and the lab's hash is seeded where the kernel allows it (lab.sh),
# so there a run is the same on every boot; on kernels without the seed
# each try misses a branch with a chance under 1%, and a try with other
# flows follows (three tries: under one in a million).
# Needs root (else exit 77).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.sh"
lab_require_root
lab_require_ref

failed=0

# expect_branches METHOD DST LINK...: tracelb reports every "A -> B" LINK
expect_branches() {
	local method=$1 dst=$2 out try l miss
	shift 2
	for try in 1 2 3; do
		# -W 15: 150 ms between probes (Debian's scamper exits 255,
		# silently, on a -W it does not accept, such as 5)
		out=$(lab_exec h1 "$REF" -I \
		    "tracelb -P $method -c 99 -W 15 -w 1 -s $((40000 + try)) $dst" \
		    2>&1)
		miss=
		for l in "$@"; do
			grep -qxF "$l" <<<"$out" || miss+=" [$l]"
		done
		sed 's/^/# /' <<<"$out"
		[ -z "$miss" ] && return 0
		echo "# try $try: missing$miss"
	done
	return 1
}

lab_init ecmp
lab_build "$here/topo-basic.txt" || { echo "not ok - lab_build"; exit 1; }

# (both families at once)
expect_branches udp-dport 203.0.113.1 \
    "192.0.2.6 -> 192.0.2.10" "192.0.2.6 -> 192.0.2.14" \
    "192.0.2.10 -> 192.0.2.18" "192.0.2.14 -> 192.0.2.22" \
    >"$LAB_DIR/v4" 2>&1 &
p4=$!
expect_branches udp-sport 2001:db8:ff::1 \
    "2001:db8:2::2 -> 2001:db8:3::2" "2001:db8:2::2 -> 2001:db8:4::2" \
    "2001:db8:3::2 -> 2001:db8:5::2" "2001:db8:4::2 -> 2001:db8:6::2" \
    >"$LAB_DIR/v6" 2>&1 &
p6=$!
wait $p4; r4=$?
wait $p6; r6=$?
cat "$LAB_DIR/v4" "$LAB_DIR/v6"
if [ $r4 = 0 ]; then
	echo "ok - tracelb udp-dport IPv4 finds r3a and r3b"
else
	echo "not ok - tracelb udp-dport IPv4 finds r3a and r3b"; failed=1
fi
if [ $r6 = 0 ]; then
	echo "ok - tracelb udp-sport IPv6 finds r3a and r3b"
else
	echo "not ok - tracelb udp-sport IPv6 finds r3a and r3b"; failed=1
fi
exit $failed
