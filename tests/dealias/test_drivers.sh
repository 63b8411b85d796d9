#!/usr/bin/env bash
# tests/dealias/test_drivers.sh BUILD [NPOS NNEG [PARTS]]: the alias-resolution
# drivers against sc_netsim's ground truth, through our scamper's control
# socket, with the harder IP-ID behaviours on for a share of routers
# (byte-swapped, per-interface, random and zero IP-IDs, busy counters,
# rate limits, replies from the inbound interface):
#   sc_ally over case pairs, then -d 1 (Ally), -d 2 (Mercator), -d 3 -O tc:
#     no pair of two routers' addresses (precision 1);
#   sc_radargun -O rows over the same pairs, then -d 1: precision 1;
#     -d 2 classifies every address;
#   sc_prefixscan over prefixscan cases, then -r: every A' is A's router's;
#   sc_speedtrap over IPv6 pair cases' addresses: -A and -d 1 precision 1,
#     the six stages in order, fewer probes than -O allpairs (every pair
#     of groups) on the same addresses, each -s stopping where it says;
#   sc_ipiddump on the radargun file: one line per sample, sorted;
#   bad input and options are refused, naming the problem.
# Recall is printed, not asserted (the evaluation holds it).  PARTS ("ally
# radargun prefixscan speedtrap refusals") runs only those (the suite runs
# them as separate tests, at once; the benchmark runs sc_radargun at scale
# so).  Needs root.
set -u
build=$(cd "${1:?usage: test_drivers.sh BUILD [NPOS NNEG]}" && pwd)
npos=${2:-40} nneg=${3:-40} only=${4:-}
# DRV_TIMEOUT (seconds a driver may take) and DRV_PPS (scamper's -p) for
# runs at scale
tmo=${DRV_TIMEOUT:-600} pps=${DRV_PPS:-500}
# want NAME: NAME's part runs (the fourth argument lists them; all if none)
want() { [ -z "$only" ] || case " $only " in *" $1 "*) true ;; *) false ;; esac; }
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
ps=$build/tools/sc_prefixscan/sc_prefixscan
st=$build/tools/sc_speedtrap/sc_speedtrap

python3 "$cases" make "$t/truth.json" ally "$npos" "$nneg" 3 "$t/cases" \
    "$t/cmds" "" || exit 1
python3 "$cases" pairs "$t/cases" >"$t/pairs.txt"

port=$((20000 + $$ % 20000))
lab_bg vp "$build/prober/scamper" -P "$port" -p "$pps" >/dev/null
for _ in $(seq 50); do
	lab_exec vp python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
	sleep 0.2
done

# score NAME FILE [CASES]: precision 1 against the truth
score() {
	local line
	line=$(python3 "$cases" score-pairs "$t/truth.json" "${3:-$t/cases}" \
	    "$2")
	if [ $? = 0 ]; then ok "$1: $line"; else bad "$1: $line"; fi
}

if want ally; then
lab_exec vp timeout "$tmo" "$ally" -p "$port" -a "$t/pairs.txt" \
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

fi
if want radargun; then
lab_exec vp timeout "$tmo" "$rg" -p "$port" -a "$t/pairs.txt" -O rows \
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

fi
if want prefixscan; then
# sc_prefixscan over prefixscan cases (B's /29 searched)
python3 "$cases" make "$t/truth.json" prefixscan "$npos" "$nneg" 5 \
    "$t/pcases" "$t/pcmds" "" || exit 1
python3 "$cases" pairs "$t/pcases" >"$t/links.txt"
lab_exec vp timeout "$tmo" "$ps" -p "$port" -i "$t/links.txt" -x 29 -w 0 \
    -o "$t/ps.warts" -l "$t/ps.log"
rc=$?
[ $rc = 0 ] && ok "sc_prefixscan exit 0" || bad "sc_prefixscan exit $rc"
"$ps" -r "$t/ps.warts" -x 29 >"$t/ps.txt" || bad "sc_prefixscan -r failed"
line=$(python3 "$cases" score-links "$t/truth.json" "$t/pcases" "$t/ps.txt")
if [ $? = 0 ]; then ok "sc_prefixscan -r: $line"; else bad "sc_prefixscan -r: $line"; fi
[ -s "$t/ps.txt" ] && ok "sc_prefixscan found links" ||
    bad "sc_prefixscan found no link"

fi
if want speedtrap; then
# sc_speedtrap over the addresses of IPv6 pair cases
python3 "$cases" make "$t/truth.json" ally6 "$npos" "$nneg" 7 \
    "$t/c6" "$t/m6" "" || exit 1
python3 "$cases" pairs "$t/c6" | tr ' ' '\n' | sort -u >"$t/addrs6.txt"
# stages ST.WARTS: sc_speedtrap -d 3's "stage measurements probes" lines
stages() { "$st" -d 3 "$1" | awk -F'[:, ]+' '{ print $1, $2, $4 }'; }
# probes ST.WARTS [STAGE]: the probes of STAGE (all: total)
probes() { stages "$1" | awk -v s="${2:-total}" '$1 == s { print $3 }'; }
lab_exec vp timeout "$tmo" "$st" -p "$port" -a "$t/addrs6.txt" \
    -o "$t/st.warts" -A "$t/aliases6.txt" -l "$t/st.log"
rc=$?
[ $rc = 0 ] && ok "sc_speedtrap exit 0" || bad "sc_speedtrap exit $rc"
touch "$t/aliases6.txt"
score "sc_speedtrap -A" "$t/aliases6.txt" "$t/c6"
[ -s "$t/aliases6.txt" ] && ok "sc_speedtrap found aliases" ||
    bad "sc_speedtrap found no alias"
"$st" -d 1 "$t/st.warts" >"$t/st1.txt" && score "sc_speedtrap -d 1" \
    "$t/st1.txt" "$t/c6" || bad "sc_speedtrap -d 1 failed"
# every probing stage of the pipeline ran, in the paper's order
k=$(stages "$t/st.warts" | awk '$2 > 0 { printf "%s ", $1 }')
[ "$k" = "classify descend overlap descend2 ally total " ] &&
    ok "sc_speedtrap -d 3: $("$st" -d 3 "$t/st.warts" | tr '\n' ';')" ||
    bad "sc_speedtrap -d 3: stages with measurements: $k"
k=$(grep '^stage ' "$t/st.log" | tr '\n' ' ')
[ "$k" = "stage descend stage overlap stage descend2 stage candidates stage ally " ] &&
    ok "sc_speedtrap log: $k" || bad "sc_speedtrap log: stages $k"
# the old way, every pair of 50-address groups probed together, on the
# same addresses: more probes (counts, not times)
lab_exec vp timeout "$tmo" "$st" -O allpairs -p "$port" \
    -a "$t/addrs6.txt" -o "$t/old.warts" -A "$t/old6.txt" -l "$t/old.log"
rc=$?
[ $rc = 0 ] && ok "sc_speedtrap -O allpairs exit 0" ||
    bad "sc_speedtrap -O allpairs exit $rc"
touch "$t/old6.txt"
score "sc_speedtrap -O allpairs -A" "$t/old6.txt" "$t/c6"
pn=$(probes "$t/st.warts") po=$(probes "$t/old.warts")
pc=$(probes "$t/old.warts" candidates)
echo "sc_speedtrap probes: $(wc -l <"$t/addrs6.txt") addresses," \
    "pipeline $pn, allpairs $po (its candidates stage $pc)"
[ "${pn:-0}" -gt 0 ] && [ "${pn:-0}" -lt "${po:-0}" ] &&
    ok "sc_speedtrap: the pipeline's $pn probes < allpairs' $po" ||
    bad "sc_speedtrap: the pipeline's ${pn:-?} probes, allpairs' ${po:-?}"
# each -s stops after its stage (the addresses of four positive cases
# with a shared counter): the stages it logs end there, no later stage
# has a measurement, and classify and descend have theirs
grep '"shared": true' "$t/c6" | head -4 >"$t/c6s"
python3 "$cases" pairs "$t/c6s" | tr ' ' '\n' >"$t/addrs6s.txt"
all="classify descend overlap descend2 candidates ally" pids=
for s in $all; do
	lab_exec vp timeout "$tmo" "$st" -s "$s" -p "$port" \
	    -a "$t/addrs6s.txt" -o "$t/s-$s.warts" -l "$t/s-$s.log" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
for s in $all; do
	want_k= after= past=0
	for x in $all; do
		[ $past = 1 ] && after="$after$x "
		[ "$x" = classify ] || [ $past = 1 ] || want_k="$want_k$x "
		[ "$x" = "$s" ] && past=1
	done
	k=$(sed -n 's/^stage //p' "$t/s-$s.log" | tr '\n' ' ')
	late=$(stages "$t/s-$s.warts" | awk -v a=" $after" \
	    'index(a, " " $1 " ") && $2 > 0 { printf "%s ", $1 }')
	own=$(stages "$t/s-$s.warts" | awk -v s="$s" '$1 == s { print $2 }')
	case $s in classify|descend) [ "${own:-0}" -gt 0 ] || late="$late(no $s)" ;; esac
	if [ "$k" = "$want_k" ] && [ -z "$late" ]; then
		ok "sc_speedtrap -s $s: stopped there ($own measurements)"
	else
		bad "sc_speedtrap -s $s: stages '$k', measured after: '$late'"
	fi
done
"$dump" "$t/st.warts" >"$t/ipid6.txt"
k=$(awk '$4 ~ /:/ && length($5) == 8 && $5 ~ /^[0-9a-f]+$/' "$t/ipid6.txt" |
    wc -l)
[ "$k" -gt 0 ] && [ "$k" = "$(wc -l <"$t/ipid6.txt")" ] &&
    ok "sc_ipiddump: $k IPv6 fragment IDs" ||
    bad "sc_ipiddump: IPv6: $k of $(wc -l <"$t/ipid6.txt") lines right"

fi
if want refusals; then
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
printf '198.18.0.1 198.18.0.2 198.18.0.3\n' >"$t/pairs3.txt"
expect "bad.txt:1: 'not-an-address' is not an IPv4 address" \
    "$ally" -p "$port" -a "$t/bad.txt" -o "$t/x.warts"
expect "-i 50: expected a number from 200 to 2000" "$ally" -i 50 -d 1
expect "-O foo: unknown option" "$rg" -O foo -d 1 "$t/rg.warts"
expect "-d 4: expected a number from 1 to 3" "$ally" -d 4
expect "collecting needs -a, -o and -p" "$rg" -a "$t/pairs.txt"
expect "-O bogus: unknown option (notrace)" "$dump" -O bogus
expect "-s bogus: unknown stage" "$st" -s bogus -d 1
expect "-s overlap: not a stage of -O allpairs" "$st" -O allpairs \
    -s overlap -d 1
expect "-O foo: unknown option (allpairs)" "$st" -O foo -d 1
expect "line 1 of the addresses: expected two addresses" \
    "$ps" -p "$port" -i "$t/pairs3.txt" -o "$t/x.warts"
expect "is not an IPv6 address" "$st" -p "$port" -a "$t/pairs.txt" \
    -o "$t/x.warts"

fi
[ $n -gt 0 ] || bad "no part ran (PARTS: $only)"
echo "$n checks, $fail failed"
[ $fail = 0 ]
