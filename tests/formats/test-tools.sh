#!/bin/sh
# test-tools.sh BUILDDIR DATADIR: the corpus test.  For every X.warts of
# the corpus, our sc_warts2json, sc_warts2text and sc_wartsdump print on
# standard output what Debian's printed (X.json, X.txt, X.dump, made by
# make-corpus.sh / make-crafted.sh) and exit as Debian's did (0, or the
# status in X.EXT.rc).  A pair may differ only if the corpus README lists
# it under "Differences from Debian's tools" with its reason; a listed
# pair that no longer differs fails too (the list stays true).  Prints
# how many files and comparisons per tool; fails on zero comparisons.
set -u
bin=$1/tools/warts data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# the listed differences: "| file | tool | reason |" rows of the section
sed -n '/^## Differences from Debian.s tools/,/^## /p' "$data/README.md" |
    sed -n 's/^| *\([A-Za-z0-9_.-]*\) *| *\(sc_[a-z0-9_]*\) *|.*/\1 \2/p' \
    >"$tmp/listed"
fail=0 files=0 n=0 nj=0 nt=0 nd=0 nl=0
for f in "$data"/*.warts; do
	b=${f%.warts} name=$(basename "$b")
	files=$((files + 1))
	for t in json:sc_warts2json txt:sc_warts2text dump:sc_wartsdump; do
		ext=${t%%:*} tool=${t#*:}
		[ -f "$b.$ext" ] || continue
		want=0
		[ -f "$b.$ext.rc" ] && want=$(cat "$b.$ext.rc")
		rc=0
		"$bin/$tool" "$f" >"$tmp/out" 2>"$tmp/err" || rc=$?
		n=$((n + 1))
		case $ext in
		json) nj=$((nj + 1)) ;; txt) nt=$((nt + 1)) ;; dump) nd=$((nd + 1)) ;;
		esac
		same=1
		cmp -s "$b.$ext" "$tmp/out" || same=0
		[ "$rc" = "$want" ] || same=0
		if grep -qx "$name $tool" "$tmp/listed"; then
			nl=$((nl + 1))
			if [ $same = 1 ]; then
				echo "FAIL: $tool $name: listed as a difference in README, but equal"
				fail=1
			fi
		elif [ $same = 0 ]; then
			echo "FAIL: $tool $name (exit $rc, Debian's $want)"
			diff "$b.$ext" "$tmp/out" | head -6
			head -3 "$tmp/err"
			fail=1
		fi
	done
done
echo "corpus: $files files, $n comparisons (sc_warts2json $nj, sc_warts2text $nt, sc_wartsdump $nd), $nl listed differences"
[ $n -gt 0 ] || { echo "FAIL: nothing compared in $data"; fail=1; }
exit $fail
