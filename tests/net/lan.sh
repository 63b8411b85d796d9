# tests/net/lan.sh: a LAN for the layer-2 tests (neighbourdisc, sniff,
# -O noinitndc, raw TCP).  Source it; it sources tests/lab/lab.sh.
#
#   h1 (192.0.2.1, 2001:db8:10::1)   the host scamper runs on, lan0
#   n1 (.2, ::2)   a router: beyond it 198.51.100.0/24 and
#                  2001:db8:99::/64 are unreachable (ICMP errors), and
#                  203.0.113.0/24 leads back to h1's 203.0.113.1
#   n2 (.3, ::3), n3 (.4, ::4)   hosts; both also hold 192.0.2.50-54 and
#                  2001:db8:10::50-54 (duplicates: two answers each)
#
# all on bridge br0 in node sw.  lan_mac NODE echoes a node's lan0 MAC.
declare -F lab_init >/dev/null ||
    . "$(dirname "${BASH_SOURCE[0]}")/../lab/lab.sh"

# lan_start NAME: the whole start of a LAN test (root and tcpdump or
# skip, lab_init NAME, the LAN built or exit 1, tmp=$LAB_DIR, its checks
# counted).
lan_start() {
	lab_require_root
	lab_require_cmd tcpdump
	lab_init "$1"
	lan_build || { echo "FAIL: building the lab"; exit 1; }
	tmp=$LAB_DIR
	lab_checks
}

lan_build() {
	local n i
	for n in h1 sw n2 n3; do lab_node $n host || return 1; done
	lab_node n1 router || return 1
	ip -n "$(lab_ns sw)" link add br0 type bridge || return 1
	ip -n "$(lab_ns sw)" link set br0 up || return 1
	for n in h1 n1 n2 n3; do
		ip link add lan0 netns "$(lab_ns $n)" type veth peer \
		    name "p-$n" netns "$(lab_ns sw)" || return 1
		ip -n "$(lab_ns sw)" link set "p-$n" master br0 up || return 1
		ip -n "$(lab_ns $n)" link set lan0 up || return 1
	done
	lab_addr h1 lan0 192.0.2.1/24 && lab_addr n1 lan0 192.0.2.2/24 &&
	    lab_addr n2 lan0 192.0.2.3/24 && lab_addr n3 lan0 192.0.2.4/24 &&
	    lab_addr h1 lan0 2001:db8:10::1/64 &&
	    lab_addr n1 lan0 2001:db8:10::2/64 &&
	    lab_addr n2 lan0 2001:db8:10::3/64 &&
	    lab_addr n3 lan0 2001:db8:10::4/64 || return 1
	for i in 50 51 52 53 54; do
		for n in n2 n3; do
			lab_addr $n lan0 192.0.2.$i/32 &&
			    lab_addr $n lan0 2001:db8:10::$i/128 || return 1
		done
	done
	lab_addr h1 lo 203.0.113.1/32 || return 1
	ip -n "$(lab_ns n1)" route add unreachable 198.51.100.0/24 &&
	    ip -n "$(lab_ns n1)" -6 route add unreachable 2001:db8:99::/64 &&
	    ip -n "$(lab_ns n1)" route add 203.0.113.0/24 via 192.0.2.1 &&
	    lab_route h1 198.51.100.0/24 via 192.0.2.2 &&
	    lab_route h1 2001:db8:99::/64 via 2001:db8:10::2 || return 1
	# both duplicates answer ARP for the shared addresses
	for n in n2 n3; do
		lab_exec $n sysctl -qw net.ipv4.conf.all.arp_ignore=0 \
		    net.ipv4.conf.lan0.arp_ignore=0 || return 1
	done
}

lan_mac() {
	lab_exec "$1" cat /sys/class/net/lan0/address
}

# cap_start FILE [FILTER...]: tcpdump on h1's lan0 into FILE; returns
# once it listens; echoes its pid.
cap_start() {
	local f=$1 pid log i
	shift
	pid=$(lab_bg h1 tcpdump --immediate-mode -U -n -i lan0 -w "$f" "$@") || return 1
	log=$(lab_bglog "$pid")
	for i in $(seq 1 200); do
		grep -q "listening on" "$log" 2>/dev/null && break
		sleep 0.05
	done
	grep -q "listening on" "$log" || return 1
	echo "$pid"
}

# cap_stop PID: stop the capture and wait for its file.
cap_stop() {
	kill -INT "$1" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$1" 2>/dev/null
	return 0
}
