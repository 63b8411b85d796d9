#!/usr/bin/env bash
# lab_privsep.sh MODE PRIV_PING HELPER SRCDIR: the three ways to run
# scamper without setuid, each with a real ICMP echo between two lab
# namespaces (192.0.2.1 -> 192.0.2.2), checked from outside through
# /proc/PID/status while the prober waits inside its sandbox.
#   child:   started as root, the prober starts the helper and drops
#   service: a helper service; a user in the group measures, one outside
#            is refused; a killed client's firewall rules disappear, and
#            so does the whole table when the helper is killed (-9)
#   caps:    a copy of the helper with file capabilities, run by a user
# In every mode the helper runs as a user other than root with
# CAP_NET_RAW and CAP_NET_ADMIN only, no_new_privs and Seccomp 2.
set -u
mode=$1 ping=$2 helper=$3 src=$4
. "$src/tests/lab/lab.sh"
. "$src/tests/privsep/privlab.sh"
privlab_start privsep setpriv useradd groupadd nft setcap

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# A scratch directory every user may enter, and an empty chroot.
TMP=$(mktemp -d /tmp/privsep-lab.XXXXXX)
chmod 755 "$TMP"
mkdir -m 755 "$TMP/empty"
lab_atexit "rm -rf '$TMP'"

# Throwaway group and users (names unique to this run).

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

# helper_confined PROBER HELPER [caps]: the helper runs as a user other
# than root (all four uids), holds CAP_NET_RAW and CAP_NET_ADMIN (bits 13
# and 12) and nothing else, effective and permitted, none inheritable or
# ambient, with no_new_privs and its seccomp filter; started by root,
# its bounding set is those two as well (a user cannot shrink it: caps).
helper_confined() {
	local h=$2 f v want=0000000000003000
	for f in Uid Gid; do
		v=$(awk -v f="$f:" '$1 == f { print $2, $3, $4, $5; exit }' \
		    "/proc/$h/status")
		case " $v " in
		*" 0 "*) fail "helper $f is '$v'" ;;
		esac
	done
	for f in CapEff CapPrm; do
		v=$(status_field "$h" $f)
		[ "$v" = $want ] || fail "helper has $f $v, not $want"
	done
	for f in CapInh CapAmb; do
		v=$(status_field "$h" $f)
		[ "$v" = 0000000000000000 ] || fail "helper has $f $v"
	done
	[ "${3:-}" = caps ] || [ "$(status_field "$h" CapBnd)" = $want ] ||
	    fail "helper's bounding set is $(status_field "$h" CapBnd)"
	[ "$(status_field "$h" NoNewPrivs)" = 1 ] ||
	    fail "helper has NoNewPrivs $(status_field "$h" NoNewPrivs)"
	[ "$(status_field "$h" Seccomp)" = 2 ] ||
	    fail "helper has Seccomp $(status_field "$h" Seccomp)"
	echo "helper $h: $(grep -E '^(Uid|Gid):' "/proc/$h/status" | tr -s '\t\n' '  ')" \
	    "CapEff $(status_field "$h" CapEff) CapPrm $(status_field "$h" CapPrm)" \
	    "CapBnd $(status_field "$h" CapBnd) Seccomp $(status_field "$h" Seccomp)"
}

helper_has_caps() {
	helper_confined "$1" "$2" caps
}

# rules_of HELPER_PID: the helper's nftables table, or nothing.
rules_of() {
	ip netns exec "$NS" nft list table inet "scamper_$1" 2>/dev/null
}

# has_rule PROBER HELPER: (service mode) the helper's rule is in place
has_rule() {
	helper_confined "$1" "$2"
	rules_of "$2" | grep -q 'tcp dport 40001' &&
	    ok "firewall rule installed in table scamper_$2" ||
	    fail "no firewall rule in table scamper_$2"
}

case $mode in
child)
	run_ping child helper_confined ip netns exec "$NS" env \
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
	privlab_users
	sock=$TMP/helper.sock
	hp=$(lab_bg a "$helper" -d -g "$G" -s "$sock" service)
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	[ -S "$sock" ] || { fail "helper service did not start"; \
	    cat "$(lab_bglog "$hp")"; exit 1; }
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
	for _ in $(seq 50); do kill -0 "$hp" 2>/dev/null || break; sleep 0.1; done
	[ -n "$(rules_of "$hp")" ] && fail "table left after SIGTERM" ||
	    ok "helper removed its table at exit"
	# kill -9 of the helper with a client's rule in place: the table
	# belongs to its netlink socket and goes with it
	rm -f "$sock"
	hp=$(lab_bg a "$helper" -g "$G" -s "$sock" service)
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	coproc K9 { asuser "$UIN" "$ping" -w -f 192.0.2.1 192.0.2.2 2>&1; }
	k9=$K9_PID
	while IFS= read -r -t 30 line <&"${K9[0]}"; do
		case $line in ready*) break ;; esac
	done
	rules_of "$hp" | grep -q 'tcp dport 40001' ||
	    fail "no rule before kill -9 of the helper"
	kill -9 "$hp"
	gone=no
	for _ in $(seq 10); do
		ip netns exec "$NS" nft list ruleset | grep -q scamper_ ||
		    { gone=yes; break; }
		sleep 0.1
	done
	[ $gone = yes ] && ok "kill -9 of the helper: no table of ours left within a second" ||
	    fail "kill -9 of the helper: $(ip netns exec "$NS" nft list ruleset)"
	kill "$k9" 2>/dev/null
	wait "$k9" 2>/dev/null
	;;
caps)
	privlab_users
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
