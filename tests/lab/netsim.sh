# tests/lab/netsim.sh: run sc_netsim (the simulated Internet) in a lab.
#
# Source it after tests/lab/lab.sh, inside a lab (lab_init done):
#
#	. tests/lab/lab.sh
#	. tests/lab/netsim.sh
#	lab_require_root
#	lab_init sim
#	lab_node vp host
#	NETSIM_BIN=build/tools/sc_netsim/sc_netsim
#	netsim_start vp --seed 7 --truth "$LAB_DIR/truth.json"
#	lab_exec vp scamper -c "trace -P icmp-paris" -i 198.18.0.1
#
# Functions (errors go to stderr as "netsim: ..." and return 1):
#	netsim_start NODE [ARGS...]	start sc_netsim ARGS in NODE, wait until
#					its TUN device is up, give the device
#					the prober's source addresses and route
#					the simulated prefixes into it; stopped
#					at lab teardown.  Sets NETSIM_PID,
#					NETSIM_DEV, NETSIM_LOG, NETSIM_NODE.
#	netsim_counters			print sc_netsim's counter lines now
#					(SIGUSR1), as name=value pairs
#	netsim_counter NAME		echo one counter's current value
#	netsim_stop			stop it (SIGTERM); its final counters
#					are the last lines of NETSIM_LOG
#
# Variables read (defaults in brackets):
#	NETSIM_BIN	the sc_netsim binary [sc_netsim in PATH]
#	NETSIM_SRC4	IPv4 source address given to the device [192.0.2.1]
#	NETSIM_SRC6	IPv6 source address [2001:db8::1]
#	NETSIM_PREFIX4	IPv4 prefix routed into the device [198.18.0.0/15]
#	NETSIM_PREFIX6	IPv6 prefix routed into the device [2001:2::/48]
#	NETSIM_DEVNAME	device name [scsim0]
#	NETSIM_WRAP	words put before the binary, e.g. "taskset -c 1" []

NETSIM_PID=
NETSIM_DEV=
NETSIM_LOG=
NETSIM_NODE=

_netsim_err() {
	echo "netsim: $*" >&2
	return 1
}

# netsim_start NODE [ARGS...]: start sc_netsim in NODE.
netsim_start() {
	local node=$1 bin=${NETSIM_BIN:-sc_netsim} ready pid ns i
	local src4=${NETSIM_SRC4:-192.0.2.1} src6=${NETSIM_SRC6:-2001:db8::1}
	local p4=${NETSIM_PREFIX4:-198.18.0.0/15} p6=${NETSIM_PREFIX6:-2001:2::/48}
	[ $# -ge 1 ] || _netsim_err "netsim_start needs a NODE" || return 1
	shift
	[ -n "$NETSIM_PID" ] &&
	    { _netsim_err "sc_netsim already runs (pid $NETSIM_PID)"; return 1; }
	_lab_known "$node" || return 1
	command -v "$bin" >/dev/null 2>&1 ||
	    _netsim_err "sc_netsim binary '$bin' not found (set NETSIM_BIN)" ||
	    return 1
	ready="$LAB_DIR/netsim.$node.ready"
	rm -f "$ready"
	# shellcheck disable=SC2086
	pid=$(lab_bg "$node" ${NETSIM_WRAP:-} "$bin" --ready "$ready" \
	    --dev "${NETSIM_DEVNAME:-scsim0}" "$@") || return 1
	for ((i = 0; i < 200; i++)); do
		[ -s "$ready" ] && break
		if ! kill -0 "$pid" 2>/dev/null; then
			_netsim_err "sc_netsim exited at start:"
			sed 's/^/  /' "$(lab_bglog "$pid")" >&2
			return 1
		fi
		sleep 0.05
	done
	[ -s "$ready" ] || _netsim_err "sc_netsim did not come up in 10 s" ||
	    return 1
	NETSIM_PID=$pid
	NETSIM_DEV=$(awk '{print $1; exit}' "$ready")
	NETSIM_LOG=$(lab_bglog "$pid")
	NETSIM_NODE=$node
	lab_atexit netsim_stop
	ns=$(lab_ns "$node")
	ip -n "$ns" addr add "$src4/32" dev "$NETSIM_DEV" &&
	    ip -n "$ns" -6 addr add "$src6/128" dev "$NETSIM_DEV" nodad &&
	    ip -n "$ns" route add "$p4" dev "$NETSIM_DEV" src "$src4" &&
	    ip -n "$ns" -6 route add "$p6" dev "$NETSIM_DEV" src "$src6" ||
	    _netsim_err "cannot route $p4 and $p6 into $NETSIM_DEV" ||
	    return 1
	return 0
}

# netsim_counters: print sc_netsim's counters (name=value pairs).
netsim_counters() {
	local n i
	[ -n "$NETSIM_PID" ] || _netsim_err "sc_netsim is not running" ||
	    return 1
	n=$(grep -c 'sc_netsim: .*=' "$NETSIM_LOG")
	kill -USR1 "$NETSIM_PID" 2>/dev/null ||
	    _netsim_err "sc_netsim (pid $NETSIM_PID) is gone" || return 1
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c 'sc_netsim: .*=' "$NETSIM_LOG")" -ge $((n + 2)) ] &&
		    break
		sleep 0.02
	done
	grep 'sc_netsim: .*=' "$NETSIM_LOG" | tail -2 | sed 's/^sc_netsim: //'
}

# netsim_counter NAME: echo the current value of counter NAME.
netsim_counter() {
	netsim_counters | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1
}

# netsim_stop: stop sc_netsim; its final counters end NETSIM_LOG.
netsim_stop() {
	local i
	[ -n "$NETSIM_PID" ] || return 0
	kill -TERM "$NETSIM_PID" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$NETSIM_PID" 2>/dev/null || break
		sleep 0.02
	done
	NETSIM_PID=
	return 0
}
