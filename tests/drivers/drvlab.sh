# tests/drivers/drvlab.sh: what the lab tests of sc_pinger and
# sc_erosprober share, sourced with their arguments (BUILD first) after
# they set `here`: the lab library, root (skip without), the checks, and
# a lab of a server s and four clients, each its own prober's host
# (ours, Debian's, Debian's tool against ours, and ours again), so that no two
# scampers see each other's replies.  s answers everything on 198.51.100.2
# and 2001:db8:ff::2; on 198.51.100.3 it drops ICMP echo requests, on
# .4 those and UDP, on .5 everything; 2001:db8:ff::3 drops ICMPv6 echo
# requests.
set -u
build=$1
export SCAMPER_HELPER_BIN=$build/privsep/scamper-helper
ours_scamper=$build/prober/scamper
json=$build/tools/warts/sc_warts2json
. "$here/../lab/lab.sh"
lab_require_root
lab_checks

# drvlab_build TAG: the lab; tmp its state folder.
drvlab_build() {
	lab_init "$1"
	lab_build - >/dev/null <<'EOT' || exit 1
node s host
node c1 host
node c2 host
node c3 host
node c4 host
link c1 s 192.0.2.1/30 192.0.2.2/30 2001:db8:1::1/64 2001:db8:1::2/64
link c2 s 192.0.2.5/30 192.0.2.6/30 2001:db8:2::1/64 2001:db8:2::2/64
link c3 s 192.0.2.9/30 192.0.2.10/30 2001:db8:3::1/64 2001:db8:3::2/64
link c4 s 192.0.2.13/30 192.0.2.14/30 2001:db8:4::1/64 2001:db8:4::2/64
addr s lo 198.51.100.2/32
addr s lo 198.51.100.3/32
addr s lo 198.51.100.4/32
addr s lo 198.51.100.5/32
addr s lo 2001:db8:ff::2/128
addr s lo 2001:db8:ff::3/128
route c1 198.51.100.0/24 via 192.0.2.2
route c2 198.51.100.0/24 via 192.0.2.6
route c3 198.51.100.0/24 via 192.0.2.10
route c4 198.51.100.0/24 via 192.0.2.14
route c1 2001:db8:ff::/64 via 2001:db8:1::2
route c2 2001:db8:ff::/64 via 2001:db8:2::2
route c3 2001:db8:ff::/64 via 2001:db8:3::2
route c4 2001:db8:ff::/64 via 2001:db8:4::2
EOT
	lab_exec s nft -f - <<'EOT' || exit 1
table inet drvlab {
  chain in {
    type filter hook input priority 0;
    ip daddr 198.51.100.3 icmp type echo-request drop
    ip daddr 198.51.100.4 icmp type echo-request drop
    ip daddr 198.51.100.4 meta l4proto udp drop
    ip daddr 198.51.100.5 drop
    ip6 daddr 2001:db8:ff::3 icmpv6 type echo-request drop
  }
}
EOT
	tmp=$LAB_DIR
	# every client's address towards s, for the tests' address files
	drvlab_v4="198.51.100.2 198.51.100.3 198.51.100.4 198.51.100.5"
	drvlab_v6="2001:db8:ff::2 2001:db8:ff::3"
}

# drvlab_scamper NODE BINARY PORT: BINARY (a scamper) on NODE with a
# control socket on PORT; waits until it accepts (10 s at most).
drvlab_scamper() {
	local i
	lab_bg "$1" "$2" -P "$3" -p 100 >/dev/null
	for i in $(seq 50); do
		lab_exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$3" \
		    2>/dev/null && return 0
		sleep 0.2
	done
	bad "$2 on $1: no control socket on port $3"
	return 1
}

# drvlab_pings FILE: "dst method sent replies" per ping record, sorted
# (sent: probes sent, up to the command's -c)
drvlab_pings() {
	"$json" "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r.get("type") == "ping":
        n = len(r.get("responses", []))
        print(r["dst"], r["method"], r.get("dport", "-"), "replied" if n else "silent")
' | sort
}

# drvlab_kinds FILE: "type count" for the records of FILE
drvlab_kinds() {
	"$json" "$1" | python3 -c '
import json, sys, collections
c = collections.Counter(json.loads(l).get("type") for l in sys.stdin)
print(" ".join("%s=%d" % kv for kv in sorted(c.items())))'
}
