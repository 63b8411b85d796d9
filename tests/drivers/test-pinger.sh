#!/usr/bin/env bash
# test-pinger.sh BUILD: sc_pinger in a namespace lab, ours against our
# scamper, Debian's against Debian's, and Debian's against ours, at once
# on one address file (IPv4 and IPv6; answering, silent to ICMP, to ICMP
# and UDP, to everything): every address is pinged, each method tried
# only while the ones before it drew no reply, the same records
# (dst, method, port, replied or not) and the same commands (from each
# tool's log) in all three runs; -U reaches scamper's unix socket.
# Debian's parts are left out without its package.  Needs root.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/drvlab.sh"
ours=$build/tools/sc_pinger/sc_pinger
drvlab_build pinger
port=$((20000 + $$ % 20000))
for a in $drvlab_v4 $drvlab_v6; do echo "$a"; done >"$tmp/in.txt"
# (Debian's stops at a repeated address: ours is tried on one below)
printf '# a comment, then a blank line\n\n' >>"$tmp/in.txt"
deb=0
[ -x /usr/bin/sc_pinger ] && [ -x /usr/bin/scamper ] && deb=1

drvlab_scamper c1 "$ours_scamper" "$port" || exit 1
[ $deb = 1 ] && { drvlab_scamper c2 /usr/bin/scamper "$port" || exit 1; }
drvlab_scamper c3 "$ours_scamper" "$port" || exit 1
# -c 1/2: one reply wanted from two probes; the runs go at once
pinger() {	# NODE TOOL NAME
	lab_exec "$1" timeout 60 "$2" -a "$tmp/in.txt" -o "$tmp/$3.warts" \
	    -p "$port" -c 1/2 -t "$tmp/$3.log" >"$tmp/$3.out" 2>&1
	echo $? >"$tmp/$3.rc"
}
pinger c1 "$ours" ours & pids=$!
if [ $deb = 1 ]; then
	pinger c2 /usr/bin/sc_pinger deb & pids="$pids $!"
	pinger c3 /usr/bin/sc_pinger interop & pids="$pids $!"
fi
# shellcheck disable=SC2086
wait $pids	# (not the scampers lab_bg started)

# what every run must have found
cat >"$tmp/want" <<'EOT'
198.51.100.2 icmp-echo - replied
198.51.100.3 icmp-echo - silent
198.51.100.3 udp-dport 33435 replied
198.51.100.4 icmp-echo - silent
198.51.100.4 tcp-ack-sport 80 replied
198.51.100.4 udp-dport 33435 silent
198.51.100.5 icmp-echo - silent
198.51.100.5 tcp-ack-sport 80 silent
198.51.100.5 udp-dport 33435 silent
2001:db8:ff::2 icmp-echo - replied
2001:db8:ff::3 icmp-echo - silent
2001:db8:ff::3 udp-dport 33435 replied
EOT
runs="ours"
[ $deb = 1 ] && runs="ours deb interop"
for r in $runs; do
	if [ "$(cat "$tmp/$r.rc")" = 0 ]; then ok "$r: exit 0"; else
		bad "$r: exit $(cat "$tmp/$r.rc"): $(head -c 300 "$tmp/$r.out")"
	fi
	drvlab_pings "$tmp/$r.warts" >"$tmp/$r.pings"
	if cmp -s "$tmp/want" "$tmp/$r.pings"; then
		ok "$r: each address pinged until a method drew a reply"
	else
		bad "$r: records"; diff "$tmp/want" "$tmp/$r.pings"
	fi
	# (Debian's sc_pinger ends before scamper's cycle-stop record)
	k=$(drvlab_kinds "$tmp/$r.warts")
	want="cycle-start=1 cycle-stop=1 ping=12"
	[ $r = ours ] || want="cycle-start=1 ping=12"
	[ "$k" = "$want" ] && ok "$r: $k" || bad "$r: records $k"
	grep -o 'ping -c .*' "$tmp/$r.log" | sort >"$tmp/$r.cmds"
done
if [ $deb = 1 ]; then
	for r in ours interop; do
		cmp -s "$tmp/deb.cmds" "$tmp/$r.cmds" &&
		    ok "$r: the same $(wc -l <"$tmp/$r.cmds") commands as Debian's" ||
		    { bad "$r: commands"; diff "$tmp/deb.cmds" "$tmp/$r.cmds"; }
	done
else
	echo "(Debian's scamper package is not installed: its runs left out)"
fi

# -U: scamper's unix socket, a path without a '/'; one method, -c 1; a
# repeated address pinged once
lab_bg c1 "$ours_scamper" -U "$tmp/ctl.sock" -p 100 >/dev/null
for _ in $(seq 50); do [ -S "$tmp/ctl.sock" ] && break; sleep 0.2; done
printf '192.0.2.2\n192.0.2.2\n' >"$tmp/one.txt"
(cd "$tmp" && lab_exec c1 timeout 30 "$ours" -a one.txt -o u.warts \
    -U ctl.sock -c 1 -m 'icmp-echo -s 100')
rc=$?
p=$(drvlab_pings "$tmp/u.warts" | tr '\n' ' ')
[ $rc = 0 ] && [ "$p" = "192.0.2.2 icmp-echo - replied " ] &&
    ok "-U ctl.sock -m 'icmp-echo -s 100': $p" || bad "-U: exit $rc, '$p'"
lab_checks_end
