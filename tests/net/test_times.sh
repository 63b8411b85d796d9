#!/usr/bin/env bash
# test_times.sh SCAMPER HELPER: the times our ping and trace record, in
# the basic lab (Linux routers): ping -c 20 and a trace to the far end,
# IPv4 and IPv6, on raw sockets and with -O dl.  Every RTT is above 0.000
# ms and within a loose sanity bound (0.001-50 ms: no tighter timing is
# asserted), every ping reply's rx is later than its tx, and the
# end-of-run statistics (-d) say where the send times came from: the
# kernel's transmit timestamps on raw sockets, the datalink's with -O dl,
# none from the clock read before the send, and no negative RTT.  The
# eight measurements run at once, once every IPv6 link's neighbours
# have answered a ping.  Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_args "scamper SCAMPER_HELPER_BIN" "$@"
lab_require_root
lab_basic times || exit 1
D4=203.0.113.1 D6=2001:db8:ff::1

lab_checks

# Every link's IPv6 neighbours found first (a ping each way, the
# lab's own, not the prober's): in a just-built lab a router's first
# neighbour solicitation can go unanswered, and the kernel asks again
# only a second (RetransTimer) later, so a first IPv6 probe took a
# second, as if the prober had been slow (tests/bench/RESULTS.md, h22cap).
prime=()
while read -r a _ _ a6 b _ _ b6 _; do
	[ "$a6" = - ] || [ "$b6" = - ] && continue
	lab_exec "$a" ping -6 -c 1 -W 3 -q "${b6%/*}" >/dev/null 2>&1 &
	prime+=($!)
	lab_exec "$b" ping -6 -c 1 -W 3 -q "${a6%/*}" >/dev/null 2>&1 &
	prime+=($!)
done <"$LAB_DIR/links"
unprimed=0
for p in "${prime[@]}"; do wait "$p" || unprimed=$((unprimed + 1)); done
if [ "$unprimed" = 0 ]; then
	ok "every IPv6 link's neighbours answered a ping (${#prime[@]})"
else
	bad "$unprimed of ${#prime[@]} pings to IPv6 link neighbours failed"
fi

# The measurements: NAME DL|COMMAND (DL: dl if it has -O dl, else -)
runs=(
	"ping4 -|ping -c 20 $D4"
	"ping6 -|ping -c 20 $D6"
	"trace4 -|trace -P icmp-paris $D4"
	"trace6 -|trace -P udp-paris $D6"
	"ping4dl dl|ping -O dl -c 20 $D4"
	"ping6dl dl|ping -O dl -c 20 $D6"
	"trace4dl dl|trace -O dl -P udp-paris $D4"
	"trace6dl dl|trace -O dl -P icmp-paris $D6"
)
pids=()
for r in "${runs[@]}"; do
	name=${r%% *} rest=${r#* } cmd=${rest#*|}
	lab_exec h1 timeout 90 "$scamper" -O json \
	    -d "$LAB_DIR/$name.log" -I "$cmd" >"$LAB_DIR/$name.json" \
	    2>"$LAB_DIR/$name.err" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

# check NAME DL: the JSON result and the statistics of one run
check() {
	local name=$1 dl=$2 out stats k b d neg
	out=$(python3 - "$LAB_DIR/$name.json" <<'EOF'
import json, sys
res, probs = None, []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") in ("ping", "trace"):
        res = o
if res is None:
    print("no result")
    sys.exit(0)
if res["type"] == "ping":
    reps = res.get("responses", [])
    if len(reps) < 20:
        probs.append("%d replies, want 20" % len(reps))
    for r in reps:
        tx = r["tx"]["sec"] * 1000000 + r["tx"]["usec"]
        rx = r["rx"]["sec"] * 1000000 + r["rx"]["usec"]
        if rx <= tx:
            probs.append("probe %d: rx %d not after tx %d" %
                         (r["seq"], rx, tx))
        if not 0.001 <= r["rtt"] <= 50:
            probs.append("probe %d: rtt %.3f ms" % (r["seq"], r["rtt"]))
    print("%d replies, rtt %s ms" % (len(reps),
          " ".join("%.3f" % r["rtt"] for r in reps[:5])), end="")
else:
    hops = res.get("hops", [])
    if res.get("stop_reason") != "COMPLETED" or not hops or \
            hops[-1]["addr"] != res["dst"]:
        probs.append("did not reach %s (%s)" % (res["dst"],
                     res.get("stop_reason")))
    for h in hops:
        if not 0.001 <= h["rtt"] <= 50:
            probs.append("ttl %d: rtt %.3f ms" % (h["probe_ttl"], h["rtt"]))
    print("%d hops, rtt %s ms" % (len(hops),
          " ".join("%.3f" % h["rtt"] for h in hops)), end="")
for p in probs:
    print("; " + p, end="")
print()
sys.exit(0)
EOF
)
	stats=$(grep -o 'send times: .*' "$LAB_DIR/$name.log" | tail -1)
	k=$(sed -nE 's/.*kernel ([0-9]+), .*/\1/p' <<<"$stats")
	b=$(sed -nE 's/.*before-send ([0-9]+), .*/\1/p' <<<"$stats")
	d=$(sed -nE 's/.*datalink ([0-9]+) .*/\1/p' <<<"$stats")
	neg=$(sed -nE 's/.*negative RTTs ([0-9]+).*/\1/p' <<<"$stats")
	rd=$(sed -nE 's/.*error-queue reads ([0-9]+)\).*/\1/p' <<<"$stats")
	if [[ $out != *replies,* && $out != *hops,* ]] || [[ $out == *";"* ]]
	then
		bad "$name: $out $(head -c 300 "$LAB_DIR/$name.err")"
	else
		ok "$name: $out"
	fi
	if [ -z "$stats" ]; then
		bad "$name: no statistics in the debug log"
	elif [ "${k:-0}" -lt 1 ] || [ "${b:-1}" != 0 ] || [ "${neg:-1}" != 0 ] ||
	    [ "${rd:-0}" -lt 1 ] ||
	    { [ "$dl" = dl ] && [ "${d:-0}" -lt 1 ]; } ||
	    { [ "$dl" = - ] && [ "${d:-1}" != 0 ]; }; then
		bad "$name: $stats (want kernel send times read from the" \
		    "error queue, none before-send, datalink ones only with" \
		    "-O dl, no negative RTT)"
	else
		ok "$name: $stats"
	fi
}
for r in "${runs[@]}"; do
	name=${r%% *} rest=${r#* }
	check "$name" "${rest%%|*}"
done
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
