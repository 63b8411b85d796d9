#!/usr/bin/env bash
# test_tbitpmtud.sh SCAMPER HELPER SC_TBITPMTUD: sc_tbitpmtud -m 0 against
# a web server over IPv4 and IPv6 through scamper's control socket: a
# ping then a pmtud test at each MTU (IPv6: 1480 and 1280), Linux lowering
# its segments for each (at 256, below its minimum of 552, it clears DF
# instead), and the summaries by MSS and by origin AS.
# Needs root; skipped otherwise.
drv=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tbitlab.sh"
tbitlab_pair tbitpmtud

# single segments on the wire (no TSO through veth)
ip -n "$(lab_ns s)" link set dev "$(lab_ifname s c)" gso_max_segs 1
head -c 100000 /dev/zero | tr '\0' x >"$tmp/www/big.txt"
tbitlab_httpd
tbitlab_scamper "$port" -F nft -p 100
cat >"$tmp/in.txt" <<'EOT'
1,s 100000 192.0.2.2 http://s/big.txt
2,s 100000 2001:db8::2 http://s/big.txt
EOT
lab_exec c timeout 300 "$drv" -a "$tmp/in.txt" -o "$tmp/out" -p "$port" \
    -m 0 -c "$tmp/done.txt" -t "$tmp/log.txt"
rc=$?
[ $rc = 0 ] && ok "sc_tbitpmtud exit 0" || bad "sc_tbitpmtud exit $rc"
"$drv" -d mssresults "$tmp"/out_*.warts >"$tmp/mss.txt"
printf '192.0.2.0 24 64500\n2001:db8:: 32 64501\n' >"$tmp/ip2as.txt"
"$drv" -d asnresults -A "$tmp/ip2as.txt" "$tmp"/out_*.warts >"$tmp/asn.txt"
"$drv" -d mssresults -m 256 "$tmp"/out_*.warts >"$tmp/mss256.txt"
cat "$tmp/log.txt" "$tmp/mss.txt" "$tmp/asn.txt"
# columns: key noack nodata toosmall nodf fail success cleardf other
row() { awk -v k="$2" '$1 == k { $1 = ""; print substr($0, 2) }' "$1" |
    tr -s ' '; }
# the server's MSS follows the path MTU it learnt from the tests before:
# the rows of mssresults add up to all the tests
tot=$(awk 'NR > 1 { for (i = 2; i <= 9; i++) t[i] += $i }
    END { for (i = 2; i <= 9; i++) printf "%d ", t[i] }' "$tmp/mss.txt")
[ "$tot" = "0 0 0 0 0 5 1 0 " ] &&
    ok "mssresults: 5 success and 1 cleardf (IPv4 at 256) over the MSS rows" ||
    bad "mssresults: totals '$tot'"
[ "$(row "$tmp/asn.txt" 64500)" = "0 0 0 0 0 3 1 0" ] &&
    [ "$(row "$tmp/asn.txt" 64501)" = "0 0 0 0 0 2 0 0" ] &&
    ok "asnresults: AS 64500 (IPv4) 3 success 1 cleardf, AS 64501 (IPv6) 2 success" ||
    bad "asnresults: $(cat "$tmp/asn.txt")"
[ "$(awk 'NR > 1 { print $8 }' "$tmp/mss256.txt" | paste -sd+ | bc)" = 1 ] &&
    [ "$(awk 'NR > 1 { s += $7 } END { print s + 0 }' "$tmp/mss256.txt")" = 0 ] &&
    ok "-m 256: the one test at 256" || bad "-m 256: $(cat "$tmp/mss256.txt")"
pings=$(sc_warts2json "$tmp"/out_*.warts 2>/dev/null | grep -c '"type":"ping"')
[ "$(sort "$tmp/done.txt" | tr '\n' ' ')" = "192.0.2.2 2001:db8::2 " ] &&
    ok "-c: both servers done" || bad "-c: $(cat "$tmp/done.txt")"
if command -v sc_warts2json >/dev/null; then
	[ "$pings" = 2 ] && ok "a ping of each server" || bad "$pings pings"
fi
out=$("$drv" -d asnresults x.warts 2>&1)
[[ "$out" == *"needs -A"* ]] && ok "asnresults without -A refused" ||
    bad "asnresults without -A: '$out'"
tbitlab_end
