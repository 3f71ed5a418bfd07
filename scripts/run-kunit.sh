#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the series' KUnit suites (configs/kunit.config) with kunit.py under QEMU.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree'"
log=$BUILD/logs/kunit.log
mkdir -p "$(dirname "$log")"

# A suite listed in configs/kunit.config that the series does not define
# yet is skipped by name, so the rest still run.
config=$BUILD/kunit-obj/kunit.config
mkdir -p "$(dirname "$config")"
: >"$config"
missing=0
while read -r line; do
	opt=$(echo "$line" | sed -n 's/^CONFIG_\([A-Z0-9_]*_KUNIT_TEST\)=y$/\1/p')
	if [ -n "$opt" ] && ! grep -rqs --include='Kconfig*' "^config $opt\$" "$TREE"; then
		echo "kunit: the series does not define CONFIG_$opt yet; skipping it"
		missing=$((missing + 1))
		continue
	fi
	echo "$line" >>"$config"
done <"$TOP/configs/kunit.config"
if ! grep -q '_KUNIT_TEST=y' "$config"; then
	echo "# kunit: 0 passed, 0 failed, $missing skipped"
	exit 0
fi
rm -f "$BUILD/kunit-obj/test.log"
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$config" \
	--build_dir="$BUILD/kunit-obj" --jobs="$JOBS" \
	--make_options CC="ccache gcc" --timeout=600) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# The cases the configured suites define: fewer results means a suite did
# not build or the run stopped early, whatever kunit.py's summary says.
# shellcheck disable=SC2046 # option names are words
expected=$(kunit_cases "$TREE" $(sed -n 's/^\(CONFIG_[A-Z0-9_]*_KUNIT_TEST\)=y$/\1/p' "$config"))
read -r passed failed skipped <<<"$(kunit_counts "$log")" || true
if [ -z "${passed:-}" ]; then
	passed=0 failed=1 skipped=0
	echo "kunit: kunit.py gave no summary (see ${log#"$TOP"/})"
elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	failed=1
	echo "kunit: kunit.py exited $rc"
fi
if [ "$expected" = unknown ]; then
	echo "kunit: a suite has parameterised cases; the number of results is not checked"
elif [ "$((passed + failed + skipped))" -lt "$expected" ]; then
	echo "kunit: $((passed + failed + skipped)) results, but the suites define $expected cases"
	failed=$((failed + expected - passed - failed - skipped))
fi
# kunit.py judges the test results only: a lockdep, KASAN or UBSAN report
# or a WARNING on the console of the test kernel fails the stage too.
if [ -f "$BUILD/kunit-obj/test.log" ] &&
   ! "$TOP/tests/vmtest.py" scan-log "$BUILD/kunit-obj/test.log"; then
	echo "kunit: the test kernel reported the above"
	failed=$((failed + 1))
fi
echo "# kunit: $passed passed, $failed failed, $((skipped + missing)) skipped"
[ "$failed" = 0 ]
