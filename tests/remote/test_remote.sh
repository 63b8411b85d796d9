#!/usr/bin/env bash
# test_remote.sh SCAMPER HELPER SC_REMOTED SC_ATTACH [interop]: scamper -R
# and sc_remoted in a lab: a controller node c and three vantage points
# v1 v2 v3, each on its own link to c.
#   - three remote scampers connect to one sc_remoted; sc_attach -R on
#     each socket runs a ping and a trace; the results come back;
#   - 500 pings on v1 while its connection is reset (ss -K) and new
#     connections are dropped until a try has failed: every result
#     arrives exactly once;
#   - TLS with a CA made here; a wrong CA and an expired certificate are
#     refused with a clear message;
#   - the idle RSS of a remote scamper (plain and TLS) is printed, and
#     checked against 5 MB for the plain one (TLS: test_remote_tls.sh);
#   - with "interop": Debian's scamper -R with our sc_remoted, ours with
#     Debian's sc_remoted.
# Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
remoted=$(realpath "$3")
attach=$(realpath "$4")
mode=${5:-lab}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
. "$here/remote_lib.sh"
if [ "$mode" = interop ]; then
	for t in scamper sc_remoted sc_attach; do
		command -v $t >/dev/null ||
		    { echo "SKIP: Debian's $t missing (apt-get install scamper)"; exit 77; }
	done
fi
lab_star remote 3 || exit 1
socks=$tmp/socks
mkdir -p "$socks"

# run_cmds NODE SOCKET OUT CMD...: sc_attach -R the commands (NODE is
# for the reader); JSON in OUT.json.
run_cmds() { shift; attach_run "$@"; }

# ---- 1. three vantage points, one controller ----------------------------
rd=$(lab_bg c "$remoted" -P 31337 -U "$socks" -O debug)
listening c 31337
declare -A vp
for i in 1 2 3; do
	ctl=192.0.2.$((i * 4 - 3))
	vp[$i]=$(lab_bg v$i "$scamper" -R $ctl:31337 -M vp$i.test -O notls \
	    -d "$tmp/vp$i.log")
done
for i in 1 2 3; do
	ctl=192.0.2.$((i * 4 - 3))
	if ! s=$(wait_sock "vp$i.test-*"); then
		bad "vp$i: no socket in $socks"; log_of "${vp[$i]}"; continue
	fi
	case $s in
	*/vp$i.test-192.0.2.$((i * 4 - 2)):[0-9]*) ok "vp$i: socket named monitor-ip:port ($(basename "$s"))" ;;
	*) bad "vp$i: socket name $(basename "$s")" ;;
	esac
	[ "$(stat -c %a "$s")" = 700 ] && ok "vp$i: socket mode 0700" ||
	    bad "vp$i: socket mode $(stat -c %a "$s")"
	if run_cmds v$i "$s" "$tmp/r$i" "ping -c 2 $ctl" "trace -q 1 $ctl" &&
	    [ "$(count ping "$tmp/r$i.json")" = 1 ] &&
	    [ "$(count trace "$tmp/r$i.json")" = 1 ] &&
	    grep -q "\"list_name\":\"192.0.2.$((i * 4 - 2)):[0-9]*_0\"" "$tmp/r$i.json"; then
		ok "vp$i: ping and trace results through sc_remoted"
	else
		bad "vp$i: results"; sed 's/^/#   /' "$tmp/r$i.err" "$tmp/r$i.json" 2>/dev/null | head
	fi
done

# ---- 2. idle RSS ---------------------------------------------------------
# idle_rss PID: VmRSS of PID in kB once at most 5 MB, or after 20 s (an
# idle remote scamper gives memory back within a keepalive tick, 5 s)
idle_rss() {
	local v
	for _ in $(seq 40); do
		v=$(awk '/^VmRSS/ { print $2 }' /proc/"$1"/status 2>/dev/null)
		[ -n "$v" ] && [ "$v" -le 5120 ] && break
		sleep 0.5
	done
	echo "$v"
}
rss=$(idle_rss "${vp[2]}")
echo "# idle remote scamper (no TLS): VmRSS ${rss:-?} kB"
[ -n "$rss" ] && [ "$rss" -le 5120 ] && ok "idle RSS ${rss} kB <= 5 MB" ||
    bad "idle RSS ${rss:-?} kB > 5 MB"

# ---- 3. 500 pings while the connection is cut ----------------------------
s=$(wait_sock "vp1.test-*")
: >"$tmp/cut.cmds"
for u in $(seq 0 499); do echo "ping -c 1 -U $u 192.0.2.1"; done >"$tmp/cut.cmds"
timeout 600 "$attach" -i "$tmp/cut.cmds" -o "$tmp/cut.warts" -R "$s" \
    2>"$tmp/cut.err" &
apid=$!
# wait until results flow, then cut: reset the connection and drop new
# ones for 10 s
for _ in $(seq 100); do
	[ "$(stat -c %s "$tmp/cut.warts" 2>/dev/null || echo 0)" -gt 3000 ] && break
	sleep 0.1
done
# (until vp1 has seen the reset and one more try has failed into the
# drop: its debug log says "reconnecting", then "next try in")
fails() { grep -c -e 'reconnecting$' -e 'next try in' "$tmp/vp1.log"; }
nfail=$(fails)
lab_exec v1 nft -f - <<'EOF'
table inet cut { chain out { type filter hook output priority 0; tcp dport 31337 drop; }; }
EOF
lab_exec v1 ss -K dst 192.0.2.1 dport = 31337 >/dev/null 2>&1
for _ in $(seq 1200); do
	[ "$(fails)" -ge $((nfail + 2)) ] && break
	sleep 0.05
done
lab_exec v1 nft delete table inet cut
if wait "$apid"; then
	$W2J "$tmp/cut.warts" >"$tmp/cut.json"
	got=$(grep '"type":"ping"' "$tmp/cut.json" |
	    sed -E 's/.*"userid":([0-9]+).*/\1/' | sort -n)
	if [ "$(echo "$got" | wc -l)" = 500 ] &&
	    [ "$got" = "$(seq 0 499)" ]; then
		ok "cut in 500 pings: every result exactly once"
	else
		bad "cut: $(echo "$got" | wc -l) results, $(echo "$got" | uniq -d | wc -l) duplicated"
	fi
else
	bad "cut: sc_attach failed: $(tail -3 "$tmp/cut.err")"
fi
grep -q 'session resumed' "$tmp/vp1.log" &&
    ok "vp1 reconnected and resumed its session" ||
    { bad "vp1 did not resume"; tail "$tmp/vp1.log" | sed 's/^/#   /'; }

# ---- 4. TLS ----------------------------------------------------------------
cd "$tmp" || exit 1
ossl() { openssl "$@" >/dev/null 2>&1 || bad "openssl $1 failed"; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
    -subj /CN=lab-ca -days 2
ossl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -subj /CN=other-ca -days 2
ossl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=192.0.2.5
echo "subjectAltName=IP:192.0.2.5" >ext.cnf
ossl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out srv.pem -days 2 -extfile ext.cnf
# an expired certificate from the same CA
: >index.txt
echo 01 >serial
cat >ca.cnf <<EOF
[ ca ]
default_ca = d
[ d ]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = p
[ p ]
commonName = supplied
EOF
ossl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in srv.csr \
    -out old.pem -startdate 20200101000000Z -enddate 20200201000000Z \
    -extfile ext.cnf
lab_bg c "$remoted" -P 192.0.2.5:31338 -U "$socks" -c srv.pem -p srv.key >/dev/null
lab_bg c "$remoted" -P 192.0.2.5:31339 -U "$socks" -c old.pem -p srv.key >/dev/null
listening c 31338 && listening c 31339
t1=$(lab_bg v2 "$scamper" -R 192.0.2.5:31338 -M tls.test -O cafile="$tmp/ca.pem" -d "$tmp/tls.log")
if s=$(wait_sock "tls.test-*"); then
	if run_cmds v2 "$s" "$tmp/tls" "ping -c 1 192.0.2.5" &&
	    [ "$(count ping "$tmp/tls.json")" = 1 ]; then
		ok "TLS with a CA made here: results come back"
	else
		bad "TLS: no result"
	fi
	rss=$(idle_rss "$t1")
	echo "# idle remote scamper (TLS, -O cafile): VmRSS ${rss:-?} kB (checked in lab-remote-tls)"
else
	bad "TLS: no socket"; log_of "$t1"
fi
# refusals: the message names the problem
refused() {	# NAME GREP PORT CAFILE
	local p
	p=$(lab_bg v3 "$scamper" -R 192.0.2.5:$3 -M $1 -O cafile="$4")
	for _ in $(seq 50); do
		grep -q "$2" "$(lab_bglog "$p")" && break
		sleep 0.1
	done
	if grep -q "$2" "$(lab_bglog "$p")" && ! ls "$socks" | grep -q "^$1-"; then
		ok "$1: refused: $(grep -m1 "$2" "$(lab_bglog "$p")" | sed 's/^scamper: //')"
	else
		bad "$1: not refused as expected"; log_of "$p" 5
	fi
	kill "$p" 2>/dev/null
}
# v3 reaches the TLS controllers' address (c's, on the v2 link) via c
lab_exec v3 ip route add 192.0.2.4/30 via 192.0.2.9
refused wrongca "certificate refused: unable to get local issuer" 31338 "$tmp/other.pem"
refused expired "certificate refused: certificate has expired" 31339 "$tmp/ca.pem"
p=$(lab_bg v3 "$scamper" -R 192.0.2.5:31338 -M nofile -O cafile=/nonexistent)
wait_log "$p" "CA file /nonexistent"
grep -q "CA file /nonexistent" "$(lab_bglog "$p")" &&
    ok "a missing CA file is named: $(head -1 "$(lab_bglog "$p")")" ||
    { bad "missing CA file"; log_of "$p" 3; }
cd / || exit 1

# ---- 5. interop with Debian's scamper and sc_remoted -------------------------
if [ "$mode" = interop ]; then
	d=$(lab_bg v3 scamper -R 192.0.2.9:31337 -M deb.test -O notls)
	if s=$(wait_sock "deb.test-*") &&
	    run_cmds v3 "$s" "$tmp/deb" "ping -c 2 192.0.2.9" "trace -q 1 192.0.2.9" &&
	    [ "$(count ping "$tmp/deb.json")" = 1 ] &&
	    [ "$(count trace "$tmp/deb.json")" = 1 ]; then
		ok "Debian's scamper -R with our sc_remoted: ping and trace"
	else
		bad "Debian's scamper -R with our sc_remoted"; log_of "$d" 5
	fi
	kill "$d" 2>/dev/null
	mkdir -p "$tmp/dsocks"
	dr=$(lab_bg c sc_remoted -P 31340 -U "$tmp/dsocks")
	listening c 31340
	o=$(lab_bg v3 "$scamper" -R 192.0.2.9:31340 -M ours.test -O notls)
	s=
	for _ in $(seq 100); do
		s=$(ls "$tmp/dsocks"/ours.test-* 2>/dev/null | head -1)
		[ -n "$s" ] && break
		sleep 0.1
	done
	if [ -n "$s" ] &&
	    printf 'ping -c 2 192.0.2.9\ntrace -q 1 192.0.2.9\n' >"$tmp/d2.cmds" &&
	    timeout 120 sc_attach -i "$tmp/d2.cmds" -o "$tmp/d2.warts" -R "$s" &&
	    [ "$(sc_warts2json "$tmp/d2.warts" | grep -c '"type":"ping"')" = 1 ] &&
	    [ "$(sc_warts2json "$tmp/d2.warts" | grep -c '"type":"trace"')" = 1 ]; then
		ok "our scamper -R with Debian's sc_remoted and sc_attach: ping and trace"
	else
		bad "our scamper -R with Debian's sc_remoted"; log_of "$o" 5; log_of "$dr" 5
	fi
fi

echo "1..$n"
[ "$fail" = 0 ]
