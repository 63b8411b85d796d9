# remote_lib.sh: what the remote-control lab tests share.  Source it
# after lab.sh, with $attach (our sc_attach) set; $socks is set later,
# before wait_sock is used.
lab_require_cmd openssl ss timeout
W2J=sc_warts2json
command -v $W2J >/dev/null || W2J=$(dirname "$attach")/../warts/sc_warts2json

lab_checks tap
log_of() { tail -n "${2:-20}" "$(lab_bglog "$1")" 2>/dev/null | sed 's/^/#   /'; }
count() { grep -c "\"type\": *\"$1\"" "$2" 2>/dev/null; }

# wait_sock GLOB: wait up to 20 s for a socket in $socks; echo its path.
wait_sock() {
	local f
	for _ in $(seq 200); do
		for f in "$socks"/$1; do
			[ -S "$f" ] && { echo "$f"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

# wait_log PID TEXT: wait up to 10 s for TEXT in the log of PID.
wait_log() {
	for _ in $(seq 100); do
		grep -q -- "$2" "$(lab_bglog "$1")" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# listening NODE PORT: wait up to 10 s for a TCP listener on PORT in NODE.
listening() {
	for _ in $(seq 200); do
		lab_exec "$1" ss -ltnH "sport = :$2" 2>/dev/null | grep -q . &&
		    return 0
		sleep 0.05
	done
	return 1
}

# attach_run SOCKET OUT CMD...: sc_attach -R the commands; JSON in OUT.json.
attach_run() {
	local sock=$1 out=$2
	shift 2
	printf '%s\n' "$@" >"$out.cmds"
	timeout 300 "$attach" -i "$out.cmds" -o "$out.warts" -R "$sock" \
	    2>"$out.err" && $W2J "$out.warts" >"$out.json" 2>>"$out.err"
}
