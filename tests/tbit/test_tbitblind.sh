#!/usr/bin/env bash
# test_tbitblind.sh SCAMPER HELPER SC_TBITBLIND SC_WARTS2JSON: sc_tbitblind against a
# web server over IPv4 and IPv6 through scamper's control socket: every
# system gets its plain connection first and then the five other tests,
# Linux answers each blind test with a challenge ACK, -l splits the
# records into files each readable alone (by Debian's sc_warts2json if
# installed), -c records the systems done and a second run skips them,
# and a system without a server is left after its plain connection.
# Needs root; skipped otherwise.
drv=$3
ourjson=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tbitlab.sh"
tbitlab_pair tbitblind

echo hello >"$tmp/www/index.html"
tbitlab_httpd
tbitlab_scamper "$port" -F nft -p 100
cat >"$tmp/in.txt" <<'EOT'
# two systems with a server, one without
1,example 6 192.0.2.2 http://s/index.html
2,example 6 2001:db8::2 http://s/index.html
3,nobody 6 192.0.2.99 http://x/
EOT
lab_exec c ip route add 192.0.2.99 dev "$(lab_ifname c s)"
lab_exec c timeout 300 "$drv" -a "$tmp/in.txt" -o "$tmp/out" -p "$port" \
    -w 1 -l 5 -c "$tmp/done.txt" -t "$tmp/log.txt"
rc=$?
[ $rc = 0 ] && ok "sc_tbitblind exit 0" || bad "sc_tbitblind exit $rc"
# every record of every file, by our sc_warts2json; Debian's must read
# each file alone too
nf=0
for f in "$tmp"/out_*.warts; do
	[ -e "$f" ] || continue
	nf=$((nf + 1))
	"$ourjson" "$f" >>"$tmp/all.json" || bad "$f: our reader failed"
	if command -v sc_warts2json >/dev/null &&
	    ! sc_warts2json "$f" >/dev/null 2>&1; then
		bad "$f: Debian's sc_warts2json cannot read it"
	fi
done
$py - "$tmp/all.json" >"$tmp/sum.txt" <<'EOT'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get('type') != 'tbit':
        continue
    t = r['tbit_type']
    if 'blind_off' in r:
        t += '%+d' % r['blind_off']
    if 'options' in r:
        t += '+opts'
    print(r['dst'], t, r['result'])
EOT
for d in 192.0.2.2 2001:db8::2; do
	got=$(awk -v d="$d" '$1 == d { print $2 "=" $3 }' "$tmp/sum.txt" |
	    tr '\n' ' ')
	first=$(awk -v d="$d" '$1 == d { print $2; exit }' "$tmp/sum.txt")
	want="blind-data+70000=blind-challenge blind-data-70000=blind-challenge blind-rst+10=blind-challenge blind-syn+10=blind-challenge null+opts=null-success null=null-success"
	sorted=$(echo $got | tr ' ' '\n' | sort | tr '\n' ' ')
	if [ "$first" = null ] && [ "${sorted% }" = "$want" ]; then
		ok "$d: the plain connection first, then the five others: $sorted"
	else
		bad "$d: first '$first', got '$sorted'"
	fi
done
# (no neighbour answers: the host's unreachable, or no answer at all)
if [[ "$(awk '$1 == "192.0.2.99"' "$tmp/sum.txt")" =~ ^192\.0\.2\.99\ null\ tcp-(error|noconn)$ ]]; then
	ok "a system without a server: left after its plain connection"
else
	bad "192.0.2.99: $(awk '$1 == "192.0.2.99"' "$tmp/sum.txt")"
fi
[ "$nf" = 3 ] && ok "-l 5: 13 records in 3 files" || bad "-l 5: $nf files"
if [ "$(sort "$tmp/done.txt" | tr '\n' ' ')" = "192.0.2.2 192.0.2.99 2001:db8::2 " ]; then
	ok "-c: the three systems recorded as done"
else
	bad "-c: $(tr '\n' ' ' <"$tmp/done.txt")"
fi
lab_exec c timeout 60 "$drv" -a "$tmp/in.txt" -o "$tmp/again" -p "$port" \
    -w 1 -c "$tmp/done.txt"
if ! ls "$tmp"/again_*.warts >/dev/null 2>&1; then
	ok "-c: a second run skips the systems done"
else
	bad "-c: the second run tested again"
fi
# a scamper without -F refuses every tbit: the driver says so and ends
port2=$((port + 1))
TBITLAB_SERVERS= tbitlab_scamper "$port2"
out=$(lab_exec c timeout 60 "$drv" -a "$tmp/in.txt" -o "$tmp/nofw" \
    -p "$port2" -w 1 2>&1)
rc=$?
if [ $rc = 0 ] && [[ "$out" == *"needs the firewall"* ]]; then
	ok "scamper without -F: each test refused, the driver ends"
else
	bad "without -F: exit $rc, '$out'"
fi
out=$(lab_exec c "$drv" -a "$tmp/in.txt" -o x -p "$port" -A smtp 2>&1)
[[ "$out" == *"-A smtp: expected http or bgp"* ]] &&
    ok "bad -A refused: $out" || bad "-A smtp: '$out'"
tbitlab_end
