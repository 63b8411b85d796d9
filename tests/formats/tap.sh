# tests/formats/tap.sh: what the shell tests of tests/formats share.
# Source it; then ok/bad count checks and tap_done ends the test.
#   ok TEXT / bad TEXT   print "ok N - TEXT" / "not ok N - TEXT"
#   tap_done             print the count; exit 0 if nothing failed
#   two_hosts TAG        (after lab.sh, as root) a lab of h1 192.0.2.1
#                        and h2 192.0.2.2 on one link; sets tmp=$LAB_DIR
fail=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
tap_done() {
	echo "$n checks, $fail failed"
	[ "$fail" = 0 ]
	exit
}
two_hosts() {
	lab_require_root
	lab_two_hosts "$1" || exit 1
}
