#!/usr/bin/env bash
# tests/dealias/test_drivers.sh BUILD [NPOS NNEG]: the alias-resolution
# drivers against sc_netsim's ground truth, through our scamper's control
# socket, with the harder IP-ID behaviours on for a share of routers
# (byte-swapped, per-interface, random and zero IP-IDs, busy counters,
# rate limits, replies from the inbound interface):
#   sc_ally over case pairs, then -d 1 (Ally), -d 2 (Mercator), -d 3 -O tc:
#     no pair of two routers' addresses (precision 1);
#   sc_radargun -O rows over the same pairs, then -d 1: precision 1;
#     -d 2 classifies every address;
#   sc_ipiddump on the radargun file: one line per sample, sorted;
#   bad input and options are refused, naming the problem.
# Recall is printed, not asserted (the evaluation holds it).  Needs root.
set -u
build=$(cd "${1:?usage: test_drivers.sh BUILD [NPOS NNEG]}" && pwd)
npos=${2:-40} nneg=${3:-40}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export SCAMPER_HELPER_BIN=$build/privsep/scamper-helper
. "$root/tests/lab/lab.sh"
. "$root/tests/lab/netsim.sh"
lab_require_root
lab_init dldrv || exit 1
lab_node vp host || exit 1
NETSIM_BIN=$build/tools/sc_netsim/sc_netsim
# shellcheck disable=SC2086
netsim_start vp -s 3 -T "$LAB_DIR/truth.json" -P ipid-bswap=100 \
    -P ipid-per-interface=150 -P ipid-random=100 -P ipid-zero=100 \
    -P velocity-max=1024 -P ratelimit=50 -P unreach-inbound=500 \
    --no-delay || exit 1
t=$LAB_DIR
fail=0 n=0
ok() { n=$((n + 1)); echo "ok: $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }
cases=$here/dealias_cases.py
ally=$build/tools/sc_ally/sc_ally
rg=$build/tools/sc_radargun/sc_radargun
dump=$build/tools/sc_ipiddump/sc_ipiddump

python3 "$cases" make "$t/truth.json" ally "$npos" "$nneg" 3 "$t/cases" \
    "$t/cmds" "" || exit 1
python3 "$cases" pairs "$t/cases" >"$t/pairs.txt"

port=$((20000 + $$ % 20000))
lab_bg vp "$build/prober/scamper" -P "$port" -p 500 >/dev/null
for _ in $(seq 50); do
	lab_exec vp python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
	sleep 0.2
done

# score NAME FILE: precision 1 against the truth
score() {
	local line
	line=$(python3 "$cases" score-pairs "$t/truth.json" "$t/cases" "$2")
	if [ $? = 0 ]; then ok "$1: $line"; else bad "$1: $line"; fi
}

lab_exec vp timeout 600 "$ally" -p "$port" -a "$t/pairs.txt" \
    -o "$t/ally.warts" -i 200 -t "$t/ally.log"
rc=$?
[ $rc = 0 ] && ok "sc_ally exit 0" || bad "sc_ally exit $rc"
"$ally" -d 1 "$t/ally.warts" >"$t/ally1.txt" && score "sc_ally -d 1" \
    "$t/ally1.txt" || bad "sc_ally -d 1 failed"
"$ally" -d 2 "$t/ally.warts" >"$t/ally2.txt" && score "sc_ally -d 2" \
    "$t/ally2.txt" || bad "sc_ally -d 2 failed"
"$ally" -d 3 -O tc "$t/ally.warts" >"$t/ally3.txt" &&
    score "sc_ally -d 3 -O tc" "$t/ally3.txt" || bad "sc_ally -d 3 failed"
[ -s "$t/ally1.txt" ] && ok "sc_ally found aliases" ||
    bad "sc_ally found no alias"

lab_exec vp timeout 600 "$rg" -p "$port" -a "$t/pairs.txt" -O rows \
    -o "$t/rg.warts" -q 4 -r 2 -R 8 -t "$t/rg.log"
rc=$?
[ $rc = 0 ] && ok "sc_radargun exit 0" || bad "sc_radargun exit $rc"
"$rg" -d 1 "$t/rg.warts" >"$t/rg1.txt" && score "sc_radargun -d 1" \
    "$t/rg1.txt" || bad "sc_radargun -d 1 failed"
[ -s "$t/rg1.txt" ] && ok "sc_radargun found aliases" ||
    bad "sc_radargun found no alias"
"$rg" -d 2 "$t/rg.warts" >"$t/rg2.txt"
k=$(awk '$3 ~ /^(incr|random|zero|unresponsive)$/' "$t/rg2.txt" | wc -l)
[ "$k" -ge "$(sort -u "$t/pairs.txt" | tr ' ' '\n' | sort -u | wc -l)" ] &&
    ok "sc_radargun -d 2: $k classifications" ||
    bad "sc_radargun -d 2: $k classifications"

"$dump" "$t/rg.warts" >"$t/ipid.txt"
rc=$?
k=$(wc -l <"$t/ipid.txt")
if [ $rc = 0 ] && [ "$k" -gt 0 ] &&
    awk '$5 !~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/ { exit 1 }' "$t/ipid.txt" &&
    sort -s -n -k1,1 -c "$t/ipid.txt"; then
	ok "sc_ipiddump: $k sorted lines"
else
	bad "sc_ipiddump: rc $rc, $k lines"; head -3 "$t/ipid.txt"
fi
a=$(awk 'NR == 1 { print $4 }' "$t/ipid.txt")
k2=$("$dump" -i "$a" "$t/rg.warts" | awk -v a="$a" '$4 != a' | wc -l)
[ "$k2" = 0 ] && ok "sc_ipiddump -i $a: only its replies" ||
    bad "sc_ipiddump -i: $k2 other lines"

# refusals name the problem
expect() {	# expect PATTERN CMD...: exits 1 with PATTERN on stderr
	local pat=$1 err
	shift
	err=$("$@" 2>&1 >/dev/null)
	if [ $? = 1 ] && printf '%s' "$err" | grep -q -- "$pat"; then
		ok "refused: $*"
	else
		bad "not refused as '$pat': $* ($err)"
	fi
}
printf '198.18.0.1 not-an-address\n' >"$t/bad.txt"
expect "bad.txt:1: 'not-an-address' is not an IPv4 address" \
    "$ally" -p "$port" -a "$t/bad.txt" -o "$t/x.warts"
expect "-i 50: expected a number from 200 to 2000" "$ally" -i 50 -d 1
expect "-O foo: unknown option" "$rg" -O foo -d 1 "$t/rg.warts"
expect "-d 4: expected a number from 1 to 3" "$ally" -d 4
expect "collecting needs -a, -o and -p" "$rg" -a "$t/pairs.txt"
expect "-O bogus: unknown option (notrace)" "$dump" -O bogus

echo "$n checks, $fail failed"
[ $fail = 0 ]
