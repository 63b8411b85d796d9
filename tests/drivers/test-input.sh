#!/bin/bash
# test-input.sh BUILD: the drivers' bad options and input files refused
# before anything is sent, each with a message naming the problem (and
# the file and line), status 1; -? prints the usage, status 0.  Talks to
# nothing but a closed port on loopback.
set -u
build=$1
pinger=$build/tools/sc_pinger/sc_pinger
here=$(cd "$(dirname "$0")" && pwd)
. "$here/checks.sh"
printf '192.0.2.1\n# comment\n\n2001:db8::1\n' >"$tmp/good.txt"
printf '192.0.2.1\n192.0.2.300\n' >"$tmp/badaddr.txt"
printf '192.0.2.1 192.0.2.2\n' >"$tmp/two.txt"
printf '# nothing\n\n' >"$tmp/empty.txt"
head -c 2000 /dev/zero | tr '\0' 'x' >"$tmp/long.txt"
P="$pinger -o $tmp/o.warts"
expect 1 "badaddr.txt:2: '192.0.2.300' is not an address" \
    $P -a badaddr.txt -p 1
expect 1 "two.txt:1: expected one address a line" $P -a two.txt -p 1
expect 1 "empty.txt: no address" $P -a empty.txt -p 1
expect 1 "long.txt:1: line too long" $P -a long.txt -p 1
expect 1 "-a none.txt: No such file" $P -a none.txt -p 1
expect 1 "-c 5/3: expected probes or replies/probes" $P -a good.txt -p 1 -c 5/3
expect 1 "-c 0: expected" $P -a good.txt -p 1 -c 0
expect 1 "-c 1/70000: expected" $P -a good.txt -p 1 -c 1/70000
expect 1 "-c 2/: expected" $P -a good.txt -p 1 -c 2/
expect 1 "'bogus' is not a ping method" $P -a good.txt -p 1 -m bogus
expect 1 "only letters, digits" $P -a good.txt -p 1 -m "icmp-echo -i;x"
expect 1 "only letters, digits" $P -a good.txt -p 1 -m "tcp-syn -d '1'"
expect 1 "-U sock: give -p or -U once" $P -a good.txt -p 1 -U sock
expect 1 "-a, -o and -p or -U are required" $pinger -a good.txt -p 1
expect 1 "unexpected argument 'extra'" $P -a good.txt -p 1 extra
expect 1 "-p x: expected [IPv4 address:]port" $P -a good.txt -p x
expect 1 "connecting to scamper at 127.0.0.1:1" $P -a good.txt \
    -p 127.0.0.1:1
expect 1 "connecting to scamper at ./nosock" $P -a good.txt -U nosock
expect 1 "usage" $pinger -Z
expect 0 "usage: sc_pinger" $pinger -?

eros=$build/tools/sc_erosprober/sc_erosprober
E="$eros -c ping -I 10 -R 10 -o $tmp/out"
expect 1 "badaddr.txt:2: '192.0.2.300' is not an address" \
    $E -a badaddr.txt -p 1
expect 1 "two.txt:1: expected one address a line" $E -a two.txt -p 1
expect 1 "empty.txt: no address (and no -x" $E -a empty.txt -p 1
expect 1 "-a none.txt: No such file" $E -a none.txt -p 1
expect 1 "-I 9: expected seconds, from 10 to 604800" $E -a good.txt -p 1 -I 9
expect 1 "-R x: expected seconds" $E -a good.txt -p 1 -R x
expect 1 "-c 'tracelb': expected a ping or trace" $E -a good.txt -p 1 \
    -c tracelb
expect 1 "only letters, digits" $E -a good.txt -p 1 -c "ping -c 1;x"
expect 1 "-O bogus: unknown option" $E -a good.txt -p 1 -O bogus
expect 1 "-O nooutfile: no -o or -R" $E -a good.txt -p 1 -O nooutfile
expect 1 "-o and -R are required" $eros -a good.txt -p 1 -c ping -I 10
expect 1 "-a, -c, -I and -p or -U are required" $eros -a good.txt -p 1 \
    -o x -R 10
expect 1 "-U sock: give -p or -U once" $E -a good.txt -p 1 -U sock
expect 1 "connecting to scamper at 127.0.0.1:1" $E -a good.txt \
    -p 127.0.0.1:1
expect 1 "-x $tmp/none/ep.sock: No such file" $E -a good.txt -p 1 \
    -x "$tmp/none/ep.sock"
expect 1 "usage" $eros -Z
expect 0 "usage: sc_erosprober" $eros -?
[ -z "$(ls "$tmp" | grep '^out\.')" ] && ok ||
    bad "a refused run left an output file"
checks_end "drivers' input"
