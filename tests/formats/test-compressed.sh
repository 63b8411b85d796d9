#!/bin/sh
# test-compressed.sh SC_WARTS2JSON DATADIR: gzip, bzip2 and xz copies of
# the corpus (a multi-record file and the concatenation of all of it) are
# read transparently and give the same JSON as the plain files.
# (Plain concatenation of warts files is not a valid warts file: list and
# cycle IDs restart; so each file is compressed on its own, and two
# compressed streams are concatenated, which gzip/bzip2/xz allow.)
set -u
tool=$1 data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cp "$data/multi.warts" "$tmp/all.warts"
"$tool" "$tmp/all.warts" > "$tmp/plain.json" || { echo "plain read failed"; exit 1; }
n=0
for z in gzip bzip2 xz; do
	if ! command -v $z >/dev/null 2>&1; then
		echo "skip $z: not installed"
		continue
	fi
	$z -c < "$tmp/all.warts" > "$tmp/all.$z"
	if ! "$tool" "$tmp/all.$z" > "$tmp/$z.json"; then
		echo "FAIL: $z: read error"; exit 1
	fi
	if ! cmp -s "$tmp/plain.json" "$tmp/$z.json"; then
		echo "FAIL: $z: JSON differs"; exit 1
	fi
	# from a pipe too, and a truncated stream is an error
	"$tool" - < "$tmp/all.$z" | cmp -s - "$tmp/plain.json" ||
	    { echo "FAIL: $z from stdin"; exit 1; }
	size=$(wc -c < "$tmp/all.$z")
	head -c $((size / 2)) "$tmp/all.$z" > "$tmp/cut.$z"
	if "$tool" "$tmp/cut.$z" > /dev/null 2> "$tmp/err"; then
		echo "FAIL: truncated $z read without error"; exit 1
	fi
	grep -q offset "$tmp/err" || { echo "FAIL: no offset: $(cat "$tmp/err")"; exit 1; }
	n=$((n + 1))
	echo "ok $z"
done
[ $n -gt 0 ] || exit 77
