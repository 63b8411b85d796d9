#!/usr/bin/env bash
# test_filterpolicy.sh SCAMPER HELPER SC_FILTERPOLICY: sc_filterpolicy
# -t router against a dual-stack server whose IPv6 side drops SSH and
# HTTPS: the report marks them incongruent (X) on the IPv6 address, the
# rest alike (ICMP, HTTP and BGP answered on both, Telnet on neither);
# -O incongruent keeps that device and leaves out a congruent one; -O
# tuples reads the other form; bad -T, the UDP applications (not built:
# scamper's ping records no UDP reply yet) and -O trace are refused.
# Needs root; skipped otherwise.
drv=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tbitlab.sh"
tbitlab_lab filterpol <<'EOT'
node c host
node s host
node t host
link c s 192.0.2.1/24 192.0.2.2/24 2001:db8::1/64 2001:db8::2/64
link c t 198.51.100.1/24 198.51.100.2/24 2001:db8:1::1/64 2001:db8:1::2/64
EOT

# TCP listeners (both families) and UDP responders: DNS on both, NTP on
# IPv4 only; IPv6 SSH dropped on s
cat >"$tmp/srv.py" <<'EOT'
import socket, sys, threading
def tcp(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('::', port)); s.listen(64)
    while True:
        c, _ = s.accept(); c.close()
def udp(fam, port):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(('::' if fam == socket.AF_INET6 else '0.0.0.0', port))
    while True:
        d, a = s.recvfrom(2048); s.sendto(d, a)
for p in (22, 80, 443, 179):
    threading.Thread(target=tcp, args=(p,), daemon=True).start()
threading.Thread(target=udp, args=(socket.AF_INET6, 53), daemon=True).start()
threading.Thread(target=udp, args=(socket.AF_INET, 123), daemon=True).start()
threading.Event().wait()
EOT
lab_bg s $py "$tmp/srv.py" >/dev/null
lab_bg t $py "$tmp/srv.py" >/dev/null
lab_exec s nft add table inet fp
lab_exec s nft add chain inet fp in '{ type filter hook input priority 0; }'
lab_exec s nft add rule inet fp in ip6 nexthdr tcp tcp dport '{ 22, 443 }' drop
TBITLAB_SERVERS="192.0.2.2 198.51.100.2"
tbitlab_scamper "$port" -p 100
printf 's.example 192.0.2.2 2001:db8::2\n198.51.100.2\n' >"$tmp/rows.txt"
lab_exec c timeout 300 "$drv" -p "$port" -a "$tmp/rows.txt" -t router \
    -o "$tmp/fp.warts" -l "$tmp/log.txt"
rc=$?
[ $rc = 0 ] && ok "sc_filterpolicy exit 0" || bad "sc_filterpolicy exit $rc"
"$drv" -r "$tmp/fp.warts" >"$tmp/report.txt"
cat "$tmp/report.txt"
# columns: ICMP SSH Telnet HTTPS HTTP BGP
cells() { awk -v a="$2" '$1 == a { sub(/^[^ ]+ +:/, ""); print }' "$1" |
    sed 's/  \(.\)/\1/g'; }
[ "$(cells "$tmp/report.txt" 192.0.2.2)" = "OO OOO" ] &&
    ok "IPv4 of s: ICMP SSH HTTPS HTTP BGP answered, Telnet not" ||
    bad "192.0.2.2: '$(cells "$tmp/report.txt" 192.0.2.2)'"
[ "$(cells "$tmp/report.txt" 2001:db8::2)" = "OX XOO" ] &&
    ok "IPv6 of s: SSH and HTTPS marked incongruent (X)" ||
    bad "2001:db8::2: '$(cells "$tmp/report.txt" 2001:db8::2)'"
[ "$(cells "$tmp/report.txt" 198.51.100.2)" = "OO OOO" ] &&
    ok "a single-address device: as it answered" ||
    bad "198.51.100.2: '$(cells "$tmp/report.txt" 198.51.100.2)'"
"$drv" -r "$tmp/fp.warts" -O incongruent >"$tmp/inc.txt"
if grep -q "^2001:db8::2 " "$tmp/inc.txt" &&
    ! grep -q "^198.51.100.2 " "$tmp/inc.txt"; then
	ok "-O incongruent: only the incongruent device"
else
	bad "-O incongruent: $(cat "$tmp/inc.txt")"
fi
printf 'a 198.51.100.2\na 2001:db8:1::2\n' >"$tmp/tuples.txt"
lab_exec c timeout 120 "$drv" -p "$port" -a "$tmp/tuples.txt" -O tuples \
    -T +ssh,+http -o "$tmp/tu.warts"
"$drv" -r "$tmp/tu.warts" >"$tmp/tu.txt"
if [ "$(cells "$tmp/tu.txt" 198.51.100.2)" = "OO" ] &&
    [ "$(cells "$tmp/tu.txt" 2001:db8:1::2)" = "OO" ]; then
	ok "-O tuples -T +ssh,+http: one device of two addresses, congruent"
else
	bad "tuples: $(cat "$tmp/tu.txt")"
fi
out=$("$drv" -p 1 -a x -o y -T +ntp 2>&1)
[[ "$out" == *"-T +ntp: not implemented"* ]] &&
    ok "UDP applications refused: $out" || bad "-T +ntp: '$out'"
out=$("$drv" -p 1 -a x -o y -T +gopher 2>&1)
[[ "$out" == *"-T +gopher: unknown application"* ]] && ok "bad -T refused" ||
    bad "-T +gopher: '$out'"
out=$("$drv" -p 1 -a x -o y -t router -O trace 2>&1)
[[ "$out" == *"not implemented"* ]] && ok "-O trace refused as not implemented" ||
    bad "-O trace: '$out'"
tbitlab_end
