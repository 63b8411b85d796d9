#!/bin/sh
# bench-warts2json.sh BUILDDIR [MB]: our sc_warts2json against Debian's
# (/usr/bin/sc_warts2json) on the same large warts file: the trace and
# ping corpus joined with our sc_wartscat, then doubled until it reaches
# MB megabytes (default 100).  Prints MB/s for each (output to /dev/null),
# the peak RSS of each (GNU time), and checks both outputs are identical.  Not part of the test
# suite; results go to tests/bench/RESULTS.md by hand.
set -eu
build=$1 mb=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data
ours=$build/tools/warts/sc_warts2json
cat=$build/tools/warts/sc_wartscat
theirs=/usr/bin/sc_warts2json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cat" -o "$tmp/a.warts" "$data"/trace-*.warts "$data"/ping-*.warts
while [ "$(wc -c < "$tmp/a.warts")" -lt $((mb * 1048576)) ]; do
	"$cat" -o "$tmp/b.warts" "$tmp/a.warts" "$tmp/a.warts"
	mv "$tmp/b.warts" "$tmp/a.warts"
done
size=$(wc -c < "$tmp/a.warts")
echo "file: $size bytes ($(awk -v s="$size" 'BEGIN{printf "%.1f", s/1048576}') MB)"
cat "$tmp/a.warts" > /dev/null		# warm the page cache
run() {	# run NAME TOOL
	local t0 t1 rss
	t0=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		TZ=UTC /usr/bin/time -f %M -o "$tmp/rss" "$2" "$tmp/a.warts" > /dev/null
		rss=$(cat "$tmp/rss")
	else
		TZ=UTC "$2" "$tmp/a.warts" > /dev/null; rss=?
	fi
	t1=$(date +%s.%N)
	awk -v n="$1" -v s="$size" -v a="$t0" -v b="$t1" -v r="$rss" \
	    'BEGIN{printf "%-7s %6.2f s  %7.1f MB/s  max RSS %s KiB\n", n, b-a, s/1048576/(b-a), r}'
}
run ours "$ours"
if [ -x "$theirs" ]; then
	run debian "$theirs"
	a=$(TZ=UTC "$ours" "$tmp/a.warts" | md5sum)
	b=$(TZ=UTC "$theirs" "$tmp/a.warts" | md5sum)
	if [ "$a" = "$b" ]; then
		echo "outputs identical ($(TZ=UTC "$ours" "$tmp/a.warts" | wc -l) lines)"
	else
		echo "OUTPUTS DIFFER"; exit 1
	fi
fi
