#!/usr/bin/env bash
# test_neighbourdisc.sh SCAMPER HELPER SC_WARTSDUMP: neighbourdisc on a
# LAN of Linux hosts (tests/net/lan.sh), IPv4 (ARP) and IPv6 (NS):
#  - each neighbour's MAC found as `ip neigh` sees it;
#  - an absent address: no answer within its attempts, each attempt on
#    the wire;
#  - two hosts answering for one address: -F stops at the first reply,
#    the default waits and records both, -Q sends every attempt, -o
#    stops once that many replies came (with or without -Q); what is
#    sent (ARP requests / NS counted by tcpdump) matches the record;
#  - Debian's sc_wartsdump and sc_warts2json read our records as ours;
#  - refusals name the problem (unknown or non-Ethernet interface, -F
#    with -Q, -o against -F/-Q, -w, no -i).
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lan.sh"
lab_args "scamper SCAMPER_HELPER_BIN dump" "$@"
lan_start nd

ours() { lab_exec h1 timeout 60 "$scamper" "$@"; }

H1=$(lan_mac h1) N1=$(lan_mac n1) N2=$(lan_mac n2) N3=$(lan_mac n3)

# summary FILE: one line per record of sc_wartsdump's output:
# "TARGET flags=F probes=P replies=R1,R2,... result=MAC|- macs=M1,M2..."
summary() {
	python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
for rec in text.split("neighbourdisc\n")[1:]:
    m = re.search(r"who-has (\S+) tell (\S+)", rec)
    res = re.search(r"result: (\S+) is-at", rec)
    fl = re.search(r"flags: (0x[0-9a-f]+)", rec)
    probes = re.split(r" probe: \d+, tx: ", rec)[1:]
    reps = [len(re.findall(r"reply: \d+,", p)) for p in probes]
    macs = sorted(set(re.findall(r"reply: \d+, rtt: \S+, mac: (\S+)", rec)))
    print("%s flags=%s probes=%d replies=%s result=%s macs=%s" % (
        m.group(1), fl.group(1), len(probes),
        ",".join(map(str, reps)) or "-", res.group(1) if res else "-",
        ",".join(macs) or "-"))
EOF
}

# requests CAP TARGET: ARP requests / NS for TARGET from h1 in CAP.
requests() {
	local hex f
	if [ "${2#*:}" = "$2" ]; then
		hex=$(printf '0x%02x%02x%02x%02x' ${2//./ })
		f="arp[6:2] == 1 and arp[24:4] == $hex"
	else
		f="icmp6 and icmp6[0] == 135 and icmp6[20:2] == 0 and \
icmp6[22:2] == 0x$(printf '%04x' $((16#${2##*::})))"
	fi
	tcpdump -n -r "$1" "ether src $H1 and $f" 2>/dev/null | wc -l
}

# ---- one run: every case at once, sharing one datalink -----------------

for fam in 4 6; do
	if [ $fam = 4 ]; then p=192.0.2.; else p=2001:db8:10::; fi
	# the kernel's view of the neighbours, to compare with
	for a in 2 3 4; do
		lab_exec h1 ping -$fam -c 1 -W 2 $p$a >/dev/null 2>&1
	done
	cap=$(cap_start "$tmp/cap$fam") || { bad "IPv$fam: tcpdump"; continue; }
	ours -O warts -o "$tmp/nd$fam.warts" \
	    -I "neighbourdisc -i lan0 ${p}2" \
	    -I "neighbourdisc -i lan0 ${p}3" \
	    -I "neighbourdisc -i lan0 -q 3 -w 400 ${p}4" \
	    -I "neighbourdisc -i lan0 -q 3 -w 400 ${p}99" \
	    -I "neighbourdisc -i lan0 -F -q 3 ${p}50" \
	    -I "neighbourdisc -i lan0 -w 300 ${p}51" \
	    -I "neighbourdisc -i lan0 -Q -q 3 -w 400 ${p}52" \
	    -I "neighbourdisc -i lan0 -Q -q 4 -o 4 -w 400 ${p}53" \
	    -I "neighbourdisc -i lan0 -q 3 -o 3 -w 400 ${p}54" \
	    >"$tmp/out$fam" 2>&1 || bad "IPv$fam: scamper: $(cat "$tmp/out$fam")"
	cap_stop "$cap"
	"$dump" "$tmp/nd$fam.warts" >"$tmp/dump$fam" 2>&1 ||
	    bad "IPv$fam: our sc_wartsdump: $(cat "$tmp/dump$fam")"
	summary "$tmp/dump$fam" >"$tmp/sum$fam"
	echo "--- IPv$fam records:"; cat "$tmp/sum$fam"
	got() { grep "^$1 " "$tmp/sum$fam"; }

	# each neighbour as the kernel has it
	for a in 2 3 4; do
		k=$(lab_exec h1 ip -$fam neigh show $p$a dev lan0 |
		    awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
		w=$(got $p$a)
		[ -n "$k" ] && echo "$w" | grep -q "result=$k " &&
		    ok "IPv$fam: $p$a is-at $k, as ip neigh has it" ||
		    bad "IPv$fam $p$a: ip neigh '$k', ours: $w"
	done
	case "$(got ${p}2)" in
	*"flags=0x00 probes=1 replies=1 "*) ok "IPv$fam: one probe, one reply, by default" ;;
	*) bad "IPv$fam default: $(got ${p}2)" ;;
	esac
	case "$(got ${p}4)" in
	*"probes=1 replies=1 "*) ok "IPv$fam: -q 3 stops after the probe that was answered" ;;
	*) bad "IPv$fam -q 3: $(got ${p}4)" ;;
	esac
	# absent: every attempt, no answer
	case "$(got ${p}99)" in
	*"probes=3 replies=0,0,0 result=- "*) ok "IPv$fam: ${p}99 absent: 3 attempts, no answer" ;;
	*) bad "IPv$fam absent: $(got ${p}99)" ;;
	esac
	# two answers for one address
	dup="macs=$(printf '%s\n' "$N2" "$N3" | sort | paste -sd,)"
	case "$(got ${p}50)" in
	*"flags=0x02 probes=1 replies=1 result="*) ok "IPv$fam: -F stops at the first of two replies" ;;
	*) bad "IPv$fam -F: $(got ${p}50)" ;;
	esac
	case "$(got ${p}51)" in
	*"flags=0x00 probes=1 replies=2 "*"$dup") ok "IPv$fam: without -F the wait brings both replies" ;;
	*) bad "IPv$fam two replies: $(got ${p}51) (want $dup)" ;;
	esac
	case "$(got ${p}52)" in
	*"flags=0x01 probes=3 replies=2,2,2 "*"$dup") ok "IPv$fam: -Q sends every attempt" ;;
	*) bad "IPv$fam -Q: $(got ${p}52)" ;;
	esac
	case "$(got ${p}53)" in
	*"flags=0x01 probes=2 replies=2,2 "*) ok "IPv$fam: -Q -q 4 -o 4 stops after 4 replies (2 probes)" ;;
	*) bad "IPv$fam -Q -o 4: $(got ${p}53)" ;;
	esac
	case "$(got ${p}54)" in
	*"flags=0x00 probes=2 replies=2,2 "*) ok "IPv$fam: -o 3 probes until 3 replies came" ;;
	*) bad "IPv$fam -o 3: $(got ${p}54)" ;;
	esac
	# the wire holds what the records say
	for t in 2 99 50 52 53 54; do
		want=$(got $p$t | sed 's/.*probes=\([0-9]*\).*/\1/')
		have=$(requests "$tmp/cap$fam" $p$t)
		[ "$want" = "$have" ] &&
		    ok "IPv$fam $p$t: $have request(s) on the wire, as recorded" ||
		    bad "IPv$fam $p$t: $have on the wire, $want recorded"
	done
	# Debian's tools read our records as ours do
	if command -v sc_wartsdump >/dev/null 2>&1; then
		# (20211212's dump numbers each reply with its probe's number;
		# ours counts the replies of a probe from 0)
		sc_wartsdump "$tmp/nd$fam.warts" >"$tmp/ddump$fam" 2>&1
		diff <(sed 's/^  reply: [0-9]*,/  reply: N,/' "$tmp/dump$fam") \
		    <(sed 's/^  reply: [0-9]*,/  reply: N,/' "$tmp/ddump$fam") \
		    >"$tmp/diff" &&
		    ok "IPv$fam: Debian's sc_wartsdump prints our records as ours" ||
		    bad "IPv$fam: sc_wartsdump differs: $(head -20 "$tmp/diff")"
		sc_warts2json "$tmp/nd$fam.warts" >"$tmp/dj$fam" 2>&1 &&
		    ! grep -q neighbourdisc "$tmp/dj$fam" &&
		    ok "IPv$fam: Debian's sc_warts2json reads them (and prints no neighbourdisc, as for its own)" ||
		    bad "IPv$fam: sc_warts2json: $(cat "$tmp/dj$fam")"
	fi
done

# ---- text and JSON: nothing, as 20211212 -------------------------------
ours -O json -I "neighbourdisc -i lan0 192.0.2.2" >"$tmp/j" 2>&1
grep -q '"cycle-start"' "$tmp/j" && ! grep -q neighbourdisc "$tmp/j" &&
    ok "-O json: no neighbourdisc object (20211212 has none)" ||
    bad "-O json: $(cat "$tmp/j")"

# ---- refusals ---------------------------------------------------------------
expect_err() {	# expect_err PATTERN COMMAND
	ours -O warts -o /dev/null -I "$2" >"$tmp/e" 2>&1
	grep -q -- "$1" "$tmp/e" && ok "'$2': $1" ||
	    bad "'$2': wanted '$1', got: $(cat "$tmp/e")"
}
expect_err '-i nope0: no such interface' 'neighbourdisc -i nope0 192.0.2.2'
expect_err '-i lo: not an Ethernet' 'neighbourdisc -i lo 192.0.2.2'
expect_err '-i: the interface is required' 'neighbourdisc 192.0.2.2'
expect_err '-F and -Q cannot be combined' 'neighbourdisc -i lan0 -F -Q 192.0.2.2'
expect_err '-o 2: -F stops at the first reply' 'neighbourdisc -i lan0 -F -o 2 192.0.2.2'
expect_err '-o 2: with -Q it must be 0 or at least -q 3' 'neighbourdisc -i lan0 -Q -q 3 -o 2 192.0.2.2'
expect_err "-w: invalid value '99' (expected 100 to 65535)" 'neighbourdisc -i lan0 -w 99 192.0.2.2'
expect_err "'x' is not an IPv4 or IPv6 address" 'neighbourdisc -i lan0 x'
expect_err 'expected one target address, got 2' 'neighbourdisc -i lan0 192.0.2.2 192.0.2.3'

lab_checks_end
