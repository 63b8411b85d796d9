#!/usr/bin/env bash
# lab_privsep.sh MODE PRIV_PING HELPER SRCDIR: the three ways to run
# scamper without setuid, each with a real ICMP echo between two lab
# namespaces (192.0.2.1 -> 192.0.2.2), checked from outside through
# /proc/PID/status while the prober waits inside its sandbox.
#   child:   started as root, the prober starts the helper and drops
#   service: a helper service; a user in the group measures, one outside
#            is refused; a killed client's firewall rules disappear
#   caps:    a copy of the helper with file capabilities, run by a user
set -u
mode=$1 ping=$2 helper=$3 src=$4
. "$src/tests/lab/lab.sh"
lab_require_root
for t in setpriv useradd groupadd nft setcap; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
lab_init privsep >/dev/null
lab_node a host >/dev/null
lab_node b host >/dev/null
lab_link a b 192.0.2.1/24 192.0.2.2/24 >/dev/null
NS=$(lab_ns a)

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# A scratch directory every user may enter, and an empty chroot.
TMP=$(mktemp -d /tmp/privsep-lab.XXXXXX)
chmod 755 "$TMP"
mkdir -m 755 "$TMP/empty"
lab_atexit "rm -rf '$TMP'"

# Throwaway group and users (names unique to this run).
G=scg$$ UIN=scin$$ UOUT=scout$$
mkusers() {
	groupadd "$G" || exit 1
	lab_atexit "groupdel $G 2>/dev/null"
	useradd -M -N -g nogroup -G "$G" -s /usr/sbin/nologin "$UIN" || exit 1
	lab_atexit "userdel $UIN 2>/dev/null"
	useradd -M -N -g nogroup -s /usr/sbin/nologin "$UOUT" || exit 1
	lab_atexit "userdel $UOUT 2>/dev/null"
}

# status_field PID FIELD: the value of FIELD in /proc/PID/status.
status_field() {
	awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status"
}

# check_sandboxed PID: the prober holds no privilege and is filtered.
check_sandboxed() {
	local pid=$1 uid cap nnp sec
	uid=$(status_field "$pid" Uid)
	cap=$(status_field "$pid" CapEff)
	nnp=$(status_field "$pid" NoNewPrivs)
	sec=$(status_field "$pid" Seccomp)
	[ "$uid" != 0 ] && [ -n "$uid" ] || fail "prober $pid has uid '$uid'"
	[ "$cap" = 0000000000000000 ] || fail "prober $pid has CapEff $cap"
	[ "$nnp" = 1 ] || fail "prober $pid has NoNewPrivs '$nnp'"
	[ "$sec" = 2 ] || fail "prober $pid has Seccomp '$sec'"
	echo "prober $pid: Uid $uid CapEff $cap NoNewPrivs $nnp Seccomp $sec"
}

# run_ping EXPECT_MODE EXTRA_CHECK CMD...: start CMD (a priv_ping -w) in
# the lab, read its "ready" line, check the prober and the helper from
# outside, let it ping, and check it got the reply.
run_ping() {
	local want=$1 extra=$2 line pid hpid got rc
	shift 2
	coproc PP { "$@" 2>&1; }
	local out=${PP[0]} in=${PP[1]} ppid=$PP_PID
	while IFS= read -r -t 30 line <&"$out"; do
		echo "  | $line"
		case $line in
		ready*) break ;;
		"fw rule "*) RULE=${line#fw rule } ;;
		esac
	done
	case $line in
	ready*) ;;
	*) fail "no ready line from: $*"; kill "$ppid" 2>/dev/null
	   wait "$ppid"; return 1 ;;
	esac
	pid=${line#*pid=}; pid=${pid%% *}
	hpid=${line#*helper=}; hpid=${hpid%% *}
	got=${line#*mode=}
	[ "$got" = "$want" ] || fail "mode is $got, expected $want"
	check_sandboxed "$pid"
	[ "$hpid" != "$pid" ] && [ -d "/proc/$hpid" ] ||
	    fail "helper $hpid is not a separate live process"
	echo "helper $hpid: Uid $(status_field "$hpid" Uid)" \
	    "CapEff $(status_field "$hpid" CapEff)"
	HPID=$hpid
	[ -z "$extra" ] || $extra "$pid" "$hpid"
	echo go >&"$in"
	while IFS= read -r -t 30 line <&"$out"; do echo "  | $line"; done
	wait "$ppid"
	rc=$?
	[ $rc = 0 ] && ok "$want: echo reply received in the sandbox" ||
	    fail "$want: priv_ping exited $rc"
}

# helper_is_root PROBER HELPER [MASK]: a root helper that kept only
# CAP_NET_RAW and CAP_NET_ADMIN (bits 13 and 12), or MASK: in service
# mode also CAP_SETUID and CAP_SETGID (bits 7 and 6), to open files with
# each client's file-system credentials.
helper_is_root() {
	local c want=${3:-0000000000003000}
	c=$(status_field "$2" CapEff)
	[ "$(status_field "$2" Uid)" = 0 ] || fail "helper is not root"
	[ "$c" = "$want" ] || fail "helper has CapEff $c, not $want"
	[ "$(status_field "$2" CapBnd)" = "$want" ] ||
	    fail "helper's bounding set is $(status_field "$2" CapBnd)"
}

helper_has_caps() {
	local c
	c=$(status_field "$2" CapEff)
	[ "$(status_field "$2" Uid)" != 0 ] || fail "caps helper runs as root"
	[ "$c" != 0000000000000000 ] || fail "caps helper has no capabilities"
}

# rules_of HELPER_PID: the helper's nftables table, or nothing.
rules_of() {
	ip netns exec "$NS" nft list table inet "scamper_$1" 2>/dev/null
}

# has_rule PROBER HELPER: (service mode) the helper's rule is in place
has_rule() {
	helper_is_root "$1" "$2" 00000000000030c0
	rules_of "$2" | grep -q 'tcp dport 40001' &&
	    ok "firewall rule installed in table scamper_$2" ||
	    fail "no firewall rule in table scamper_$2"
}

case $mode in
child)
	run_ping child helper_is_root ip netns exec "$NS" env \
	    SCAMPER_HELPER_BIN="$helper" SCAMPER_CHROOT="$TMP/empty" \
	    "$ping" -w 192.0.2.2
	# a forbidden call is logged with its number and ends the prober
	out=$(ip netns exec "$NS" env SCAMPER_HELPER_BIN="$helper" \
	    SCAMPER_CHROOT="$TMP/empty" "$ping" -x 192.0.2.2 2>&1)
	rc=$?
	echo "$out" | sed 's/^/  | /'
	[ $rc = 159 ] && echo "$out" | grep -q 'system call 59 is not permitted' &&
	    ok "execve in the sandbox: logged and killed" ||
	    fail "execve in the sandbox: exit $rc"
	;;
service)
	mkusers
	sock=$TMP/helper.sock
	# a table left by a helper that crashed: flushed at start
	dead=4000000
	while kill -0 $dead 2>/dev/null; do dead=$((dead + 1)); done
	ip netns exec "$NS" nft add table inet "scamper_$dead"
	hp=$(lab_bg a "$helper" -d -g "$G" -s "$sock" service)
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	[ -S "$sock" ] || { fail "helper service did not start"; \
	    cat "$(lab_bglog "$hp")"; exit 1; }
	[ -z "$(rules_of $dead)" ] && ok "stale table scamper_$dead flushed" ||
	    fail "stale table scamper_$dead still there"
	ls -l "$sock"
	asuser() { local u=$1; shift; ip netns exec "$NS" setpriv \
	    --reuid="$u" --regid=nogroup --init-groups env \
	    SCAMPER_HELPER="$sock" SCAMPER_HELPER_BIN="$helper" "$@"; }
	RULE=
	run_ping service has_rule asuser "$UIN" "$ping" -w -f 192.0.2.1 \
	    192.0.2.2
	[ -n "$RULE" ] || fail "no firewall rule id printed"
	# killing a client removes its rules
	coproc K { asuser "$UIN" "$ping" -w -f 192.0.2.1 192.0.2.2 2>&1; }
	kpid=$K_PID
	while IFS= read -r -t 30 line <&"${K[0]}"; do
		case $line in ready*) break ;; esac
	done
	cpid=${line#*pid=}; cpid=${cpid%% *}
	rules_of "$HPID" | grep -q 'tcp dport 40001' ||
	    fail "second client's rule missing"
	kill -9 "$cpid"
	wait "$kpid" 2>/dev/null
	for _ in $(seq 50); do
		rules_of "$HPID" | grep -q 'tcp dport 40001' || break
		sleep 0.1
	done
	rules_of "$HPID" | grep -q 'tcp dport 40001' &&
	    fail "killed client's firewall rule is still there" ||
	    ok "killed client's firewall rule removed"
	# a user outside the group is refused, with the reason
	out=$(asuser "$UOUT" "$ping" 192.0.2.2 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	[ $rc = 1 ] && echo "$out" | grep -q 'permission denied (is this user in group scamper' &&
	    echo "$out" | grep -q '1. run scamper as root' &&
	    ok "user outside the group refused (socket mode)" ||
	    fail "user outside the group: exit $rc"
	# ... and by its credentials, even if the socket lets it connect
	chmod 666 "$sock"
	out=$(asuser "$UOUT" "$ping" 192.0.2.2 2>&1); rc=$?
	chmod 660 "$sock"
	echo "$out" | sed 's/^/  | /'
	[ $rc = 1 ] && echo "$out" | grep -q 'helper refused us' &&
	    ok "user outside the group refused (peer credentials)" ||
	    fail "credential check: exit $rc"
	grep -q "refused uid $(id -u "$UOUT")" "$(lab_bglog "$hp")" ||
	    fail "helper did not log the refusal"
	kill -TERM "$hp"
	for _ in $(seq 50); do [ -S "$sock" ] || break; sleep 0.1; done
	[ -n "$(rules_of "$hp")" ] && fail "table left after SIGTERM" ||
	    ok "helper removed its table at exit"
	;;
caps)
	mkusers
	cp "$helper" "$TMP/scamper-helper"
	chgrp "$G" "$TMP/scamper-helper"
	chmod 0750 "$TMP/scamper-helper"
	setcap cap_net_raw,cap_net_admin+ep "$TMP/scamper-helper" ||
	    { echo "SKIP: setcap failed here"; exit 77; }
	getcap "$TMP/scamper-helper"
	asuser() { local u=$1; shift; ip netns exec "$NS" setpriv \
	    --reuid="$u" --regid=nogroup --init-groups env \
	    SCAMPER_HELPER="$TMP/no.sock" \
	    SCAMPER_HELPER_BIN="$TMP/scamper-helper" "$@"; }
	run_ping capabilities helper_has_caps asuser "$UIN" "$ping" -w \
	    192.0.2.2
	out=$(asuser "$UOUT" "$ping" 192.0.2.2 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	[ $rc = 1 ] && echo "$out" | grep -q '3. scamper-helper with file capabilities' &&
	    ok "user outside the group cannot run the helper" ||
	    fail "user outside the group: exit $rc"
	;;
*)
	echo "usage: lab_privsep.sh child|service|caps PING HELPER SRCDIR"
	exit 1
	;;
esac
[ $fails = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
