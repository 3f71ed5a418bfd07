#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the series' KUnit suites (configs/kunit.config) with kunit.py under QEMU.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree'"
log=$BUILD/logs/kunit.log
mkdir -p "$(dirname "$log")"
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$TOP/configs/kunit.config" \
	--build_dir="$BUILD/obj/kunit" --jobs="$JOBS" \
	--make_options CC="ccache gcc" --timeout=600) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# kunit.py ends with "Testing complete. Ran N tests: passed: P, failed: F, ..."
summary=$(grep -a 'Testing complete' "$log" | tail -1)
passed=$(echo "$summary" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
failed=$(echo "$summary" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
crashed=$(echo "$summary" | sed -n 's/.*crashed: \([0-9]*\).*/\1/p')
failed=$(( ${failed:-0} + ${crashed:-0} ))
if [ -z "$passed" ]; then
	passed=0
	failed=1
	echo "kunit: kunit.py gave no results (see ${log#"$TOP"/})"
elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	failed=1
fi
echo "# kunit: $passed passed, $failed failed"
[ "$failed" = 0 ]
