# tests/net/debian.sh: what the lab tests of tests/net check of Debian's
# scamper tools reading our files.  Source it; it needs $tmp (a scratch
# directory) and $ourjson (our sc_warts2json).
#	debian_reads FILE TYPE
#		Debian's sc_wartsdump reads the warts FILE with no error
#		("off 0x"), and its sc_warts2json finds one TYPE record,
#		the same JSON as ours; the outputs are left in $tmp/dump,
#		$tmp/dj, $tmp/oj2 and $tmp/diff
debian_reads() {
	sc_wartsdump "$1" >"$tmp/dump" 2>&1 &&
	    ! grep -q '^off 0x' "$tmp/dump" &&
	    sc_warts2json "$1" >"$tmp/dj" 2>&1 &&
	    "$ourjson" "$1" >"$tmp/oj2" 2>&1 &&
	    [ "$(grep -c "\"type\":\"$2\"" "$tmp/dj")" = 1 ] &&
	    diff "$tmp/dj" "$tmp/oj2" >"$tmp/diff"
}
