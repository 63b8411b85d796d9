#!/usr/bin/env bash
# test_lab_python.sh SCAMPER HELPER SC_REMOTED LIBSCAMPERFILE: the Python
# controller drives three remote vantage points at once through
# sc_remoted's multiplexed socket (-M) in a lab: a controller node c and
# v1 v2 v3, each on its own link to c.  lab_three.py runs a ping and a
# trace on each and checks every result comes once; then vp3 is killed
# (VP_DEPART) and started again (VP_UPDATE).  The per-VP sockets of -U
# are made beside the multiplexed one.  Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
export SCAMPER_HELPER_BIN=$(realpath "$2")
remoted=$(realpath "$3")
export SCAMPER_LIBSCAMPERFILE=$(realpath "$4")
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONPATH=$here/../../python
. "$here/../lab/lab.sh"
lab_require_root
lab_star py 3 || exit 1
mkdir -p "$tmp/socks"
fail=0

rd=$(lab_bg c "$remoted" -P 31337 -U "$tmp/socks" -M "$tmp/mux" -Z 1 \
    -O debug)
start_vp() {
	local i=$1
	lab_bg v$i "$scamper" -R 192.0.2.$((i * 4 - 3)):31337 -M vp$i.test \
	    -O notls -d "$tmp/vp$i.log"
}
for _ in $(seq 100); do [ -S "$tmp/mux" ] && break; sleep 0.1; done
declare -A vp
for i in 1 2 3; do vp[$i]=$(start_vp $i); done

# the driver talks to us on a pair of fifos: "KILL vpK" / "START vpK"
mkfifo "$tmp/to_py" "$tmp/from_py"
lab_exec c timeout 300 python3 "$here/lab_three.py" "$tmp/mux" 3 \
    192.0.2.1 192.0.2.5 192.0.2.9 <"$tmp/to_py" >"$tmp/from_py" &
py=$!
exec 3>"$tmp/to_py"
while IFS= read -r line; do
	case $line in
	"KILL vp"*)
		k=${line#KILL vp}
		kill "${vp[$k]}"
		echo >&3 ;;
	"START vp"*)
		k=${line#START vp}
		vp[$k]=$(start_vp "$k")
		echo >&3 ;;
	*)	echo "$line"
		case $line in "not ok"*) fail=1 ;; esac ;;
	esac
done <"$tmp/from_py"
exec 3>&-
wait "$py" || fail=1
ls "$tmp/socks" | grep -q '^vp1.test-192.0.2.2:' &&
    echo "# the -U socket of vp1 is there beside -M" ||
    { echo "not ok - no -U socket beside -M"; fail=1; }
if [ $fail != 0 ]; then
	echo "# sc_remoted:"; tail -n 30 "$(lab_bglog "$rd")" | sed 's/^/#   /'
fi
exit $fail
