#!/usr/bin/env bash
# test_progress.sh SCAMPER HELPER: the progress line of a list run, in a
# two-host lab.  Under a pseudo-terminal (script(1)) with -o, a list of
# three pings (-c 3 -i 1: at least two seconds by design, so the
# once-a-second line shows) ends with "3 of 3 done (100%)" on the
# terminal, and the results file holds only JSON; with standard error a
# file, or with results going to the terminal, no progress line at all.
# Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
lab_require_cmd script
lab_two_hosts prog "addr h2 lo 192.0.2.5/32" "addr h2 lo 192.0.2.6/32" \
    "route h1 192.0.2.4/30 via 192.0.2.2" || exit 1
lab_checks tap
printf '192.0.2.2\n# a comment\n192.0.2.5\n\n192.0.2.6\n' >"$tmp/list"
cmd="$scamper -c 'ping -c 3 -i 1' -O json -f $tmp/list"

# 1: on a terminal, results to a file
lab_exec h1 timeout 60 script -q -e -c "$cmd -o $tmp/out.json" \
    "$tmp/tty1" >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && ok "run under a terminal: exit 0" || bad "exit $rc"
if grep -q '3 of 3 done (100%), [0-9.]*/s, 9 replies, 0s left' "$tmp/tty1"; then
	ok "the terminal ends with '3 of 3 done (100%) ... 9 replies'"
else
	bad "no final progress line"; cat -v "$tmp/tty1" | sed 's/^/#   /'
fi
k=$(grep -o 'of 3 done' "$tmp/tty1" | wc -l)
[ "$k" -ge 2 ] && ok "progress shown while running, then the final state ($k lines)" ||
    bad "progress shown $k times"
if python3 - "$tmp/out.json" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
pings = [r for r in recs if r["type"] == "ping"]
assert len(pings) == 3, recs
raw = open(sys.argv[1], "rb").read()
assert b"\r" not in raw and b"\x1b" not in raw and b"done" not in raw
PY
then ok "the results file: 3 pings, JSON only"
else bad "the results file holds more than results"; fi

# 2: standard error a file: no progress line
lab_exec h1 timeout 60 script -q -e -c "$cmd -o $tmp/out2.json 2>$tmp/err2" \
    "$tmp/tty2" >/dev/null 2>&1
if [ -s "$tmp/err2" ] || grep -q 'of 3 done' "$tmp/tty2"; then
	bad "progress without a terminal on stderr"; cat -v "$tmp/err2" | head -3
else ok "stderr not a terminal: no progress line"; fi

# 3: results to the terminal itself: no progress line among them
lab_exec h1 timeout 60 script -q -e -c "$cmd" "$tmp/tty3" >/dev/null 2>&1
np=$(grep -c '"type":"ping"' "$tmp/tty3")
if [ "$np" = 3 ] && ! grep -q 'of 3 done' "$tmp/tty3"; then
	ok "results to the terminal: no progress line among them"
else bad "results to the terminal: $np pings, or a progress line"; fi
echo "1..$n"
exit $fail
