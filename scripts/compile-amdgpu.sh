#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compile the amdgpu objects the series touches, with W=1 and sparse (C=2)
# where this machine's sparse is new enough for the kernel (see the end),
# in a configuration that enables amdgpu (configs/amdgpu.config). QEMU has
# no AMD GPU, so this is what tests the amdgpu patches; the whole driver
# is not built, only the touched objects (and what kbuild prepares first).
#
# The same objects are compiled from the stock tree ('base') too. It fails
# on any compiler or sparse message the series adds: one the stock tree
# gives as well (sparse misjudges a static assertion in amdgv_sriovmsg.h
# and the fence array's address space in amdgpu_fence.c) is upstream's,
# reported but not counted. Each distinct message counts once, so a new
# occurrence of a message a file already gives on stock goes unseen.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fragment=$TOP/configs/amdgpu.config

# What the series changes in amdgpu and the code it relies on there.
OBJS="
drivers/gpu/drm/amd/amdgpu/amdgpu_bar_move.o
drivers/gpu/drm/amd/amdgpu/amdgpu_drv.o
drivers/gpu/drm/amd/amdgpu/amdgpu_gem.o
drivers/gpu/drm/amd/amdgpu/amdgpu_dma_buf.o
drivers/gpu/drm/amd/amdgpu/amdgpu_fence.o
drivers/gpu/drm/amd/amdgpu/../display/amdgpu_dm/amdgpu_dm.o
drivers/gpu/drm/ttm/ttm_device.o
drivers/gpu/drm/ttm/ttm_bo_vm.o
arch/x86/mm/ioremap.o
"

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree'"
command -v sparse >/dev/null || die "sparse missing; run 'make deps'"
ensure_worktree "$STOCK_TREE" base

# configure SRC OBJ: the amdgpu configuration, checked.
configure() {
	local missing
	configure_kernel "$1" "$2" "$fragment"
	missing=$(fragment_missing "$2" "$fragment")
	[ -z "$missing" ] ||
		die "configs/amdgpu.config: ${missing//$'\n'/ } did not stick (a dependency is missing)"
}

# compile SRC OBJ LOG: the objects of $OBJS that exist in SRC, W=1 C=2; print
# the compiler and sparse messages, one per line, without line numbers and
# tree paths, each distinct message once.
compile() {
	local src=$1 obj=$2 log=$3 objs="" o
	for o in $OBJS; do
		[ -f "$src/${o%.o}.c" ] && objs="$objs $o"
	done
	# C=2 runs sparse on the named objects even when they are up to date;
	# the objects themselves come from ccache when nothing changed.
	# shellcheck disable=SC2086
	if ! make -C "$src" O="$obj" -j"$JOBS" CC="ccache gcc" W=1 C=2 $objs >"$log" 2>&1; then
		grep -aE 'error' "$log" | show_lines 20 || true
		die "amdgpu objects failed to compile in ${src#"$TOP"/}; see ${log#"$TOP"/}"
	fi
	grep -E '(warning|error):' "$log" |
		sed -E -e "s#^$src/##" -e 's#[^/ ]+/\.\./##g' -e 's#:[0-9]+:[0-9]+:#:#' | sort -u || true
}

mkdir -p "$BUILD/logs"
start=$(date +%s)
note "compiling $(wc -w <<<"$OBJS") amdgpu-related objects, W=1 C=2, series and stock"
configure "$TREE" "$BUILD/amdgpu-obj"
configure "$STOCK_TREE" "$BUILD/amdgpu-obj-stock"
series=$(compile "$TREE" "$BUILD/amdgpu-obj" "$BUILD/logs/compile-amdgpu.log")
stock=$(compile "$STOCK_TREE" "$BUILD/amdgpu-obj-stock" "$BUILD/logs/compile-amdgpu-stock.log")
added=$(comm -23 <(echo "$series") <(echo "$stock") | sed '/^$/d')
upstream=$(comm -12 <(echo "$series") <(echo "$stock") | sed '/^$/d')
if [ -n "$upstream" ]; then
	echo "$upstream" | sed 's/^/    upstream, also on stock: /'
fi
if [ -n "$added" ]; then
	echo "$added" >&2
	die "the series adds $(echo "$added" | wc -l) compiler or sparse messages; see build/logs/compile-amdgpu.log"
fi
# Kbuild runs sparse only if it understands what the kernel's headers use
# (scripts/checker-valid.sh: __typeof_unqual__); Debian's sparse
# 0.6.4 does not, and kbuild then compiles without it. Say so.
if grep -q 'specified, but .* is not available or not up to date' "$BUILD/logs/compile-amdgpu.log"; then
	note "sparse $(sparse --version 2>&1 | head -1) is too old for this kernel (scripts/checker-valid.sh): W=1 only, no sparse"
fi
note "amdgpu objects: the series adds no warnings ($(($(date +%s) - start))s)"
