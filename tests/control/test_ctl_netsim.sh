#!/usr/bin/env bash
# test_ctl_netsim.sh SCAMPER HELPER CLIENT NETSIM: 100 control clients
# with 100 pings each, all at once, against the simulated Internet
# (sc_netsim on a TUN device in a lab namespace): every client gets every
# result; then the same with clients that wait for MORE.  Needs root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN client NETSIM_BIN" "$@"
. "$here/../lab/netsim.sh"
lab_require_root
lab_require_cmd python3
[ -e /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
lab_init ctlsim
lab_node vp host >/dev/null || exit 1
netsim_start vp --seed 7 || exit 1
tmp=$LAB_DIR
lab_checks tap

lab_exec vp "$scamper" -D -e "$tmp/s.pid" -P 31337 -p 10000 ||
    { echo "scamper did not start"; exit 1; }
for _ in $(seq 50); do [ -s "$tmp/s.pid" ] && break; sleep 0.1; done
lab_atexit "kill $(cat "$tmp/s.pid") 2>/dev/null"

# 10,000 distinct targets: 198.18.C.K+1 for client C, command K
lab_exec vp timeout 600 python3 "$client" 31337 many 100 100 \
    'ping -c 1 198.18.{c}.{k}' impatient && ok "100 clients x 100 pings at once" ||
    bad "100 clients x 100 pings at once"
lab_exec vp timeout 600 python3 "$client" 31337 many 100 20 \
    'ping -c 1 198.19.{c}.{k}' polite && ok "100 polite clients x 20 pings" ||
    bad "100 polite clients x 20 pings"
kill -0 "$(cat "$tmp/s.pid")" && ok "scamper still runs" || bad "scamper died"
lab_checks_end
