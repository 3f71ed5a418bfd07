#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/checkpatch.pl --strict on every patch of the series.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/checkpatch.pl" ] || die "no work tree at build/linux; run 'make tree'"
passed=0 failed=0
for p in $(series_files); do
	# spdxcheck.py needs python3-ply, which Debian's python3 has.
	if out=$(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --quiet "$p" 2>&1) &&
	   [ -z "$out" ]; then
		echo "ok checkpatch $(basename "$p")"
		passed=$((passed + 1))
	else
		echo "not ok checkpatch $(basename "$p")"
		sed 's/^/#   /' <<<"$out" | sed -n 1,40p
		failed=$((failed + 1))
	fi
done
# Every patch must carry its author's own Signed-off-by (see
# signed_off_by_author in lib.sh; checkpatch accepts any sign-off).
for p in $(series_files); do
	if from=$(signed_off_by_author "$p"); then
		echo "ok signoff $(basename "$p")"
		passed=$((passed + 1))
	else
		echo "not ok signoff $(basename "$p"): no 'Signed-off-by: $from' in the commit message"
		failed=$((failed + 1))
	fi
done
echo "# checkpatch: $passed passed, $failed failed"
[ "$failed" = 0 ]
