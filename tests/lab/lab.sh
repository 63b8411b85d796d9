# tests/lab/lab.sh: build network-namespace labs from a short description.
#
# Source it from a bash test, then:
#
#	. tests/lab/lab.sh
#	lab_require_root		# SKIP (exit 77) unless root and ip netns work
#	lab_init basic			# LAB_ID, state dir, trap EXIT etc.
#	lab_build tests/lab/topo-basic.txt
#	lab_exec h1 ping -c 2 203.0.113.1
#	lab_teardown			# also run by the trap; idempotent
#
# Functions (errors go to stderr as "lab: ..." and return 1):
#	lab_args "NAME..." ARG...	set each NAME to the ARG in its place
#					(a NAME in capitals is exported); too
#					few ARGs: usage on stderr, exit 2
#	lab_require_root		print "SKIP: reason", exit 77 unless usable
#	lab_require_ref			set REF to Debian's scamper (the
#					interop reference); SKIP as above
#					unless it is installed
#	lab_init [TAG]			set LAB_ID (TAG, $$, random), make the
#					state dir LAB_DIR, trap teardown on
#					EXIT HUP INT PIPE TERM (this replaces
#					the caller's traps: use lab_atexit);
#					with LAB_REGISTRY set (a file), adds
#					"LAB_ID LAB_DIR" to it, so that a
#					runner of many labs can tear down what
#					a killed one left (lab_teardown_id)
#	lab_teardown_id ID DIR		tear down lab ID (state dir DIR) from
#					outside the shell that made it
#	lab_ns NAME			echo the namespace name of node NAME
#	lab_node NAME [router|host]	make a node: lo up, no ICMP rate limits,
#					L4 multipath hash (seeded where the
#					kernel can), no DAD, no rp_filter;
#					routers forward IPv4 and IPv6
#	lab_link A B ADDR_A ADDR_B [ADDR6_A ADDR6_B] [mtu N]
#					veth pair A <-> B with CIDR addresses
#					(IPv6 added nodad); echo "IF_A IF_B"
#	lab_addr NODE IFNAME ADDR	add another address (IFNAME may be lo)
#	lab_route NODE PREFIX via GW [via GW ...]
#					route; several vias make an ECMP route
#	lab_silent NODE			NODE sends no ICMP/ICMPv6 time-exceeded
#	lab_exec NODE CMD...		run CMD inside NODE
#	lab_bg NODE CMD...		start CMD inside NODE in the background,
#					stdin /dev/null, stdout+stderr to the
#					file `lab_bglog PID`; echo its pid;
#					killed at teardown
#	lab_bglog PID			echo the log file of a lab_bg process
#	lab_atexit CMD			run the shell command CMD at teardown
#	lab_resolv NODE TEXT		NODE's resolv.conf holds TEXT (printf
#					%b): /etc/netns/NS/resolv.conf, which
#					ip netns exec mounts over
#					/etc/resolv.conf, removed at teardown
#	lab_build FILE|-		build a whole lab from a description
#	lab_start TAG DESC [STATEMENT...]
#					lab_init TAG, then build the description
#					DESC (text, not a file) and each further
#					STATEMENT; sets tmp=$LAB_DIR
#	lab_two_hosts [-6] TAG [STATEMENT...]
#					lab_init TAG, then build hosts h1
#					192.0.2.1/30 and h2 192.0.2.2/30 on one
#					link (-6: also 2001:db8:1::1/64 and
#					::2/64) and each further description
#					STATEMENT; sets tmp=$LAB_DIR
#	lab_basic TAG [STATEMENT...]	the same with the lab of topo-basic.txt
#	lab_star TAG N			lab_init TAG, then a host c and hosts
#					v1..vN (N <= 63), vK on its own link to
#					c: c 192.0.2.(4K-3)/30, vK the next
#					address; sets tmp=$LAB_DIR
#	lab_ifname NODE PEER [N]	echo NODE's interface name on its Nth
#					(default 1st) link to PEER
#	lab_nodes			echo "NAME TYPE" for every node
#	lab_describe			print the nodes and links, for humans
#	lab_teardown			kill lab_bg processes and anything else
#					left in the lab, delete its namespaces
#
# Description grammar (lab_build): one statement per line, '#' starts a
# comment, blank lines are ignored, words are separated by blanks:
#	node NAME router|host
#	link A B ADDR_A ADDR_B [ADDR6_A ADDR6_B] [mtu N]
#	addr NODE IFNAME|lo ADDR
#	route NODE PREFIX via GW [via GW ...]
#	silent NODE
# NAME is 1-12 of [A-Za-z0-9_]; nodes are declared before use.  The whole
# description is checked before anything is built; any error names the
# line ("lab: FILE:LINE: problem"), tears the lab down and returns 1.
#
# Rules the library enforces: every address, prefix and gateway is in a
# documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
# 198.18.0.0/15, 2001:db8::/32, 2001:2::/48) or is "default" (a route
# inside the lab, through a lab gateway); namespaces are named
# "sclab-LAB_ID-NODE"; veth ends are created directly inside their
# namespaces ("eK-PEER", at most 15 characters), so nothing is left in the
# root namespace.  The state dir LAB_DIR holds the lab's records and the
# logs of background processes; it is removed at teardown unless
# LAB_KEEP_DIR=1.

LAB_ID=${LAB_ID:-}
_LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_DIR=${LAB_DIR:-}
_LAB_OWNER=

_lab_err() {
	echo "lab: $*" >&2
	return 1
}

# _lab_need_init: fail unless lab_init ran.
_lab_need_init() {
	[ -n "$LAB_ID" ] && [ -d "$LAB_DIR" ] ||
	    _lab_err "no lab: lab_init not called, or the lab was torn down"
}

# lab_args "NAME..." ARG...: a test's arguments into named variables.
lab_args() {
	local _lab_names _lab_n
	read -ra _lab_names <<<"$1"
	shift
	if [ $# -lt ${#_lab_names[@]} ]; then
		echo "usage: ${0##*/} ${_lab_names[*]}" >&2
		exit 2
	fi
	for _lab_n in "${_lab_names[@]}"; do
		printf -v "$_lab_n" '%s' "$1"
		shift
		[[ $_lab_n == [A-Z]* ]] && export "${_lab_n?}"
	done
	return 0
}

# lab_require_root: exit 77 with "SKIP: reason" unless the lab can run.
lab_require_ref() {
	REF=/usr/bin/scamper
	[ -x "$REF" ] || { echo "SKIP: $REF missing (apt-get install scamper)"; exit 77; }
}

lab_require_root() {
	local ns t
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: lab tests need root (network namespaces)"
		exit 77
	fi
	for t in ip nft sysctl; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t not found (install iproute2, nftables, procps)"
			exit 77
		fi
	done
	ns="sclab-probe-$$-$RANDOM"
	if ! ip netns add "$ns" >/dev/null 2>&1; then
		echo "SKIP: ip netns add does not work here"
		exit 77
	fi
	if ! ip netns exec "$ns" true >/dev/null 2>&1; then
		ip netns del "$ns" >/dev/null 2>&1
		echo "SKIP: ip netns exec does not work here"
		exit 77
	fi
	ip netns del "$ns" >/dev/null 2>&1
	return 0
}

# lab_require_cmd CMD...: exit 77 with "SKIP: CMD not found" unless every
# CMD is installed.
lab_require_cmd() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && continue
		echo "SKIP: $t not found"
		exit 77
	done
}

# lab_checks [tap]: count a test's checks from here: "ok WHAT" and "bad
# WHAT" print one line each ("ok: WHAT" / "FAIL: WHAT", or with tap "ok N
# - WHAT" / "not ok N - WHAT") and count it (n checks, fail of them
# failed); lab_checks_end prints the tally and fails if a check did.
lab_checks() {
	fail=0 n=0 _lab_tap=${1:-}
	if [ -n "$_lab_tap" ]; then
		ok() { n=$((n + 1)); echo "ok $n - $*"; }
		bad() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
	else
		ok() { n=$((n + 1)); echo "ok: $*"; }
		bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }
	fi
}
lab_checks_end() {
	if [ -n "$_lab_tap" ]; then
		echo "$((n - fail)) passed, $fail failed"
	else
		echo "$((n - fail))/$n passed"
	fi
	[ "$fail" = 0 ]
}

# the traps act only in the shell that called lab_init
_lab_on_exit() {
	local rc=$?
	[ "$BASHPID" = "$_LAB_OWNER" ] && lab_teardown
	exit "$rc"
}

_lab_on_signal() {
	[ "$BASHPID" = "$_LAB_OWNER" ] && lab_teardown
	trap - EXIT
	exit "$1"
}

# _lab_python: put the real python3 first in PATH (LAB_DIR/bin), so a
# version manager's shim (pyenv: a shell script, a second or more per
# start) is never run for the python3 a test starts.  The first python3
# in PATH that is a program (not a script) is it; if there is none, the
# shim is asked once.
_lab_python() {
	local py= d c first
	local IFS=:
	for d in $PATH; do
		c=${d:-.}/python3
		[ -x "$c" ] && [ -f "$c" ] || continue
		first=
		read -r -n 4 first <"$c" 2>/dev/null
		[ "$first" = $'\x7fELF' ] && { py=$c; break; }
		[[ $first == '#!'* ]] || break
	done
	unset IFS
	if [ -z "$py" ]; then
		command -v python3 >/dev/null 2>&1 || return 0
		py=$(python3 -c 'import sys; print(sys.executable)' \
		    2>/dev/null) && [ -x "$py" ] || return 0
	fi
	mkdir -p "$LAB_DIR/bin" && ln -sf "$py" "$LAB_DIR/bin/python3" ||
	    _lab_err "cannot make $LAB_DIR/bin" || return 1
	PATH=$LAB_DIR/bin:$PATH
	export PATH
}

# lab_init [TAG]: start a lab; sets LAB_ID and LAB_DIR, traps teardown.
lab_init() {
	local tag=${1:-lab}
	tag=${tag//[^A-Za-z0-9_]/}
	tag=${tag:0:10}
	[ -n "$tag" ] || tag=lab
	LAB_ID="$tag-$$-$RANDOM"
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sclab-$LAB_ID.XXXXXX") ||
	    _lab_err "cannot make a state dir" || return 1
	: >"$LAB_DIR/nodes"
	: >"$LAB_DIR/links"
	: >"$LAB_DIR/pids"
	: >"$LAB_DIR/atexit"
	_LAB_OWNER=$BASHPID
	[ -n "${LAB_REGISTRY:-}" ] && echo "$LAB_ID $LAB_DIR" >>"$LAB_REGISTRY"
	_lab_python || return 1
	trap _lab_on_exit EXIT
	trap '_lab_on_signal 129' HUP
	trap '_lab_on_signal 130' INT
	trap '_lab_on_signal 141' PIPE
	trap '_lab_on_signal 143' TERM
	export LAB_ID LAB_DIR
}

# lab_ns NAME: echo the namespace name of node NAME.
lab_ns() {
	[ -n "$LAB_ID" ] || _lab_err "lab_init has not been called" || return 1
	echo "sclab-$LAB_ID-$1"
}

# _lab_type NODE: echo NODE's type; fails if NODE is not in this lab.
_lab_type() {
	local n t
	[ -f "$LAB_DIR/nodes" ] || return 1
	while read -r n t; do
		[ "$n" = "$1" ] && { echo "$t"; return 0; }
	done <"$LAB_DIR/nodes"
	return 1
}

# _lab_known NODE: fail with a message unless NODE exists.
_lab_known() {
	_lab_need_init || return 1
	_lab_type "$1" >/dev/null || _lab_err "no node '$1' in this lab"
}

_lab_valid_name() {
	[[ $1 =~ ^[A-Za-z0-9_]{1,12}$ ]]
}

# lab_nodes: echo "NAME TYPE" for every node of the lab.
lab_nodes() {
	_lab_need_init || return 1
	cat "$LAB_DIR/nodes"
}

# _lab_nsinit NS KEY=VALUE... [-- KEY=VALUE...]: inside NS, bring lo up
# and set each sysctl (dotted keys, written to /proc/sys), failing on the first that cannot be
# set; those after "--" are set where the kernel has them (no error).
# One process in the namespace for all of it: a lab of eight nodes is
# built in seconds on a loaded machine, not a minute.
_lab_nsinit() {
	local ns=$1 kv k args=()
	shift
	for kv in "$@"; do
		[ "$kv" = -- ] && { args+=(--); continue; }
		k=${kv%%=*}
		args+=("${k//.//}" "${kv#*=}")
	done
	ip netns exec "$ns" sh -c '
	ip link set lo up || exit 1
	opt=0
	while [ $# -gt 0 ]; do
		[ "$1" = -- ] && { opt=1; shift; continue; }
		f=/proc/sys/$1
		if [ $opt = 1 ]; then
			{ echo "$2" >"$f"; } 2>/dev/null
		elif ! { echo "$2" >"$f"; } 2>/dev/null; then
			echo "lab: sysctl $1=$2 failed in '"$ns"'" >&2
			exit 1
		fi
		shift 2
	done' sh "${args[@]}"
}

# lab_node NAME [router|host]: make node NAME's namespace.
lab_node() {
	local name=$1 type=${2:-host} ns
	_lab_need_init || return 1
	_lab_valid_name "$name" ||
	    _lab_err "bad node name '$name' (1-12 of A-Z a-z 0-9 _)" ||
	    return 1
	case $type in
	router|host) ;;
	*) _lab_err "node $name: type must be router or host, not '$type'"
	    return 1 ;;
	esac
	_lab_type "$name" >/dev/null &&
	    { _lab_err "node $name already exists"; return 1; }
	ns=sclab-$LAB_ID-$name
	ip netns add "$ns" || _lab_err "ip netns add $ns failed" || return 1
	echo "$name $type" >>"$LAB_DIR/nodes"
	local fwd=()
	[ "$type" = router ] &&
	    fwd=(net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1)
	# after "--", newer kernels only: burst of the global ICMP limit;
	# the multipath hash's seed (6.11+; else the kernel's per-boot
	# random key), so that which branch a flow takes is the same on
	# every boot
	_lab_nsinit "$ns" net.ipv4.icmp_ratelimit=0 \
	    net.ipv6.icmp.ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 \
	    net.ipv4.fib_multipath_hash_policy=1 \
	    net.ipv6.fib_multipath_hash_policy=1 \
	    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
	    net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.default.accept_ra=0 "${fwd[@]}" -- \
	    net.ipv4.icmp_msgs_burst=100000 \
	    net.ipv4.fib_multipath_hash_seed=1512376517
}

# _lab_v6_expand ADDR: set _LAB_V6X to ADDR as 8 four-digit hex groups
# joined by ':' (no subshell: the checks run for every address).
_lab_v6_expand() {
	local a=${1,,} head tail out=() g n i
	[[ $a =~ ^[0-9a-f:]+$ ]] || return 1
	if [[ $a == *::* ]]; then
		head=${a%%::*}
		tail=${a#*::}
		[[ $tail == *::* ]] && return 1
	else
		head=$a
		tail=
	fi
	local -a h=() t=()
	[ -n "$head" ] && IFS=: read -ra h <<<"$head"
	[ -n "$tail" ] && IFS=: read -ra t <<<"$tail"
	if [[ $a == *::* ]]; then
		n=$((8 - ${#h[@]} - ${#t[@]}))
		[ "$n" -ge 1 ] || return 1
	else
		n=0
		[ "${#h[@]}" -eq 8 ] || return 1
	fi
	for g in "${h[@]}"; do out+=("$g"); done
	for ((i = 0; i < n; i++)); do out+=(0); done
	for g in "${t[@]}"; do out+=("$g"); done
	for i in "${!out[@]}"; do
		g=${out[$i]}
		[[ $g =~ ^[0-9a-f]{1,4}$ ]] || return 1
		printf -v "out[$i]" '%04x' "0x$g"
	done
	local IFS=:
	_LAB_V6X="${out[*]}"
}

# _lab_doc ADDR[/LEN]: succeed if ADDR is in a documentation range.
_lab_doc() {
	local a=${1%%/*} len= x o1 o2 o3 o4
	[[ $1 == */* ]] && len=${1#*/}
	if [[ $a == *:* ]]; then
		[ -z "$len" ] || { [[ $len =~ ^[0-9]{1,3}$ ]] &&
		    [ "$len" -le 128 ]; } || return 1
		_lab_v6_expand "$a" || return 1
		x=$_LAB_V6X
		[[ $x == 2001:0db8:* ]] && return 0
		[[ $x == 2001:0002:0000:* ]] && return 0
		return 1
	fi
	[ -z "$len" ] || { [[ $len =~ ^[0-9]{1,2}$ ]] &&
	    [ "$len" -le 32 ]; } || return 1
	[[ $a =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] ||
	    return 1
	o1=$((10#${BASH_REMATCH[1]})) o2=$((10#${BASH_REMATCH[2]}))
	o3=$((10#${BASH_REMATCH[3]})) o4=$((10#${BASH_REMATCH[4]}))
	[ $o1 -le 255 ] && [ $o2 -le 255 ] && [ $o3 -le 255 ] &&
	    [ $o4 -le 255 ] || return 1
	case "$o1.$o2.$o3" in
	192.0.2|198.51.100|203.0.113) return 0 ;;
	esac
	[ $o1 = 198 ] && { [ $o2 = 18 ] || [ $o2 = 19 ]; } && return 0
	return 1
}

# _lab_check_addr WHAT ADDR: ADDR must be a CIDR address in a doc range.
_lab_check_addr() {
	[[ $2 == */* ]] || _lab_err "$1 '$2' needs a prefix length (CIDR)" ||
	    return 1
	_lab_doc "$2" ||
	    _lab_err "$1 '$2' is not a documentation address" || return 1
}

# _lab_family ADDR: set _LAB_FAM to 4 or 6.
_lab_family() {
	if [[ $1 == *:* ]]; then _LAB_FAM=6; else _LAB_FAM=4; fi
}

# _lab_same_family A B: succeed if addresses A and B are of one family.
_lab_same_family() {
	[[ $1 == *:* ]] && [[ $2 == *:* ]] && return 0
	[[ $1 != *:* ]] && [[ $2 != *:* ]]
}

# _lab_link_args ARGS...: check lab_link's arguments; sets _LA_* vars.
_lab_link_args() {
	_LA_A=$1 _LA_B=$2 _LA_4A=$3 _LA_4B=$4 _LA_6A= _LA_6B= _LA_MTU=
	[ $# -ge 4 ] ||
	    _lab_err "link needs A B ADDR_A ADDR_B [ADDR6_A ADDR6_B] [mtu N]" ||
	    return 1
	shift 4
	if [ $# -ge 2 ] && [ "$1" != mtu ]; then
		_LA_6A=$1 _LA_6B=$2
		shift 2
	fi
	if [ $# -ge 1 ]; then
		[ "$1" = mtu ] && [ $# -eq 2 ] ||
		    _lab_err "link: unexpected '$*' (want [ADDR6_A ADDR6_B] [mtu N])" ||
		    return 1
		[[ $2 =~ ^[0-9]{3,5}$ ]] && [ "$2" -ge 1280 ] &&
		    [ "$2" -le 65535 ] ||
		    _lab_err "link: mtu '$2' is not a number in 1280..65535" ||
		    return 1
		_LA_MTU=$2
	fi
	[ "$_LA_A" != "$_LA_B" ] ||
	    _lab_err "link: both ends are node '$_LA_A'" || return 1
	_lab_check_addr "link address" "$_LA_4A" || return 1
	_lab_check_addr "link address" "$_LA_4B" || return 1
	_lab_same_family "$_LA_4A" "$_LA_4B" ||
	    _lab_err "link: '$_LA_4A' and '$_LA_4B' are not one family" ||
	    return 1
	if [ -n "$_LA_6A" ]; then
		_lab_check_addr "link address" "$_LA_6A" || return 1
		_lab_check_addr "link address" "$_LA_6B" || return 1
		[[ $_LA_6A == *:* ]] && [[ $_LA_6B == *:* ]] ||
		    _lab_err "link: '$_LA_6A' '$_LA_6B' must be IPv6 addresses" ||
		    return 1
	fi
	return 0
}

# _lab_add_addr NS IF ADDR: add ADDR (IPv6 with nodad).
_lab_add_addr() {
	if [[ $3 == *:* ]]; then
		ip -n "$1" -6 addr add "$3" dev "$2" nodad
	else
		ip -n "$1" addr add "$3" dev "$2"
	fi || _lab_err "cannot add $3 to $2 in $1"
}

# _lab_newif VAR NODE PEER: set VAR to a free interface name in NODE for
# PEER ("eK-PEER", K the links NODE already has to PEER: only lab_link
# makes interfaces; a name cut to 15 characters is checked in NODE).
_lab_newif() {
	local k=0 name a ia x y b ib rest
	while read -r a ia x y b ib rest; do
		{ [ "$a" = "$2" ] && [ "$b" = "$3" ]; } ||
		    { [ "$b" = "$2" ] && [ "$a" = "$3" ]; } && k=$((k + 1))
	done <"$LAB_DIR/links"
	while :; do
		name="e$k-$3"
		[ ${#name} -le 15 ] && break
		name=${name:0:15}
		ip -n "sclab-$LAB_ID-$2" link show dev "$name" >/dev/null 2>&1 ||
		    break
		k=$((k + 1))
	done
	printf -v "$1" '%s' "$name"
}

# _lab_ifup NS IF MTU ADDR...: MTU (or "" to leave it), the addresses
# (IPv6 nodad), up: one ip process.
_lab_ifup() {
	local ns=$1 ifn=$2 mtu=$3 a cmds=
	shift 3
	[ -n "$mtu" ] && cmds+="link set dev $ifn mtu $mtu"$'\n'
	for a in "$@"; do
		[ -n "$a" ] || continue
		if [[ $a == *:* ]]; then
			cmds+="addr add $a dev $ifn nodad"$'\n'
		else
			cmds+="addr add $a dev $ifn"$'\n'
		fi
	done
	cmds+="link set dev $ifn up"
	ip -n "$ns" -batch - <<<"$cmds" ||
	    _lab_err "cannot set up $ifn in $ns (${*:-no address}${mtu:+, mtu $mtu})"
}

# lab_link A B ADDR_A ADDR_B [ADDR6_A ADDR6_B] [mtu N]: echo "IF_A IF_B".
lab_link() {
	local nsa nsb ifa ifb
	_lab_link_args "$@" || return 1
	_lab_known "$_LA_A" || return 1
	_lab_known "$_LA_B" || return 1
	nsa=sclab-$LAB_ID-$_LA_A nsb=sclab-$LAB_ID-$_LA_B
	_lab_newif ifa "$_LA_A" "$_LA_B"
	_lab_newif ifb "$_LA_B" "$_LA_A"
	ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" \
	    netns "$nsb" ||
	    _lab_err "cannot make veth $_LA_A:$ifa <-> $_LA_B:$ifb" ||
	    return 1
	_lab_ifup "$nsa" "$ifa" "$_LA_MTU" "$_LA_4A" "$_LA_6A" &&
	    _lab_ifup "$nsb" "$ifb" "$_LA_MTU" "$_LA_4B" "$_LA_6B" ||
	    return 1
	echo "$_LA_A $ifa $_LA_4A ${_LA_6A:--} $_LA_B $ifb $_LA_4B" \
	    "${_LA_6B:--} ${_LA_MTU:-1500}" >>"$LAB_DIR/links"
	echo "$ifa $ifb"
}

# lab_ifname NODE PEER [N]: echo NODE's interface on its Nth link to PEER.
lab_ifname() {
	local want=${3:-1} k=0 a ia x y b ib rest
	_lab_need_init || return 1
	while read -r a ia x y b ib rest; do
		if [ "$a" = "$1" ] && [ "$b" = "$2" ]; then
			k=$((k + 1)); [ $k = "$want" ] && { echo "$ia"; return 0; }
		elif [ "$b" = "$1" ] && [ "$a" = "$2" ]; then
			k=$((k + 1)); [ $k = "$want" ] && { echo "$ib"; return 0; }
		fi
	done <"$LAB_DIR/links"
	_lab_err "no link $want between '$1' and '$2'"
}

# lab_addr NODE IFNAME ADDR: add ADDR to NODE's IFNAME.
lab_addr() {
	[ $# -eq 3 ] || _lab_err "lab_addr needs NODE IFNAME ADDR" || return 1
	_lab_known "$1" || return 1
	_lab_check_addr address "$3" || return 1
	_lab_add_addr "sclab-$LAB_ID-$1" "$2" "$3"
}

# _lab_route_args PREFIX via GW [via GW ...]: check; sets _LR_GWS.
_lab_route_args() {
	local p=$1 fam=
	_LR_GWS=()
	[ $# -ge 3 ] ||
	    _lab_err "route needs NODE PREFIX via GW [via GW ...]" || return 1
	if [ "$p" != default ] && [ "$p" != default6 ]; then
		_lab_doc "$p" ||
		    _lab_err "route prefix '$p' is not a documentation prefix" ||
		    return 1
		_lab_family "$p"
		fam=$_LAB_FAM
	fi
	[ "$p" = default6 ] && fam=6
	shift
	while [ $# -gt 0 ]; do
		[ "$1" = via ] && [ $# -ge 2 ] ||
		    _lab_err "route: expected 'via GW', got '$*'" || return 1
		[[ $2 != */* ]] && _lab_doc "$2" ||
		    _lab_err "route gateway '$2' is not a documentation address" ||
		    return 1
		_lab_family "$2"
		[ -z "$fam" ] && fam=$_LAB_FAM
		[ "$_LAB_FAM" = "$fam" ] ||
		    _lab_err "route: gateway '$2' is not in the family of '$p'" ||
		    return 1
		_LR_GWS+=("$2")
		shift 2
	done
	_LR_FAM=$fam
	return 0
}

# _lab_route_cmd NODE PREFIX via GW [via GW ...]: check; set _LR_CMD to
# the ip command that adds the route (for ip -batch: the family is in
# the prefix, "default" written out).
_lab_route_cmd() {
	local node=$1 p=$2 g
	_lab_known "$node" || return 1
	_lab_route_args "${@:2}" || return 1
	case $p in
	default|default6)	[ "$_LR_FAM" = 6 ] && p=::/0 || p=0.0.0.0/0 ;;
	esac
	_LR_CMD="route add $p"
	if [ ${#_LR_GWS[@]} -eq 1 ]; then
		_LR_CMD+=" via ${_LR_GWS[0]}"
	else
		for g in "${_LR_GWS[@]}"; do _LR_CMD+=" nexthop via $g"; done
	fi
}

# lab_route NODE PREFIX via GW [via GW ...]: add a (multipath) route.
lab_route() {
	_lab_route_cmd "$@" || return 1
	ip -n "sclab-$LAB_ID-$1" -batch - <<<"$_LR_CMD" ||
	    _lab_err "node $1: ip $_LR_CMD failed"
}

# lab_build's routes wait in one ip batch per node (a lab's forty routes
# are a few processes, not forty): node -> commands, and -> the
# description's line of each
declare -gA _LAB_RQ=() _LAB_RQL=()

# _lab_route_queue LINE NODE ROUTE...: check, and queue for the flush.
_lab_route_queue() {
	local n=$1
	shift
	_lab_route_cmd "$@" || return 1
	_LAB_RQ[$1]+="$_LR_CMD"$'\n'
	_LAB_RQL[$1]+="$n "
}

# _lab_route_flush SRC: add the queued routes, node by node; a failure
# names its description line and ip's reason.
_lab_route_flush() {
	local node err k lines
	for node in "${!_LAB_RQ[@]}"; do
		if ! ip -n "sclab-$LAB_ID-$node" -batch - \
		    <<<"${_LAB_RQ[$node]}" 2>"$LAB_DIR/err"; then
			k=$(sed -n 's/^Command failed -:\([0-9]*\)$/\1/p' \
			    "$LAB_DIR/err")
			read -ra lines <<<"${_LAB_RQL[$node]}"
			err=$(grep -v '^Command failed' "$LAB_DIR/err" |
			    head -1)
			_LAB_RQ=() _LAB_RQL=()
			_lab_err "$1:${lines[$((${k:-1} - 1))]}: node $node:" \
			    "ip route add failed: $err"
			return 1
		fi
	done
	_LAB_RQ=() _LAB_RQL=()
}

# lab_silent NODE: NODE sends no ICMP or ICMPv6 time-exceeded.
lab_silent() {
	_lab_known "$1" || return 1
	ip netns exec "$(lab_ns "$1")" nft -f - <<'NFT' ||
table inet sclab_silent {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type time-exceeded drop;
		icmpv6 type time-exceeded drop;
	};
};
NFT
	    _lab_err "node $1: nft rules for silent failed"
}

# lab_exec NODE CMD...: run CMD inside NODE's namespace.
lab_exec() {
	local node=$1
	_lab_known "$node" || return 1
	shift
	ip netns exec "sclab-$LAB_ID-$node" "$@"
}

# lab_bglog PID: echo the log file of background process PID.
lab_bglog() {
	echo "$LAB_DIR/bg.$1.log"
}

# lab_bg NODE CMD...: start CMD in NODE in the background; echo its pid.
lab_bg() {
	local node=$1 pid
	_lab_known "$node" || return 1
	shift
	# sh's $$ is the pid that ip netns exec and then CMD exec into
	sh -c 'exec >"$0/bg.$$.log" 2>&1; exec "$@"' "$LAB_DIR" \
	    ip netns exec "sclab-$LAB_ID-$node" "$@" </dev/null &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	echo "$pid"
}

# lab_atexit CMD: run shell command CMD at teardown (before the kills).
lab_atexit() {
	_lab_need_init || return 1
	printf '%s\n' "$*" >>"$LAB_DIR/atexit"
}

# lab_resolv NODE TEXT: NODE's own resolv.conf, so nothing run in it can
# reach the host's resolver (see the list above).
lab_resolv() {
	local d
	d=/etc/netns/$(lab_ns "$1") || return 1
	if [ ! -e "$LAB_DIR/resolv-$1" ]; then
		mkdir -p "$d" || return 1
		lab_atexit "rm -rf '$d'"
		: >"$LAB_DIR/resolv-$1"
	fi
	printf '%b' "$2" >"$d/resolv.conf"
}

# _lab_at SRC LINE CMD...: run CMD; its "lab: " errors get "SRC:LINE: ".
_lab_at() {
	local src=$1 n=$2
	shift 2
	if "$@" 2>"$LAB_DIR/err"; then
		[ -s "$LAB_DIR/err" ] && cat "$LAB_DIR/err" >&2
		return 0
	fi
	sed "s|^lab: ||; s|^|lab: $src:$n: |" "$LAB_DIR/err" >&2
	return 1
}

# _lab_parse FILE LINES...: check a description; fail naming the line.
_lab_parse() {
	local src=$1 n=0 line w known=" " node
	shift
	for line in "$@"; do
		n=$((n + 1))
		line=${line%%#*}
		read -ra w <<<"$line"
		[ ${#w[@]} -eq 0 ] && continue
		case ${w[0]} in
		node)
			[ ${#w[@]} -eq 3 ] ||
			    _lab_err "$src:$n: want 'node NAME router|host'" ||
			    return 1
			_lab_valid_name "${w[1]}" ||
			    _lab_err "$src:$n: bad node name '${w[1]}'" ||
			    return 1
			[[ $known == *" ${w[1]} "* ]] &&
			    { _lab_err "$src:$n: node '${w[1]}' declared twice"
			    return 1; }
			[ "${w[2]}" = router ] || [ "${w[2]}" = host ] ||
			    _lab_err "$src:$n: node type must be router or host, not '${w[2]}'" ||
			    return 1
			known+="${w[1]} "
			continue ;;
		link)
			_lab_at "$src" $n _lab_link_args "${w[@]:1}" ||
			    return 1
			for node in "${w[1]}" "${w[2]}"; do
				[[ $known == *" $node "* ]] ||
				    _lab_err "$src:$n: unknown node '$node' (declare it first)" ||
				    return 1
			done ;;
		addr)
			[ ${#w[@]} -eq 4 ] ||
			    _lab_err "$src:$n: want 'addr NODE IFNAME ADDR'" ||
			    return 1
			_lab_at "$src" $n _lab_check_addr address \
			    "${w[3]}" || return 1 ;;
		route)
			_lab_at "$src" $n _lab_route_args "${w[@]:2}" ||
			    return 1 ;;
		silent)
			[ ${#w[@]} -eq 2 ] ||
			    _lab_err "$src:$n: want 'silent NODE'" || return 1 ;;
		*)
			_lab_err "$src:$n: unknown statement '${w[0]}' (want node, link, addr, route or silent)"
			return 1 ;;
		esac
		[ ${#w[@]} -ge 2 ] ||
		    _lab_err "$src:$n: '${w[0]}' needs a node" || return 1
		[[ $known == *" ${w[1]} "* ]] ||
		    _lab_err "$src:$n: unknown node '${w[1]}' (declare it first)" ||
		    return 1
	done
	return 0
}

# _lab_run LINE: build one checked statement.
_lab_run() {
	local w
	read -ra w <<<"${1%%#*}"
	[ ${#w[@]} -eq 0 ] && return 0
	case ${w[0]} in
	node)	lab_node "${w[1]}" "${w[2]}" ;;
	link)	lab_link "${w[@]:1}" >/dev/null ;;
	addr)	lab_addr "${w[@]:1}" ;;
	route)	lab_route "${w[@]:1}" ;;
	silent)	lab_silent "${w[1]}" ;;
	esac
}

# lab_build FILE|-: build the lab a description describes.
lab_build() {
	local src=${1:--} lines=() n=0 line w
	_lab_need_init || return 1
	if [ "$src" = - ]; then
		mapfile -t lines
		src=stdin
	else
		[ -r "$src" ] ||
		    { _lab_err "cannot read description '$src'"; lab_teardown
		    return 1; }
		mapfile -t lines <"$src"
	fi
	if ! _lab_parse "$src" "${lines[@]}"; then
		lab_teardown
		return 1
	fi
	_LAB_RQ=() _LAB_RQL=()
	for line in "${lines[@]}"; do
		n=$((n + 1))
		read -ra w <<<"${line%%#*}"
		[ ${#w[@]} -eq 0 ] && continue
		if [ "${w[0]}" = route ]; then
			_lab_at "$src" $n _lab_route_queue $n "${w[@]:1}" &&
			    continue
		elif _lab_route_flush "$src" &&
		    _lab_at "$src" $n _lab_run "$line"; then
			continue
		fi
		_lab_err "$src:$n: building '${line%%#*}' failed"
		lab_teardown
		return 1
	done
	if ! _lab_route_flush "$src"; then
		lab_teardown
		return 1
	fi
	return 0
}

# lab_start TAG DESC [STATEMENT...]: lab_init TAG, build the description
# DESC (text) and each STATEMENT after it, set tmp=$LAB_DIR; returns 1
# if it could not be built.
lab_start() {
	local desc
	lab_init "$1" || return 1
	printf -v desc '%s\n' "$2" "${@:3}"
	lab_build - >/dev/null <<<"$desc" || return 1
	tmp=$LAB_DIR
}

# lab_two_hosts [-6] TAG [STATEMENT...]: the two-host lab most tests
# start from (see the list above); returns 1 if it could not be built.
lab_two_hosts() {
	local link="link h1 h2 192.0.2.1/30 192.0.2.2/30"
	if [ "${1:-}" = -6 ]; then
		link+=" 2001:db8:1::1/64 2001:db8:1::2/64"
		shift
	fi
	lab_start "$1" "node h1 host"$'\n'"node h2 host"$'\n'"$link" "${@:2}"
}

# lab_basic TAG [STATEMENT...]: the lab of topo-basic.txt (beside this
# file) and each STATEMENT; returns 1 if it could not be built.
lab_basic() {
	lab_start "$1" "$(cat "$_LAB_HOME/topo-basic.txt")" "${@:2}"
}

# lab_star TAG N: a controller and N vantage points (see the list above);
# returns 1 if it could not be built.
lab_star() {
	local desc="node c host" k
	for ((k = 1; k <= $2; k++)); do
		desc+=$'\n'"node v$k host"
	done
	for ((k = 1; k <= $2; k++)); do
		desc+=$'\n'"link c v$k 192.0.2.$((4 * k - 3))/30"
		desc+=" 192.0.2.$((4 * k - 2))/30"
	done
	lab_start "$1" "$desc"
}

# lab_describe: print the lab's nodes and links for humans.
lab_describe() {
	local n t a ia a4 a6 b ib b4 b6 mtu
	_lab_need_init || return 1
	echo "nodes:"
	while read -r n t; do
		printf '  %-6s %s\n' "$n" "$t"
	done <"$LAB_DIR/nodes"
	echo "links:"
	while read -r a ia a4 a6 b ib b4 b6 mtu; do
		printf '  %-5s %-18s %-22s <-> %-5s %-18s %s' "$a" "$a4" "$a6" \
		    "$b" "$b4" "$b6"
		[ "$mtu" != 1500 ] && printf '  (mtu %s)' "$mtu"
		printf '\n'
	done <"$LAB_DIR/links"
}

# _lab_alive PID: succeed if PID runs (exists and is not a zombie).
_lab_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st:0:1}" != Z ]
}

# lab_teardown: kill lab processes, delete the lab's namespaces.
lab_teardown() {
	local pid ns cmd left i
	[ -n "$LAB_ID" ] || return 0
	if [ -d "$LAB_DIR" ]; then
		while IFS= read -r cmd; do
			[ -n "$cmd" ] && eval "$cmd" >/dev/null 2>&1
		done <"$LAB_DIR/atexit"
		: >"$LAB_DIR/atexit"
		while read -r pid; do
			kill "$pid" 2>/dev/null
		done <"$LAB_DIR/pids"
	fi
	# the lab's namespaces; what still runs in them is killed (politely,
	# then not), and they go: one ip process for each step
	local nss=() batch= out
	out=$(ip netns list 2>/dev/null)
	while read -r ns _; do
		[[ $ns == "sclab-$LAB_ID-"* ]] && nss+=("$ns")
	done <<<"$out"
	if [ ${#nss[@]} -gt 0 ]; then
		for ns in "${nss[@]}"; do batch+="netns pids $ns"$'\n'; done
		left=$(ip -force -batch - <<<"$batch" 2>/dev/null)
		if [ -n "${left//[$'\n ']/}" ]; then
			kill $left 2>/dev/null
			sleep 0.2
			left=$(ip -force -batch - <<<"$batch" 2>/dev/null)
			[ -n "${left//[$'\n ']/}" ] && kill -9 $left 2>/dev/null
		fi
		batch=
		for ns in "${nss[@]}"; do batch+="netns del $ns"$'\n'; done
		ip -force -batch - <<<"$batch" 2>/dev/null ||
		    echo "lab: warning: cannot delete every namespace of" \
		    "$LAB_ID" >&2
	fi
	if [ -d "$LAB_DIR" ]; then
		for i in 1 2 3 4 5 6 7 8 9 10; do
			left=
			while read -r pid; do
				_lab_alive "$pid" && left=1
			done <"$LAB_DIR/pids"
			[ -z "$left" ] && break
			sleep 0.2
		done
		while read -r pid; do
			_lab_alive "$pid" && kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		done <"$LAB_DIR/pids"
		: >"$LAB_DIR/pids"
		: >"$LAB_DIR/nodes"
		: >"$LAB_DIR/links"
		[ "${LAB_KEEP_DIR:-0}" = 1 ] || rm -rf "$LAB_DIR"
	fi
	return 0
}

# lab_teardown_id ID DIR: tear down lab ID whose state dir is DIR, from
# a shell that did not make it (a runner whose child was killed before
# its own traps ran): what runs in its namespaces is killed, they and
# DIR go.  Idempotent.
lab_teardown_id() {
	[ -n "$1" ] || return 0
	[[ $2 == */sclab-"$1".* ]] || { _lab_err "not lab $1's dir: $2"; return 1; }
	( LAB_ID=$1 LAB_DIR=$2 LAB_KEEP_DIR=0; [ -d "$2" ] || LAB_DIR=/nonexistent
	  lab_teardown; rm -rf "$2" )
}
