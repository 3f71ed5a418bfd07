#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The headline in QEMU: a device hot-inserted through pciehp whose BAR only
# fits if BARs of running devices move. Runs the fragmented_hotadd scenario
# on the stock kernel and on the series, prints both address maps and
# writes a picture of each (build/vmtest/<kernel>/fragmented_hotadd/
# addrmap.svg). Exits non-zero unless stock fails as it is known to and the
# series passes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SCENARIO=fragmented_hotadd
rm -f "$BUILD"/vmtest/{stock,series}/"$SCENARIO"/addrmap.svg

"$TOP/scripts/build-kernel.sh" stock
"$TOP/scripts/build-kernel.sh" series

show() {
	sed -e 's/^# \{0,1\}//' -e '/^TAP version/d' -e '/^1\.\./d'
}

echo
echo "################ stock $KERNEL_NAME ################"
stock_ok=0
if "$TOP/tests/vmtest.py" run --kernel stock --stock-proof "$SCENARIO" | show; then
	stock_ok=1
fi

echo
echo "################ $KERNEL_NAME + movable BARs series ################"
series_ok=0
if "$TOP/tests/vmtest.py" run --kernel series --demo "$SCENARIO" | show; then
	series_ok=1
fi

echo
echo "################ summary ################"
if [ "$stock_ok" = 1 ]; then
	echo "stock:  the hot-insert fails with \"can't assign; no space\", as it is known to."
else
	echo "stock:  did NOT fail the way the scenario expects (see above)."
fi
if [ "$series_ok" = 1 ]; then
	echo "series: the hot-insert got its space; the BARs listed above were moved."
else
	echo "series: FAILED: the hot-insert did not get its space, or a check failed (see above)."
fi
for kind in stock series; do
	svg=$BUILD/vmtest/$kind/$SCENARIO/addrmap.svg
	if [ -f "$svg" ]; then
		echo "picture of the address map, $kind kernel: ${svg#"$TOP"/}"
	fi
done
[ "$stock_ok" = 1 ] && [ "$series_ok" = 1 ]
