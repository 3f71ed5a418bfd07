#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run, on the stock kernel, every scenario that says how the stock kernel
# fails it, and require exactly that failure.
#
# With --reuse, a pass is reused when nothing it depends on (the stock
# kernel, tests/, the scenario config) changed since: after a change to the
# series only, the stock kernel's behaviour cannot have changed. A fresh
# clone never has a recorded pass.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp=$BUILD/vmtest/stock-proof.pass
key() {
	{
		sha256sum "$BUILD/kernel-stock/bzImage" "$TOP/configs/scenario.config"
		find "$TOP/tests" -type f ! -path '*/__pycache__/*' -print0 | sort -z |
			xargs -0 sha256sum
	} | sha256sum | cut -d' ' -f1
}

if [ "${1:-}" = --reuse ] && [ -f "$stamp" ] && [ -f "$BUILD/kernel-stock/bzImage" ] &&
   [ "$(head -1 "$stamp")" = "$(key)" ]; then
	n=$(tail -1 "$stamp" | sed -E 's/.* ([0-9]+) passed.*/\1/')
	echo "stock-proof: stock kernel and tests unchanged since all $n passed; not run again"
	"$TOP/tests/vmtest.py" list --stock-proof | awk -v n="$n" \
		'{ print "ok " NR " " $1 " # SKIP unchanged since all " n " passed" }'
	echo "# stock-proof: 0 passed, 0 failed, $n skipped"
	exit 0
fi
rm -f "$stamp"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$TOP/tests/vmtest.py" run --kernel stock --stock-proof ${KVM:+--kvm} | tee "$log"
mkdir -p "$(dirname "$stamp")"
{ key; grep '^# vmtest:' "$log" | tail -1; } >"$stamp"
