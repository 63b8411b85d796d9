#!/usr/bin/env bash
# test-erosprober.sh BUILD: sc_erosprober in a namespace lab for 21 s
# (-I 10 -R 10, the smallest), ours against our scamper, Debian's against
# Debian's and Debian's against ours, at once, on one address file:
# every address is probed, with the same commands (from each tool's
# log), and every output file is readable alone (by Debian's
# sc_warts2json too) and named PREFIX.SECONDS.warts; ours, through -x,
# adds one address (probed) and removes another (probed at most once),
# writes the results in flight after SIGTERM and removes its socket;
# ours through scamper's unix socket with -O nooutfile probes and writes
# nothing.
# Debian's parts are left out without its package.  Needs root.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/drvlab.sh"
ours=$build/tools/sc_erosprober/sc_erosprober
drvlab_build eros
port=$((20000 + $$ % 20000))
for a in $drvlab_v4 $drvlab_v6; do echo "$a"; done >"$tmp/in.txt"
# ours: the last address comes through -x, the fourth (last but one
# probed, in file order) is removed at once
grep -v 2001:db8:ff::3 "$tmp/in.txt" | awk 'NR != 4' >"$tmp/ours.txt"
echo 198.51.100.5 >>"$tmp/ours.txt"
deb=0
[ -x /usr/bin/sc_erosprober ] && [ -x /usr/bin/scamper ] && deb=1

drvlab_scamper c1 "$ours_scamper" "$port" || exit 1
[ $deb = 1 ] && { drvlab_scamper c2 /usr/bin/scamper "$port" || exit 1; }
drvlab_scamper c3 "$ours_scamper" "$port" || exit 1
eros() {	# NODE TOOL NAME [OPTION...]
	local node=$1 tool=$2 name=$3
	shift 3
	mkdir -p "$tmp/$name"
	lab_exec "$node" timeout -s TERM 21 "$tool" -a "$tmp/${IN:-in.txt}" \
	    -o "$tmp/$name/out" -p "$port" -I 10 -R 10 -c 'ping -c 1' \
	    -l "$tmp/$name.log" "$@" >"$tmp/$name.out" 2>&1
	echo $? >"$tmp/$name.rc"
}
IN=ours.txt eros c1 "$ours" ours -O noshuffle -x "$tmp/ep.sock" & pids=$!
# ours again: scamper's unix socket (-U), no output (-O nooutfile)
lab_bg c4 "$ours_scamper" -U "$tmp/c4.sock" -p 100 >/dev/null
for _ in $(seq 50); do [ -S "$tmp/c4.sock" ] && break; sleep 0.2; done
(lab_exec c4 timeout -s TERM 21 "$ours" -a "$tmp/in.txt" -U "$tmp/c4.sock" \
    -I 10 -c 'ping -c 1' -O nooutfile -l "$tmp/nofile.log" \
    >"$tmp/nofile.out" 2>&1; echo $? >"$tmp/nofile.rc") & pids="$pids $!"
if [ $deb = 1 ]; then
	eros c2 /usr/bin/sc_erosprober deb & pids="$pids $!"
	eros c3 /usr/bin/sc_erosprober interop & pids="$pids $!"
fi
for _ in $(seq 50); do [ -S "$tmp/ep.sock" ] && break; sleep 0.1; done
printf -- '-198.51.100.5\n+2001:db8:ff::3\nbogus\n' |
    timeout 5 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.stdin.buffer.read())
s.shutdown(socket.SHUT_WR)
out = b""
while True:
    d = s.recv(100)
    if not d: break
    out += d
    if out.count(b"\n") == 3: break
print(out.decode(), end="")' "$tmp/ep.sock" >"$tmp/ctl.out"
# shellcheck disable=SC2086
wait $pids	# (not the scampers lab_bg started)

[ "$(tr '\n' ' ' <"$tmp/ctl.out")" = "OK OK ERR expected +address or -address " ] &&
    ok "-x: answers OK, OK, ERR" || bad "-x: '$(cat "$tmp/ctl.out")'"
[ ! -e "$tmp/ep.sock" ] && ok "-x: the socket removed at exit" ||
    bad "-x: the socket left behind"
k=$(grep -c 'ping -c 1' "$tmp/nofile.log")
[ "$(cat "$tmp/nofile.rc")" = 124 ] && [ "$k" -ge 1 ] &&
    [ -z "$(find "$tmp" -maxdepth 1 -name '*.warts')" ] &&
    ok "-U, -O nooutfile: $k commands, no file" ||
    bad "-U, -O nooutfile: exit $(cat "$tmp/nofile.rc"), $k commands"
runs="ours"
[ $deb = 1 ] && runs="ours deb interop"
for r in $runs; do
	# (timeout's status: 124 when the tool ended on its signal)
	rc=$(cat "$tmp/$r.rc")
	[ "$rc" = 124 ] && ok "$r: ran until the signal" ||
	    bad "$r: exit $rc: $(head -c 300 "$tmp/$r.out")"
	nf=0 unread=0
	: >"$tmp/$r.json"
	for f in "$tmp/$r"/out.*.warts; do
		[ -e "$f" ] || continue
		nf=$((nf + 1))
		[[ "${f##*/}" =~ ^out\.[0-9]{10}\.warts$ ]] ||
		    bad "$r: file name ${f##*/}"
		[ -s "$f" ] || continue
		"$json" "$f" >>"$tmp/$r.json" 2>/dev/null || unread=$((unread + 1))
		if [ -x /usr/bin/sc_warts2json ] &&
		    ! /usr/bin/sc_warts2json "$f" >/dev/null 2>&1; then
			unread=$((unread + 1))
		fi
	done
	[ $nf -ge 2 ] && [ $unread = 0 ] &&
	    ok "$r: $nf files, each readable alone" ||
	    bad "$r: $nf files, $unread not readable alone"
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "ping":
        print(r["dst"])' "$tmp/$r.json" | sort | uniq -c |
	    awk '{ print $2, $1 }' >"$tmp/$r.count"
	grep -o 'ping -c 1 .*' "$tmp/$r.log" | sort -u >"$tmp/$r.cmds"
done
# ours: every address of the file but the one removed, and the one added
k5=$(awk '$1 == "198.51.100.5" { print $2 }' "$tmp/ours.count")
[ "${k5:-0}" -le 1 ] && ok "ours: the address removed probed ${k5:-0} times" ||
    bad "ours: the address removed probed $k5 times"
got=$(awk '$1 != "198.51.100.5" { print $1 }' "$tmp/ours.count" | tr '\n' ' ')
want=$(grep -v -x 198.51.100.5 "$tmp/in.txt" | sort | tr '\n' ' ')
[ "$got" = "$want" ] && ok "ours: probed $got" ||
    bad "ours: probed '$got', want '$want'"
if [ $deb = 1 ]; then
	want=$(sort "$tmp/in.txt" | tr '\n' ' ')
	for r in deb interop; do
		got=$(awk '{ print $1 }' "$tmp/$r.count" | tr '\n' ' ')
		[ "$got" = "$want" ] && ok "$r: probed $got" ||
		    bad "$r: probed '$got', want '$want'"
	done
	# the commands: Debian's for every address, ours alike
	grep -v -x 'ping -c 1 198.51.100.5' "$tmp/deb.cmds" >"$tmp/deb5.cmds"
	grep -v -x 'ping -c 1 198.51.100.5' "$tmp/ours.cmds" >"$tmp/ours5.cmds"
	cmp -s "$tmp/deb5.cmds" "$tmp/ours5.cmds" &&
	    ok "ours: the same commands as Debian's" ||
	    { bad "ours: commands"; diff "$tmp/deb5.cmds" "$tmp/ours5.cmds"; }
	cmp -s "$tmp/deb.cmds" "$tmp/interop.cmds" &&
	    ok "interop: the same commands as Debian's" ||
	    { bad "interop: commands"; diff "$tmp/deb.cmds" "$tmp/interop.cmds"; }
else
	echo "(Debian's scamper package is not installed: its runs left out)"
fi
lab_checks_end
