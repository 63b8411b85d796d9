#!/bin/sh
# test-tools.sh BUILDDIR DATADIR: our sc_warts2text and sc_wartsdump print
# what Debian's printed for each corpus file (stored as X.txt and X.dump by
# make-corpus.sh, which keeps sc_wartsdump's standard output only): both
# tools for every file.
set -u
bin=$1/tools/warts data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 files=0
for f in "$data"/*.warts; do
	[ -f "$f" ] || continue
	files=$((files + 1))
	b=${f%.warts}
	if [ ! -f "$b.txt" ] && [ ! -f "$b.dump" ]; then
		echo "FAIL: $(basename "$f") has neither a .txt nor a .dump to compare with"
		fail=1
	fi
	for t in txt:sc_warts2text dump:sc_wartsdump; do
		ext=${t%%:*} tool=${t#*:}
		[ -f "$b.$ext" ] || continue
		if [ "$ext" = dump ]; then
			"$bin/$tool" "$f" > "$tmp/out" 2>/dev/null
		else
			"$bin/$tool" "$f" > "$tmp/out" 2>&1
		fi
		if ! cmp -s "$b.$ext" "$tmp/out"; then
			echo "FAIL: $tool $(basename "$f")"
			diff "$b.$ext" "$tmp/out" | head -6
			fail=1
		fi
		n=$((n + 1))
	done
done
echo "$n comparisons, $files files"
# an empty or missing corpus compares nothing: that is a failure
if [ $n -eq 0 ]; then
	echo "FAIL: no corpus in $data (no .warts with a .txt or .dump)"
	exit 1
fi
exit $fail
