#!/usr/bin/env bash
# test_mda_netsim.sh NETSIM MDA_NETSIM: the MDA engine alone over
# sc_netsim's model (mda_netsim.c: every probe answered at once by
# walking the flow through the topology, no packets, no root), on 500
# IPv4 destinations whose paths cross diamonds, scored against
# sc_netsim --lbtruth: precision 1.00, link recall >= 0.95, at 95% and
# at 99%, one probe in flight and eight; and the probes per destination
# stay under a ceiling a change that wastes probes would cross (today's
# figures, ~270 at 95%, are in the log).  Deterministic: seeded topology
# and engine.
set -u
netsim=$1
engine=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mdanetsim.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
args=(-s 7 -P lb=300 -P lb-per-packet=0 -P ratelimit=0)
fail=0
"$netsim" "${args[@]}" -n -T "$tmp/truth.json" || exit 1
python3 "$here/lb_targets.py" "$netsim" "${args[@]}" -- "$tmp/truth.json" 4 \
    500 udp >"$tmp/targets" || exit 1
sed 's/$/ udp/' "$tmp/targets" | "$netsim" "${args[@]}" --lbtruth - \
    >"$tmp/lbtruth" || exit 1
for run in "95 1 300" "95 8 320" "99 1 380"; do
	set -- $run
	"$engine" -c "$1" -w "$2" "${args[@]}" "$tmp/targets" >"$tmp/links" \
	    2>"$tmp/stats" || { echo "FAIL: mda_netsim"; exit 1; }
	res=$(python3 "$here/lb_score.py" "$tmp/lbtruth" "$tmp/links" 2>"$tmp/wrong")
	echo "# -c $1, $2 in flight: $res"
	sed 's/^/#   /' "$tmp/stats"
	python3 - "$res" "$3" <<'PY' || { fail=1; head -5 "$tmp/wrong"; }
import sys
kv = dict(x.split("=") for x in sys.argv[1].split())
ok = True
for cond, what in ((int(kv["traces"]) == 500, "500 traces"),
                   (int(kv["wrong"]) == 0, "no wrong link"),
                   (float(kv["recall"]) >= 0.95, "recall >= 0.95"),
                   (float(kv["probes_per_dst"]) <= float(sys.argv[2]),
                    "at most %s probes per destination" % sys.argv[2])):
    print(("ok: " if cond else "FAIL: ") + what)
    ok = ok and cond
sys.exit(0 if ok else 1)
PY
done
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
