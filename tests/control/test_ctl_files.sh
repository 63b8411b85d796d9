#!/usr/bin/env bash
# test_ctl_files.sh SCAMPER HELPER CLIENT: files over the control socket
# after the privilege drop, which the file server opens below the
# directory scamper started in (or $SCAMPER_FILEDIR):
#   outfile open/list/swap/close in truncate and append modes, with each
#   output format (text, json, warts), results written by file sources;
#   source add ... file with cycles 2 and autoreload on (the file is
#   replaced between cycles) and off, a bad line reported with file:line;
#   observe EVENT lines (add, cycle, update, finish, delete);
#   refusals: ../ escape, absolute path outside, symbolic link out, a
#   symbolic link as the last component, a directory, a FIFO, a missing
#   file; nothing is created outside;
#   service mode: files are opened as the user who runs scamper (created
#   files are theirs; a file that user may not read is refused);
#   lss-clear.
# The scampers started as root open files as SCAMPER_FILE_OWNER, a
# throwaway user who owns the directories (lab_privsep_files.sh shows
# what root's files look like to them).
# Needs root; skipped otherwise.
set -u
scamper=$(realpath "$1")
helper=$(realpath "$2")
client=$(realpath "$3")
export SCAMPER_HELPER_BIN=$helper
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lab.sh"
lab_require_root
lab_require_cmd python3 setpriv useradd groupadd mkfifo
lab_two_hosts ctlf "route h1 198.51.100.0/24 via 192.0.2.2" || exit 1
chmod 755 "$tmp"
W2J=sc_warts2json
command -v $W2J >/dev/null ||
    W2J=$(dirname "$scamper")/tools/warts/sc_warts2json

# the owner of the results of the scampers started as root
G=scg$$ U=scu$$
groupadd "$G" || exit 1
lab_atexit "groupdel $G 2>/dev/null"
useradd -M -N -g nogroup -G "$G" -s /usr/sbin/nologin "$U" || exit 1
lab_atexit "userdel $U 2>/dev/null"
export SCAMPER_FILE_OWNER=$U
own() { chown -R "$U" "$@"; }

lab_checks tap
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; return 1; fi; }
# tr SOCK: send stdin's lines (end with exit), print the replies
tr_() { lab_exec h1 timeout 60 python3 "$client" "$1" transcript |
    grep -v '^ok - '; }

# start NAME DIR ARGS...: our scamper in DIR (its working directory),
# listening on $tmp/NAME.sock, debug log $tmp/NAME.log
start() {
	local name=$1 dir=$2 pid
	shift 2
	pid=$(cd "$dir" && lab_bg h1 "$scamper" -U "$tmp/$name.sock" \
	    -d "$tmp/$name.log" "$@")
	for _ in $(seq 100); do
		[ -S "$tmp/$name.sock" ] && break
		sleep 0.1
	done
	echo "$pid" >"$tmp/$name.pid"
}
stop() { kill "$(cat "$tmp/$1.pid")" 2>/dev/null; }

# wait_gone SOCK SOURCE: until the source has finished (at most 60 s)
wait_gone() {
	for _ in $(seq 600); do
		printf 'source list %s\nexit\n' "$2" | tr_ "$1" |
		    grep -q "^ERR no source" && return 0
		sleep 0.1
	done
	return 1
}

# ---- outfile open/swap/close with each format -----------------------
for fmt in text json warts; do
	w=$tmp/w-$fmt
	mkdir -p "$w"
	printf '192.0.2.2\n' >"$w/targets"
	printf 'OLD\n' >"$w/out_t"
	printf 'KEEP\n' >"$w/out_a"
	own "$w"
	start "o$fmt" "$w" -p 1000 -O "$fmt"
	s=$tmp/o$fmt.sock
	got=$(printf '%s\n' "outfile open name t file out_t mode truncate" \
	    "outfile open name a file $w/out_a mode append" \
	    "outfile list" \
	    "source add name s1 file targets outfile t command \"ping -c 1\"" \
	    "exit" | tr_ "$s")
	want="OK
OK
INFO 'a' file '$w/out_a' refcnt 1
INFO 't' file 'out_t' refcnt 1
INFO '-' file '-' refcnt 1
OK
OK source added"
	check "$fmt: outfile open (truncate, append, absolute path inside), list, source add" \
	    [ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
	check "$fmt: source s1 finished" wait_gone "$s" s1
	got=$(printf '%s\n' "outfile swap t a" "outfile list" \
	    "source add name s2 file targets outfile t command \"ping -c 2\"" \
	    "exit" | tr_ "$s")
	want="OK
INFO 'a' file 'out_t' refcnt 1
INFO 't' file '$w/out_a' refcnt 1
INFO '-' file '-' refcnt 1
OK
OK source added"
	check "$fmt: outfile swap" [ "$got" = "$want" ] ||
	    diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
	check "$fmt: source s2 finished" wait_gone "$s" s2
	got=$(printf '%s\n' "outfile close t" "outfile close a" "outfile list" \
	    "exit" | tr_ "$s")
	check "$fmt: outfile close" [ "$got" = "OK
OK
INFO '-' file '-' refcnt 1
OK" ]
	stop "o$fmt"
	# out_t: truncated, s1's ping (-c 1); out_a: KEEP, then s2's (-c 2)
	case $fmt in
	text)
		t1=$(grep -c '^ping 192.0.2.1 to 192.0.2.2' "$w/out_t")
		a1=$(grep -c '^ping 192.0.2.1 to 192.0.2.2' "$w/out_a")
		tc=$(grep -c 'packets transmitted' "$w/out_t") ;;
	json)
		t1=$(grep -c '"type":"ping".*"ping_sent":1,' "$w/out_t")
		a1=$(grep -c '"type":"ping".*"ping_sent":2,' "$w/out_a")
		tc=$(grep -c '"type":"cycle-' "$w/out_t") ;;
	warts)
		t1=$($W2J "$w/out_t" | grep -c '"type":"ping".*"ping_sent":1,')
		a1=$(tail -c +6 "$w/out_a" | $W2J | grep -c '"type":"ping".*"ping_sent":2,')
		tc=$($W2J "$w/out_t" | grep -c '"type":"cycle-') ;;
	esac
	check "$fmt: truncate mode: out_t holds s1's result only (got $t1)" \
	    [ "$t1" = 1 ] && ! grep -q '^OLD' "$w/out_t"
	check "$fmt: append mode: out_a kept its first line and got s2's result after the swap (got $a1)" \
	    [ "$a1" = 1 ] && [ "$(head -c 5 "$w/out_a")" = "KEEP
" ]
	[ "$fmt" != text ] && check "$fmt: cycle start and stop records in out_t ($tc)" [ "$tc" = 2 ]
done

# ---- file sources: cycles, autoreload, bad lines, events -------------
w=$tmp/w-src
mkdir -p "$w"
own "$w"
start src "$w" -p 1000 -O json
s=$tmp/src.sock
printf '%s\n' "outfile open name o file results mode truncate" \
    "outfile open name oon file res-on mode truncate" \
    "outfile open name ooff file res-off mode truncate" exit |
    tr_ "$s" >/dev/null
# an observer, for the EVENT lines
lab_exec h1 timeout 120 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"observe sources\n"); s.settimeout(1); end = time.time() + 110
out = open(sys.argv[2], "w")
while time.time() < end:
    try: d = s.recv(4096)
    except socket.timeout: continue
    if not d: break
    out.write(d.decode()); out.flush()
' "$s" "$tmp/events" &
obs=$!
# (subscribed once the server has answered "observe sources")
for _ in $(seq 200); do [ -s "$tmp/events" ] && break; sleep 0.05; done
# the first cycle's target answers nothing (198.51.100.1 is dropped),
# so with 5 pings each cycle lasts five seconds or more; both sources
# are added and listed in one connection, and the files replaced right
# after it, well within the first cycle even on a busy machine
for r in on off; do
	printf '# first cycle\n198.51.100.1\n\nbad..line\n' >"$w/list-$r"
done
add() { echo "source add name r$1 file list-$1 outfile o$1 cycles 2 autoreload $1 command \"ping -c 5\" descr \"reload $1\" list_id 5 cycle_id 7"; }
got=$(printf '%s\n' "$(add on)" "$(add off)" "source list ron" \
    "source update roff priority 3" "source update ron cycles x" \
    "source update ron autoreload maybe" "source update nosuch cycles 1" \
    exit | tr_ "$s")
for r in on off; do
	printf '192.0.2.2\n' >"$w/new-$r"
	mv "$w/new-$r" "$w/list-$r"
done
want="OK source added
OK source added
INFO name 'ron' descr 'reload on' list_id 5 cycle_id 7 priority 1 outfile 'oon' type 'file' file 'list-on' cycles 2 autoreload on
OK
OK
ERR source update param 'cycles' failed
ERR source update param 'autoreload' failed
ERR no such source 'nosuch'"
check "autoreload on and off: sources added; source list and update replies" [ "$got" = "$want" ] ||
    diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
check "source ron finished" wait_gone "$s" ron
check "source roff finished" wait_gone "$s" roff
# a source that runs until deleted
printf '192.0.2.2\n' >"$w/forever"
got=$(printf 'source add name f file forever outfile o cycles 0 command "ping -c 1"\nexit\n' | tr_ "$s")
# (until its second cycle has begun)
for _ in $(seq 600); do
	grep -q "^EVENT [0-9]* source cycle 'f' id 2\$" "$tmp/events" && break
	sleep 0.05
done
got=$got$'\n'$(printf 'source delete f\nsource delete f\noutfile close o\noutfile close oon\nexit\n' | tr_ "$s")
check "cycles 0 runs until source delete" [ "$got" = "OK source added
OK source 'f' deleted
ERR unknown source 'f'
OK
OK" ] || echo "$got" | sed 's/^/#   /'
for _ in $(seq 200); do
	grep -q "^EVENT [0-9]* source delete 'f'\$" "$tmp/events" && break
	sleep 0.05
done
kill "$obs" 2>/dev/null
stop src
dst() { grep '"type":"ping"' "$w/res-$1" | grep -c "\"dst\":\"$2\""; }
check "autoreload on: cycle 1 measured the old file, cycle 2 the new one" \
    [ "$(dst on 198.51.100.1)" = 1 ] && [ "$(dst on 192.0.2.2)" = 1 ]
check "autoreload off: both cycles measured the file first opened" \
    [ "$(dst off 198.51.100.1)" = 2 ] && [ "$(dst off 192.0.2.2)" = 0 ]
check "a bad line is reported with its file:line and skipped" \
    grep -q "list-on:4" "$tmp/src.log"
check "cycle ids 7 and 8 in the cycle records" \
    [ "$(grep -c '"type":"cycle-start", "list_name":"ron", "id":[78],' "$w/res-on")" = 2 ]
for e in "source add name 'ron' descr 'reload on' list_id 5 cycle_id 7 priority 1 outfile 'oon' type 'file' file 'list-on' cycles 2 autoreload on" \
    "source cycle 'ron' id 7" "source cycle 'ron' id 8" \
    "source update 'roff' priority 3" "source finish 'ron'" \
    "source finish 'roff'" "source delete 'f'"; do
	check "EVENT $e" grep -q "^EVENT [0-9]* $e\$" "$tmp/events"
done
check "cycles 0: more than one cycle ran before the delete" \
    grep -q "^EVENT [0-9]* source cycle 'f' id 2\$" "$tmp/events"

# ---- SIGTERM while a file source runs for ever: a clean exit ----------
w=$tmp/w-term
mkdir -p "$w"
printf '198.51.100.1\n' >"$w/slow"
own "$w"
start term "$w" -p 1000 -O json
printf '%s\n' "outfile open name o file res mode truncate" \
    "source add name f file slow outfile o cycles 0 command \"ping -c 3\"" \
    exit | tr_ "$tmp/term.sock" >/dev/null
# (once its first cycle has begun)
for _ in $(seq 600); do
	grep -q '"type":"cycle-start", "list_name":"f"' "$w/res" 2>/dev/null &&
	    break
	sleep 0.05
done
stop term
gone=no
for _ in $(seq 100); do
	kill -0 "$(cat "$tmp/term.pid")" 2>/dev/null || { gone=yes; break; }
	sleep 0.1
done
check "SIGTERM with a file source running: scamper exits" [ $gone = yes ]
check "... after writing the cycle's stop record" \
    grep -q '"type":"cycle-stop", "list_name":"f"' "$w/res"

# ---- shutdown done: the cycles left run, then scamper exits -----------
w=$tmp/w-done
mkdir -p "$w"
printf '192.0.2.2\n' >"$w/t"
own "$w"
start done "$w" -p 1000 -O json
got=$(printf '%s\n' "outfile open name o file res mode truncate" \
    "source add name f file t outfile o cycles 3 command \"ping -c 1\"" \
    "shutdown done" exit | tr_ "$tmp/done.sock")
gone=no
for _ in $(seq 300); do
	kill -0 "$(cat "$tmp/done.pid")" 2>/dev/null || { gone=yes; break; }
	sleep 0.1
done
check "shutdown done with a file source: scamper exits by itself" \
    [ "$got" = "OK
OK source added
OK" ] && [ $gone = yes ] || echo "$got" | sed 's/^/#   /'
check "... after all 3 cycles of the source" \
    [ "$(grep -c '"type":"cycle-stop", "list_name":"f"' "$w/res")" = 3 ] &&
    [ "$(grep -c '"type":"ping"' "$w/res")" = 3 ]
stop done

# ---- refusals ---------------------------------------------------------
w=$tmp/w-ref
out=$tmp/outside
mkdir -p "$w/d" "$out"
printf '192.0.2.2\n' >"$out/targets"
ln -s ../outside "$w/ldir"
ln -s ../outside/targets "$w/lfile"
ln -s targets-real "$w/linside"
printf '192.0.2.2\n' >"$w/targets-real"
mkfifo "$w/fifo"
own "$w" "$out"
start ref "$w" -p 1000
s=$tmp/ref.sock
got=$(printf '%s\n' \
    "outfile open name x file ../outside/x mode truncate" \
    "outfile open name x file $out/x mode append" \
    "outfile open name x file ldir/x mode truncate" \
    "outfile open name x file lfile mode append" \
    "outfile open name x file d mode truncate" \
    "outfile open name x file fifo mode truncate" \
    "outfile open name x file nosuchdir/x mode truncate" \
    "source add name a file ../outside/targets outfile -" \
    "source add name a file $out/targets outfile -" \
    "source add name a file ldir/targets outfile -" \
    "source add name a file linside outfile -" \
    "source add name a file d outfile -" \
    "source add name a file fifo outfile -" \
    "source add name a file missing outfile -" \
    "source add name a file targets-real outfile - command \"host\"" \
    "source add name a file targets-real outfile - command bogus" \
    "source list" \
    "outfile list" exit | tr_ "$s")
want="ERR could not add outfile: ../outside/x: outside the allowed directory
ERR could not add outfile: $out/x: outside the allowed directory
ERR could not add outfile: ldir/x: outside the allowed directory
ERR could not add outfile: lfile: a symbolic link
ERR could not add outfile: d: a directory, not a regular file
ERR could not add outfile: fifo: not a regular file
ERR could not add outfile: nosuchdir/x: no such file
ERR could not add source: ../outside/targets: outside the allowed directory
ERR could not add source: $out/targets: outside the allowed directory
ERR could not add source: ldir/targets: outside the allowed directory
ERR could not add source: linside: a symbolic link
ERR could not add source: d: a directory, not a regular file
ERR could not add source: fifo: not a regular file
ERR could not add source: missing: no such file
ERR source add param 'command' failed: host: not implemented yet
ERR source add param 'command' failed: bogus: unknown command 'bogus'
OK
INFO '-' file '-' refcnt 1
OK"
check "refusals name their reason" [ "$got" = "$want" ] ||
    diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
check "nothing was created outside the directory" \
    [ "$(ls "$out")" = targets ]
got=$(printf 'lss-clear\nlss-clear nosuch\nattach\ntrace -f 2 -Z lss1 192.0.2.2\ndone\n' |
    tr_ "$s" | grep -v '^DATA\|^[^A-Z]' | head -3)
got=$got$'\n'$(printf 'lss-clear lss1\nlss-clear lss1 extra\nexit\n' | tr_ "$s")
check "lss-clear" [ "$got" = "ERR usage: lss-clear [lss-name]
ERR lss-clear nosuch failed
OK
OK lss-clear lss1
OK lss-clear lss1" ] || echo "$got" | sed 's/^/#   /'
stop ref

# ---- service mode: files are the invoking user's ---------------------
unset SCAMPER_FILE_OWNER	# only root may name an owner
hsock=$tmp/helper.sock
lab_bg h1 "$helper" -g "$G" -s "$hsock" service >/dev/null
for _ in $(seq 100); do [ -S "$hsock" ] && break; sleep 0.1; done
w=$tmp/w-svc
mkdir -p "$w" "$w/fd"
printf '192.0.2.2\n' >"$w/targets"
printf '192.0.2.2\n' >"$w/secret"
chmod 600 "$w/secret"		# root's: the user may not read it
chown "$U" "$w" "$w/targets"
chown "$U" "$w/fd"
ssock=$w/fd/svc.sock		# the user makes it
(cd "$w/fd" && setsid ip netns exec "$(lab_ns h1)" setpriv --reuid="$U" \
    --regid=nogroup --init-groups env SCAMPER_HELPER="$hsock" \
    SCAMPER_HELPER_BIN=/nonexistent SCAMPER_FILEDIR="$w" "$scamper" \
    -U "$ssock" -d "$w/fd/log" -p 1000 -O json </dev/null \
    >"$tmp/svc.err" 2>&1 &
    echo $! >"$tmp/svc.pid")
for _ in $(seq 100); do [ -S "$ssock" ] && break; sleep 0.1; done
got=$(printf '%s\n' "outfile open name m file mine mode truncate" \
    "source add name s file secret outfile m" \
    "source add name s file targets outfile m command \"ping -c 1\"" \
    exit | tr_ "$ssock")
check "service mode: SCAMPER_FILEDIR; a file the user may not read is refused" [ "$got" = "OK
ERR could not add source: secret: permission denied (as user $U)
OK source added" ] || { echo "$got"; cat "$w/fd/log" "$tmp/svc.err"; } | sed 's/^/#   /'
check "service mode: source s finished" wait_gone "$ssock" s
printf 'outfile close m\nexit\n' | tr_ "$ssock" >/dev/null
check "service mode: the file created belongs to the user, not root" \
    [ "$(stat -c %U "$w/mine")" = "$U" ]
check "service mode: it holds the result" grep -q '"type":"ping"' "$w/mine"
stop svc

# ---- scamper started in / (as after -D) opens no files by default -----
start root / -p 1000
got=$(printf 'outfile open name x file /tmp/x mode truncate\nexit\n' | tr_ "$tmp/root.sock")
check "no directory is allowed when started in /" [ "$got" = "ERR could not add outfile: /tmp/x: no directory is allowed for files (set SCAMPER_FILEDIR, or start scamper elsewhere than /)" ] ||
    echo "$got" | sed 's/^/#   /'
stop root

lab_checks_end
