#!/usr/bin/env bash
# test_dot.sh SC_TRACELB2DOT: sc_tracelb2dot draws corpus tracelbs as the
# stored graphs (tests/tracelb/dot/X.dot for tests/data/X.warts): nodes,
# the destination, a link across a silent hop, a link to nothing; and
# Graphviz parses them where it is installed.
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for want in "$here"/dot/*.dot; do
	b=$(basename "$want" .dot)
	if "$tool" "$here/../data/$b.warts" | cmp -s - "$want"; then
		echo "ok: $b"
	else
		echo "FAIL: $b"
		"$tool" "$here/../data/$b.warts" | diff "$want" - | head
		fail=1
	fi
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg "$want" >/dev/null || { echo "FAIL: dot $b"; fail=1; }
	fi
done
exit $fail
