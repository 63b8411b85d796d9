#!/bin/sh
# run-live.sh TARGET WORKDIR SEEDDIR...: coverage-guided fuzzing of one
# libFuzzer target (a -Dfuzz=true build) for $SCAMPER_FUZZ_SECONDS
# (default 30) seconds.  New inputs go to WORKDIR/corpus (emptied first,
# so every run starts from the seeds in the tree), a crashing input to
# WORKDIR/; any crash, leak, UBSan report or timeout fails the test and
# names the input to add to the target's corpus in tests/fuzz/corpus/.
set -u
target=$1 work=$2
shift 2
secs=${SCAMPER_FUZZ_SECONDS:-30}
rm -rf "$work/corpus"
mkdir -p "$work/corpus" || exit 1
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
"$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$work/" \
    "$work/corpus" "$@" 2>"$work/log"
rc=$?
grep -E '^(stat::|#[0-9]+ *DONE|INFO: seed corpus|Done )' "$work/log"
if [ $rc -ne 0 ]; then
	tail -n 60 "$work/log"
	echo "$(basename "$target"): fuzzing failed (exit $rc); input:" \
	    "$(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* \
	    "$work"/oom-* 2>/dev/null)" >&2
	exit 1
fi
echo "$(basename "$target"): $secs s, no crash, leak or UBSan report"
