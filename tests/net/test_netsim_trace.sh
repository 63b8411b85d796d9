#!/usr/bin/env bash
# test_netsim_trace.sh SCAMPER HELPER BUILDDIR: 10,000 traces at -p 10000
# over sc_netsim all complete, and at least 99% of the responsive hops
# are the hops the simulated Internet's truth says the flow takes (the
# harness tests/bench/run scores them with sc_netsim --paths).  -w 1
# keeps the tail of silent hops short.  Needs root; skipped otherwise.
set -u
scamper=$1
export SCAMPER_HELPER_BIN=$2
build=$3
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
line=$("$here/../bench/run" -b "$build" -p 10000 -n 10000 \
    -c "trace -P icmp-paris -w 1" -- "$scamper" 2>&1 | tail -1)
echo "$line"
case $line in
*"SKIP"*) exit 77 ;;
esac
get() { tr ' ' '\n' <<<"$line" | sed -n "s/^$1=//p"; }
tasks=$(get tasks) acc=$(get accuracy) rc=$(get rc)
if [ "$rc" = 0 ] && [ "$tasks" = 10000 ] &&
    awk -v a="$acc" 'BEGIN { exit !(a >= 0.99) }'; then
	echo "1 passed, 0 failed"
	exit 0
fi
echo "FAIL: rc=$rc tasks=$tasks (want 10000) accuracy=$acc (want >= 0.99)"
echo "0 passed, 1 failed"
exit 1
