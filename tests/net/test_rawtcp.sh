#!/usr/bin/env bash
# test_rawtcp.sh SCAMPER HELPER: where IPv4 TCP probes leave from, on the
# wire (tests/net/lan.sh's LAN).  h1's own firewall drops TCP to port 80
# in its output hook (a table in h1's namespace):
#  - by default IPv4 TCP probes (ping -P tcp-syn, trace -P tcp) are
#    framed by the prober on the datalink, as 20211212 sends them: they
#    pass the host's firewall, reach the wire and are answered;
#  - with -O rawtcp they go on the raw IP socket: the firewall drops
#    them, none reaches the wire;
#  - IPv6 TCP probes go on the raw socket either way (as 20211212).
# Needs root and nft; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lan.sh"
lab_args "scamper SCAMPER_HELPER_BIN" "$@"
lan_start rawtcp


lab_exec h1 nft -f - <<'EOF' || { echo "FAIL: nft"; exit 1; }
table inet hostfw {
	chain out {
		type filter hook output priority 0;
		tcp dport 80 counter drop
	}
}
EOF

# syns CAP: TCP SYNs to port 80 on the wire in CAP.
syns() {
	tcpdump -n -r "$1" 'tcp dst port 80 and tcp[tcpflags] & tcp-syn != 0' \
	    2>/dev/null | wc -l
}

# probe NAME CMD [OPTS...]: run CMD under a capture.
probe() {
	local name=$1 cmd=$2 cap
	shift 2
	cap=$(cap_start "$tmp/$name.pcap") || { bad "$name: tcpdump"; return; }
	lab_exec h1 timeout 60 "$scamper" "$@" -I "$cmd" >"$tmp/$name.out" 2>&1
	cap_stop "$cap"
}

probe dl4 "ping -P tcp-syn -c 2 -i 0.2 -d 80 192.0.2.2"
[ "$(syns "$tmp/dl4.pcap")" = 2 ] &&
    grep -q "2 packets transmitted, 2 packets received" "$tmp/dl4.out" &&
    ok "IPv4 ping tcp-syn: on the datalink, past the host's firewall, answered" ||
    bad "IPv4 default: $(syns "$tmp/dl4.pcap") SYNs: $(cat "$tmp/dl4.out")"
probe raw4 "ping -P tcp-syn -c 2 -i 0.2 -d 80 192.0.2.2" -O rawtcp
[ "$(syns "$tmp/raw4.pcap")" = 0 ] &&
    grep -q "packets transmitted, 0 packets received" "$tmp/raw4.out" &&
    ok "IPv4 ping tcp-syn -O rawtcp: on the raw socket, the host's firewall drops them" ||
    bad "IPv4 -O rawtcp: $(syns "$tmp/raw4.pcap") SYNs: $(cat "$tmp/raw4.out")"
probe trace4 "trace -P tcp -q 1 -w 1 -d 80 198.51.100.5"
[ "$(syns "$tmp/trace4.pcap")" = 1 ] &&
    grep -q "^ 1  192.0.2.2 " "$tmp/trace4.out" &&
    ok "IPv4 trace -P tcp: on the datalink, n1 answers" ||
    bad "IPv4 trace: $(syns "$tmp/trace4.pcap") SYNs: $(cat "$tmp/trace4.out")"
probe rawtrace4 "trace -P tcp -q 1 -w 1 -d 80 198.51.100.5" -O rawtcp
[ "$(syns "$tmp/rawtrace4.pcap")" = 0 ] &&
    ok "IPv4 trace -P tcp -O rawtcp: dropped by the host's firewall" ||
    bad "IPv4 trace -O rawtcp: $(syns "$tmp/rawtrace4.pcap") SYNs"
probe dl6 "ping -P tcp-syn -c 2 -i 0.2 -d 80 2001:db8:10::2"
[ "$(syns "$tmp/dl6.pcap")" = 0 ] &&
    ok "IPv6 ping tcp-syn: the raw socket without -O rawtcp too (the firewall drops them)" ||
    bad "IPv6: $(syns "$tmp/dl6.pcap") SYNs: $(cat "$tmp/dl6.out")"

lab_checks_end
