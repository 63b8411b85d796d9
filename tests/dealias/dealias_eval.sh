#!/usr/bin/env bash
# tests/dealias/dealias_eval.sh: alias resolution scored against
# sc_netsim's ground truth.  Used by the lab test (a small seeded run
# that must hold precision 1) and by the benchmark (tests/bench/dealias:
# thousands of cases, ours and Debian's scamper side by side).
#
# usage: dealias_eval.sh [-b BUILD] [-m METHOD] [-n NPOS] [-N NNEG]
#                        [-s SEED] [-a NETSIM_ARGS] [-x DEALIAS_ARGS]
#                        [-p PPS] [-w WINDOW] [-k] [-- PROBER...]
#
#   -b  build directory (sc_netsim, sc_warts2json)          [build]
#   -m  ally, ally6, mercator, mercator6, prefixscan, bump   [ally]
#   -n/-N  positive / negative cases                        [100/100]
#   -s  seed of the topology and of the cases               [1]
#   -a  sc_netsim arguments (one string): the behaviours    [see below]
#   -x  options after "dealias -m METHOD" in every command  []
#   -p  the prober's -p                                     [2000]
#   -w  the prober's -w (tasks at once; 0: no limit)        [0]
#   -k  keep the lab's state dir and print its path
#   PROBER  the prober command line without -p/-w/-o/-O/-f  [build/prober/scamper]
#
# By default sc_netsim runs its generated Internet with the harder
# behaviours on for a share of routers: 10% byte-swapped counters, 15%
# per-interface counters, 10% random and 10% zero IP-IDs, counters
# advanced by other traffic at up to 1024 per second, 5% of routers
# with an ICMP rate limit, half answering UDP from the inbound interface.
#
# Prints the scorer's key=value line (dealias_cases.py score) with
# wall_s (the prober's wall time), cases_per_s and probes_per_case
# added, and exits with the scorer's status (0: precision 1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build method=ally npos=100 nneg=100 seed=1 extra= pps=2000
window=0 keep=0
nsargs="-P ipid-bswap=100 -P ipid-per-interface=150 -P ipid-random=100
 -P ipid-zero=100 -P velocity-max=1024 -P ratelimit=50
 -P unreach-inbound=500 --no-delay"
while getopts b:m:n:N:s:a:x:p:w:k o; do
	case $o in
	b) build=$OPTARG ;;
	m) method=$OPTARG ;;
	n) npos=$OPTARG ;;
	N) nneg=$OPTARG ;;
	s) seed=$OPTARG ;;
	a) nsargs=$OPTARG ;;
	x) extra=$OPTARG ;;
	p) pps=$OPTARG ;;
	w) window=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,30p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- "$build/prober/scamper"
build=$(cd "$build" && pwd)

. "$root/tests/lab/lab.sh"
. "$root/tests/lab/netsim.sh"
lab_require_root
[ "$keep" = 1 ] && export LAB_KEEP_DIR=1
lab_init dlev || exit 1
lab_node vp host || exit 1
NETSIM_BIN=$build/tools/sc_netsim/sc_netsim
# shellcheck disable=SC2086
netsim_start vp -s "$seed" -T "$LAB_DIR/truth.json" $nsargs || exit 1

python3 "$here/dealias_cases.py" make "$LAB_DIR/truth.json" "$method" \
    "$npos" "$nneg" "$seed" "$LAB_DIR/cases" "$LAB_DIR/cmds" "$extra" ||
    exit 1
out=$LAB_DIR/out.warts
t0=$(date +%s.%N)
lab_exec vp "$@" -p "$pps" -w "$window" -O warts -o "$out" -O cmdfile \
    -f "$LAB_DIR/cmds" 2>"$LAB_DIR/prober.err"
rc=$?
t1=$(date +%s.%N)
if [ "$rc" -ne 0 ] && [ ! -s "$out" ]; then
	echo "dealias_eval: the prober failed ($rc):" >&2
	head -20 "$LAB_DIR/prober.err" >&2
	exit 1
fi
"$build/tools/warts/sc_warts2json" "$out" > "$LAB_DIR/out.json" || exit 1
line=$(python3 "$here/dealias_cases.py" score "$LAB_DIR/cases" \
    "$LAB_DIR/out.json")
src=$?
ncases=$((npos + nneg))
awk -v l="$line" -v t0="$t0" -v t1="$t1" -v n="$ncases" 'BEGIN {
	w = t1 - t0; split(l, kv, " "); p = 0
	for (i in kv) if (kv[i] ~ /^probes=/) { sub(/probes=/, "", kv[i]); p = kv[i] }
	printf "%s wall_s=%.1f cases_per_s=%.1f probes_per_case=%.2f\n",
	    l, w, n / w, p / n }'
[ "$keep" = 1 ] && echo "state: $LAB_DIR"
exit $src
