# tests/tbit/tbitlab.sh: what the tbit lab tests share, sourced after
# they set `here` (their folder), with their arguments (SCAMPER HELPER
# ...): the lab library, root and python3 (skip without), the ok/bad
# counters and the closing tally, the lab of a client c and a server s
# on one link, a web server on s, and scamper started on c with a
# control socket on a port of its own (port).
set -u
scamper=$1
export SCAMPER_HELPER_BIN=$2
port=$((20000 + $$ % 20000))
. "$here/../lab/lab.sh"
lab_require_root
py=/usr/bin/python3
[ -x $py ] || py=$(command -v python3) ||
    { echo "SKIP: python3 not installed"; exit 77; }
lab_checks

# tbitlab_end: the tally; the script's status (0 if nothing failed).
tbitlab_end() {
	echo "$((n - fail)) passed, $fail failed"
	[ $fail = 0 ]
}

# tbitlab_lab TAG <SPEC: the lab SPEC (lab_build's language) describes;
# tmp is its state folder.
tbitlab_lab() {
	lab_init "$1"
	lab_build - >/dev/null || exit 1
	tmp=$LAB_DIR
}

# tbitlab_pair TAG: a lab of c (192.0.2.1, 2001:db8::1) and s (.2, ::2)
# on one link, s's web root $tmp/www made, s the server tbitlab_scamper
# waits for.
tbitlab_pair() {
	tbitlab_lab "$1" <<'EOT'
node c host
node s host
link c s 192.0.2.1/24 192.0.2.2/24 2001:db8::1/64 2001:db8::2/64
EOT
	mkdir -p "$tmp/www"
	TBITLAB_SERVERS=192.0.2.2
}

# tbitlab_httpd: python's web server on s, port 80, serving $tmp/www.
tbitlab_httpd() {
	(cd "$tmp/www" && lab_bg s $py -m http.server --bind :: 80 >/dev/null)
}

# tbitlab_scamper PORT [OPTION...]: scamper on c (with OPTIONs) taking
# commands on control PORT; waits (10 s at most) until that port and
# port 80 of every address in TBITLAB_SERVERS accept a connection.
tbitlab_scamper() {
	local port=$1 conn a i
	shift
	lab_bg c "$scamper" "$@" -P "$port" >/dev/null
	conn="socket.create_connection(('127.0.0.1', $port), 1)"
	for a in ${TBITLAB_SERVERS:-}; do
		conn="$conn
socket.create_connection(('$a', 80), 1)"
	done
	for i in $(seq 50); do
		lab_exec c $py -c "import socket
$conn" 2>/dev/null && break
		sleep 0.2
	done
}
