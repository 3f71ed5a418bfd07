#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the scenario kernel out of tree with ccache.
#
#   build-kernel.sh series   build/linux        -> build/kernel/bzImage
#   build-kernel.sh stock    'base', no series  -> build/kernel-stock/bzImage
#   build-kernel.sh mutant   build/mutant/linux -> build/mutant/kernel/bzImage
#                            (the series with one mutant: tests/mutants.py)
#
# The configuration is allnoconfig plus configs/scenario.config. An
# unchanged .config keeps its time stamp, so rebuilds stay incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:-series}
case $kind in
series) src=$TREE; out=$BUILD/kernel ;;
stock)  src=$STOCK_TREE; out=$BUILD/kernel-stock ;;
mutant) src=$BUILD/mutant/linux; out=$BUILD/mutant/kernel ;;
*) die "usage: build-kernel.sh series|stock|mutant" ;;
esac
obj=$(dirname "$src")/kernel-obj
fragment=$TOP/configs/scenario.config
log=$BUILD/logs/build-kernel-$kind.log

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree'"
if [ "$kind" = stock ] && [ ! -d "$STOCK_TREE" ]; then
	note "checking out 'base' as ${STOCK_TREE#"$TOP"/}"
	ensure_worktree "$STOCK_TREE" base
fi
[ "$kind" != mutant ] || [ -d "$src" ] || die "no mutant tree at ${src#"$TOP"/}"
command -v ccache >/dev/null || die "ccache missing; run 'make deps'"

mkdir -p "$obj" "$out" "$(dirname "$log")"
configure_kernel "$src" "$obj" "$fragment"
for want in $(fragment_missing "$obj" "$fragment"); do
	opt=${want%%=*}
	# Options the series adds do not exist in the stock tree.
	if [ "$kind" = stock ] &&
	   ! grep -rqs --include='Kconfig*' "^config ${opt#CONFIG_}\$" "$src"; then
		continue
	fi
	die "configs/scenario.config: $want did not stick (a dependency is missing)"
done

note "building the $kind kernel (log: ${log#"$TOP"/})"
start=$(date +%s)
if ! make -C "$src" O="$obj" -j"$JOBS" CC="ccache gcc" bzImage >"$log" 2>&1; then
	grep -aE 'error|Error' "$log" | show_lines 20 || true
	die "the $kind kernel failed to build; see ${log#"$TOP"/}"
fi
cp "$obj/arch/x86/boot/bzImage" "$out/bzImage"
note "$kind kernel: ${out#"$TOP"/}/bzImage ($(($(date +%s) - start))s)"
