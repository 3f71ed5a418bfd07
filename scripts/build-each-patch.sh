#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the scenario kernel at every commit of the series, to check that
# each patch builds on its own; the amdgpu objects too at the commits that
# touch amdgpu (in the amdgpu configuration). Slow (every header change
# rebuilds most of the tree), so not part of 'make check'.
#
#   build-each-patch.sh [FIRST]    start at patch number FIRST (default 1)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

first=${1:-1}
wt=$BUILD/each/linux
obj=$BUILD/each/kernel-obj
amd_obj=$BUILD/each/amdgpu-obj
log=$BUILD/logs/build-each-patch.log

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree'"
ensure_worktree "$wt" base
mkdir -p "$obj" "$amd_obj" "$(dirname "$log")"
: > "$log"

n=0 failed=0
for commit in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	[ "$n" -lt "$first" ] && continue
	subject=$(git -C "$TREE" log -1 --format=%s "$commit")
	git -C "$wt" checkout -q --detach "$commit"
	start=$(date +%s)
	configure_kernel "$wt" "$obj" "$TOP/configs/scenario.config"
	if ! make -C "$wt" O="$obj" -j"$JOBS" CC="ccache gcc" bzImage >>"$log" 2>&1; then
		echo "not ok $n $subject (kernel)"
		failed=$((failed + 1))
		continue
	fi
	objs=$(git -C "$TREE" diff --name-only "$commit^" "$commit" -- drivers/gpu/drm/amd |
	       sed -n 's#^\(drivers/gpu/drm/amd/.*\)\.c$#\1.o#p' |
	       sed 's#^drivers/gpu/drm/amd/display/#drivers/gpu/drm/amd/amdgpu/../display/#')
	if [ -n "$objs" ]; then
		configure_kernel "$wt" "$amd_obj" "$TOP/configs/amdgpu.config"
		# shellcheck disable=SC2086
		if ! make -C "$wt" O="$amd_obj" -j"$JOBS" CC="ccache gcc" W=1 $objs >>"$log" 2>&1; then
			echo "not ok $n $subject (amdgpu objects)"
			failed=$((failed + 1))
			continue
		fi
	fi
	echo "ok $n $subject ($(($(date +%s) - start))s${objs:+, amdgpu objects})"
done
echo "# build-each-patch: $((n - first + 1 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
