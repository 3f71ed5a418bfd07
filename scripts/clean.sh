#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Remove build output. build/linux is kept when it has work not in patches/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# A fresh-check root may still have file systems mounted (an interrupted
# run): never remove through a mount.
if [ -d "$BUILD/fresh" ]; then
	if grep -qF " $BUILD/fresh/" /proc/mounts; then
		echo "keeping build/fresh: file systems are mounted below it (umount them first)"
	else
		rm -rf "$BUILD/fresh"
	fi
fi
rm -rf "$BUILD/kernel-obj" "$BUILD/kunit-obj" "$BUILD/kernel" "$BUILD/kernel-stock" \
	"$BUILD/vmtest" "$BUILD/logs" "$BUILD/amdgpu-obj" "$BUILD/amdgpu-obj-stock"
if [ -d "$TREE/.git" ] && ! "$TOP/scripts/series-check.sh" >/dev/null; then
	echo "keeping build/linux: it has work that is not in patches/ ('make series-check')"
	exit 0
fi
for wt in "$STOCK_TREE" "$BUILD/each/linux"; do
	if [ -d "$TREE/.git" ]; then
		git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || true
	fi
done
rm -rf "$TREE" "$BUILD/stock" "$BUILD/each"
