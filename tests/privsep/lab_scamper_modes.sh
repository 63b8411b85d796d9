#!/usr/bin/env bash
# lab_scamper_modes.sh SCAMPER HELPER SRCDIR: scamper itself, measuring,
# in each of the three ways to run without setuid (README).  While a trace
# waits on a silent target, /proc shows the prober unprivileged and
# sandboxed (Uid not 0, CapEff 0, NoNewPrivs 1, Seccomp 2) and the helper
# as a separate process; the other trace's result is checked.  Then, in
# each way, files over the control socket after the drop (the file
# server opens them below scamper's directory, as the owner of the
# results: started by root, the run user or SCAMPER_FILE_OWNER; else the
# user who started scamper).
set -u
scamper=$1 helper=$2 src=$3
. "$src/tests/lab/lab.sh"
. "$src/tests/privsep/privlab.sh"
# b is a host: it drops, without a word, what it is asked to forward
privlab_start scmodes setpriv useradd groupadd setcap python3 -- \
    "route a 198.51.100.0/24 via 192.0.2.2"

fails=0 n=0
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
ok() { n=$((n + 1)); echo "ok: $*"; }

TMP=$(mktemp -d /tmp/scmodes.XXXXXX)
chmod 755 "$TMP"
mkdir -m 755 "$TMP/empty"
lab_atexit "rm -rf '$TMP'"
privlab_users

field() { awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status" 2>/dev/null; }

# helper_of PID: a scamper-helper process in the lab's namespace other
# than PID, if one runs
helper_of() {
	pgrep -f "scamper-helper" | while read -r p; do
		[ "$p" != "$1" ] && [ "$(ip netns identify "$p" 2>/dev/null)" = "$NS" ] && echo "$p"
	done | head -1
}

# measure MODE CMD...: run CMD (a scamper command line ending in the two
# traces), check the process while it runs, then its result
measure() {
	local mode=$1 out=$TMP/out.$1 pid hp= uid
	shift
	( "$@" -I "trace -P icmp-paris 192.0.2.2" \
	    "trace -P icmp-paris -q 1 -w 4 -g 1 198.51.100.1" ) >"$out" 2>&1 &
	pid=$!
	# the prober's state and its helper are both read while the silent
	# trace waits (-w 4): on a loaded machine the checks after the loop
	# could otherwise come after scamper and its helper have ended
	for _ in $(seq 100); do
		uid=$(field "$pid" Uid)
		[ -z "${hp:-}" ] && hp=$(helper_of "$pid")
		[ -n "$uid" ] && [ "$uid" != 0 ] && [ -n "$hp" ] &&
		    [ "$(field "$pid" Seccomp)" = 2 ] && break
		sleep 0.05
	done
	if [ "$(field "$pid" Uid)" != 0 ] &&
	    [ "$(field "$pid" CapEff)" = 0000000000000000 ] &&
	    [ "$(field "$pid" NoNewPrivs)" = 1 ] &&
	    [ "$(field "$pid" Seccomp)" = 2 ]; then
		ok "$mode: scamper $pid runs as uid $(field "$pid" Uid), CapEff 0, NoNewPrivs 1, Seccomp 2"
	else
		fail "$mode: scamper $pid: Uid $(field "$pid" Uid) CapEff $(field "$pid" CapEff) NoNewPrivs $(field "$pid" NoNewPrivs) Seccomp $(field "$pid" Seccomp)"
	fi
	[ -n "$hp" ] && ok "$mode: the helper is process $hp, apart from scamper" ||
	    fail "$mode: no helper process found"
	wait "$pid"
	if grep -q '^ 1  192\.0\.2\.2 ' "$out" &&
	    grep -q '^traceroute from 192.0.2.1 to 198.51.100.1' "$out"; then
		ok "$mode: scamper measured (trace to 192.0.2.2 reached it)"
	else
		fail "$mode: result: $(cat "$out")"
	fi
}

# files MODE USER CMD...: scamper -U started by CMD in a directory of
# USER's; after the drop, an outfile and a file source opened through the
# helper: the result is written, to a file that belongs to USER
files() {
	local mode=$1 user=$2 w=$TMP/files.$1 pid got
	shift 2
	mkdir -m 755 "$w"
	printf '192.0.2.2\n' >"$w/targets"
	chown "$user" "$w" "$w/targets"
	( cd "$w" && "$@" -U "$w/s.sock" -p 1000 -O json ) >"$w/err" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -S "$w/s.sock" ] && break; sleep 0.1; done
	got=$(ip netns exec "$NS" timeout 30 python3 - "$w/s.sock" <<'PY'
import socket, sys, time
def talk(lines, until):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
    s.sendall(lines.encode()); buf = b""
    while until not in buf:
        d = s.recv(4096)
        if not d: break
        buf += d
    s.close(); return buf.decode()
out = talk('outfile open name o file res mode truncate\nsource add name s '
           'file targets outfile o command "ping -c 1"\n', b"added")
for _ in range(200):
    if "ERR no source" in talk("source list s\n", b"\n"): break
    time.sleep(0.1)
out += talk("outfile close o\n", b"\n")
print(out.replace("\n", " ").strip())
PY
)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ "$got" = "OK OK source added OK" ] &&
	    grep -q '"type":"ping"' "$w/res" &&
	    [ "$(stat -c %U "$w/res")" = "$user" ]; then
		ok "$mode: outfile open and source add after the drop; the file is $user's"
	else
		fail "$mode: files: '$got', owner $(stat -c %U "$w/res" 2>&1): $(cat "$w/err")"
	fi
}

# 1. started as root: the helper is its child, scamper drops privilege
measure child ip netns exec "$NS" env SCAMPER_HELPER_BIN="$helper" \
    SCAMPER_CHROOT="$TMP/empty" "$scamper"
files child nobody ip netns exec "$NS" env SCAMPER_HELPER_BIN="$helper" \
    SCAMPER_CHROOT="$TMP/empty" "$scamper"
files child-owner "$UIN" ip netns exec "$NS" env SCAMPER_HELPER_BIN="$helper" \
    SCAMPER_CHROOT="$TMP/empty" SCAMPER_FILE_OWNER="$UIN" "$scamper"

# 2. a helper service, used by a member of the group
sock=$TMP/helper.sock
hpid=$(lab_bg a "$helper" -g "$G" -s "$sock" service)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
# (exec: measure's background job must be scamper itself, not a shell)
asuser() { local u=$1; shift; exec ip netns exec "$NS" setpriv --reuid="$u" \
    --regid=nogroup --init-groups env SCAMPER_HELPER="$sock" \
    SCAMPER_HELPER_BIN=/nonexistent "$@"; }
measure service asuser "$UIN" "$scamper"
files service "$UIN" asuser "$UIN" "$scamper"
out=$( (asuser "$UOUT" "$scamper" -I "trace 192.0.2.2") 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'scamper' <<<"$out" && grep -qi 'group scamper' <<<"$out" &&
    ok "service: a user outside the group is refused: $(head -1 <<<"$out")" ||
    fail "service: outsider: rc $rc: $out"
kill "$hpid" 2>/dev/null

# 3. a helper with file capabilities, started by a member of the group
cp "$helper" "$TMP/scamper-helper"
chgrp "$G" "$TMP/scamper-helper"
chmod 0750 "$TMP/scamper-helper"
if setcap cap_net_raw,cap_net_admin+ep "$TMP/scamper-helper"; then
	capuser() { local u=$1; shift; exec ip netns exec "$NS" setpriv \
	    --reuid="$u" --regid=nogroup --init-groups env \
	    SCAMPER_HELPER="$TMP/no.sock" \
	    SCAMPER_HELPER_BIN="$TMP/scamper-helper" "$@"; }
	measure capabilities capuser "$UIN" "$scamper"
	files capabilities "$UIN" capuser "$UIN" "$scamper"
	out=$( (capuser "$UOUT" "$scamper" -I "trace 192.0.2.2") 2>&1); rc=$?
	[ $rc = 1 ] && grep -q 'file capabilities' <<<"$out" &&
	    ok "capabilities: a user outside the group cannot use the helper" ||
	    fail "capabilities: outsider: rc $rc: $out"
else
	echo "note: setcap failed here; the capabilities mode was not tested"
fi

echo "$((n - fails)) passed, $fails failed"
[ $fails = 0 ]
