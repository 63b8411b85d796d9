#!/bin/bash
# test-tracediff.sh OURS TDCRAFT CORPUS: sc_tracediff against Debian's
# (CAIDA 20211212) on every ordered pair of corpus files with traces, with
# and without -a, and on inputs tdcraft makes from them (repeated traces,
# several destinations in different orders, replies edited at one hop,
# userids); then bad input.  Output, messages and exit status must be
# byte-identical.  TZ=UTC: the times printed are local.
set -u
ours=$1 craft=$2 corpus=$3
export TZ=UTC
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracediff.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# run OPTS... A B: both tools; compare stdout, stderr and status
same() {
	local rd ro
	/usr/bin/sc_tracediff "$@" >"$tmp/d.out" 2>"$tmp/d.err"; rd=$?
	"$ours" "$@" >"$tmp/o.out" 2>"$tmp/o.err"; ro=$?
	if [ $rd != $ro ] || ! cmp -s "$tmp/d.out" "$tmp/o.out" ||
	    ! cmp -s "$tmp/d.err" "$tmp/o.err"; then
		bad "sc_tracediff $* (status Debian $rd, ours $ro)"
		diff "$tmp/d.out" "$tmp/o.out" | head -20
		diff "$tmp/d.err" "$tmp/o.err" | head -5
	else
		ok
	fi
}

# Bad input, with or without Debian's tool: a clear error, status 255.
"$ours" "$tmp/none.warts" "$corpus/trace-udp-v4.warts" 2>"$tmp/e"
[ $? = 255 ] && grep -q "could not open $tmp/none.warts" "$tmp/e" && ok ||
    bad "missing file"
"$ours" -m bogus a b 2>"$tmp/e"
[ $? = 255 ] && grep -q "bogus" "$tmp/e" && ok || bad "-m bogus"
head -c 100 "$corpus/trace-udp-v4.warts" > "$tmp/cut.warts"
"$ours" "$tmp/cut.warts" "$corpus/trace-udp-v4.warts" >/dev/null 2>"$tmp/e"
[ $? = 255 ] && grep -q "cut.warts" "$tmp/e" && ok || bad "truncated file"

if [ ! -x /usr/bin/sc_tracediff ]; then
	echo "SKIP: Debian's sc_tracediff (package scamper) is not installed;"
	echo "      $n checks of bad input made, $fail failed"
	[ $fail = 0 ] && exit 77 || exit 1
fi

files=()
for f in "$corpus"/*.warts; do
	grep -q '"type":"trace"' "${f%.warts}.json" 2>/dev/null &&
	    files+=("$f")
done
# each file against the one before it, both ways (all ordered pairs would
# take minutes: two processes per comparison)
prev=${files[${#files[@]}-1]}
for a in "${files[@]}"; do
	same -a "$a" "$prev"
	same "$prev" "$a"
	prev=$a
done

# crafted inputs
c=$tmp/c D=$corpus U=$D/trace-udp-v4.warts I=$D/trace-icmp-v4.warts
A=$D/trace-allattempts.warts G=$D/trace-gaplimit.warts
mk() { "$craft" "$@" || bad "tdcraft $*"; }
mk "$c-x.warts" "$U:0:start=1000" "$I:0:start=2000"
mk "$c-y.warts" "$I:0:start=3000"
mk "$c-w.warts" "$U:0:start=6000" "$I:0:start=7000" \
    "$D/trace-tcp-ack-v4.warts:0:start=8000"
mk "$c-k.warts" "$U:0:start=1" "$U:0:start=2" "$U:0:start=3" "$G:0"
mk "$c-k2.warts" "$I:0:start=5" "$G:0"
mk "$c-p.warts" "$D/trace-udp-v6.warts:0" "$D/trace-unreach.warts:0" \
    "$U:0" "$G:0"
mk "$c-q.warts" "$G:1" "$D/trace-unreach.warts:0" \
    "$D/trace-icmp-v6.warts:0" "$I:0" "$G:0"
mk "$c-a1.warts" "$A:0:addr1=2/198.18.3.2"
mk "$c-a5.warts" "$A:0:addr=2/198.18.3.2,addr1=2/198.18.2.2"
mk "$c-db1.warts" "$D/trace-dtree-back.warts:0"
mk "$c-i1.warts" "$I:0:addr=1/198.18.3.2"
mk "$c-i2.warts" "$I:0:addr=2/198.18.3.2"
mk "$c-first.warts" "$I:0:first=2,count=3,drop=4"
mk "$c-long.warts" "$I:0:count=7" 
mk "$c-ann.warts" "$U:0:icmp=1/3/1,icmp=2/3/2,icmp=3/3/13"
mk "$c-ann2.warts" "$U:0:icmp=1/3/4,icmp=2/3/5,icmp=3/3/9,icmp=4/3/3"
mk "$c-ann6.warts" "$D/trace-udp-v6.warts:0:icmp=1/1/0,icmp=2/1/1,icmp=3/1/3,icmp=4/1/4"
mk "$c-ann6b.warts" "$D/trace-udp-v6.warts:0:icmp=1/1/2,icmp=2/2/0,icmp=3/1/5"
mk "$c-u1.warts" "$U:0:userid=5" "$I:0:userid=6"
mk "$c-u2.warts" "$I:0:userid=6" "$D/trace-udp-v6.warts:0:userid=5"
mk "$c-drop.warts" "$I:0:drop=2,drop=3"
for p in "x y" "y x" "x w" "w x" "k k2" "k2 k" "p q" "q p" "a1 a5" \
    "a5 a1" "db1 i1" "db1 i2" "i2 db1" "first long" "long first" \
    "first drop" "ann ann2" "ann2 drop" "drop ann" "ann6 ann6b" \
    "ann6b ann6" "u1 u2" "u2 u1" "first x" "x first" "long x"; do
	set -- $p
	same -a "$c-$1.warts" "$c-$2.warts"
	same "$c-$1.warts" "$c-$2.warts"
done
mk "$c-s1.warts" "$U:0:userid=1" "$U:0:userid=2" "$U:0:userid=3" \
    "$U:0:userid=4"
mk "$c-s2.warts" "$I:0:userid=1,src=198.18.1.9" \
    "$I:0:userid=2,dst=198.18.6.9" \
    "$I:0:userid=3,src=198.18.1.9,dst=198.18.6.9" "$I:0:userid=4"
for m in dst userid dstuserid; do
	for p in "u1 u2" "u2 u1" "s1 s2" "s2 s1"; do
		set -- $p
		same -a -m $m "$c-$1.warts" "$c-$2.warts"
		same -m $m "$c-$1.warts" "$c-$2.warts"
	done
done
same "$c-x.warts"
same -n -a "$c-p.warts" "$c-q.warts"
"$ours" -z "$c-x.warts" "$c-y.warts" 2>/dev/null
[ $? = 255 ] && ok || bad "-z: status not 255"

echo "sc_tracediff: $n comparisons, $fail failed"
[ $fail = 0 ]
