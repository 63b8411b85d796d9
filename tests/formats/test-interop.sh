#!/bin/sh
# test-interop.sh BUILDDIR DATADIR: against Debian's scamper tools
# (/usr/bin/sc_*), for every corpus file X.warts:
#  - Debian's sc_warts2json and sc_warts2text of OUR re-written X (read
#    and written again by our library through sc_wartscat) equal their
#    output for the original X;
#  - our sc_warts2json and sc_warts2text equal Debian's on X;
# and, over the whole corpus, our sc_analysis_dump -C and sc_warts2pcap
# (plain and -s packet) equal Debian's.  Skips (77) without Debian's tools.
set -u
bin=$1/tools/warts data=$2
for t in sc_warts2json sc_warts2text sc_analysis_dump sc_warts2pcap; do
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
for s in "" "-s packet"; do
	# the files whose records hold packets (neighbourdisc is left out:
	# Debian's reader stops at 20211212's own neighbourdisc records)
	set -- "$data"/sniff*.warts "$data"/sting*.warts "$data"/tbit*.warts
	/usr/bin/sc_warts2pcap $s -o "$tmp/p1" "$@" 2>/dev/null
	"$bin/sc_warts2pcap" $s -o "$tmp/p2" "$@"
	check "sc_warts2pcap $s" "$tmp/p1" "$tmp/p2"
done
echo "$n comparisons, $nf files"
# an empty or missing corpus compares only the empty outputs
[ $nf -gt 0 ] || { echo "FAIL: no corpus in $data"; exit 1; }
exit $fail
