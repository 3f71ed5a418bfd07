#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run, on the stock kernel, every scenario that says how the stock kernel
# fails it, and require exactly that failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

exec "$TOP/tests/vmtest.py" run --kernel stock --stock-proof ${KVM:+--kvm}
