# tests/drivers/checks.sh: what the drivers' unit tests share, sourced
# after they set `here` (their folder): a scratch folder tmp (removed at
# exit), quiet ok/bad counters (a failure is printed), the tally, and
# expect.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/drivers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

# checks_end WHAT: the tally; the script's status (0 if nothing failed).
checks_end() {
	echo "$1: $n checks, $fail failed"
	[ $fail = 0 ]
}

# expect STATUS PATTERN CMD...: CMD, run in tmp with no input, exits
# STATUS and says PATTERN (a fixed string) on stdout or stderr.
expect() {
	local want=$1 pat=$2 rc
	shift 2
	(cd "$tmp" && "$@") >"$tmp/out" 2>&1 </dev/null; rc=$?
	if [ $rc = "$want" ] && grep -q -F -- "$pat" "$tmp/out"; then ok; else
		bad "${*##*/} : status $rc, '$(head -c 300 "$tmp/out")'"
	fi
}
