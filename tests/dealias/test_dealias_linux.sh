#!/usr/bin/env bash
# tests/dealias/test_dealias_linux.sh BUILD: alias resolution against
# Linux routers (real kernels, their IP-IDs as they are: per-destination
# counters for echo replies and errors).  vp - r1 - r2, r1 with two
# interface addresses, r2 with two and a loopback address.
#   ally (icmp-echo, udp, tcp-ack), five times each, never calls an
#     address of r1 and one of r2 aliases;
#   radargun over all five addresses, inferred by sc_radargun -d 1: no
#     pair across the two routers;
#   mercator calls no false alias, and finds the alias Linux gives:
#     Linux answers a UDP probe to an address of its own from that
#     address (IPv4 always; IPv6 for every configured address, on the
#     incoming interface or another), but an IPv6 address it takes by a
#     `local` route (AnyIP: r1's 2001:db8:77::/64 on lo) has no address
#     to be the source, so the port unreachable comes from the outgoing
#     interface's address (r1's 2001:db8:1::2): mercator must call the
#     two aliases, and find none for the other addresses (README,
#     "mercator and Linux").
# Needs root.
set -u
build=$(cd "${1:?usage: test_dealias_linux.sh BUILD}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export SCAMPER_HELPER_BIN=$build/privsep/scamper-helper
. "$here/../lab/lab.sh"
lab_require_root
lab_init dllinux || exit 1
lab_build - <<'EOT' || exit 1
node vp host
node r1 router
node r2 router
link vp r1 192.0.2.1/30 192.0.2.2/30 2001:db8:1::1/64 2001:db8:1::2/64
link r1 r2 198.51.100.1/30 198.51.100.2/30 2001:db8:2::1/64 2001:db8:2::2/64
addr r2 lo 203.0.113.1/32
route vp 198.51.100.0/24 via 192.0.2.2
route vp 203.0.113.0/24 via 192.0.2.2
route r2 192.0.2.0/24 via 198.51.100.1
route vp 2001:db8:2::/64 via 2001:db8:1::2
route vp 2001:db8:77::/64 via 2001:db8:1::2
route r2 2001:db8:1::/64 via 2001:db8:2::1
EOT
# r1 takes a whole IPv6 prefix as its own (AnyIP), with no address in it
lab_exec r1 ip -6 route add local 2001:db8:77::/64 dev lo ||
    { echo "FAIL: cannot add r1's local route"; exit 1; }
t=$LAB_DIR
fail=0 n=0
ok() { n=$((n + 1)); echo "ok: $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }
scamper=$build/prober/scamper
r1="192.0.2.2 198.51.100.1"
r2="198.51.100.2 203.0.113.1"
r1v6="2001:db8:1::2 2001:db8:2::1 2001:db8:77::5"
r2v6="2001:db8:2::2"
router() { case " $r1 $r1v6 " in *" $1 "*) echo r1 ;; *) echo r2 ;; esac; }

# the commands: ally across the routers, each method, five times
: >"$t/cmds"
for m in icmp-echo udp tcp-ack; do
	for a in $r1; do
		for b in $r2; do
			for i in 1 2 3 4 5; do
				echo "dealias -m ally -W 100 -p '-P $m' $a $b" \
				    >>"$t/cmds"
			done
		done
	done
done
echo "dealias -m radargun -q 10 -W 100 -p '-P icmp-echo' $r1 $r2" >>"$t/cmds"
for a in $r1 $r2 $r1v6 $r2v6; do
	echo "dealias -m mercator $a" >>"$t/cmds"
done
lab_exec vp "$scamper" -p 200 -w 8 -O warts -o "$t/out.warts" -O cmdfile \
    -f "$t/cmds" 2>"$t/err" || { bad "scamper failed: $(head -3 "$t/err")"; }
"$build/tools/warts/sc_warts2json" "$t/out.warts" >"$t/out.json"
python3 - "$t/out.json" "$r1" >"$t/verdicts" <<'EOT'
import json, sys
r1 = set(sys.argv[2].split())
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("type") != "dealias":
        continue
    m = d["method"]
    if m == "ally":
        a, b = d["probedefs"][0]["dst"], d["probedefs"][1]["dst"]
        print("ally %s %s %s %s" % (d["probedefs"][0]["method"], a, b,
                                    d["result"]))
    elif m == "mercator":
        a = d["probedefs"][0]["dst"]
        srcs = set(r["src"] for p in d["probes"] for r in p["replies"])
        print("mercator %s %s %s" % (a, d["result"], ",".join(sorted(srcs))))
EOT
k=$(grep -c '^ally ' "$t/verdicts")
[ "$k" = 60 ] && ok "60 ally results" || bad "$k ally results of 60"
k=$(awk '$1 == "ally" && $5 == "aliases"' "$t/verdicts" | wc -l)
[ "$k" = 0 ] && ok "ally: no alias across r1 and r2 ($(awk '$1 == "ally" { print $5 }' "$t/verdicts" | sort | uniq -c | tr -s ' ' | tr '\n' ';'))" ||
    bad "ally called r1 and r2 aliases $k times"
for m in icmp-echo udp tcp-ack; do
	awk -v m=$m '$1 == "ally" && $2 == m { print $5 }' "$t/verdicts" |
	    sort | uniq -c | tr -s ' ' | tr '\n' ' ' | sed "s/^/  ally $m: /"
	echo
done
"$build/tools/sc_radargun/sc_radargun" -d 1 "$t/out.warts" >"$t/rg.txt"
cross=0
while read -r a b; do
	[ "$(router "$a")" != "$(router "$b")" ] && cross=$((cross + 1))
done <"$t/rg.txt"
[ $cross = 0 ] && ok "radargun: no pair across r1 and r2 ($(wc -l <"$t/rg.txt") pairs within one router)" ||
    bad "radargun: $cross pairs across r1 and r2: $(tr '\n' ';' <"$t/rg.txt")"
bad_m=0
while read -r _ a res srcs; do
	[ "$res" = aliases ] || continue
	for s in ${srcs//,/ }; do
		[ "$s" = "$a" ] && continue
		[ "$(router "$s")" != "$(router "$a")" ] && bad_m=$((bad_m + 1))
	done
done < <(grep '^mercator ' "$t/verdicts")
[ $bad_m = 0 ] && ok "mercator: no false alias ($(grep '^mercator ' "$t/verdicts" | awk '{ print $3 }' | sort | uniq -c | tr -s ' ' | tr '\n' ';'))" ||
    bad "mercator: $bad_m false aliases"
k=$(awk '$1 == "mercator" && $2 == "2001:db8:77::5" { print $3, $4 }' \
    "$t/verdicts")
[ "$k" = "aliases 2001:db8:1::2" ] &&
    ok "mercator finds r1's alias 2001:db8:77::5 = 2001:db8:1::2 (AnyIP)" ||
    bad "mercator on r1's AnyIP address: '$k', not aliases with 2001:db8:1::2"
k=$(awk '$1 == "mercator" && $2 != "2001:db8:77::5" && $3 == "aliases"' \
    "$t/verdicts" | wc -l)
[ "$k" = 0 ] && ok "mercator: every configured address answers from itself" ||
    bad "mercator: $k configured addresses answered from another"

# every method and option the man page allows, odd values included: one
# result each, no abort (-W 20 keeps it short)
cat >"$t/odd" <<'EOT'
dealias -m mercator -q 1 -w 1 -d 1 -s 40000 -t 64 -U 7 192.0.2.2
dealias -m ally -W 20 -q 2 -f 0 -O nobs -w 1 192.0.2.2 198.51.100.1
dealias -m ally -W 20 -O inseq -p '-P udp-dport -d 53 -F 4000' 192.0.2.2 198.51.100.2
dealias -m ally -W 20 -p '-P tcp-ack-sport -d 80 -t 200 -i 198.51.100.2' -p '-P icmp-echo -c 4660 -s 100 -i 192.0.2.2'
dealias -m radargun -q 2 -W 20 -p '-P tcp-syn-sport -d 22' 192.0.2.2 198.51.100.1
dealias -m radargun -q 2 -W 20 -r 100 -O shuffle -p '-P icmp-echo' 192.0.2.2 198.51.100.1 198.51.100.2
dealias -m radargun -q 1 -W 20 -p '-P udp -i 192.0.2.2'
dealias -m prefixscan 192.0.2.2 198.51.100.2/30
dealias -m prefixscan -W 20 -q 1 -o 3 -f 500 -x 198.51.100.3 -p '-P tcp-ack' 192.0.2.2 198.51.100.2/29
dealias -m prefixscan -W 20 -O nobs -p '-P icmp-echo' 192.0.2.2 198.51.100.1/31
dealias -m bump -W 20 -q 1 -f 5 -p '-P icmp-echo' 192.0.2.2 198.51.100.1
dealias -m bump -W 20 -p '-P udp' 192.0.2.2 198.51.100.2
EOT
lab_exec vp "$scamper" -p 500 -O json -o "$t/odd.json" -O cmdfile \
    -f "$t/odd" 2>"$t/odd.err"
rc=$?
k=$(grep -c '"type":"dealias"' "$t/odd.json")
want=$(grep -c . "$t/odd")
if [ $rc = 0 ] && [ "$k" = "$want" ] &&
    ! grep -qiE 'assert|abort|sanitizer|runtime error' "$t/odd.err"; then
	ok "$want odd commands: one result each, exit 0"
else
	bad "odd commands: exit $rc, $k results of $want: $(head -3 "$t/odd.err")"
fi

echo "$n checks, $fail failed"
[ $fail = 0 ]
