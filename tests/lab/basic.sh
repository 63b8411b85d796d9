# tests/lab/basic.sh: the truth of topo-basic.txt for tests that measure
# across it, and its ECMP pair made harmless for comparisons.
#
# Source it after lab.sh, once lab_build topo-basic.txt has run:
#
#	basic_path_ok 4|6 FILE	FILE (scamper's text trace to h2) has, at
#				every TTL, an address the lab allows there:
#				hops 3 and 4 may be either branch (r2 and r4
#				each hash on their own)
#	basic_mask		stdin to stdout with every address (and
#				PTR name) on the ECMP pair's links replaced
#				by one word per router ("ECMP-r2" for r2's
#				ends of them, "ECMP-r3" for r3a's and r3b's
#				addresses, "ECMP-r4" for r4's ends,
#				"r3x.lab.example"): two runs that took
#				different branches compare equal (trace hops,
#				record route, timestamps), and everything
#				else still has to match
#	basic_prober ours|theirs
#				call before running a prober: with
#				SCAMPER_TEST_ECMP set (see below) the lab's
#				branches are forced for it
#	basic_split PID...	call between starting our runs and Debian's
#				in the background: with SCAMPER_TEST_ECMP
#				split or split-rev it waits for PIDs (ours),
#				as the branches are forced by turns
#
# Which branch a flow takes depends on the kernel's per-boot multipath
# hash key (and, for a socket's IPv6 probes, on the flow label the
# kernel picks), so no test may expect one.  To show that a test passes
# whichever branch each prober takes, run it with SCAMPER_TEST_ECMP:
#	a, b		every flow over r3a (or r3b), both ways
#	split		our scamper's flows over r3a, Debian's over r3b
#	split-rev	ours over r3b, Debian's over r3a
# e.g. SCAMPER_TEST_ECMP=split meson test -C build lab-trace.

# the addresses of the ECMP pair, by family: r3a/r3b facing r2 (hop 3),
# r4 facing r3a/r3b (hop 4); then every address on the pair's links, by
# router
_BASIC_H3_4="192.0.2.10 192.0.2.14"
_BASIC_H4_4="192.0.2.18 192.0.2.22"
_BASIC_H3_6="2001:db8:3::2 2001:db8:4::2"
_BASIC_H4_6="2001:db8:5::2 2001:db8:6::2"
_BASIC_R2="192.0.2.9 192.0.2.13 2001:db8:3::1 2001:db8:4::1"
_BASIC_R3="$_BASIC_H3_4 $_BASIC_H3_6 192.0.2.17 192.0.2.21 2001:db8:5::1"
_BASIC_R3="$_BASIC_R3 2001:db8:6::1"
_BASIC_R4="$_BASIC_H4_4 $_BASIC_H4_6"

# basic_path_ok 4|6 FILE: the text trace in FILE follows the lab.
basic_path_ok() {
	local f=$2 h3 h4 a3 a4
	if [ "$1" = 4 ]; then
		grep -q '^ 1  192\.0\.2\.2 ' "$f" &&
		    grep -q '^ 2  192\.0\.2\.6 ' "$f" &&
		    grep -q '^ 5  192\.0\.2\.26 ' "$f" &&
		    grep -q '^ 6  203\.0\.113\.1 ' "$f" || return 1
		a3=$_BASIC_H3_4 a4=$_BASIC_H4_4
	else
		grep -q '^ 1  2001:db8:1::2 ' "$f" &&
		    grep -q '^ 2  2001:db8:2::2 ' "$f" &&
		    grep -q '^ 5  2001:db8:7::2 ' "$f" &&
		    grep -q '^ 6  2001:db8:ff::1 ' "$f" || return 1
		a3=$_BASIC_H3_6 a4=$_BASIC_H4_6
	fi
	h3=$(awk '$1 == 3 { print $2 }' "$f")
	h4=$(awk '$1 == 4 { print $2 }' "$f")
	[[ " $a3 " == *" $h3 "* ]] && [ -n "$h3" ] &&
	    [[ " $a4 " == *" $h4 "* ]] && [ -n "$h4" ]
}

# basic_mask: hide which branch of the ECMP pair answered.  (perl, not
# python: a test masks dozens of outputs, and python's start costs a
# second on a loaded machine; perl-base is in every Debian.)
basic_mask() {
	perl -e '
my %words;
my @r = ("r2", "r3", "r4");
for my $i (0 .. 2) {
	$words{$_} = "ECMP-$r[$i]" for split " ", $ARGV[$i];
}
@ARGV = ();
my $alt = join "|", map { quotemeta } sort { length($b) <=> length($a) }
    keys %words;
my $pat = qr/(?<![0-9A-Za-z:.])($alt)(?![0-9A-Za-z:.])/;
while (my $line = <STDIN>) {
	$line =~ s/$pat/$words{$1}/g;
	# a PTB from the other interface of r4 (the hash picks which)
	$line =~ s/^( 4  ECMP-r4 .*) ptb ECMP-r4$/$1/;
	$line =~ s/\br3[ab]\.lab\.example\b/r3x.lab.example/g;
	print $line;
}
' "$_BASIC_R2" "$_BASIC_R3" "$_BASIC_R4"
}

# _basic_routes BRANCH: route r2's and r4's traffic over r3a or r3b only
# (BRANCH a or b), or over both (ecmp).
_basic_routes() {
	local v4a=192.0.2.10 v4b=192.0.2.14 v6a=2001:db8:3::2 v6b=2001:db8:4::2
	local r4a=192.0.2.17 r4b=192.0.2.21 r6a=2001:db8:5::1 r6b=2001:db8:6::1
	local g4 g6 b4 b6 p
	case $1 in
	a)	g4=(via $v4a) g6=(via $v6a) b4=(via $r4a) b6=(via $r6a) ;;
	b)	g4=(via $v4b) g6=(via $v6b) b4=(via $r4b) b6=(via $r6b) ;;
	*)	g4=(nexthop via $v4a nexthop via $v4b)
		g6=(nexthop via $v6a nexthop via $v6b)
		b4=(nexthop via $r4a nexthop via $r4b)
		b6=(nexthop via $r6a nexthop via $r6b) ;;
	esac
	for p in 192.0.2.0/24 203.0.113.0/24; do
		ip -n "$(lab_ns r2)" route replace "$p" "${g4[@]}" || return 1
	done
	ip -n "$(lab_ns r2)" -6 route replace 2001:db8::/32 "${g6[@]}" &&
	    ip -n "$(lab_ns r4)" route replace 192.0.2.0/24 "${b4[@]}" &&
	    ip -n "$(lab_ns r4)" -6 route replace 2001:db8::/32 "${b6[@]}" ||
	    return 1
	ip -n "$(lab_ns r2)" route flush cache 2>/dev/null
	ip -n "$(lab_ns r4)" route flush cache 2>/dev/null
	return 0
}

# basic_prober ours|theirs: force the branches for the next prober run as
# SCAMPER_TEST_ECMP says (nothing when it is unset or empty).
basic_prober() {
	local want
	case "${SCAMPER_TEST_ECMP:-}:$1" in
	:*)			return 0 ;;
	a:*|split:ours|split-rev:theirs)	want=a ;;
	b:*|split:theirs|split-rev:ours)	want=b ;;
	*)	echo "lab: SCAMPER_TEST_ECMP='$SCAMPER_TEST_ECMP' is not" \
		    "a, b, split or split-rev" >&2
		return 1 ;;
	esac
	[ "${_BASIC_FORCED:-}" = "$want" ] && return 0
	_basic_routes "$want" || { echo "lab: cannot force branch $want" >&2
	    return 1; }
	_BASIC_FORCED=$want
}

# basic_split PID...: in the split modes, let our runs (PIDs) end before
# Debian's start (the branches are forced for one prober at a time).
basic_split() {
	case "${SCAMPER_TEST_ECMP:-}" in
	split|split-rev)	[ $# -gt 0 ] && wait "$@" ;;
	esac
	return 0
}
