#!/bin/bash
# test-ttlexp.sh OURS TDCRAFT CORPUS: sc_ttlexp against Debian's (CAIDA
# 20211212) on every corpus file and on all of them at once, with and
# without -O nodst and -O noreserved, from a file and from standard
# input; on traces tdcraft edits so that the hops hold addresses in and
# just outside every special-purpose range (file contents only: nothing
# is sent), and a hop that is the destination.  Output and status must
# be the same.  Then bad input: a clear message naming the problem; and
# gzip files (which Debian's does not read) as the plain ones.
set -u
ours=$(cd "$(dirname "$1")" && pwd)/${1##*/} craft=$2 corpus=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/checks.sh"

expect 255 "could not open $tmp/none.warts" "$ours" "$tmp/none.warts"
expect 255 "-O bogus: unknown option" "$ours" -O bogus
expect 255 "usage" "$ours" -x
mkdir "$tmp/bad"
head -c 100 "$corpus/trace-udp-v4.warts" >"$tmp/bad/cut.warts"
expect 255 "cut.warts" "$ours" "$tmp/bad/cut.warts"
printf 'not warts\n' >"$tmp/bad/text"
expect 255 "text" "$ours" "$tmp/bad/text"
# a broken file does not lose the others' results
"$ours" "$tmp/bad/cut.warts" "$corpus/trace-udp-v4.warts" >"$tmp/o" \
    2>/dev/null
[ $? = 255 ] && [ "$(wc -l <"$tmp/o")" = 3 ] && ok ||
    bad "a truncated file then a good one: $(wc -l <"$tmp/o") lines"
"$ours" -? >"$tmp/o" 2>&1 && grep -q noreserved "$tmp/o" && ok ||
    bad "-? prints the usage and exits 0"

D=$corpus
mk() { "$craft" "$@" || bad "tdcraft $*"; }
v4="0.1.2.3 1.2.3.4 9.255.255.255 10.0.0.1 11.0.0.1 100.63.255.255
100.64.0.1 100.127.255.255 100.128.0.0 127.0.0.1 128.0.0.1 169.254.0.1
169.255.0.0 172.15.255.255 172.16.0.1 172.31.255.255 172.32.0.0 192.0.0.1
192.0.1.0 192.0.2.1 192.0.3.1 192.88.99.1 192.88.100.0 192.168.1.1
192.169.0.0 198.17.255.255 198.18.0.1 198.19.255.255 198.20.0.0
198.51.100.1 198.51.101.0 203.0.113.1 203.0.114.0 223.255.255.255
224.0.0.1 239.255.255.255 240.0.0.1 255.255.255.255"
v6=":: ::1 ::2 ::ffff:1.2.3.4 64:ff9b::1 100::1 1fff::1 2000::1 2001::1
2001:0:ffff::1 2001:1::1 2001:2::1 2001:2:1::1 2001:3::1 2001:4:112::1
2001:f::1 2001:10::1 2001:1f::1 2001:20::1 2001:2f::1 2001:30::1
2001:1ff::1 2001:db7:ffff::1 2001:db8::5 2001:db9::1 2002::1 2003::1
2400::1 3fff:ffff::1 4000::1 fc00::1 fe80::1 ff02::1"
specs=()
for a in $v4; do
	specs+=("$D/trace-udp-v4.warts:0:addr=1/$a,addr=2/$a")
done
mk "$tmp/rsv4.warts" "${specs[@]}"
specs=()
for a in $v6; do
	specs+=("$D/trace-udp-v6.warts:0:addr=1/$a,addr=2/$a")
done
mk "$tmp/rsv6.warts" "${specs[@]}"
mk "$tmp/dst.warts" "$D/trace-udp-v4.warts:0:addr=2/198.18.6.2" \
    "$D/trace-udp-v6.warts:0:addr=1/2001:db8:6::2"
if [ "$("$ours" -O noreserved "$tmp/rsv4.warts" | head -2 | tr '\n' ' ')" = \
    "1.2.3.4 9.255.255.255 " ]; then ok; else
	bad "-O noreserved: $("$ours" -O noreserved "$tmp/rsv4.warts" | head -2)"
fi
[ "$("$ours" -O nodst "$tmp/dst.warts" | grep -c -x -e 198.18.6.2 \
    -e 2001:db8:6::2)" = 0 ] && ok || bad "-O nodst printed a destination"

# compressed, named or on standard input: as the plain file
gzip -c "$tmp/rsv6.warts" >"$tmp/bad/rsv6.warts.gz"
"$ours" "$tmp/rsv6.warts" >"$tmp/plain.out"
"$ours" "$tmp/bad/rsv6.warts.gz" >"$tmp/gz.out" &&
    cmp -s "$tmp/plain.out" "$tmp/gz.out" && ok || bad "a gzip file"
"$ours" <"$tmp/bad/rsv6.warts.gz" >"$tmp/gz.out" &&
    cmp -s "$tmp/plain.out" "$tmp/gz.out" && ok || bad "gzip on stdin"

if [ ! -x /usr/bin/sc_ttlexp ]; then
	echo "SKIP: Debian's sc_ttlexp (package scamper) is not installed;"
	echo "      $n checks of ours alone made, $fail failed"
	[ $fail = 0 ] && exit 77 || exit 1
fi

# same ARGS...: both tools' output and status alike
same() {
	local rd ro
	/usr/bin/sc_ttlexp "$@" >"$tmp/d.out" 2>/dev/null; rd=$?
	"$ours" "$@" >"$tmp/o.out" 2>/dev/null; ro=$?
	if [ $rd = $ro ] && cmp -s "$tmp/d.out" "$tmp/o.out"; then ok; else
		bad "sc_ttlexp ... ${*: -1} ($# files; status Debian $rd, ours $ro)"
		diff "$tmp/d.out" "$tmp/o.out" | head -10
	fi
}
for o in "" "-O nodst" "-O noreserved" "-O nodst -O noreserved"; do
	# shellcheck disable=SC2086
	same $o "$D"/*.warts "$tmp"/*.warts
	for f in "$D"/trace-*.warts "$D"/tracelb-*.warts "$tmp"/*.warts; do
		# shellcheck disable=SC2086
		same $o "$f"
	done
done
/usr/bin/sc_ttlexp <"$tmp/rsv6.warts" >"$tmp/d.out"
"$ours" <"$tmp/rsv6.warts" >"$tmp/o.out"
cmp -s "$tmp/d.out" "$tmp/o.out" && ok || bad "standard input"
checks_end sc_ttlexp
