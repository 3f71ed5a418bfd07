#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole suite: the workbench's own tests (shellcheck, harness), checkpatch, apply, build both kernels, KUnit, the amdgpu
# compile test, every scenario, the stock-kernel proof. Each stage prints
# its elapsed time; the last line is "N passed, N failed" summed over every
# stage's own results.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0 skipped=0
FUZZ_SEEDS=1,2,4,13
declare -A results=()
mkdir -p "$BUILD/logs"
t0=$(date +%s)

# Run a stage. Stages that test several things print "# name: P passed,
# F failed[, S skipped]" and are counted by it; others count as one test.
# Every skip must say why, as a TAP "# SKIP reason" line of its own: a
# stage that skips more than it gives reasons for fails once more.
stage() {
	local name=$1
	shift
	local start out rc line
	start=$(date +%s)
	echo "=== $name"
	out=$BUILD/logs/check-$name.log
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -aE '^# [a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	if [ -n "$line" ]; then
		local p f s
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
		s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
		results[$name]=$((p + f + ${s:-0}))
		[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
		local reasons
		reasons=$(grep -acE '# SKIP +[^ ]' "$out") || true
		if [ "${s:-0}" -gt "$reasons" ]; then
			echo "=== skip: $name skipped ${s} but gave a reason for $reasons"
			f=$((f + 1))
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + ${s:-0}))
	elif [ "$rc" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	echo "=== $name: $([ "$rc" = 0 ] && echo ok || echo FAILED) ($(($(date +%s) - start))s)"
	return "$rc"
}

# Free disk space, so a run that dies of ENOSPC says so up front.
disk_free() {
	echo "=== disk: $(df -Pm "$TOP" | awk 'NR == 2 { print int($4 / 1024) }') GiB free ($1)"
}

# expect NAME N: the stage NAME must have given N results (passed, failed
# or skipped); fewer or more, or none because it did not run (a kernel that
# did not build), is one more failure.
expect() {
	local got=${results[$1]:-0}
	if [ "$got" != "$2" ]; then
		echo "=== count: $1 gave $got results, $2 expected"
		failed=$((failed + 1))
	fi
}

finish() {
	if [ -n "${full:-}" ]; then
		npatches=$(series_files | wc -l)
		expect checkpatch $((2 * npatches))
		expect mutants-kunit "$("$TOP/tests/mutants.py" list --cheap | wc -l)"
		expect vmtest "$("$TOP/tests/vmtest.py" list | wc -l)"
		expect stock-proof "$("$TOP/tests/vmtest.py" list --stock-proof | wc -l)"
		expect fuzz "$("$TOP/tests/fuzz_topologies.py" count "$FUZZ_SEEDS")"
	fi
	disk_free end
	echo "=== total $(($(date +%s) - t0))s"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" = 0 ]
	exit
}

disk_free start
stage shellcheck "$TOP/scripts/shellcheck.sh"
stage harness "$TOP/tests/harness.py"
stage apply "$TOP/scripts/get-kernel.sh" || finish
stage series-check "$TOP/scripts/series-check.sh"
stage checkpatch "$TOP/scripts/checkpatch.sh"
stage kernel "$TOP/scripts/build-kernel.sh" series || series_broken=1
stage kernel-stock "$TOP/scripts/build-kernel.sh" stock || stock_broken=1
stage kunit "$TOP/scripts/run-kunit.sh" x86_64
stage kunit-i386 "$TOP/scripts/run-kunit.sh" i386
stage mutants-kunit "$TOP/tests/mutants.py" run --cheap
stage amdgpu "$TOP/scripts/compile-amdgpu.sh"
[ -z "${series_broken:-}" ] && stage vmtest "$TOP/tests/vmtest.py" run --kernel series
[ -z "${stock_broken:-}" ] && stage stock-proof "$TOP/scripts/stock-proof.sh" --reuse
# A few fixed seeds of the differential test (make fuzz-topologies runs many):
# a display hot-added below a switch next to a fixed device (1, 4), pci-stub
# and a switch (2), a removal and a hot-add into the same slot (13).
[ -z "${series_broken:-}${stock_broken:-}" ] &&
	stage fuzz "$TOP/tests/fuzz_topologies.py" run --seeds "$FUZZ_SEEDS"
full=1
finish
