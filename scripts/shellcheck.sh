#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs shellcheck (settings in .shellcheckrc) on every shell script of the
# workbench: scripts/, .ci/run and the guest's scripts.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

command -v shellcheck >/dev/null || die "shellcheck missing; run 'make deps'"
cd "$TOP" || exit 1
passed=0 failed=0
for f in scripts/*.sh .ci/run tests/guest/init tests/guest/*.sh; do
	if out=$(shellcheck -f gcc "$f" 2>&1); then
		echo "ok shellcheck $f"
		passed=$((passed + 1))
	else
		echo "not ok shellcheck $f"
		sed 's/^/#   /' <<<"$out" | sed -n 1,40p
		failed=$((failed + 1))
	fi
done
echo "# shellcheck: $passed passed, $failed failed"
[ "$failed" = 0 ]
