#!/bin/sh
# make-crafted.sh BUILDDIR: make the crafted corpus files (X-crafted-*):
# Debian-made files changed in memory by tests/formats/craft_corpus and
# written by our library, with what Debian's tools print for them stored
# beside (X.json, X.txt, X.dump) as for the rest of the corpus.  Needs
# Debian's sc_warts2json, sc_warts2text and sc_wartsdump; no root, no
# network.
set -eu
craft=$(cd "$1" && pwd)/tests/formats/craft_corpus
cd "$(dirname "$0")"
mk() {	# mk RECIPE SOURCE [OUT]
	out=${3:-$1-crafted.warts}
	"$craft" "$1" "$2.warts" "$out"
	for t in json:sc_warts2json txt:sc_warts2text dump:sc_wartsdump; do
		ext=${t%%:*} tool=${t#*:} b=${out%.warts} rc=0
		TZ=UTC "$tool" "$out" > "$b.$ext" 2>/dev/null || rc=$?
		rm -f "$b.$ext.rc"
		[ $rc = 0 ] || echo $rc > "$b.$ext.rc"
	done
}
mk tracelb-multilink tracelb-icmp-v4
mk tracelb-silentlink tracelb-icmp-v4
mk tracelb-groups tracelb-v4
mk tracelb-order6 tracelb-v4
mk tracelb-misc tracelb-icmp-v4
mk dealias-ally-tcp dealias-ally
mk dealias-prefixscan-xs dealias-prefixscan
mk tbit-pmtud tbit-null
mk tbit-blind tbit-null
mk tbit-opts tbit-null
mk tbit-nofile tbit-nourl
mk tbit-hostonly tbit-nourl
mk tbit-pkts tbit-null
mk tbit-pkts2 tbit-null
mk tbit-pkts6 tbit-null
mk sting-holes sting
mk neighbourdisc-fixed neighbourdisc
mk trace-pmtud-inferred trace-pmtud-v4
mk trace-pmtud-silence trace-pmtud-v6
mk trace-pmtud-nhmtu trace-pmtud-v6
mk trace-pmtud-twonotes trace-pmtud-v4
mk trace-pmtud-earlier trace-pmtud-v4
mk trace-mpls trace-opts
mk trace-nocsum trace-icmp-paris-v4
mk list-nodescr list-named
# recipe "host-var": stop reasons, flags, classes and types, a query
# sent before the start
mk host-var host-timeout host-var-crafted.warts
# recipe "stops": every trace and ping stop reason (and unreachable code)
mk stops trace-unreach stops-crafted.warts
mk stops trace-udp-paris-v6 stops6-crafted.warts
mk stops ping-loss stops-ping-crafted.warts
# recipe "var": other field values, one file per record type
for src in tracelb-v4 dealias-radargun neighbourdisc-fixed-crafted sniff sting; do
	mk var "$src" "${src%-crafted}-var-crafted.warts"
done
echo "make-crafted: done" >&2
