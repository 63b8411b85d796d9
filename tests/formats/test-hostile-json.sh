#!/usr/bin/env bash
# test-hostile-json.sh MODE BUILD DATADIR: names holding quotes,
# backslashes, control bytes, DEL and invalid UTF-8 (issue 15, item 4)
# through every JSON path, each output parsed by python's json module,
# and every name compared with what it must decode to: the bytes read as
# UTF-8 with each maximal ill-formed subpart replaced by U+FFFD (python's
# bytes.decode("utf-8", "replace")).
#
#   MODE files: sc_warts2json over every corpus file made hostile by
#     hostile_names (list name and description, cycle hostname, trace hop
#     names, tracelb node names, tbit URL), so every record type that has
#     a JSON form.  Debian's sc_warts2json (if installed) is run on the
#     same file and its result reported, not judged: it prints names raw.
#   MODE lab (root): the prober's own JSON, in a lab namespace and a UTS
#     namespace with a hostile hostname: -O json with a hostile -l list
#     name and a trace whose hop name (-O ptr) comes from a DNS server
#     answering with hostile label bytes; and attach format json over a
#     control socket with a hostile list name.
set -u
mode=$1
build=$(cd "$2" && pwd)
data=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
. "$here/tap.sh"

# the hostile name: quote, backslash, control bytes, DEL, a space, valid
# 2-, 3- and 4-byte UTF-8 (U+2028 included), a lone 0xff, a cut-short
# sequence, a surrogate, "</script>"; under 64 bytes (a hostname)
HEX="61225c620111097f20c3a9ff e282 7aeda080 e280a8 f09f9880 3c2f7363726970743e"
HEX=${HEX// /}

# check FILE [nohops] [list=HEX]: every line of FILE is one JSON
# object; every list_name (or the name in HEX), hostname, name (not with
# nohops: a PTR name) and http_url in it decodes to the hostile name
# (http_url: scheme://NAMENAME); prints the record types and the names
# seen
check() {
	python3 - "$HEX" "$@" <<'PY'
import json, sys
raw = bytes.fromhex(sys.argv[1])
want = raw.decode("utf-8", "replace")
path, seen, bad, found = sys.argv[2], set(), [], set()
keys = {"list_name": want, "hostname": want, "name": want}
for a in sys.argv[3:]:
    if a == "nohops":
        del keys["name"]
    elif a.startswith("list="):
        keys["list_name"] = bytes.fromhex(a[5:]).decode("utf-8", "replace")
def walk(o, where):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in keys and isinstance(v, str) and v != keys[k]:
                bad.append("%s %s=%r" % (where, k, v))
            if k == "http_url" and not v.endswith("://" + want + want):
                bad.append("%s http_url=%r" % (where, v))
            if k in keys and v == keys[k] or k == "http_url":
                found.add(k)
            walk(v, where)
    elif isinstance(o, list):
        for v in o:
            walk(v, where)
data = open(path, "rb").read()
for i, line in enumerate(data.split(b"\n")[:-1], 1):
    try:
        o = json.loads(line.decode("utf-8"))
    except Exception as e:
        print("line %d does not parse: %s" % (i, e))
        sys.exit(1)
    seen.add(o.get("type"))
    walk(o, "line %d (%s)" % (i, o.get("type")))
if not data.endswith(b"\n"):
    print("the last line is cut")
    sys.exit(1)
if bad:
    print("; ".join(bad[:5]))
    sys.exit(1)
print(" ".join(sorted(t for t in seen if t)) + "; names in " +
      " ".join(sorted(found)))
PY
}

files_mode() {
	local out types
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	"$build/tests/formats/hostile_names" "$HEX" "$tmp/h.warts" \
	    "$data"/*.warts || { bad "hostile_names failed"; return; }
	"$build/tools/warts/sc_warts2json" "$tmp/h.warts" >"$tmp/h.json" ||
	    bad "sc_warts2json failed"
	if out=$(check "$tmp/h.json"); then
		types=${out//;/}
		ok "sc_warts2json: every line parses, every name decodes ($types)"
		for t in cycle-start cycle-stop trace ping tracelb dealias tbit \
		    list_name hostname name http_url; do
			[[ " $types " == *" $t "* ]] ||
			    bad "sc_warts2json: no $t was checked"
		done
	else
		bad "sc_warts2json: $out"
	fi
	if command -v sc_warts2json >/dev/null; then
		sc_warts2json "$tmp/h.warts" >"$tmp/d.json" 2>/dev/null
		echo "# Debian's sc_warts2json on the same file: $(python3 -c '
import json, sys
good = bad = 0
for l in open(sys.argv[1], "rb"):
    try:
        json.loads(l.decode("utf-8")); good += 1
    except Exception:
        bad += 1
print("%d lines parse, %d do not (names printed raw)" % (good, bad))
' "$tmp/d.json")"
	fi
}

lab_mode() {
	local scamper=$build/prober/scamper ns out pid
	export SCAMPER_HELPER_BIN=$build/privsep/scamper-helper
	. "$here/../lab/lab.sh"
	command -v unshare >/dev/null ||
	    { echo "SKIP: unshare missing (util-linux)"; exit 77; }
	two_hosts hostile
	ns=$(lab_ns h1)
	# h1's resolver: a DNS server on h1 whose PTR answer's labels hold
	# the hostile bytes (ip netns exec bind-mounts the file)
	mkdir -p "/etc/netns/$ns" || exit 1
	lab_atexit "rm -rf '/etc/netns/$ns'"
	echo 'nameserver 198.51.100.53' >"/etc/netns/$ns/resolv.conf"
	lab_addr h1 lo 198.51.100.53/32 || exit 1
	cat >"$tmp/dnsd.py" <<'PY'
import socket, struct, sys
raw = bytes.fromhex(sys.argv[1])
labels = [raw[i:i + 20] for i in range(0, len(raw), 20)] + [b"example"]
rd = b"".join(bytes([len(l)]) + l for l in labels) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.53", 53))
while True:
    q, peer = s.recvfrom(4096)
    off = 12
    while q[off]:
        off += 1 + q[off]
    r = q[:2] + struct.pack("!5H", 0x8180, 1, 1, 0, 0) + q[12:off + 5] + \
        b"\xc0\x0c" + struct.pack("!HHIH", 12, 1, 3600, len(rd)) + rd
    s.sendto(r, peer)
PY
	lab_bg h1 python3 "$tmp/dnsd.py" "$HEX" >/dev/null
	for _ in $(seq 50); do
		lab_exec h1 ss -lun 2>/dev/null | grep -q '198.51.100.53:53' &&
		    break
		sleep 0.1
	done
	# the name as our prober presents a PTR name: letters, digits, '-'
	# and '_' as they are, any other byte as \DDD, labels joined by '.'
	local ptr
	ptr=$(python3 -c '
import sys
raw = bytes.fromhex(sys.argv[1])
labels = [raw[i:i + 20] for i in range(0, len(raw), 20)] + [b"example"]
ok = lambda c: chr(c).isascii() and (chr(c).isalnum() or chr(c) in "-_")
print(".".join("".join(chr(c) if ok(c) else "\\%03u" % c for c in l)
               for l in labels))' "$HEX")
	# run CMD...: in a UTS namespace with the hostile hostname, in h1
	uts() {
		unshare -u sh -c 'python3 -c "import socket, sys
socket.sethostname(bytes.fromhex(sys.argv[1]))" "$0" &&
		    exec "$@"' "$HEX" ip netns exec "$ns" "$@"
	}
	local name
	name=$(printf '%b' "$(echo "$HEX" | sed 's/../\\x&/g')")

	# -O json with a hostile -l and a hostile PTR name
	uts timeout 60 "$scamper" -O json -o "$tmp/cl.json" -l "$name" \
	    -c "trace -q 1 -O ptr" -i 192.0.2.2 2>"$tmp/cl.err" ||
	    bad "scamper -O json: $(head -c 300 "$tmp/cl.err")"
	if out=$(check "$tmp/cl.json" nohops) && [[ $out == *list_name* ]] &&
	    [[ $out == *hostname* ]]; then
		ok "scamper -O json: every line parses, every name decodes ($out)"
	else
		bad "scamper -O json: $out"
	fi
	python3 - "$tmp/cl.json" "$ptr" <<'PY' &&
import json, sys
names = [h.get("name") for l in open(sys.argv[1], "rb")
         for h in json.loads(l).get("hops", [])]
sys.exit(0 if sys.argv[2] in names else 1)
PY
	    ok "scamper -O json: the hop's PTR name, escaped as presented" ||
	    bad "scamper -O json: no hop named $ptr"
	grep -q '"type":"cycle-start"' "$tmp/cl.json" ||
	    bad "scamper -O json: no cycle-start line"

	# attach format json with a list name as hostile as a control line
	# allows (printable ASCII: quote, backslash) and the hostname in full
	# (single-quoted: the command grammar keeps '"' and '\' inside)
	pid=$(lab_bg h1 unshare -u sh -c 'python3 -c "import socket, sys
socket.sethostname(bytes.fromhex(sys.argv[1]))" "$0" && exec "$@"' "$HEX" \
	    "$scamper" -U "$tmp/ctl.sock")
	for _ in $(seq 100); do [ -S "$tmp/ctl.sock" ] && break; sleep 0.1; done
	printf "attach format json name '%s'\n#wait MORE\nping -c 1 192.0.2.2\ndone\n" \
	    'a"b\c</script>' | lab_exec h1 timeout 60 python3 \
	    "$here/../control/ctl_client.py" "$tmp/ctl.sock" transcript \
	    >"$tmp/at.txt" 2>&1
	kill "$pid" 2>/dev/null
	# the DATA payloads are the JSON lines
	python3 - "$tmp/at.txt" "$tmp/at.json" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
out, i = open(sys.argv[2], "wb"), 0
while i < len(lines):
    if lines[i].startswith(b"DATA "):
        out.write(lines[i + 1] + b"\n")
        i += 2
    else:
        i += 1
PY
	if out=$(check "$tmp/at.json" list=6122625c633c2f7363726970743e) &&
	    [[ $out == *cycle-start* ]] &&
	    [[ $out == *ping* ]] && [[ $out == *list_name* ]] &&
	    [[ $out == *hostname* ]]; then
		ok "attach format json: every line parses, every name decodes ($out)"
	else
		bad "attach format json: $out: $(head -c 400 "$tmp/at.txt")"
	fi
}

case $mode in
files) files_mode ;;
lab) lab_mode ;;
*) echo "usage: $0 files|lab BUILD DATADIR" >&2; exit 2 ;;
esac
tap_done
