# SPDX-License-Identifier: GPL-2.0
# Movable BARs workbench. The two commands a newcomer needs:
#   make demo    the headline hot-insert in QEMU, before and after
#   make check   the whole suite, ending in "N passed, N failed"
# See README.md for the edit loop and the other targets.

SHELL := /bin/bash
S := scripts
# Messages are parsed and compared: never translated.
export LC_ALL := C

.PHONY: help demo check deps tree kernel kernel-stock kunit vmtest \
	vmtest-stock-proof bench-nvme checkpatch amdgpu build-each export \
	series-check shellcheck harness fresh-check mutants fuzz-topologies clean

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## demo               hot-insert into fragmented space, series vs stock kernel
demo: deps tree
	@$(S)/demo.sh

## check              checkpatch, apply, build, KUnit, every scenario, stock proof
check: deps
	@$(S)/check.sh

## deps               install the Debian packages that are missing
deps:
	@$(S)/install-deps.sh

## tree               build/linux: pristine base + the series (git am)
tree: deps
	@$(S)/get-kernel.sh

## kernel             scenario kernel with the series -> build/kernel/bzImage
kernel: tree
	@$(S)/build-kernel.sh series

## kernel-stock       same config, no series -> build/kernel-stock/bzImage
kernel-stock: tree
	@$(S)/build-kernel.sh stock

## kunit              the series' KUnit suites under QEMU (kunit.py)
kunit: tree
	@$(S)/run-kunit.sh

## vmtest             every scenario (SCENARIO=name for one, KERNEL=stock, KVM=1)
vmtest: deps
	@tests/vmtest.py run --kernel $(or $(KERNEL),series) $(if $(KVM),--kvm) $(SCENARIO)

## vmtest-stock-proof the stock kernel fails the scenarios as each expects
vmtest-stock-proof: deps
	@$(S)/stock-proof.sh

## bench-nvme         NVMe I/O stall: BAR move vs. remove + rescan (figures)
bench-nvme: deps kernel
	@tests/vmtest.py bench nvme_move_vs_rescan $(if $(KVM),--kvm)

## mutants            break what each check guards (tests/mutants/) and show the
##                    check fails: CHEAP=1 for the KUnit ones, MUTANT=name
mutants: deps tree
	@tests/mutants.py run $(if $(CHEAP),--cheap) $(MUTANT)

## fuzz-topologies    random topologies on stock and series: the series must
##                    place every BAR stock places (N=count FIRST=seed
##                    SEEDS=1,5,9-12 JOBS=parallel runs)
fuzz-topologies: deps
	@tests/fuzz_topologies.py run $(if $(SEEDS),--seeds $(SEEDS),--count $(or $(N),10) \
		--first $(or $(FIRST),1)) $(if $(JOBS),--jobs $(JOBS)) $(if $(KVM),--kvm)

## checkpatch         scripts/checkpatch.pl --strict on every patch
checkpatch: tree
	@$(S)/checkpatch.sh

## amdgpu             compile the amdgpu objects the series touches (W=1, sparse)
amdgpu: tree
	@$(S)/compile-amdgpu.sh

## build-each         build the kernel at every patch of the series (slow);
##                    FIRST=n starts at patch n
build-each: tree
	@$(S)/build-each-patch.sh $(FIRST)

## shellcheck         shellcheck on every script of the workbench
shellcheck: deps
	@$(S)/shellcheck.sh

## harness            the workbench's own tests (tests/harness/)
harness:
	@tests/harness.py

## fresh-check        make check and make demo in a fresh Debian 12 root
##                    (debootstrap), from a clone of HEAD; times each stage
fresh-check:
	@$(S)/fresh-check.sh

## export             write build/linux's commits to patches/
export:
	@$(S)/export-series.sh

## series-check       fail if build/linux has work that patches/ lacks
series-check:
	@$(S)/series-check.sh

## clean              remove build output (keeps build/linux if it has unexported work)
clean:
	@$(S)/clean.sh
