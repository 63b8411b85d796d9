#!/usr/bin/env bash
# test-fulldisk.sh SCAMPER HELPER TOOLSDIR: the output disk fills up
# mid-run (issue 16, finding 4).  Our scamper pings one lab host 2,000
# times (-c "ping -c 1" -f LIST) into a file on a small tmpfs, mounted in
# a private mount namespace (unshare -m) so nothing outlives the test,
# once for each of warts, JSON and text, with at most W=50 pings in
# flight (-w).  Each run must: exit non-zero; say "No space left on
# device" once, not once a result; stop probing (the target, by its ICMP
# counter, hears no more pings than the results kept plus what the
# window and one batch of finished results allow: 3W); and
# leave a file of whole records that parses to the end (warts: ours and
# Debian's sc_warts2json; JSON: python's json module, line by line;
# text: every ping block complete).  Needs root; skipped otherwise.
set -u
scamper=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCAMPER_HELPER_BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export SCAMPER_HELPER_BIN
tools=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
. "$here/tap.sh"
command -v unshare >/dev/null && command -v python3 >/dev/null ||
    { echo "SKIP: unshare or python3 missing (util-linux, python3)"; exit 77; }
two_hosts disk
TARGETS=2000 W=50
for _ in $(seq $TARGETS); do echo 192.0.2.2; done >"$tmp/targets"

# echos FILE: ICMP echo requests h2 has received so far
echos() {
	lab_exec h2 awk '/^Icmp:/ { if (h) { for (i = 1; i <= NF; i++)
	    if (k[i] == "InEchos") print $i; exit } else { h = 1;
	    for (i = 1; i <= NF; i++) k[i] = $i } }' /proc/net/snmp
}

# run FMT: scamper -O FMT into an 8 KiB tmpfs; the file is copied out
# (the tmpfs goes with the namespace), the exit status saved
run() {
	local fmt=$1 disk=$tmp/disk-$1
	mkdir -p "$disk"
	unshare -m sh -c '
		mount --make-rprivate / &&
		mount -t tmpfs -o size=8k,mode=0777 scamper-test "$1" ||
		    { echo "cannot mount a tmpfs" >&2; exit 99; }
		shift
		out=$1 copy=$2 ns=$3 fmt=$4 scamper=$5 targets=$6
		cd "$(dirname "$out")"
		W=$7
		ip netns exec "$ns" "$scamper" -p 1000 -w $W -O "$fmt" -o "$out" \
		    -c "ping -c 1" -f "$targets"
		rc=$?
		cp "$out" "$copy" 2>/dev/null || : >"$copy"
		exit $rc' - "$disk" "$disk/out.$fmt" "$tmp/out.$fmt" \
	    "$(lab_ns h1)" "$fmt" "$scamper" "$tmp/targets" $W \
	    2>"$tmp/err.$fmt"
	echo $? >"$tmp/rc.$fmt"
}

# common FMT RESULTS BEFORE: what every format must show
common() {
	local fmt=$1 results=$2 before=$3 rc heard
	rc=$(cat "$tmp/rc.$fmt")
	heard=$(( $(echos) - before ))
	if [ "$rc" = 99 ]; then
		bad "$fmt: no tmpfs: $(cat "$tmp/err.$fmt")"
		return
	fi
	[ "$rc" != 0 ] && ok "$fmt: exit status $rc" ||
	    bad "$fmt: exit status 0 after a full disk"
	[ "$(grep -c 'No space left on device' "$tmp/err.$fmt")" = 1 ] &&
	    ok "$fmt: the write error is reported once" ||
	    bad "$fmt: the error: $(head -c 600 "$tmp/err.$fmt")"
	grep -q 'probing stopped' "$tmp/err.$fmt" &&
	    ok "$fmt: probing stopped is said" ||
	    bad "$fmt: no 'probing stopped': $(head -c 600 "$tmp/err.$fmt")"
	if [ "$results" -gt 0 ] && [ "$results" -lt $TARGETS ] &&
	    [ "$heard" -le $((results + 3 * W)) ]; then
		ok "$fmt: $results results kept, $heard pings sent of $TARGETS"
	else
		bad "$fmt: $results results kept, $heard pings sent of $TARGETS"
	fi
}

# warts
before=$(echos)
run warts
res=$("$tools/sc_warts2json" "$tmp/out.warts" 2>"$tmp/w2j.err" |
    grep -c '^{"type":"ping"')
[ -s "$tmp/w2j.err" ] &&
    bad "warts: our sc_warts2json: $(cat "$tmp/w2j.err")" ||
    ok "warts: the file reads to its end (ours)"
if command -v sc_warts2json >/dev/null; then
	dres=$(sc_warts2json "$tmp/out.warts" 2>"$tmp/dw2j.err" |
	    grep -c '"type":"ping"')
	[ ! -s "$tmp/dw2j.err" ] && [ "$dres" = "$res" ] &&
	    ok "warts: Debian's sc_warts2json reads the same $res pings" ||
	    bad "warts: Debian's sc_warts2json: $dres pings, $(cat "$tmp/dw2j.err")"
fi
common warts "$res" "$before"

# JSON: every line an object, the last one ended
before=$(echos)
run json
res=$(python3 - "$tmp/out.json" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
if data and not data.endswith(b"\n"):
    print("cut")
    sys.exit(0)
n = 0
for line in data.decode("utf-8").splitlines():
    if json.loads(line)["type"] == "ping":
        n += 1
print(n)
PY
)
[[ $res =~ ^[0-9]+$ ]] && ok "json: every line parses, the last one whole" ||
    bad "json: $res"
[[ $res =~ ^[0-9]+$ ]] || res=0
common json "$res" "$before"

# text: each ping is a header line, its replies and two statistics
# lines (packets, round-trip)
before=$(echos)
run text
res=$(grep -c '^ping ' "$tmp/out.text")
if [ "$(grep -c '^round-trip ' "$tmp/out.text")" = "$res" ] &&
    [ "$(tail -c 1 "$tmp/out.text" | od -An -c | tr -d ' ')" = '\n' ] &&
    tail -n 1 "$tmp/out.text" | grep -q '^round-trip '; then
	ok "text: $res whole ping blocks, the last one complete"
else
	bad "text: $res pings, ends with: $(tail -n 2 "$tmp/out.text")"
fi
common text "$res" "$before"

tap_done
