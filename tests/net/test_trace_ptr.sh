#!/usr/bin/env bash
# test_trace_ptr.sh SCAMPER HELPER OURJSON: trace -O ptr against Debian's
# scamper 20211212 in the basic lab, with a small DNS server (python3) on
# a documentation address inside h1, named by h1's own resolv.conf
# (/etc/netns/NS/resolv.conf, removed at teardown): our text, JSON and
# warts equal Debian's (RTTs masked) with the names; unresolvable hops
# have none; a silent server still lets the trace be written (after the
# timeout and one retry); replies with a wrong ID or garbage are ignored;
# an IPv6 nameserver; each address asked once per process; no nameserver
# refuses -O ptr.  Needs root; skipped otherwise.
#
# Where we differ on purpose: Debian's 20211212 waits for its lookups but
# loses every name that arrives after the last probe's reply (the
# target's own name, always; all of them if the server is slow); ours
# records them.  The comparisons leave the target's name out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
# ourjson: our sc_warts2json
lab_args "scamper SCAMPER_HELPER_BIN ourjson" "$@"
. "$here/../lab/basic.sh"
lab_require_root
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
command -v scamper >/dev/null && command -v sc_wartsdump >/dev/null ||
    { echo "SKIP: Debian's scamper package is not installed"; exit 77; }
lab_basic tptr || exit 1

lab_checks

# h1's own resolver configuration
resolv() { lab_resolv h1 "$1"; }
resolv 'nameserver 198.51.100.53\n' || exit 1
lab_addr h1 lo 198.51.100.53/32 || exit 1
lab_addr h1 lo 2001:db8:53::53/128 || exit 1

# the DNS server: PTR names from a table, NXDOMAIN otherwise; the mode
# file says how to answer (normal, silent, badid: a wrong-ID answer
# first, garbage: a truncated answer and a 1-byte datagram first, delay:
# each answer a second late); every
# query is logged as "ADDR ID QNAME"
cat >"$tmp/dnsd.py" <<'PY'
import ipaddress, socket, struct, sys, threading
addr, table, logf, modef = sys.argv[1:5]
# the table maps addresses to names; queries name the reverse pointer
names = {ipaddress.ip_address(a).reverse_pointer: n
         for a, n in (l.split() for l in open(table) if l.strip())}
fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((addr, 53))
log = open(logf, 'a', buffering=1)
def enc(n):
    return b''.join(bytes([len(l)]) + l.encode() for l in n.split('.')) + b'\0'
while True:
    q, peer = s.recvfrom(4096)
    try:
        qid = struct.unpack('!H', q[:2])[0]
        off, labels = 12, []
        while q[off]:
            labels.append(q[off + 1:off + 1 + q[off]].decode()); off += 1 + q[off]
        question, name = q[12:off + 5], '.'.join(labels)
    except Exception:
        log.write('bad\n'); continue
    log.write('%s %d %s\n' % (addr, qid, name))
    mode = open(modef).read().strip()
    if mode == 'silent':
        continue
    ans = names.get(name)
    if ans is None:
        r = struct.pack('!6H', qid, 0x8183, 1, 0, 0, 0) + question
    else:
        rd = enc(ans)
        r = struct.pack('!6H', qid, 0x8180, 1, 1, 0, 0) + question + \
            b'\xc0\x0c' + struct.pack('!HHIH', 12, 1, 3600, len(rd)) + rd
    if mode == 'badid':
        s.sendto(struct.pack('!H', qid ^ 0x5555) + r[2:], peer)
    elif mode == 'garbage':
        s.sendto(r[:-3], peer)
        s.sendto(b'\xff', peer)
    if mode == 'delay':
        threading.Timer(1.0, s.sendto, (r, peer)).start()
    else:
        s.sendto(r, peer)
PY
cat >"$tmp/table" <<'T'
192.0.2.2 r1.lab.example
192.0.2.6 r2.lab.example
192.0.2.10 r3a.lab.example
192.0.2.14 r3b.lab.example
192.0.2.26 r5.lab.example
2001:db8:1::2 r1.lab.example
2001:db8:7::2 r5.lab.example
2001:db8:ff::1 h2.lab.example
T
echo normal >"$tmp/mode"
: >"$tmp/dnslog"
lab_bg h1 python3 "$tmp/dnsd.py" 198.51.100.53 "$tmp/table" "$tmp/dnslog" "$tmp/mode" >/dev/null
lab_bg h1 python3 "$tmp/dnsd.py" 2001:db8:53::53 "$tmp/table" "$tmp/dnslog" "$tmp/mode" >/dev/null
for i in $(seq 50); do
	lab_exec h1 ss -lun 2>/dev/null | grep -q '198.51.100.53:53' &&
	    lab_exec h1 ss -lun 2>/dev/null | grep -q '2001:db8:53::53\]:53' && break
	sleep 0.1
done

ours() { basic_prober ours && lab_exec h1 timeout 60 "$scamper" "$@"; }
theirs() { basic_prober theirs && lab_exec h1 timeout 60 scamper "$@"; }
# (which branch of the ECMP pair answered is hidden: tests/lab/basic.sh)
mask() { sed -E 's/[0-9]+\.[0-9]{3} ms/X ms/g' | basic_mask; }
# JSON without what differs between runs (times, IP IDs) and the
# target's name (see above)
jnorm() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    for k in ("start", "start_time", "stop_time", "sport", "icmp_sum"):
        o.pop(k, None)
    for h in o.get("hops", []):
        for k in ("tx", "rtt", "reply_ipid"):
            h.pop(k, None)
        if h["addr"] == o["dst"]:
            h.pop("name", None)
    print(json.dumps(o, sort_keys=True))
' | basic_mask
}
# sc_wartsdump without times, IP IDs, checksums and the name of target $1
dnorm() {
	sed -E "s/^(hop +[0-9]+  $1) name .*/\\1/" |
	sed -E 's/time .*/time X/; s/^ start: .*/ start: X/;
	    s/csum: 0x[0-9a-f]+/csum: X/; s/tx: [0-9.]+s, rtt: [0-9.]+s/tx: X, rtt: X/;
	    s/reply-ipid: 0x[0-9a-f]+/reply-ipid: X/' | basic_mask
}
# the names in JSON lines: "ADDR=NAME" per hop, "ADDR=" without one
names() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "trace":
        print(" ".join("%s=%s" % (h["addr"], h.get("name", "")) for h in o["hops"]))
'
}
queries() { wc -l <"$tmp/dnslog"; }

v4names="192.0.2.2=r1.lab.example 192.0.2.6=r2.lab.example"
for dst in 203.0.113.1 2001:db8:ff::1; do
	cmd="trace -O ptr -P icmp-paris -q 1 -s 40123 $dst"
	ours -I "$cmd" >"$tmp/ours" 2>&1
	theirs -I "$cmd" >"$tmp/theirs" 2>&1
	fam=4
	[ $dst = 2001:db8:ff::1 ] && fam=6
	basic_path_ok $fam "$tmp/ours" && basic_path_ok $fam "$tmp/theirs" &&
	    diff <(mask <"$tmp/ours") <(mask <"$tmp/theirs") >"$tmp/diff" &&
	    ok "$cmd: our text is Debian's (which shows no names)" ||
	    bad "text, $cmd: $(cat "$tmp/ours" "$tmp/diff")"

	: >"$tmp/dnslog"
	ours -O json -I "$cmd" >"$tmp/oj" 2>&1
	ourq=$(queries)
	theirs -O json -I "$cmd" >"$tmp/tj" 2>&1
	names <"$tmp/oj" >"$tmp/on"
	if [ $dst = 203.0.113.1 ]; then
		want="^192.0.2.2=r1.lab.example 192.0.2.6=r2.lab.example 192.0.2.1[04]=r3[ab].lab.example 192.0.2.(18|22)= 192.0.2.26=r5.lab.example 203.0.113.1=$"
	else
		want="^2001:db8:1::2=r1.lab.example 2001:db8:2::2= 2001:db8:[34]::2= 2001:db8:[56]::2= 2001:db8:7::2=r5.lab.example 2001:db8:ff::1=h2.lab.example$"
	fi
	grep -Eq "$want" "$tmp/on" &&
	    ok "$cmd: names where the table has one, none elsewhere" ||
	    bad "names, $cmd: $(cat "$tmp/on" "$tmp/oj")"
	[ "$ourq" = 6 ] && ok "$cmd: one query per hop address" ||
	    bad "queries, $cmd: $ourq: $(cat "$tmp/dnslog")"
	jnorm <"$tmp/oj" >"$tmp/ojn" 2>&1
	jnorm <"$tmp/tj" >"$tmp/tjn" 2>&1
	[ -s "$tmp/ojn" ] && diff "$tmp/ojn" "$tmp/tjn" >"$tmp/diff" &&
	    ok "$cmd: our JSON is Debian's, names included" ||
	    bad "JSON, $cmd: $(cat "$tmp/diff")"

	ours -O warts -o "$tmp/o.warts" -I "$cmd" >/dev/null 2>&1
	theirs -O warts -o "$tmp/t.warts" -I "$cmd" >/dev/null 2>&1
	sc_wartsdump "$tmp/o.warts" 2>&1 | dnorm $dst >"$tmp/od"
	sc_wartsdump "$tmp/t.warts" 2>&1 | dnorm $dst >"$tmp/td"
	grep -q '^ flags: 0x120 ( icmp-csum-dport ptr )$' "$tmp/od" &&
	    grep -q ' name r1.lab.example$' "$tmp/od" &&
	    diff "$tmp/od" "$tmp/td" >"$tmp/diff" &&
	    ok "$cmd: our warts dumps as Debian's (flag ptr, hop names)" ||
	    bad "warts, $cmd: $(cat "$tmp/diff")"
	sc_warts2json "$tmp/o.warts" >"$tmp/dj" 2>&1
	"$ourjson" "$tmp/o.warts" >"$tmp/oj2" 2>&1
	[ -s "$tmp/dj" ] && diff "$tmp/dj" "$tmp/oj2" >"$tmp/diff" &&
	    grep -q '"name":"r1.lab.example"' "$tmp/oj2" &&
	    ok "$cmd: Debian's and our sc_warts2json agree on our warts" ||
	    bad "warts2json, $cmd: $(cat "$tmp/diff")"
done

# one process, the same target twice: each address is asked once (the
# cache; Debian asks again for every trace)
printf '203.0.113.1\n203.0.113.1\n' >"$tmp/list2"
: >"$tmp/dnslog"
ours -O json -c "trace -O ptr -P icmp-paris -q 1" "$tmp/list2" >"$tmp/oj" 2>&1
[ "$(names <"$tmp/oj" | grep -c 'r1.lab.example')" = 2 ] &&
    [ "$(queries)" = 6 ] &&
    ok "two traces of one target: both have names, each address asked once" ||
    bad "cache: $(queries) queries: $(cat "$tmp/oj")"

# ten traces at once (5 per family): lookups of one address in flight
# are shared, so the server hears one query per distinct hop address
for i in 1 2 3 4 5; do echo 203.0.113.1; echo 2001:db8:ff::1; done >"$tmp/list10"
: >"$tmp/dnslog"
ours -O json -w 10 -c "trace -O ptr -P icmp-paris -q 1" "$tmp/list10" >"$tmp/oj" 2>&1
distinct=$(python3 -c '
import json, sys
a = set()
for l in open(sys.argv[1]):
    o = json.loads(l)
    a.update(h["addr"] for h in o.get("hops", []))
print(len(a))
' "$tmp/oj")
[ "$(names <"$tmp/oj" | grep -c 'r1.lab.example .*r5.lab.example')" = 10 ] &&
    [ "$(queries)" = "$distinct" ] &&
    ok "ten concurrent traces: all named, one query per distinct address ($distinct)" ||
    bad "concurrent: $(queries) queries for $distinct addresses: $(names <"$tmp/oj")"

# over the control socket (the prober has dropped privilege and may be
# sandboxed and chrooted: the nameservers were read before), driven by
# Debian's sc_attach
echo "trace -O ptr -P icmp-paris -q 1 203.0.113.1" >"$tmp/cmds"
if lab_exec h1 "$scamper" -D -e "$tmp/ctl.pid" -P 31338; then
	for i in $(seq 50); do [ -s "$tmp/ctl.pid" ] && break; sleep 0.1; done
	lab_atexit "kill $(cat "$tmp/ctl.pid") 2>/dev/null"
	lab_exec h1 timeout 60 sc_attach -p 31338 -i "$tmp/cmds" -o "$tmp/att.warts" >/dev/null 2>&1
	kill "$(cat "$tmp/ctl.pid")" 2>/dev/null
fi
sc_warts2json "$tmp/att.warts" 2>&1 | names >"$tmp/on"
grep -q "^$v4names " "$tmp/on" &&
    ok "over the control socket, after the privilege drop, names are looked up" ||
    bad "control socket: $(cat "$tmp/on")"

# a reply with a wrong ID, or a malformed one with the right ID: ignored,
# the good reply that follows is used
for mode in badid garbage; do
	echo $mode >"$tmp/mode"
	cmd="trace -O ptr -P icmp-paris -q 1 -s 40123 203.0.113.1"
	ours -O json -I "$cmd" 2>&1 | names >"$tmp/on"
	grep -q "^$v4names " "$tmp/on" &&
	    ok "$mode replies are dropped and the right answer is used" ||
	    bad "$mode: $(cat "$tmp/on")"
done

# a slow nameserver (answers a second late, after the trace's last
# reply): the trace waits and every name is recorded
echo delay >"$tmp/mode"
ours -O json -I "trace -O ptr -P icmp-paris -q 1 2001:db8:ff::1" 2>&1 | names >"$tmp/on"
grep -Eq '^2001:db8:1::2=r1.lab.example .*2001:db8:7::2=r5.lab.example 2001:db8:ff::1=h2.lab.example$' "$tmp/on" &&
    ok "slow nameserver: the trace waits for its names, the target's included" ||
    bad "slow nameserver: $(cat "$tmp/on")"

# a nameserver that does not answer: the query and one retry, then the
# trace is written without names, as Debian's is
echo silent >"$tmp/mode"
cmd="trace -O ptr -P icmp-paris -q 1 -s 40123 203.0.113.1"
: >"$tmp/dnslog"
ours -O json -I "$cmd" >"$tmp/oj" 2>&1
ourq=$(queries)
theirs -O json -I "$cmd" >"$tmp/tj" 2>&1
names <"$tmp/oj" >"$tmp/on"
grep -Eq '^192.0.2.2= 192.0.2.6= .* 203.0.113.1=$' "$tmp/on" &&
    [ "$ourq" = 12 ] &&
    diff <(jnorm <"$tmp/oj") <(jnorm <"$tmp/tj") >"$tmp/diff" &&
    ok "silent nameserver: asked twice per address, the trace written without names as Debian's" ||
    bad "silent: $ourq queries: $(cat "$tmp/on" "$tmp/diff")"
echo normal >"$tmp/mode"

# an IPv6 nameserver
resolv 'nameserver 2001:db8:53::53\n'
ours -O json -I "trace -O ptr -P icmp-paris -q 1 203.0.113.1" 2>&1 | names >"$tmp/on"
grep -q "^$v4names " "$tmp/on" && grep -q '^2001:db8:53::53 ' "$tmp/dnslog" &&
    ok "an IPv6 nameserver is used" || bad "IPv6 nameserver: $(cat "$tmp/on")"

# no nameserver: -O ptr is refused (Debian's exits at start-up with
# "etc_resolv: no nameserver in /etc/resolv.conf", whatever it is asked)
resolv 'search lab.example\n'
ours -I "trace -O ptr 203.0.113.1" >"$tmp/o" 2>&1
grep -q -- '-O ptr: no nameserver in /etc/resolv.conf' "$tmp/o" &&
    ok "no nameserver: -O ptr is refused with the reason" ||
    bad "no nameserver: $(cat "$tmp/o")"
ours -I "trace -P icmp-paris -q 1 203.0.113.1" >"$tmp/o" 2>&1
grep -q '^ 6  203.0.113.1 ' "$tmp/o" &&
    ok "no nameserver: a trace without -O ptr runs" ||
    bad "no nameserver, no -O ptr: $(cat "$tmp/o")"

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
