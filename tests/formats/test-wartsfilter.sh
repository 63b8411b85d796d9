#!/usr/bin/env bash
# test-wartsfilter.sh TOOLS_DIR CORPUS_DIR: our sc_wartsfilter.
# * Beside Debian's (20211212, skipped if not installed): one file
#   merged from the corpus (every record type, IPv4 and IPv6, several
#   lists and cycles) filtered by each type, addresses, prefixes and
#   -O check-hops: the same output; the deliberate differences (/0, a
#   dealias bump) shown.
# * Our additions: -l, -c, -s, -e and -t for the types 20211212 lacks,
#   counted against the input's own records.
# * Bad input: each refused with exit 1 and a message naming it.
set -u
tools=$1
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
ours=$tools/sc_wartsfilter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mix=$tmp/mix.warts
# every corpus file but neighbourdisc's (20211212 stops reading at its
# padded form, so nothing after it could be compared)
"$tools/sc_wartscat" -o "$mix" $(ls "$corpus"/*.warts | grep -v neighbourdisc) \
    2>"$tmp/cat.err"
[ -s "$mix" ] && ok "a merged input of the corpus files" ||
    { bad "no merged input: $(cat "$tmp/cat.err")"; tap_done; }
D=$tools/sc_wartsdump
# records DUMPFILE: how many measurements (each dump names its list id)
records() { "$D" "$1" 2>/dev/null | grep -c '^ list id: '; }

# same OURS DEBIAN: the same bytes, or (20211212's writer gets a crafted
# dealias prefixscan's excluded addresses wrong) the same records
same_out() { cmp -s "$1" "$2" || cmp -s <("$D" "$1" 2>&1) <("$D" "$2" 2>&1); }
ARGS=("-t trace" "-t ping" "-t tracelb" "-t dealias" "-t tbit"
    "-t ping -t trace" "-a 198.18.6.2" "-a 2001:db8:6::2"
    "-a 198.18.0.0/15 -t ping" "-a 2001:db8::/32" "-a 198.18.6.0/23 -t trace"
    "-a 198.18.1.1 -t ally" "-a 198.18.1.1 -O check-hops -t trace"
    "-a 198.18.2.2 -O check-hops -t tracelb" "-a 2001:db8:2::2 -O check-hops"
    "-a 198.18.1.1 -a 198.18.6.2 -t dealias")
if command -v /usr/bin/sc_wartsfilter >/dev/null; then
	# ours without the deliberate differences: no dealias bump
	"$ours" -i "$mix" -t trace -t ping -t tracelb -t tbit -t host \
	    -t sting -t sniff >"$tmp/a" 2>/dev/null
	cp "$tmp/a" "$tmp/cmp.warts"
	for f in "$corpus"/dealias-*.warts; do
		case $f in *bump*) continue ;; esac
		"$tools/sc_wartscat" -o "$tmp/cmp.warts" "$f"
	done
	same=0 diff=0
	for a in "${ARGS[@]}"; do
		a=${a/-t ally/-t dealias}
		# shellcheck disable=SC2086
		/usr/bin/sc_wartsfilter -i "$tmp/cmp.warts" $a >"$tmp/d" 2>/dev/null
		# shellcheck disable=SC2086
		"$ours" -i "$tmp/cmp.warts" $a >"$tmp/o" 2>"$tmp/o.err"
		if same_out "$tmp/o" "$tmp/d" && [ -s "$tmp/o" ]; then
			same=$((same + 1))
		else
			diff=$((diff + 1))
			echo "# differs: $a ($(records "$tmp/o") vs $(records "$tmp/d"))"
		fi
	done
	[ $diff = 0 ] && ok "the same records as Debian's for $same option sets" ||
	    bad "$diff of $((same + diff)) option sets differ from Debian's"
	# the deliberate differences
	b=$corpus/dealias-bump.warts
	/usr/bin/sc_wartsfilter -i "$b" -a 198.18.1.1 >"$tmp/d"
	"$ours" -i "$b" -a 198.18.1.1 >"$tmp/o"
	[ ! -s "$tmp/d" ] && [ "$(records "$tmp/o")" = 1 ] &&
	    ok "a dealias bump matched by its address (20211212: not)" ||
	    bad "dealias bump: ours $(records "$tmp/o"), Debian's $(records "$tmp/d")"
else
	ok "# SKIP Debian's sc_wartsfilter missing (apt-get install scamper)"
fi
n_all=$(records "$mix")
"$ours" -i "$mix" -a 0.0.0.0/0 -a ::/0 >"$tmp/z"
n_dl=$("$ours" -i "$mix" -t dealias | "$D" /dev/stdin 2>/dev/null | grep -c '^ list id: ')
want=$(( $("$ours" -i "$mix" -t trace -t ping -t tracelb -t tbit | "$D" /dev/stdin 2>/dev/null | grep -c '^ list id: ') + n_dl ))
[ "$(records "$tmp/z")" = "$want" ] && [ "$want" -gt 0 ] &&
    ok "-a 0.0.0.0/0 -a ::/0: every measurement with an address ($want)" ||
    bad "/0: $(records "$tmp/z"), want $want"

# -s/-e: measurements starting in [from, until)
J=$tools/sc_warts2json
"$ours" -i "$mix" -t ping >"$tmp/p"
read -r t0 t1 < <("$J" "$tmp/p" | python3 -c '
import json, sys
ts = sorted(json.loads(l)["start"]["sec"] for l in sys.stdin
            if l.startswith("{\"type\":\"ping\""))
print(ts[len(ts) // 2], ts[-1])')
want=$("$J" "$tmp/p" | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if l.startswith("{\"type\":\"ping\"") and
          '"$t0"' <= json.loads(l)["start"]["sec"] < '"$t1"'))')
"$ours" -i "$mix" -t ping -s "$t0" -e "$t1" >"$tmp/se"
got=$(records "$tmp/se")
[ "$got" = "$want" ] && [ "$got" -gt 0 ] &&
    ok "-s $t0 -e $t1: $got pings, as their start times say" ||
    bad "-s/-e: $got, want $want"
# -l/-c: by the list and cycle ids the dump shows
want=$("$D" "$mix" 2>/dev/null | awk '/^ list id: /{l=$3} /^ cycle id: /{if (l == "0," && $3 == "0") n++} END{print n+0}')
"$ours" -i "$mix" -l 0 -c 0 >"$tmp/lc"
got=$(records "$tmp/lc")
[ "$got" = "$want" ] && [ "$got" -gt 0 ] && ok "-l 0 -c 0: $got records" ||
    bad "-l 0 -c 0: $got, want $want"
"$ours" -i "$mix" -l 4000000 >"$tmp/none"
[ ! -s "$tmp/none" ] && ok "-l of a list not there: empty output" ||
    bad "-l 4000000 wrote something"
for t in sting sniff host neighbourdisc-fixed; do
	"$tools/sc_wartscat" -o "$tmp/in-$t" "$corpus"/$t*.warts
	"$ours" -i "$tmp/in-$t" -t ${t%-fixed} >"$tmp/t"
	k=$("$D" "$tmp/t" | grep -c "^${t%-fixed}\b")
	n0=$("$D" "$tmp/in-$t" | grep -c "^${t%-fixed}\b")
	[ "$k" = "$n0" ] && [ "$k" -gt 0 ] && ok "-t ${t%-fixed}: all $k" ||
	    bad "-t ${t%-fixed}: $k of $n0"
done

# bad input
refuse() {	# DESCRIPTION EXPECTED-TEXT ARGS...
	local d=$1 w=$2
	shift 2
	"$ours" "$@" >"$tmp/bo" 2>"$tmp/be"
	local rc=$?
	if [ $rc = 1 ] && grep -qF -- "$w" "$tmp/be"; then ok "$d: $(head -1 "$tmp/be")"
	else bad "$d: rc $rc: $(cat "$tmp/be")"; fi
}
refuse "a bad address" "-a bogus: not an IPv4" -i "$mix" -a bogus
refuse "a prefix too long" "prefix length not in 0-32" -i "$mix" -a 192.0.2.0/33
refuse "an IPv6 prefix too long" "not in 0-128" -i "$mix" -a 2001:db8::/129
refuse "an unknown type" "-t frob: not a record type" -i "$mix" -t frob
refuse "an unknown -O" "-O frob: unknown option" -i "$mix" -O frob -t ping
refuse "a bad list id" "-l x: not a number" -i "$mix" -l x
refuse "a bad time" "-s 1e9: not a time" -i "$mix" -s 1e9
refuse "nothing to select" "nothing to select by" -i "$mix"
refuse "a missing input" "$tmp/nothing: No such file" -i "$tmp/nothing" -t ping
refuse "a stray argument" "x: the input is given with -i" -t ping x
head -c 1000 "$mix" >"$tmp/cut.warts"
refuse "a truncated input" "cut.warts:" -i "$tmp/cut.warts" -t ping
tap_done
