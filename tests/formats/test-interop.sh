#!/bin/sh
# test-interop.sh BUILDDIR DATADIR: against Debian's scamper tools
# (/usr/bin/sc_*), for every corpus file X.warts:
#  - Debian's sc_warts2json and sc_warts2text of OUR re-written X (read
#    and written again by our library through sc_wartscat) equal their
#    output for the original X;
#  - our sc_warts2json and sc_warts2text equal Debian's on X;
# and, over the whole corpus, our sc_analysis_dump -C (also with -M, -o,
# -e, -i, -Q, -T) and sc_warts2pcap (plain and -s packet) equal Debian's
# (sc_warts2pcap's but for the link type);
# sc_wartscat: -o appends as Debian's does (the same bytes), -s of the
# types Debian's keeps gives the same bytes, and -s of every type keeps
# every record (Debian's drops five types: README) with each cycle's
# start, records and stop in time order.  Skips (77) without Debian's
# tools.
set -u
bin=$1/tools/warts data=$2
for t in sc_warts2json sc_warts2text sc_analysis_dump sc_warts2pcap sc_wartscat; do
	[ -x /usr/bin/$t ] || { echo "skip: Debian's $t is not installed"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() {	# check WHAT FILE1 FILE2
	n=$((n + 1))
	if ! cmp -s "$2" "$3"; then
		echo "FAIL: $1"
		diff "$2" "$3" | head -4 | cut -c1-200
		fail=1
	fi
}
nf=0
for f in "$data"/*.warts; do
	[ -f "$f" ] || continue
	nf=$((nf + 1))
	b=$(basename "$f" .warts)
	rm -f "$tmp/re.warts"	# -o appends
	"$bin/sc_wartscat" -o "$tmp/re.warts" "$f" || { echo "FAIL: rewrite $b"; fail=1; continue; }
	for t in sc_warts2json sc_warts2text; do
		TZ=UTC /usr/bin/$t "$f" > "$tmp/orig" 2>/dev/null
		TZ=UTC /usr/bin/$t "$tmp/re.warts" > "$tmp/re" 2>/dev/null
		check "Debian's $t of our rewrite of $b" "$tmp/orig" "$tmp/re"
		TZ=UTC "$bin/$t" "$f" > "$tmp/ours" 2>/dev/null
		check "our $t of $b" "$tmp/orig" "$tmp/ours"
	done
done
/usr/bin/sc_analysis_dump -C "$data"/*.warts > "$tmp/a1" 2>/dev/null
"$bin/sc_analysis_dump" -C "$data"/*.warts > "$tmp/a2" 2>/dev/null
check "sc_analysis_dump -C" "$tmp/a1" "$tmp/a2"
/usr/bin/sc_analysis_dump -C -e -U -Q -T "$data"/*.warts > "$tmp/a1" 2>/dev/null
"$bin/sc_analysis_dump" -C -e -U -Q -T "$data"/*.warts > "$tmp/a2" 2>/dev/null
check "sc_analysis_dump -C -e -U -Q -T" "$tmp/a1" "$tmp/a2"
for o in "-M" "-M -Q -T" "-M -i -e" "-o" "-o -e" "-o -e -i -T"; do
	/usr/bin/sc_analysis_dump -C $o "$data"/*.warts > "$tmp/a1" 2>/dev/null
	"$bin/sc_analysis_dump" -C $o "$data"/*.warts > "$tmp/a2" 2>/dev/null
	check "sc_analysis_dump -C $o" "$tmp/a1" "$tmp/a2"
done

# sc_wartscat -o appends: to a file with the same list, another list, a
# file ending in a cycle still open (its ID carries on)
for p in "ping-icmp-echo-v4 trace-icmp-v4" "list-named multi" \
    "tracelb-v4 dealias-ally trace-icmp-v6"; do
	set -- $p
	first=$1
	shift
	cp "$data/$first.warts" "$tmp/c1"
	cp "$data/$first.warts" "$tmp/c2"
	for x in "$@"; do
		/usr/bin/sc_wartscat -o "$tmp/c1" "$data/$x.warts" 2>/dev/null
		"$bin/sc_wartscat" -o "$tmp/c2" "$data/$x.warts"
	done
	check "sc_wartscat -o appends ($p)" "$tmp/c1" "$tmp/c2"
done
# -s over the types Debian's sc_wartscat keeps: the same bytes (no two
# cycles starting in the same second: Debian's then stops, exit 255)
set -- "$data/tracelb-v4.warts" "$data/dealias-ally.warts" \
    "$data/ping-icmp-echo-v4.warts" "$data/trace-icmp-v4.warts" \
    "$data/multi.warts" "$data/dealias-mercator-v6.warts"
rm -f "$tmp/s1" "$tmp/s2"
/usr/bin/sc_wartscat -s -o "$tmp/s1" "$@" 2>/dev/null
"$bin/sc_wartscat" -s -o "$tmp/s2" "$@"
check "sc_wartscat -s (trace, ping, tracelb, dealias)" "$tmp/s1" "$tmp/s2"
# -s over every type: every record kept, in time order
set -- "$data/neighbourdisc-fixed-crafted.warts" "$data/sniff.warts" \
    "$data/host-a.warts" "$data/sting.warts" "$data/tbit-null.warts" \
    "$data/trace-icmp-v4.warts" "$data/tracelb-v4.warts"
rm -f "$tmp/s2"
"$bin/sc_wartscat" -s -o "$tmp/s2" "$@"
recs() { "$bin/sc_wartsdump" "$@" 2>/dev/null | grep -cE '^(traceroute|ping|tracelb|dealias|neighbourdisc|tbit|sting|sniff|host) '; }
n=$((n + 1))
if [ "$(recs "$tmp/s2")" != "$(recs "$@")" ]; then
	echo "FAIL: sc_wartscat -s lost records: $(recs "$tmp/s2") of $(recs "$@")"
	fail=1
fi
# the time of each record, in output order: cycle lines carry theirs,
# measurements their start line (seconds)
"$bin/sc_wartsdump" "$tmp/s2" | TZ=UTC python3 -c '
import sys, time
last, bad, n = 0, 0, 0
for l in sys.stdin:
    t = None
    if l.startswith("cycle "):
        t = l.rsplit("time ", 1)[1].strip()
    elif l.startswith(" start: ") or l.startswith(" start "):
        t = " ".join(l.split()[1:6])
    if t is None:
        continue
    s = time.mktime(time.strptime(t, "%a %b %d %H:%M:%S %Y"))
    n += 1
    if s < last:
        bad += 1
        print("out of order:", l.strip())
    last = max(last, s)
sys.exit(1 if bad or n < 10 else 0)
' >"$tmp/order" || { echo "FAIL: sc_wartscat -s order: $(cat "$tmp/order")"; fail=1; }
n=$((n + 1))

for s in "" "-s packet"; do
	# the files whose records hold packets (neighbourdisc is left out:
	# Debian's reader stops at 20211212's own neighbourdisc records)
	set -- "$data"/sniff*.warts "$data"/sting*.warts "$data"/tbit*.warts
	/usr/bin/sc_warts2pcap $s -o "$tmp/p1" "$@" 2>/dev/null
	"$bin/sc_warts2pcap" $s -o "$tmp/p2" "$@"
	# the one difference: the link type at byte 20, 12 there and
	# LINKTYPE_RAW (101) here (README)
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read())
assert d[20:24] in (b"\x0c\0\0\0", b"\0\0\0\x0c"), d[20:24]
d[20:24] = (101).to_bytes(4, sys.byteorder); open(sys.argv[1], "wb").write(d)' "$tmp/p1"
	check "sc_warts2pcap $s (but for the link type)" "$tmp/p1" "$tmp/p2"
done
echo "$n comparisons, $nf files"
# an empty or missing corpus compares only the empty outputs
[ $nf -gt 0 ] || { echo "FAIL: no corpus in $data"; exit 1; }
exit $fail
