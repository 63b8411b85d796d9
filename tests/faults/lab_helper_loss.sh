#!/usr/bin/env bash
# lab_helper_loss.sh SCAMPER HELPER TOOLSDIR SRCDIR: kill -9 of
# scamper-helper in the middle of a run of traces and pings (scamper
# started as root, the helper its child).  scamper must exit non-zero and
# say what was lost; every result written before is intact and parseable
# (Debian's sc_warts2json and sc_wartsdump, ours, python's json); the
# measurements in flight are written with stop reason error (EPIPE); and
# the rest is accounted for: every command before the line the message
# names has a result, none after it.  Once with -O warts, once -O json.
set -u
scamper=$1 helper=$2 tools=$3 src=$4
. "$src/tests/lab/lab.sh"
lab_require_root
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
lab_init hloss >/dev/null
lab_node a host >/dev/null
lab_node r router >/dev/null
lab_node t host >/dev/null
lab_link a r 192.0.2.1/24 192.0.2.2/24 >/dev/null
lab_link r t 203.0.113.1/24 203.0.113.2/24 >/dev/null
lab_route a default via 192.0.2.2 >/dev/null
lab_route r 198.18.0.0/24 via 203.0.113.2 >/dev/null
lab_route t default via 203.0.113.1 >/dev/null
# t answers for all of 198.18.0.0/24; r drops 198.51.100.0/24 silently
lab_exec t ip route add local 198.18.0.0/24 dev lo || exit 1
lab_exec r ip route add blackhole 198.51.100.0/24 || exit 1

fails=0 n=0
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
ok() { n=$((n + 1)); echo "ok: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

TMP=$LAB_DIR/w
mkdir -m 755 "$TMP" "$TMP/empty"
# 60 pairs: a trace that completes at once, a ping that takes 3 s
for i in $(seq 1 60); do
	echo "trace -q 1 -w 1 198.18.0.$i"
	echo "ping -c 3 -i 1 198.51.100.$i"
done >"$TMP/cmds"
total=$(wc -l <"$TMP/cmds")

# r counts the ping probes it drops (warts output is not flushed before
# the end, so progress is read here): 3 per ping, 10 pings at a time, so
# 45 means the first 10 pings have finished and the next ones are out
lab_exec r nft -f - <<'NFT' || exit 1
table inet hloss {
	chain probes {
		type filter hook prerouting priority -300;
		ip daddr 198.51.100.0/24 counter
	}
}
NFT
probes() {
	lab_exec r nft list chain inet hloss probes |
	    sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

# run FMT: a run whose helper is killed after 10 pings have finished
run() {
	local fmt=$1 out=$TMP/out.$1 err=$TMP/err.$1 pid hp rc base
	lab_exec a env SCAMPER_HELPER_BIN="$helper" \
	    SCAMPER_CHROOT="$TMP/empty" "$scamper" -p 100 -w 10 -O cmdfile \
	    -O "$fmt" -o "$out" -f "$TMP/cmds" 2>"$err" &
	pid=$!
	base=$(probes)
	for _ in $(seq 1200); do
		[ $(($(probes) - base)) -ge 45 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	# scamper (as root) started the helper as its child
	hp=$(pgrep -P "$(pgrep -P "$pid" -x scamper || echo "$pid")" \
	    -f scamper-helper | head -1)
	[ -n "$hp" ] || hp=$(pgrep -P "$pid" -f scamper-helper | head -1)
	if [ -z "$hp" ]; then
		fail "$fmt: no helper process to kill"
		wait "$pid"
		return 1
	fi
	kill -9 "$hp"
	wait "$pid"
	rc=$?
	echo "$fmt: scamper exited $rc; it said:"
	sed 's/^/    /' "$err"
	check "$fmt: scamper exits non-zero after losing its helper" [ "$rc" -ne 0 ]
	check "$fmt: the message says the helper went away" \
	    grep -q 'scamper-helper has gone away' "$err"
	check "$fmt: the message says what was lost" \
	    grep -q 'scamper-helper lost: [0-9]* measurements stopped early' "$err"
}

# verify FMT JSONFILE: parse, classify, account for every command
verify() {
	local fmt=$1 json=$2 err=$TMP/err.$1
	python3 - "$json" "$TMP/cmds" "$err" "$fmt" <<'PY'
import json, re, sys
jf, cf, ef, fmt = sys.argv[1:5]
cmds = [l.split()[-1] for l in open(cf)]
msg = open(ef).read()
m = re.search(r'scamper-helper lost: (\d+) measurements stopped early '
              r'\(written with what they had\), (\d+) commands never '
              r'started, (\d+) refused at start; the input from '
              r'(\S+):(\d+) on was not measured', msg)
if not m:
    print("FAIL: %s: no accounting in the message" % fmt); sys.exit(1)
halted, dropped, refused, line = (int(m.group(1)), int(m.group(2)),
                                  int(m.group(3)), int(m.group(5)))
objs, bad = [], 0
for l in open(jf):
    try:
        objs.append(json.loads(l))
    except ValueError:
        bad += 1
res = [o for o in objs if o.get("type") in ("trace", "ping")]
dsts = [o["dst"] for o in res]
errs = [o for o in res if o.get("stop_reason") == "ERROR"]
checks = [
    ("every line parses as JSON", bad == 0),
    ("a cycle stop closes the file",
     objs and objs[-1].get("type") == "cycle-stop"),
    ("no result twice", len(set(dsts)) == len(dsts)),
    ("every command before line %d has a result" % line,
     set(dsts) == set(cmds[:line - 1])),
    ("nothing from line %d on was measured" % line,
     not set(dsts) & set(cmds[line - 1:])),
    ("results + never started + unread = %d commands" % len(cmds),
     len(res) + len(cmds) - (line - 1) == len(cmds)),
    ("some finished before the kill, some were in flight",
     halted > 0 and len(res) > halted),
    ("no command refused at start", refused == 0),
]
# pings carry no stop reason in JSON (as 20211212): traces do
tr = [o for o in errs if o["type"] == "trace"]
checks.append(("traces in flight (if any) stopped with error 32 (EPIPE)",
               all(o.get("stop_data") == 32 for o in tr)))
fails = 0
for what, good in checks:
    print("%s: %s: %s" % ("ok" if good else "FAIL", fmt, what))
    fails += not good
print("%s: %d results, %d stopped early, %d never started, input from "
      "line %d on unread" % (fmt, len(res), halted, dropped, line))
open(ef + ".halted", "w").write("%d\n" % halted)
sys.exit(1 if fails else 0)
PY
}

# ---- warts: Debian's tools and ours read the whole file ----------------
run warts
w=$TMP/out.warts
check "warts: Debian's sc_warts2json reads it all" sh -c \
    "sc_warts2json '$w' >'$TMP/deb.json' 2>'$TMP/deb.err' && [ ! -s '$TMP/deb.err' ]"
check "warts: our sc_warts2json reads it all" sh -c \
    "'$tools/sc_warts2json' '$w' >'$TMP/our.json' 2>'$TMP/our.err' && [ ! -s '$TMP/our.err' ]"
check "warts: both read the same objects" cmp -s "$TMP/deb.json" "$TMP/our.json"
if verify warts "$TMP/our.json"; then ok "warts: accounting"; else fail "warts: accounting"; fi
# the stop reason of every ping: Debian's sc_wartsdump reads error with
# its data as "sendto errno 32" (EPIPE)
sc_wartsdump "$w" >"$TMP/dump" 2>&1
perr=$(grep -c 'stop-reason: sendto errno 32$' "$TMP/dump")
halted=$(cat "$TMP/err.warts.halted" 2>/dev/null || echo -1)
tflight=$(python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get("type")=="trace" and json.loads(l).get("stop_reason")=="ERROR"))' "$TMP/our.json")
check "warts: the $halted measurements in flight were written with stop reason error (Debian's sc_wartsdump: $perr pings, $tflight traces)" \
    [ $((perr + tflight)) -eq "$halted" ]

# ---- JSON ---------------------------------------------------------------
run json
if verify json "$TMP/out.json"; then ok "json: accounting"; else fail "json: accounting"; fi

# ---- the control socket: an attached client hears it, gets its results -
sock=$TMP/s.sock
lab_exec a env SCAMPER_HELPER_BIN="$helper" SCAMPER_CHROOT="$TMP/empty" \
    "$scamper" -p 100 -w 10 -U "$sock" 2>"$TMP/err.ctl" &
spid=$!
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
hp=$(pgrep -P "$spid" -f scamper-helper | head -1)
[ -n "$hp" ] || hp=$(pgrep -P "$(pgrep -P "$spid" | head -1)" -f scamper-helper | head -1)
timeout 120 python3 - "$src/tests/control" "$sock" "${hp:-0}" <<'PY' >"$TMP/ctl.out" 2>&1
import json, os, sys
sys.path.insert(0, sys.argv[1])
import ctl_client as cc
c = cc.Conn(sys.argv[2])
c.send("attach format json\n")
for i in range(1, 31):
    c.send("ping -c 3 -i 1 198.51.100.%d\n" % i)
# 10 pings at a time: kill the helper once the first 10 are in
c.until(lambda: cc.results(c, "json") >= 10)
os.kill(int(sys.argv[3]), 9)
cc.ok(c.read_to_eof(60), "control: scamper closed the connection")
cc.ok(any(l.startswith("ERR scamper-helper has gone away") for l in c.lines),
      "control: the client was told the helper went away")
objs = [json.loads(p) for p in c.data]
res = [o for o in objs if o.get("type") == "ping"]
dst = [o["dst"] for o in res]
# the window is 10: those finished and the 10 in flight came back, the
# first commands sent, each once
n = len(res)
cc.ok(n >= 20 and n % 10 == 0 and len(set(dst)) == n and
      set(dst) == set("198.51.100.%d" % i for i in range(1, n + 1)),
      "control: the pings finished and the 10 in flight came back, "
      "each once (got %d)" % n)
cc.ok(objs and objs[-1].get("type") == "cycle-stop",
      "control: the cycle stop came last")
sys.exit(1 if cc.failed else 0)
PY
prc=$?
sed 's/^/    /' "$TMP/ctl.out"
check "control: the client's checks" [ "$prc" -eq 0 ]
wait "$spid"
rc=$?
sed 's/^/    /' "$TMP/err.ctl"
check "control: scamper -U exits non-zero after losing its helper" [ "$rc" -ne 0 ]
check "control: it says what was lost" \
    grep -q 'scamper-helper lost: 10 measurements stopped early .*, [0-9]* commands never started' "$TMP/err.ctl"

echo "lab-helper-loss: $((n - fails))/$n checks passed"
[ "$fails" -eq 0 ]
