#!/usr/bin/env bash
# test_lab_refused.sh SCAMPER HELPER SC_WARTSDUMP: measurements refused
# when they start are recorded, never lost.  From h1 of a two-host lab
# the targets 203.0.113.9 and 2001:db8:ff::9 have no route, so each
# technique's start fails at its route lookup (the core's refusal hook,
# method->refused).  Before, tracelb, tbit, sting and dealias dropped
# the task: logged with -I, and over the control socket in attach mode
# "OK id-N" and then nothing, leaving a driver waiting.  Checked:
#  - -I (JSON): the run exits 0, each refusal is logged with its
#    reason, and each measurement has its record from the unspecified
#    address: tracelb stopped with ERROR (errno 101, ENETUNREACH), tbit
#    sys-error, dealias none (the routed probedef keeps its source), a
#    ping with none sent (sting has no JSON record, as in 20211212);
#  - attach mode (warts, through the control socket): one "OK id-N"
#    per command, no ERR, and one record per command, sting included,
#    read back by sc_wartsdump;
#  - the reference: Debian's scamper answers each of these commands
#    "ERR command not accepted" at once (it looks the route up when the
#    command arrives; ours when the task starts: README, differences).
# Needs root; skipped otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.sh"
lab_args "scamper HELPER dump" "$@"
scamper=$(realpath "$scamper")
export SCAMPER_HELPER_BIN=$(realpath "$HELPER")
dump=$(realpath "$dump")
client=$here/../control/ctl_client.py
lab_require_root
lab_require_cmd python3 nft
lab_two_hosts -6 refused || exit 1
lab_checks
cmds=("tracelb 203.0.113.9" "tracelb -P icmp-echo 2001:db8:ff::9"
    "tbit -u http://192.0.2.2/ 203.0.113.9" "sting 203.0.113.9"
    "dealias -m mercator 203.0.113.9"
    "dealias -m ally 192.0.2.2 203.0.113.9" "ping -c 2 2001:db8:ff::9")
ncmds=${#cmds[@]}

# ---- -I, JSON ---------------------------------------------------------------
args=()
for c in "${cmds[@]}"; do args+=(-I "$c"); done
lab_exec h1 timeout 60 "$scamper" -F nft -O json "${args[@]}" \
    >"$tmp/i.json" 2>"$tmp/i.err"
rc=$?
[ $rc = 0 ] && ok "-I: exit 0 (every refusal recorded)" ||
    bad "-I: exit $rc: $(head -c 400 "$tmp/i.err")"
n=$(grep -c "no route to .*: Network is unreachable" "$tmp/i.err")
[ "$n" = "$ncmds" ] && ok "-I: each refusal logged with its reason" ||
    bad "-I: $n of $ncmds reasons logged: $(head -c 600 "$tmp/i.err")"
if python3 - "$tmp/i.json" <<'PY'; then
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])
        if not l.startswith('{"type":"cycle-')]
got = sorted((r["type"], r.get("method", "")) for r in recs)
want = sorted([("tracelb", "udp-dport"), ("tracelb", "icmp-echo"),
               ("tbit", ""), ("dealias", "mercator"), ("dealias", "ally"),
               ("ping", "icmp-echo")])
assert got == want, got
for r in recs:
    t = r["type"]
    if t == "tracelb":
        assert r["src"] in ("0.0.0.0", "::") and r["probec"] == 0, r
        assert r["stop_reason"] == "ERROR" and r["stop_data"] == 101, r
    elif t == "tbit":
        assert r["src"] == "0.0.0.0" and r["result"] == "sys-error", r
        assert r["pkts"] == [], r
    elif t == "dealias":
        assert r["result"] == "none" and r["probes"] == [], r
        srcs = {d["dst"]: d["src"] for d in r["probedefs"]}
        assert srcs["203.0.113.9"] == "0.0.0.0", r
        assert srcs.get("192.0.2.2", "192.0.2.1") == "192.0.2.1", r
    else:
        assert r["src"] == "::" and r["ping_sent"] == 0, r
PY
	ok "-I: each measurement has its record, from the unspecified address"
else
	bad "-I records: $(head -c 1500 "$tmp/i.json")"
fi

# ---- attach mode, warts, through the control socket -------------------------
# start SCAMPER_BIN ARGS...: a control socket on h1; echo its port
start() {
	local port=$((20000 + RANDOM % 20000)) i
	lab_bg h1 "$@" -P "$port" >/dev/null
	for i in $(seq 50); do
		lab_exec h1 python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
		sleep 0.2
	done
	echo "$port"
}
# attach PORT OUT REPLY: the commands in one attach session, each sent
# once the last one's REPLY came (as a driver does: 20211212 drops lines
# that come before it answered), the transcript to OUT
attach() {
	local c
	{
		printf 'attach\n#wait MORE\n'
		for c in "${cmds[@]}"; do printf '%s\n#wait %s\n' "$c" "$3"; done
		echo done
	} | lab_exec h1 timeout 90 python3 "$client" "127.0.0.1:$1" \
	    transcript >"$2" 2>&1
}

attach "$(start "$scamper" -F nft)" "$tmp/a.tr" OK
nok=$(grep -c '^OK id-' "$tmp/a.tr")
nerr=$(grep -c '^ERR' "$tmp/a.tr")
[ "$nok" = "$ncmds" ] && [ "$nerr" = 0 ] &&
    ok "attach: OK id-N for each command, no ERR" ||
    bad "attach: $nok OK id-N, $nerr ERR: $(grep -v '^[ -~]\{40,\}$' "$tmp/a.tr" | head -c 800)"
python3 "$client" - decode <"$tmp/a.tr" >"$tmp/a.warts"
"$dump" "$tmp/a.warts" >"$tmp/a.dump" 2>&1
if python3 - "$tmp/a.dump" <<'PY'; then
import sys
recs, cur = [], None
for l in open(sys.argv[1]):
    if l.startswith(("list ", "cycle ")) or not l.strip():
        cur = None
    elif not l.startswith(" "):
        cur = [l.strip()]
        recs.append(cur)
    elif cur is not None:
        cur.append(l.strip())
heads = sorted(r[0] for r in recs)
want = sorted(["tracelb from 0.0.0.0 to 203.0.113.9",
               "tracelb from :: to 2001:db8:ff::9",
               "tbit from 0.0.0.0 to 203.0.113.9",
               "sting from 0.0.0.0 to 203.0.113.9",
               "dealias from 0.0.0.0 to 203.0.113.9",	# mercator
               "dealias", "ping from :: to 2001:db8:ff::9"])
assert heads == want, heads
for r in recs:
    body = "\n".join(r)
    if r[0].startswith("tbit"):
        assert "result: sys-error" in body, body
    elif r[0].startswith("sting"):
        assert "result: none" in body, body
    elif r[0].startswith("dealias"):
        assert "result: none" in body and "src: 0.0.0.0" in body, body
    elif r[0].startswith("tracelb"):
        assert "probec: 0," in body, body
    else:
        assert "probes-sent: 0" in body, body
PY
	ok "attach: a record for each command (sting too), from the unspecified address"
else
	bad "attach records: $(head -c 1500 "$tmp/a.dump")"
fi

# ---- trace refused after its route: -r names a router of ours ----------------
# (the refusal comes from the datalink request, after the route gave the
# source: the record has it; errno EINVAL, no system call's)
lab_exec h1 timeout 30 "$scamper" -O json -I "trace -r 192.0.2.1 192.0.2.2" \
    >"$tmp/r.json" 2>"$tmp/r.err"
rc=$?
if [ $rc = 0 ] && grep -q "router 192.0.2.1 is an address of this host" \
    "$tmp/r.err" && python3 - "$tmp/r.json" <<'PY'; then
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])
        if json.loads(l)["type"] == "trace"]
assert len(recs) == 1, recs
r = recs[0]
assert r["src"] == "192.0.2.1" and r["dst"] == "192.0.2.2", r
assert r["stop_reason"] == "ERROR" and r["stop_data"] == 22, r
assert r["probe_count"] == 0, r
PY
	ok "trace -r with a router of ours: refused, logged, recorded (ERROR, EINVAL)"
else
	bad "trace -r refused: exit $rc: $(head -c 400 "$tmp/r.err") $(head -c 800 "$tmp/r.json")"
fi

# ---- the reference ------------------------------------------------------------
if [ -x /usr/bin/scamper ]; then
	attach "$(start /usr/bin/scamper)" "$tmp/r.tr" ERR
	n=$(grep -c '^ERR command not accepted' "$tmp/r.tr")
	[ "$n" = "$ncmds" ] && ! grep -q '^OK id-' "$tmp/r.tr" &&
	    ok "reference: Debian's scamper refuses each at once (ERR command not accepted)" ||
	    bad "reference: $n ERR: $(head -c 600 "$tmp/r.tr")"
else
	echo "note: Debian's scamper not installed: the reference is not checked"
fi
lab_checks_end
