#!/usr/bin/env bash
# tests/dealias/test_dealias_conc6.sh BUILD [NPOS NNEG]: IPv6 ally with
# many tasks at once on sc_netsim (-w 500, ground truth, the harder
# IP-ID behaviours on for a share of routers).  Each reply of an IPv6
# -M task comes twice, on the datalink (with its fragment
# identification) and reassembled on the raw socket; the second must be
# recognised however late it comes.  Checks: precision 1; no probe with
# more than one reply (sc_netsim answers a probe once, so a second reply
# is a copy delivered again, as 500 tasks at once did: recall 0.19);
# recall on shared-counter routers at least 0.9.  Nothing is timed: -f
# 400, so that the simulator's fastest counters (1,024 a second) stay
# within the fudge when a loaded machine stretches a task's probes apart
# (with the default 200 they fall out of sequence above load ~28, a
# matter of the method's rule, not of replies).
# Needs root.
set -u
build=$(cd "${1:?usage: test_dealias_conc6.sh BUILD [NPOS NNEG]}" && pwd)
npos=${2:-250} nneg=${3:-250}
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
export SCAMPER_HELPER_BIN=$build/privsep/scamper-helper
out=$(bash "$here/dealias_eval.sh" -b "$build" -m ally6 -n "$npos" \
    -N "$nneg" -x "-f 400 -p '-P icmp-echo -s 1300 -M 1280'" -p 5000 -w 500 -k)
rc=$?
echo "$out"
[ $rc = 77 ] && exit 77
state=$(sed -n 's/^state: //p' <<<"$out")
line=$(grep '^pos=' <<<"$out")
fail=0
ok() { echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
[ $rc = 0 ] && ok "precision 1 (scorer exit 0)" || bad "scorer exit $rc"
if [ -n "$state" ] && [ -s "$state/out.json" ]; then
	read -r nprobes twice <<<"$(python3 -c '
import json, sys
n = t = 0
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("type") != "dealias":
        continue
    for p in d["probes"]:
        n += 1
        t += len(p["replies"]) > 1
print(n, t)' "$state/out.json")"
	[ "${twice:-1}" = 0 ] &&
	    ok "no probe of $nprobes has its reply twice" ||
	    bad "$twice of $nprobes probes have more than one reply"
else
	bad "no results"
fi
rs=$(sed -n 's/.*recall_shared=\([0-9.]*\).*/\1/p' <<<"$line")
awk -v r="${rs:-0}" 'BEGIN { exit !(r >= 0.9) }' &&
    ok "recall_shared $rs >= 0.9" || bad "recall_shared ${rs:-none} < 0.9"
[ -n "$state" ] && [[ $state == */sclab-* ]] && rm -rf "$state"
echo "$fail failed"
[ $fail = 0 ]
