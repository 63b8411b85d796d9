#!/usr/bin/env bash
# test_remote_tls.sh SCAMPER HELPER SC_REMOTED SC_ATTACH: scamper -R over
# TLS in a lab: a controller node c and vantage points v1, v2, each on its
# own link (IPv4 and IPv6) to c.
#   - IPv6: sc_remoted listens on 2001:db8:1::1 with TLS; a scamper
#     connects over IPv6 checking the certificate's IP address; sc_attach
#     on the vantage point's socket runs a ping and a trace (IPv6 and
#     IPv4); the results come back;
#   - client certificates: sc_remoted -C requires one from the lab CA; a
#     scamper presenting one (-O certfile= -O keyfile=) works; without one,
#     or with one from another CA, it is refused with a clear message on
#     both ends; a key that does not match its certificate stops scamper
#     at start-up;
#   - the idle RSS of a connected remote scamper with TLS (VmRSS from
#     /proc) is printed and must be at most 5 MB (not checked in
#     sanitizer builds); the helper's is printed too.
# Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
remoted=$(realpath "$3")
attach=$(realpath "$4")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
. "$here/remote_lib.sh"
lab_init rtls
lab_build - >/dev/null <<'EOF' || exit 1
node c host
node v1 host
node v2 host
link c v1 192.0.2.1/30 192.0.2.2/30 2001:db8:1::1/64 2001:db8:1::2/64
link c v2 192.0.2.5/30 192.0.2.6/30 2001:db8:2::1/64 2001:db8:2::2/64
EOF
tmp=$LAB_DIR
socks=$tmp/socks
mkdir -p "$socks"
cd "$tmp" || exit 1

run_cmds() { attach_run "$@"; }

# ---- certificates made here ----------------------------------------------
ossl() { openssl "$@" >/dev/null 2>&1 || bad "openssl $1 $2 failed"; }
# ca (the lab's), other (a stranger's); srv for c; cli and stranger for v2
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
    -subj /CN=lab-ca -days 2
ossl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -subj /CN=other-ca -days 2
# issue NAME CA SAN: NAME.pem and NAME.key, signed by CA
issue() {
	ossl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/CN=$1"
	echo "$3" >"$1.ext"
	ossl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -CAcreateserial -out "$1.pem" -days 2 -extfile "$1.ext"
}
issue srv ca "subjectAltName=IP:2001:db8:1::1,IP:192.0.2.5"
issue cli ca "extendedKeyUsage=clientAuth"
issue stranger other "extendedKeyUsage=clientAuth"

# ---- 1. IPv6 with TLS ------------------------------------------------------
rd6=$(lab_bg c "$remoted" -P '[2001:db8:1::1]:31350' -U "$socks" \
    -c srv.pem -p srv.key -O debug)
listening c 31350
p6=$(lab_bg v1 "$scamper" -R '[2001:db8:1::1]:31350' -M v6.test \
    -O tls -O cafile="$tmp/ca.pem" -d "$tmp/v6.log")
if s=$(wait_sock "v6.test-*"); then
	case $(basename "$s") in
	v6.test-2001:db8:1::2.[0-9]*) ok "IPv6: socket named monitor-ip6.port ($(basename "$s"))" ;;
	*) bad "IPv6: socket name $(basename "$s")" ;;
	esac
	if lab_exec v1 ss -Htn state established dst '[2001:db8:1::1]:31350' |
	    grep -q .; then
		ok "IPv6: the connection runs over IPv6"
	else
		bad "IPv6: no IPv6 connection in ss"
	fi
	if run_cmds "$s" "$tmp/r6" "ping -c 2 2001:db8:1::1" \
	    "trace -q 1 2001:db8:1::1" "ping -c 1 192.0.2.1" &&
	    [ "$(count ping "$tmp/r6.json")" = 2 ] &&
	    [ "$(count trace "$tmp/r6.json")" = 1 ] &&
	    grep -q '"dst":"2001:db8:1::1"' "$tmp/r6.json" &&
	    grep -q '"list_name":"2001:db8:1::2\.[0-9]*_0"' "$tmp/r6.json"; then
		ok "IPv6 + TLS: ping and trace results through sc_remoted"
	else
		bad "IPv6 + TLS: results"
		sed 's/^/#   /' "$tmp/r6.err" "$tmp/r6.json" 2>/dev/null | head
	fi
	grep -q "with TLS" "$tmp/v6.log" && ok "IPv6: scamper used TLS" ||
	    bad "IPv6: no TLS in scamper's log"
else
	bad "IPv6: no socket in $socks"; log_of "$p6"; log_of "$rd6"
fi

# ---- 2. client certificates ------------------------------------------------
rdc=$(lab_bg c "$remoted" -P 192.0.2.5:31351 -U "$socks" -c srv.pem \
    -p srv.key -C ca.pem)
listening c 31351
pc=$(lab_bg v2 "$scamper" -R 192.0.2.5:31351 -M cc.test \
    -O cafile="$tmp/ca.pem" -O certfile="$tmp/cli.pem" \
    -O keyfile="$tmp/cli.key" -d "$tmp/cc.log")
if s=$(wait_sock "cc.test-*") &&
    run_cmds "$s" "$tmp/cc" "ping -c 1 192.0.2.5" &&
    [ "$(count ping "$tmp/cc.json")" = 1 ]; then
	ok "client certificate from the lab CA: accepted, results come back"
else
	bad "client certificate: no socket or no result"; log_of "$pc"
	log_of "$rdc"
fi

# refused NAME SCAMPER_TEXT REMOTED_TEXT [-O ...]: scamper is refused
refused() {
	local name=$1 want=$2 rwant=$3 p
	shift 3
	p=$(lab_bg v2 "$scamper" -R 192.0.2.5:31351 -M "$name" \
	    -O cafile="$tmp/ca.pem" "$@")
	if wait_log "$p" "$want" && ! ls "$socks" | grep -q "^$name-" &&
	    wait_log "$rdc" "$rwant"; then
		ok "$name: refused: $(grep -m1 -- "$want" "$(lab_bglog "$p")" |
		    sed 's/^scamper: //'); sc_remoted: $(grep -m1 -- "$rwant" \
		    "$(lab_bglog "$rdc")" | sed 's/^sc_remoted: //')"
	else
		bad "$name: not refused as expected"; log_of "$p" 5
		log_of "$rdc" 5
	fi
	kill "$p" 2>/dev/null
}
refused nocert.test "wants a client certificate" \
    "peer did not return a certificate"
refused stranger.test "refused our client certificate" \
    "unable to get local issuer certificate" \
    -O certfile="$tmp/stranger.pem" -O keyfile="$tmp/stranger.key"
out=$(lab_exec v2 "$scamper" -R 192.0.2.5:31351 -O cafile="$tmp/ca.pem" \
    -O certfile="$tmp/cli.pem" -O keyfile="$tmp/stranger.key" 2>&1)
rc=$?
if [ $rc = 1 ] && echo "$out" | grep -q "key values mismatch"; then
	ok "a key that does not match the certificate: $out"
else
	bad "mismatched key: rc $rc: $out"
fi
out=$(lab_exec v2 "$scamper" -R 192.0.2.5:31351 -O certfile="$tmp/cli.pem" 2>&1)
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "keyfile=" &&
    ok "a certificate without its key: $out" ||
    bad "certificate without key: rc $rc: $out"
! lab_exec c "$remoted" -P 31352 -U "$socks" -C ca.pem 2>"$tmp/e" &&
    grep -q "need TLS" "$tmp/e" &&
    ok "sc_remoted -C without -c/-p: $(cat "$tmp/e")" ||
    bad "sc_remoted -C without TLS: $(cat "$tmp/e")"

# ---- 3. idle RSS with TLS --------------------------------------------------
# The scamper with a client certificate is connected and idle (its
# sc_attach is done); it gives memory back within a keepalive tick (5 s).
sanitized=0
ldd "$scamper" 2>/dev/null | grep -Eq 'lib(asan|ubsan|tsan)' && sanitized=1
rss=
for _ in $(seq 40); do
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/"$pc"/status 2>/dev/null)
	[ -n "$rss" ] && [ "$rss" -le 5120 ] && break
	sleep 0.5
done
pss=$(awk '/^Pss:/ { print $2 }' /proc/"$pc"/smaps_rollup 2>/dev/null)
helper=$(cat /proc/"$pc"/task/"$pc"/children 2>/dev/null | awk '{ print $1 }')
hrss=$(awk '/^VmRSS/ { print $2 }' /proc/"${helper:-0}"/status 2>/dev/null)
echo "# idle remote scamper (TLS, client certificate): VmRSS ${rss:-?} kB, PSS ${pss:-?} kB; its scamper-helper: VmRSS ${hrss:-?} kB"
if [ "$sanitized" = 1 ]; then
	ok "# SKIP idle RSS not checked in a sanitizer build"
elif [ -n "$rss" ] && [ "$rss" -le 5120 ]; then
	ok "idle remote scamper with TLS: ${rss} kB <= 5 MB"
else
	bad "idle remote scamper with TLS: ${rss:-?} kB > 5 MB"
fi
grep -q "idle, memory given back" "$tmp/cc.log" &&
    ok "scamper logged that it gave memory back" ||
    bad "no 'memory given back' in the debug log"

cd / || exit 1
echo "1..$n"
[ "$fail" = 0 ]
