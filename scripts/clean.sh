#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Remove build output. build/linux is kept when it has work not in patches/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# A fresh-check root may still have file systems mounted (an interrupted
# run, or one in progress): never remove through a mount. The mount table
# holds resolved paths, so compare with the resolved path, and let rm stay
# on this file system whatever the check missed.
if [ -d "$BUILD/fresh" ]; then
	fresh=$(realpath "$BUILD/fresh")
	if findmnt -rn -o TARGET | grep -qF "$fresh/"; then
		echo "keeping build/fresh: file systems are mounted below it (umount them first)"
	else
		rm -rf --one-file-system "$BUILD/fresh"
	fi
fi
rm -rf "$BUILD/kernel-obj" "$BUILD/kunit-obj" "$BUILD/kunit-i386" "$BUILD/uapi-obj" "$BUILD/kernel" "$BUILD/kernel-stock" \
	"$BUILD/vmtest" "$BUILD/logs" "$BUILD/amdgpu-obj" "$BUILD/amdgpu-obj-stock" \
	"$BUILD/mutant/kernel-obj" "$BUILD/mutant/kunit-obj" "$BUILD/mutant/kernel" \
	"$BUILD/mutant/workbench"
if [ -d "$TREE/.git" ] && ! "$TOP/scripts/series-check.sh" >/dev/null; then
	echo "keeping build/linux: it has work that is not in patches/ ('make series-check')"
	exit 0
fi
for wt in "$STOCK_TREE" "$BUILD/each/linux" "$BUILD/mutant/linux"; do
	if [ -d "$TREE/.git" ]; then
		git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || true
	fi
done
rm -rf "$TREE" "$BUILD/stock" "$BUILD/each" "$BUILD/mutant"
