#!/bin/sh
# test-tools.sh BUILDDIR DATADIR: the corpus test.  For every X.warts of
# the corpus, our sc_warts2json, sc_warts2text and sc_wartsdump print on
# standard output what Debian's printed (X.json, X.txt, X.dump, made by
# make-corpus.sh / make-crafted.sh) and exit as Debian's did (0, or the
# status in X.EXT.rc).  A pair may differ only if the corpus README lists
# it under "Differences from Debian's tools" with its reason; a listed
# pair that no longer differs fails too (the list stays true).  Prints
# how many files and comparisons per tool; fails on zero comparisons.
#
# Speed (sanitizer builds): each tool first reads every plain pair's file
# in one run, compared with their outputs joined; only if that differs
# are the files taken one by one, to name them.
set -u
bin=$1/tools/warts data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# the listed differences: "| file | tool | reason |" rows of the section
sed -n '/^## Differences from Debian.s tools/,/^## /p' "$data/README.md" |
    sed -n 's/^| *\([A-Za-z0-9_.-]*\) *| *\(sc_[a-z0-9_]*\) *|.*/\1 \2/p' \
    >"$tmp/listed"
listed="
$(cat "$tmp/listed")
"
fail=0 files=0 n=0 nl=0 counts=

is_listed() {	# is_listed NAME TOOL
	case $listed in *"
$1 $2
"*) return 0 ;; esac
	return 1
}

# one NAME TOOL EXT: compare one pair; counts listed pairs
one() {
	b=$data/$1 want=0 rc=0 same=1
	[ -f "$b.$3.rc" ] && want=$(cat "$b.$3.rc")
	"$bin/$2" "$b.warts" >"$tmp/out" 2>"$tmp/err" || rc=$?
	cmp -s "$b.$3" "$tmp/out" || same=0
	[ "$rc" = "$want" ] || same=0
	if is_listed "$1" "$2"; then
		nl=$((nl + 1))
		if [ $same = 1 ]; then
			echo "FAIL: $2 $1: listed as a difference in README, but equal"
			fail=1
		fi
	elif [ $same = 0 ]; then
		echo "FAIL: $2 $1 (exit $rc, Debian's $want)"
		diff "$b.$3" "$tmp/out" | head -6
		head -3 "$tmp/err"
		fail=1
	fi
}

for f in "$data"/*.warts; do
	[ -f "$f" ] && files=$((files + 1))
done
for t in json:sc_warts2json txt:sc_warts2text dump:sc_wartsdump; do
	ext=${t%%:*} tool=${t#*:} k=0
	: >"$tmp/plain"
	set --
	for f in "$data"/*.warts; do
		name=${f##*/} name=${name%.warts}
		[ -f "$data/$name.$ext" ] || continue
		k=$((k + 1))
		if [ -f "$data/$name.$ext.rc" ] || is_listed "$name" "$tool"; then
			one "$name" "$tool" "$ext"
		else
			set -- "$@" "$f"
			echo "$name" >>"$tmp/plain"
		fi
	done
	sed "s|.*|$data/&.$ext|" "$tmp/plain" | tr '\n' '\0' |
	    xargs -0 cat >"$tmp/want"
	rc=0
	[ $# -gt 0 ] && { "$bin/$tool" "$@" >"$tmp/all" 2>/dev/null || rc=$?; }
	if [ $# -gt 0 ] && { [ $rc != 0 ] || ! cmp -s "$tmp/want" "$tmp/all"; }; then
		while read -r name; do
			one "$name" "$tool" "$ext"
		done <"$tmp/plain"
	fi
	n=$((n + k))
	counts="$counts${counts:+, }$tool $k"
done
echo "corpus: $files files, $n comparisons ($counts), $nl listed differences"
[ $n -gt 0 ] || { echo "FAIL: nothing compared in $data"; fail=1; }
exit $fail
