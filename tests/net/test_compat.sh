#!/usr/bin/env bash
# test_compat.sh SCAMPER HELPER: how scamper starts and refuses, in a
# two-host lab, beside Debian's scamper where it has the same case.
#
# * The first run: scamper run from its build tree starts the helper
#   built beside it with no environment set; a copy of it outside the
#   build tree (as an installed scamper) starts only the installed helper
#   (and says which it tried); SCAMPER_HELPER_BIN still overrides both.
# * Refused commands: an unknown command, a command 20211212 has but we
#   have not built ("not implemented yet") and a bad option each say
#   which they are; a run whose every command was refused exits 1
#   (-I, -f with -O cmdfile, -f addresses with -c), Debian's exits
#   non-zero too for -I; a run with one good command measures it and
#   exits 0.
# Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
helper=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
unset SCAMPER_HELPER_BIN
lab_two_hosts compat || exit 1
lab_checks tap
# run NAME PROGRAM ARGS...: exit status in $rc, output in $tmp/NAME.{out,err}
run() {
	local name=$1
	shift
	rc=0
	lab_exec h1 timeout 60 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
}
cd "$tmp" || exit 1

# ---- the first run -----------------------------------------------------
run first "$scamper" -O text -I "ping -c 1 192.0.2.2"
[ $rc = 0 ] && grep -q '^1 packets transmitted, 1 packets received' "$tmp/first.out" &&
    ok "from the build tree, no environment: the helper built beside it" ||
    bad "first run: rc $rc: $(cat "$tmp/first.out" "$tmp/first.err")"
run firstd "$scamper" -d "$tmp/first.log" -O text -I "ping -c 1 192.0.2.2"
grep -q "helper program $helper\$" "$tmp/first.log" &&
    ok "the debug log names the build tree's helper" ||
    bad "first run's helper: $(grep helper "$tmp/first.log")"
mkdir -p "$tmp/inst/bin"
cp "$scamper" "$tmp/inst/bin/scamper"
run inst "$tmp/inst/bin/scamper" -O text -I "ping -c 1 192.0.2.2"
installed=$(sed -n 's/.*cannot start the helper \([^:]*\):.*/\1/p' "$tmp/inst.err")
if [ $rc = 1 ] && [ -n "$installed" ] && [ "$installed" != "$helper" ] &&
    [ "${installed#/}" != "$installed" ] && [ ! -e "$installed" ]; then
	ok "outside the build tree: only the installed helper ($installed)"
elif [ $rc = 0 ] && [ -e "$installed" ]; then
	ok "outside the build tree: the installed helper, which exists"
else
	bad "installed copy: rc $rc: $(cat "$tmp/inst.err")"
fi
run envbin env SCAMPER_HELPER_BIN=/nonexistent/scamper-helper "$scamper" \
    -I "ping -c 1 192.0.2.2"
[ $rc = 1 ] && grep -q 'cannot start the helper /nonexistent/scamper-helper: No such file' "$tmp/envbin.err" &&
    ok "SCAMPER_HELPER_BIN overrides the build tree's helper" ||
    bad "SCAMPER_HELPER_BIN: rc $rc: $(cat "$tmp/envbin.err")"
run envinst env SCAMPER_HELPER_BIN="$helper" "$tmp/inst/bin/scamper" -O text \
    -I "ping -c 1 192.0.2.2"
[ $rc = 0 ] && grep -q '1 packets received' "$tmp/envinst.out" &&
    ok "SCAMPER_HELPER_BIN overrides the installed helper" ||
    bad "SCAMPER_HELPER_BIN, installed copy: rc $rc: $(cat "$tmp/envinst.err")"

# ---- refused commands --------------------------------------------------
# refused CASE WANT-STATUS WANT-STDERR-LINE ARGS...
refused() {
	local what=$1 want=$2 line=$3
	shift 3
	run ref "$scamper" -O text "$@"
	if [ "$rc" = "$want" ] && grep -qxF -- "$line" "$tmp/ref.err"; then
		ok "$what: exit $rc, '$line'"
	else
		bad "$what: exit $rc (want $want): $(cat "$tmp/ref.err")"
	fi
}
for c in host; do
	refused "-I $c" 1 "scamper: -I argument 1: $c: not implemented yet" \
	    -I "$c 192.0.2.2"
done
for c in tbit sting; do
	refused "-I $c without -F" 1 "scamper: -I argument 1: $c: needs the firewall, which keeps this host's own TCP from resetting the connection $c makes: start scamper with -F nft" \
	    -I "$c 192.0.2.2"
done
refused "-I unknown" 1 "scamper: -I argument 1: bogus: unknown command 'bogus'" \
    -I "bogus 192.0.2.2"
refused "-I bad option" 1 "scamper: -I argument 1: trace: -N: unknown option" \
    -I "trace -N 192.0.2.2"
refused "-I bad option (ping -r)" 1 "scamper: -I argument 1: ping: -r: unknown option" \
    -I "ping -r 192.0.2.2"
refused "-I bad value" 1 "scamper: -I argument 1: ping: -c: invalid value '0' (expected 1 to 65535)" \
    -I "ping -c 0 192.0.2.2"
refused "every -I refused" 1 "scamper: nothing measured: every command was refused (3)" \
    -I "host 192.0.2.2" -I "bogus 192.0.2.2" -I "ping -A 192.0.2.2"
printf 'host 192.0.2.2\n# a comment\nbogus 192.0.2.2\n\nping -A 192.0.2.2\n' >"$tmp/cmds"
refused "-f -O cmdfile: each line" 1 "scamper: $tmp/cmds:1: host: not implemented yet" \
    -O cmdfile -f "$tmp/cmds"
grep -qxF "scamper: $tmp/cmds:3: bogus: unknown command 'bogus'" "$tmp/ref.err" &&
    grep -qxF "scamper: $tmp/cmds:5: ping: -A: unknown option" "$tmp/ref.err" &&
    grep -qxF "scamper: nothing measured: every command was refused (3)" "$tmp/ref.err" &&
    ok "-f -O cmdfile: every line named, the run refused" ||
    bad "-f -O cmdfile: $(cat "$tmp/ref.err")"
printf '192.0.2.2\n' >"$tmp/addrs"
refused "-c with a bad option over -f" 1 "scamper: nothing measured: every command was refused (1)" \
    -c "ping -A" -f "$tmp/addrs"
refused "-c unbuilt" 1 "scamper: -c host: not implemented yet" \
    -c host -f "$tmp/addrs"
refused "-c unknown" 1 "scamper: -c: unknown command 'bogus' (expected trace, ping, tracelb, dealias, neighbourdisc, sniff, sting, tbit or host)" \
    -c bogus -f "$tmp/addrs"
run mixed "$scamper" -O text -I "host 192.0.2.2" -I "ping -c 1 192.0.2.2"
[ $rc = 0 ] && grep -q '1 packets received' "$tmp/mixed.out" &&
    grep -qxF "scamper: -I argument 1: host: not implemented yet" "$tmp/mixed.err" &&
    ok "one refused, one measured: exit 0 with the refusal named" ||
    bad "mixed: rc $rc: $(cat "$tmp/mixed.out" "$tmp/mixed.err")"
: >"$tmp/none"
run none "$scamper" -O text -f "$tmp/none"
[ $rc = 0 ] && ok "an empty list: nothing refused, exit 0" ||
    bad "empty list: rc $rc: $(cat "$tmp/none.err")"

# Debian's scamper: a refused -I command fails its whole run (exit 255,
# nothing said); ours names it and measures the rest (README)
if command -v scamper >/dev/null; then
	for c in "bogus 192.0.2.2" "trace -N 192.0.2.2"; do
		run deb scamper -O text -I "$c"
		[ $rc != 0 ] && ok "Debian's scamper also refuses -I '$c' (exit $rc)" ||
		    bad "Debian's scamper -I '$c': exit 0"
	done
else
	echo "# Debian's scamper not installed: its side skipped"
fi

echo "$n checks, $fail failed"
[ $fail = 0 ]
