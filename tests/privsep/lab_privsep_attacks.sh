#!/usr/bin/env bash
# lab_privsep_attacks.sh SCAMPER HELPER PRIV_PING CLIENT SRCDIR: the
# attacks of issue #16, each reproduced and shown refused, by a local
# user with no groups (UOUT) or by members of the helper's group (UA, UB),
# all inside this test's own network namespaces:
#   1. root files through the control socket: scamper started by root in
#      a root-owned directory with -P 127.0.0.1:PORT (PORT free in the
#      namespace, picked now).  Over TCP, file commands are off; with
#      -O tcp-files they run as the unprivileged owner of the results, so
#      a root-owned 0600 file is neither truncated, appended to nor read,
#      and nothing is planted in a 0700 root directory.
#   2. a firewall rule for a 5-tuple the prober does not own: another
#      user's UDP and TCP ports, an address that is not ours: refused,
#      nothing installed; a port the helper holds for a rule cannot be
#      taken by anyone else meanwhile.
#   3. a group member starting the file-capabilities helper in service
#      mode (here for another group): refused; one member holding 64
#      idle connections to the service: 8 are kept (and closed when the
#      HELLO deadline passes, 20 s here), the rest refused, and another
#      member is still served meanwhile.
set -u
scamper=$1 helper=$2 ping=$3 client=$4 src=$5
. "$src/tests/lab/lab.sh"
. "$src/tests/privsep/privlab.sh"
privlab_start pattack setpriv useradd groupadd setcap python3

fails=0 n=0
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
ok() { n=$((n + 1)); echo "ok: $*"; }

TMP=$(mktemp -d /tmp/privsep-attack.XXXXXX)
chmod 755 "$TMP"
mkdir -m 755 "$TMP/empty"
cp "$client" "$TMP/ctl_client.py"
chmod 644 "$TMP/ctl_client.py"
lab_atexit "rm -rf '$TMP'"

G=sca$$ G2=scz$$ UA=sca$$ UB=scb$$ UOUT=sco$$
groupadd "$G" || exit 1
lab_atexit "groupdel $G 2>/dev/null"
groupadd "$G2" || exit 1
lab_atexit "groupdel $G2 2>/dev/null"
for u in "$UA" "$UB"; do
	useradd -M -N -g nogroup -G "$G" -s /usr/sbin/nologin "$u" || exit 1
	lab_atexit "userdel $u 2>/dev/null"
done
useradd -M -N -g nogroup -s /usr/sbin/nologin "$UOUT" || exit 1
lab_atexit "userdel $UOUT 2>/dev/null"

# python for the users (root's PATH may name one they cannot run)
PY=$(PATH=/usr/local/bin:/usr/bin:/bin command -v python3)

# as USER CMD...: CMD as USER (its groups only) inside node a
as() { local u=$1; shift; ip netns exec "$NS" setpriv --reuid="$u" \
    --regid=nogroup --init-groups "$@"; }

# ---- 1. root files through a TCP control socket ---------------------
# the victim: a root-only directory tree where root started scamper
V=$TMP/root-dir
mkdir -m 755 "$V"
printf 'root secret\n' >"$V/secret"
chmod 600 "$V/secret"
mkdir -m 700 "$V/rootonly"
printf '192.0.2.2\n' >"$V/targets"
PORT=$(ip netns exec "$NS" python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# ctl_as USER: send stdin's lines to 127.0.0.1:PORT as USER, print replies
ctl_as() { as "$1" timeout 60 "$PY" "$TMP/ctl_client.py" \
    "127.0.0.1:$PORT" transcript | grep -v '^ok - '; }

# start_root ARGS...: our scamper, started by root in $V, on the port
start_root() {
	local pid
	pid=$(cd "$V" && lab_bg a env SCAMPER_HELPER_BIN="$helper" \
	    SCAMPER_CHROOT="$TMP/empty" "$scamper" -P "127.0.0.1:$PORT" \
	    -p 1000 "$@")
	for _ in $(seq 100); do
		ip netns exec "$NS" python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		    "$PORT" 2>/dev/null && break
		sleep 0.1
	done
	echo "$pid"
}

intact() {
	[ "$(cat "$V/secret")" = "root secret" ] &&
	    [ "$(stat -c '%U %a' "$V/secret")" = "root 600" ] &&
	    [ -z "$(ls -A "$V/rootonly")" ] &&
	    [ "$(ls "$V")" = "$(printf 'rootonly\nsecret\ntargets')" ]
}

attack="outfile open name a file secret mode truncate
outfile open name b file secret mode append
outfile open name c file rootonly/planted mode truncate
source add name s file secret outfile -
exit"

pid=$(start_root)
got=$(printf '%s\n' "$attack" | ctl_as "$UOUT")
echo "$got" | sed 's/^/  | /'
off="file commands are off on a TCP control socket (scamper -O tcp-files allows them)"
[ "$got" = "ERR could not add outfile: $off
ERR could not add outfile: $off
ERR could not add outfile: $off
ERR could not add source: $off" ] && intact &&
    ok "TCP control socket: file commands are off by default" ||
    fail "TCP control socket without -O tcp-files: '$got'"
kill "$pid"
wait "$pid" 2>/dev/null

pid=$(start_root -O tcp-files)
got=$(printf '%s\n' "$attack" | ctl_as "$UOUT")
echo "$got" | sed 's/^/  | /'
# the refusals name the user whose permissions said no: not root
who=$(sed -n 's/.*permission denied (as user \([^)]*\))$/\1/p' <<<"$got" |
    sort -u)
got=$(sed 's/ (as user [^)]*)$//' <<<"$got")
[ -n "$who" ] && [ "$who" != root ] && [ "$(wc -l <<<"$who")" = 1 ] &&
[ "$got" = "ERR could not add outfile: secret: permission denied
ERR could not add outfile: secret: permission denied
ERR could not add outfile: rootonly/planted: permission denied
ERR could not add source: secret: permission denied" ] && intact &&
    ok "-O tcp-files, root-started scamper: as user $who the root-owned 0600 file is not truncated, appended or read; nothing is planted in the 0700 directory" ||
    fail "-O tcp-files: '$got'; $(ls -la "$V" "$V/rootonly")"
# ... and a file the owner of the results may read is fine
got=$(printf 'source add name t file targets outfile - command "ping -c 1"\nexit\n' |
    ctl_as "$UOUT")
[ "$got" = "OK source added" ] &&
    ok "-O tcp-files: a file the run user may read is opened" ||
    fail "-O tcp-files, a readable file: '$got'"
kill "$pid"
wait "$pid" 2>/dev/null
grep -q 'tcp-files: only applies with -P' <(ip netns exec "$NS" \
    "$scamper" -O tcp-files -U "$TMP/x.sock" 2>&1) &&
    ok "-O tcp-files without -P is refused" ||
    fail "-O tcp-files without -P was accepted"

# ---- 2. firewall rules for 5-tuples that are not the prober's --------
sock=$TMP/helper.sock
hp=$(lab_bg a "$helper" -d -g "$G" -s "$sock" -t 20 service)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { fail "helper service did not start"; \
    cat "$(lab_bglog "$hp")"; exit 1; }
pingas() { local u=$1; shift; as "$u" env SCAMPER_HELPER="$sock" \
    SCAMPER_HELPER_BIN=/nonexistent SCAMPER_CHROOT="$TMP/empty" \
    "$ping" "$@"; }
rules() { ip netns exec "$NS" nft list table inet "scamper_$hp" 2>/dev/null |
    grep -c ' drop$'; }

# victims: UOUT's UDP flow on 192.0.2.1:5000 and TCP listener on :8080
coproc VICTIM { as "$UOUT" "$PY" -c 'import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
u.bind(("192.0.2.1", 5000))
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("0.0.0.0", 8080)); t.listen(1)
print("ready", flush=True); sys.stdin.readline()' 2>&1; }
vpid=$VICTIM_PID vin=${VICTIM[1]}
read -r -t 30 line <&"${VICTIM[0]}"
[ "$line" = ready ] || fail "victim sockets: $line"

# fw_try WHAT EXPECT ARGS...: ask for a rule as UA; EXPECT in its error
fw_try() {
	local what=$1 want=$2 out rc
	shift 2
	out=$(pingas "$UA" "$@" 192.0.2.2 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	[ $rc = 1 ] && grep -q "$want" <<<"$out" && [ "$(rules)" = 0 ] &&
	    ok "$what: refused ($want), no rule installed" ||
	    fail "$what: rc $rc, rules $(rules)"
}
fw_try "a rule for another user's UDP flow (192.0.2.1:5000)" \
    "Address already in use" -f 192.0.2.1 -u -p 5000
fw_try "a rule for another user's TCP port (*:8080)" \
    "Address already in use" -f 192.0.2.1 -p 8080
fw_try "a rule for an address that is not this host's" \
    "Cannot assign requested address" -f 192.0.2.99 -p 0
fw_try "a rule for a privileged port" "Invalid argument" -f 192.0.2.1 -p 22
echo go >&"$vin" 2>/dev/null
wait "$vpid" 2>/dev/null

# a rule of UA's own: the port is held, nobody else can take it
coproc OWN { pingas "$UA" -w -f 192.0.2.1 -u -p 0 192.0.2.2 2>&1; }
opid=$OWN_PID oin=${OWN[1]}
port=
while IFS= read -r -t 30 line <&"${OWN[0]}"; do
	echo "  | $line"
	case $line in
	"fw rule "*) port=${line##* } ;;
	ready*) break ;;
	esac
done
if [ -n "$port" ] && [ "$(rules)" = 1 ]; then
	out=$(as "$UOUT" "$PY" -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1]))); print("bound")
except OSError as e:
    print(e.strerror)' "$port" 2>&1)
	[ "$out" = "Address already in use" ] &&
	    ok "UA's rule holds UDP port $port: another user cannot bind it ($out)" ||
	    fail "another user could bind UA's port $port: $out"
else
	fail "UA's own rule: port '$port', rules $(rules)"
fi
echo go >&"$oin" 2>/dev/null
wait "$opid" 2>/dev/null

# ---- 3. group boundaries ----------------------------------------------
# 64 idle connections by UA, UB still served
idle='import select, socket, struct, sys, time
ERR, EUSERS, ETIMEDOUT = 66, 87, 110
def err(m):
    # ERR (type 66) for request id 0, with its errno
    if len(m) == 12 and m[1] == ERR:
        return struct.unpack(">I", m[8:12])[0]
    return None
held = []
for i in range(64):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(sys.argv[1])
    held.append(s)
# the refusals come at once; wait for 56 of them (bounded)
refused, end = set(), time.time() + 30
while len(refused) < 56 and time.time() < end:
    r, _, _ = select.select([s for s in held if s not in refused], [],
                            [], 1)
    for s in r:
        refused.add(s)
        if err(s.recv(64)) != EUSERS:
            print("unexpected reply", flush=True)
keep = [s for s in held if s not in refused]
print("kept %d refused %d" % (len(keep), len(refused)), flush=True)
sys.stdin.readline()
# still open now (the other member was served meanwhile)?
r, _, _ = select.select(keep, [], [], 0)
print("still open %d" % (len(keep) - len(r)), flush=True)
closed, end = 0, time.time() + 60
for s in keep:
    s.settimeout(max(0.1, end - time.time()))
    try:
        if err(s.recv(64)) == ETIMEDOUT:
            closed += 1
    except OSError:
        pass
print("closed after the deadline %d" % closed, flush=True)'
coproc IDLE { as "$UA" "$PY" -c "$idle" "$sock" 2>&1; }
ipid=$IDLE_PID iin=${IDLE[1]} iout=${IDLE[0]}
read -r -t 30 line <&"$iout"
echo "  | UA: $line"
[ "$line" = "kept 8 refused 56" ] &&
    ok "64 idle connections by one user: 8 kept, 56 refused" ||
    fail "64 idle connections: $line"
out=$(pingas "$UB" 192.0.2.2 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ $rc = 0 ] && ok "meanwhile another member is served (echo reply)" ||
    fail "another member while UA holds connections: rc $rc"
echo go >&"$iin"
read -r -t 30 line <&"$iout"
echo "  | UA: $line"
[ "$line" = "still open 8" ] &&
    ok "... and UA's 8 connections were still open then" ||
    fail "UA's connections when UB was served: $line"
read -r -t 90 line <&"$iout"
echo "  | UA: $line"
[ "$line" = "closed after the deadline 8" ] &&
    ok "UA's idle connections were closed at the HELLO deadline" ||
    fail "HELLO deadline: $line"
wait "$ipid" 2>/dev/null
grep -q "refused uid $(id -u "$UA") .*: it has 8 connections already" \
    "$(lab_bglog "$hp")" && grep -q "no HELLO within 20 s" "$(lab_bglog "$hp")" &&
    ok "the helper logged both" || fail "the helper's log: $(tail -5 "$(lab_bglog "$hp")")"
kill "$hp"

# a member starts the file-capabilities helper in service mode
cp "$helper" "$TMP/scamper-helper"
chgrp "$G" "$TMP/scamper-helper"
chmod 0750 "$TMP/scamper-helper"
if setcap cap_net_raw,cap_net_admin+ep "$TMP/scamper-helper"; then
	out=$(as "$UA" timeout 10 "$TMP/scamper-helper" -g "$G2" \
	    -s "$TMP/g2.sock" service 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	[ $rc = 1 ] && [ ! -e "$TMP/g2.sock" ] &&
	    grep -q 'service mode must be started by root' <<<"$out" &&
	    ok "a member cannot start the capabilities helper as a service" ||
	    fail "capabilities helper in service mode: rc $rc"
	out=$(as "$UA" env SCAMPER_HELPER="$TMP/none.sock" \
	    SCAMPER_HELPER_BIN="$TMP/scamper-helper" "$ping" 192.0.2.2 2>&1)
	[ $? = 0 ] && ok "... while it still serves the member in child mode" ||
	    fail "capabilities helper in child mode: $out"
else
	echo "note: setcap failed here; the capabilities helper was not tested"
fi
# ... but a parent that grants the capabilities itself (as systemd does
# with DynamicUser and AmbientCapabilities) may run a service as a user
mkdir -m 750 "$TMP/amb"
chown "$UB:$G" "$TMP/amb"
hp=$(lab_bg a setpriv --reuid="$UB" --regid="$G" --init-groups \
    --inh-caps +net_raw,+net_admin --ambient-caps +net_raw,+net_admin \
    "$helper" -g "$G" -s "$TMP/amb/h.sock" service)
for _ in $(seq 100); do [ -S "$TMP/amb/h.sock" ] && break; sleep 0.1; done
out=$(as "$UA" env SCAMPER_HELPER="$TMP/amb/h.sock" \
    SCAMPER_HELPER_BIN=/nonexistent "$ping" 192.0.2.2 2>&1); rc=$?
[ $rc = 0 ] && ok "a service started with ambient capabilities serves (helper uid $(awk '$1 == "Uid:" { print $2 }' "/proc/$hp/status" 2>/dev/null))" ||
    fail "service with ambient capabilities: rc $rc: $out; $(cat "$(lab_bglog "$hp")")"
kill "$hp" 2>/dev/null

echo "$((n - fails)) passed, $fails failed"
[ $fails = 0 ]
