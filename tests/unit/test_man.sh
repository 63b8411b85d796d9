#!/usr/bin/env bash
# test_man.sh MANDIR: every man page formats with groff's mdoc macros
# without a single warning.
set -u
n=0 fail=0
for page in "$1"/*.[1-8]; do
	[ -e "$page" ] || continue
	n=$((n + 1))
	out=$(groff -mdoc -ww -z -Tutf8 "$page" 2>&1)
	if [ -n "$out" ] || ! grep -q '^\.Dt ' "$page"; then
		echo "FAIL: $page"
		echo "$out" | head -10
		fail=$((fail + 1))
	fi
done
echo "$((n - fail)) passed, $fail failed"
[ $n -gt 0 ] && [ $fail -eq 0 ]
