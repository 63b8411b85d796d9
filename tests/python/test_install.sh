#!/usr/bin/env bash
# test_install.sh PYTHON_DIR: "pip install PYTHON_DIR" into a fresh
# virtual environment (Debian's python3-venv) with no index at all
# (pip would fail at once if it needed one: nothing is fetched), then the
# package imports and reads a JSON file from the installed copy.
set -u
src=$1
python3 -c 'import venv, ensurepip' 2>/dev/null ||
    { echo "SKIP: python3-venv missing (apt-get install python3-venv)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv" || { echo "not ok - venv"; exit 1; }
# a copy, so no build output lands in the source tree
cp -r "$src" "$tmp/src"
rm -rf "$tmp/src/tests/__pycache__"
if ! PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 timeout 120 \
    "$tmp/venv/bin/pip" install -q "$tmp/src" >"$tmp/pip.log" 2>&1; then
	echo "not ok 1 - pip install without an index"; sed 's/^/#   /' "$tmp/pip.log"; exit 1
fi
echo "ok 1 - pip install without an index"
printf '%s\n' '{"type":"ping","dst":"192.0.2.1","responses":[{"rtt":1.5}]}' >"$tmp/p.json"
cd "$tmp" || exit 1
out=$(env -u PYTHONPATH "$tmp/venv/bin/python" -c '
import scamper, sys
assert "/venv/" in scamper.__file__, scamper.__file__
rs = list(scamper.read(sys.argv[1]))
print(rs[0].type, rs[0].dst, rs[0].rtts())' "$tmp/p.json" 2>&1)
if [ "$out" = "ping 192.0.2.1 [1.5]" ]; then
	echo "ok 2 - the installed package reads JSON ($out)"
else
	echo "not ok 2 - the installed package: $out"; exit 1
fi
if env -u PYTHONPATH "$tmp/venv/bin/python" -m scamper.exporter --help 2>&1 |
    grep -q 'Prometheus'; then
	echo "ok 3 - the installed exporter runs (python -m scamper.exporter)"
else
	echo "not ok 3 - the installed exporter"; exit 1
fi
echo "1..3"
