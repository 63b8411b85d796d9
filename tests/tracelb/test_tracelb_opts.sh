#!/usr/bin/env bash
# test_tracelb_opts.sh SCAMPER HELPER TOOLDIR: every option of the man
# page's TRACELB OPTIONS in the basic lab, r5 silent, shown to act where
# a lab can show it: -d and -s (the first flow's port), -f (nothing
# before it), -g (how far past a silent hop a branch goes), -Q (the
# budget stops it), -t (the TOS the routers quote back), -P udp-sport
# (every method: lab-tracelb); -c, -q, -U, -w, -W recorded as given (-c's and -q's effect is
# unit-tested: tests/tracelb/test_mda.c); each out-of-range value
# refused with an error naming the option.  Needs root; skipped
# otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
# tools: our sc_wartsdump
lab_args "scamper SCAMPER_HELPER_BIN tools" "$@"
lab_require_root
lab_basic lbopts "silent r5" || exit 1

fail=0 n=0
ok() { n=$((n + 1)); echo "ok: $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# run "OPTIONS": our tracelb to h2 with OPTIONS (and -w 1 -W 1 unless
# they say), dumped into $tmp/d
run() {
	local o=$1
	[[ " $o " == *" -w "* ]] || o="-w 1 $o"
	[[ " $o " == *" -W "* ]] || o="-W 1 $o"
	set -- "$o"
	rm -f "$tmp/o.warts"
	lab_exec h1 timeout 120 "$scamper" -O warts -o "$tmp/o.warts" \
	    -I "tracelb $1 203.0.113.1" >"$tmp/log" 2>&1
	"$tools/sc_wartsdump" "$tmp/o.warts" >"$tmp/d" 2>&1
}
has() { grep -Eq -- "$1" "$tmp/d"; }
# every probe's TTL, and every quoted TOS
ttls() { sed -nE 's/.*probe flowid: [0-9]+, ttl: ([0-9]+),.*/\1/p' "$tmp/d" | sort -nu | tr '\n' ' '; }

run "-c 99 -U 4242 -q 3 -w 2 -W 2 -s 45000 -d 40000"
has '^ user-id: 4242$' && has 'confidence: 99$' && has 'attempts: 3,' &&
    has 'wait-probe: 20ms, wait-timeout 2s' &&
    has '^ type: udp-dport 45000:40000,' &&
    has 'probe flowid: 40000, ' && ! has 'probe flowid: ([0-9]|[1-3][0-9]{4}), ' &&
    ok "-c -U -q -w -W -s -d: recorded, and the flows start at -d" ||
    bad "-c -U -q -w -W -s -d: $(head -20 "$tmp/d") $(cat "$tmp/log")"

run "-P udp-sport -s 45000"
has '^ type: udp-sport 45000:33435,' && has 'probe flowid: 45000, ' &&
    ! has 'probe flowid: ([0-9]|[1-3][0-9]{4}|4[0-4][0-9]{3}), ' &&
    ok "-P udp-sport -s: the flows start at -s" ||
    bad "-P udp-sport -s: $(head -20 "$tmp/d")"

# (the probes that find the first hop are in no link, as in 20211212)
run "-f 3"
[ "$(ttls | cut -d' ' -f1)" = 4 ] && has '^ firsthop: 3,' &&
    has '^node [0-9]+ 192\.0\.2\.(10|14),' &&
    ! has '^node [0-9]+ 192\.0\.2\.(2|6),' &&
    ok "-f 3: nothing before the diamond (hop 3)" ||
    bad "-f 3: ttls $(ttls): $(grep '^node' "$tmp/d")"

run "-t 32"
has 'tos: 0x20$' && has 'q-tos: 0x20' && ! has 'q-tos: 0x00' &&
    ok "-t 32: every router quotes TOS 0x20 back" ||
    bad "-t 32: $(grep -m3 'q-tos' "$tmp/d")"

# r5 (hop 5) is silent: with -g 1 a branch stops there (links from r4
# to nothing), with -g 2 it is crossed (r4 to h2 over two hops)
run "-g 1"
g1=$(grep -Ec 'link 192\.0\.2\.(18|22) -> \* hopc 1' "$tmp/d")
has 'link .* -> 203\.0\.113\.1' && g1="h2 reached: $(grep link "$tmp/d")"
run "-g 2"
[ "$g1" -ge 1 ] 2>/dev/null &&
    has 'link 192\.0\.2\.(18|22) -> 203\.0\.113\.1 hopc 2' &&
    ok "-g: 1 stops at the silent r5, 2 crosses it to h2" ||
    bad "-g: -g 1: $g1; -g 2: $(grep 'link' "$tmp/d")"

# (at -c 99.99999999 a next hop needs dozens of probes, so the trace
# cannot end before 50 whatever branches the routers' hash picks: at the
# default 95% it sometimes ended at 39, CI of 82228be)
run "-c 99.99999999 -Q 50"
[ "$(grep -c 'probe flowid' "$tmp/d")" -le 50 ] &&
    has 'probec: 50, probec_max: 50' &&
    ok "-Q 50: the trace stops at 50 probes" ||
    bad "-Q 50: $(grep 'probec' "$tmp/d")"

# out of range: refused, naming the option, nothing sent
for o in "-c 100" "-c 49" "-d 65536" "-f 0" "-f 255" "-g 0" "-g 6" \
    "-P udp" "-q 0" "-q 6" "-Q 49" "-Q 65536" "-s 65536" "-t 256" \
    "-U 4294967296" "-w 0" "-w 11" "-W 201" "-O bogus" "-z 1"; do
	lab_exec h1 timeout 20 "$scamper" -I "tracelb $o 203.0.113.1" \
	    >"$tmp/log" 2>&1
	rc=$?
	opt=${o%% *}
	[ $rc -ne 0 ] && grep -q -- "$opt" "$tmp/log" &&
	    ! grep -q '^tracelb from' "$tmp/log" &&
	    ok "tracelb $o: refused ($(head -1 "$tmp/log"))" ||
	    bad "tracelb $o: rc $rc: $(cat "$tmp/log")"
done

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
