#!/usr/bin/env bash
# test_cli.sh SCAMPER: the command line as a user meets it: output streams,
# messages and exit codes of -v, -? and bad or unbuilt options.  Nothing
# here sends a packet: every case stops before any probing could start.
set -u
scamper=$1
fail=0 n=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect RC STDOUT-REGEX STDERR-REGEX -- ARGS...
expect() {
	local rc=$1 ore=$2 ere=$3; shift 4
	n=$((n + 1))
	"$scamper" "$@" >"$out" 2>"$err" </dev/null
	local got=$?
	if [ $got -ne "$rc" ] || ! matches "$ore" "$out" ||
	    ! matches "$ere" "$err"; then
		echo "FAIL: scamper $*: rc=$got (want $rc)"
		echo "  stdout: $(head -c 300 "$out")"
		echo "  stderr: $(head -c 300 "$err")"
		fail=$((fail + 1))
	fi
}
# matches REGEX FILE: a line of FILE matches, or REGEX is EMPTY and so is FILE
matches() {
	if [ "$1" = EMPTY ]; then [ ! -s "$2" ]; else grep -Eq -- "$1" "$2"; fi
}
empty=EMPTY

expect 0 '^scamper version [0-9]{8}$' "$empty" -- -v
expect 0 '^usage: scamper ' "$empty" -- -?
expect 0 '^  -O  option' "$empty" -- -?
expect 1 "$empty" '^scamper: -p: invalid value .abc.' -- -p abc -i 192.0.2.1
expect 1 "$empty" '^scamper: -p: invalid value .0.' -- -p 0 -i 192.0.2.1
expect 1 "$empty" '^scamper: -w: invalid value .-1.' -- -w -1 -i 192.0.2.1
expect 1 "$empty" '^scamper: -Z: unknown option' -- -Z
expect 1 "$empty" '^scamper: -c: unknown command .bogus.' -- -c bogus -i 192.0.2.1
expect 1 "$empty" '^scamper: -O: unknown option .bogus.' -- -O bogus
expect 1 "$empty" '^scamper: -O kqueue: not available on this system' -- -O kqueue -i 192.0.2.1
expect 1 "$empty" '^scamper: no input' --
expect 1 "$empty" '^scamper: -d: requires an argument' -- -i 192.0.2.1 -d
expect 1 "$empty" '^scamper: -c host: not implemented yet$' -- -c host -i 192.0.2.1
expect 1 "$empty" '^scamper: -o /nonexistent/dir/x: No such file' -- -o /nonexistent/dir/x -i 192.0.2.1
expect 1 "$empty" '^scamper: /nonexistent/list: No such file' -- /nonexistent/list
expect 1 "$empty" '^scamper: -n: not implemented yet$' -- -n 192.0.2.53 -i 192.0.2.1
expect 1 "$empty" "^scamper: -O planetlab: not supported: PlanetLab's safe raw sockets" -- -O planetlab -i 192.0.2.1

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
