# SPDX-License-Identifier: GPL-2.0
"""A move that fails half-way restores the exact previous layout.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4 GiB (03:00.0), 5 GiB (02:00.0) and 6 GiB (01:00.0); rp4 empty.

Steps: bind 01:00.0, which the plan moves, to the test driver
movable-bars-test; write patterns through the 1 GiB BARs; make the second
resource-tree insertion of the move fail (fault injection
fail_movable_bars: interval 2, once); hot-insert the 2 GiB device.

Must hold: the kernel reports the failure and the restore; every BAR and
window of the working devices is where it was; the new device has no BAR
2; the paused driver was resumed and reads its BARs as before; the
patterns read back; the address map is consistent.

Stock kernel: there is nothing to roll back; it never says "previous
layout restored" (check 'restored').
"""

from vmtest import pcimap
from vmtest.scenario import bind, kernel_lines, secondary_bus
from vmtest.topologies import FRAGMENTED_PORTS, Fragmented

MOVER = '0000:01:00.0'
FAIL = '/sys/kernel/debug/fail_movable_bars'


class Rollback(Fragmented):
	stock_fails_at = 'restored'

	def run(self, vm):
		bound = bind(vm, MOVER, 'movable-bars-test')
		olds = [f'{secondary_bus(vm, p)}:00.0' for p in FRAGMENTED_PORTS[:3]]
		for n, bdf in enumerate(olds, 1):
			vm.sh(f'bar-pattern write /sys/bus/pci/devices/{bdf}/resource2 {n}')
		vm.sh(f'echo 0 > {FAIL}/verbose; echo 100 > {FAIL}/probability; '
		      f'echo 2 > {FAIL}/interval; echo 1 > {FAIL}/times', check=False)
		before, after, new = self.insert(vm)
		lines = kernel_lines(vm, 'injected|rebalance|restored')
		self.log('kernel:\n' + lines)
		self.check('restored', 'previous layout restored' in lines,
			   'the kernel reports the failure and the restore')
		self.check('injected', 'injected failure' in lines, 'the failure was the injected one')
		slot = FRAGMENTED_PORTS[3]
		kept = {k: v for k, v in before.items() if k[0] != slot}
		moved = pcimap.moves(kept, after)
		self.check('unchanged', not moved and kept.keys() <= after.keys(),
			   'every working BAR and window is back where it was:\n'
			   + pcimap.format_moves(moved))
		self.check('no-bar', (new, 2) not in after, f'{new} has no BAR 2')
		self.check('bound', bound, f'{MOVER} is bound to movable-bars-test')
		state = vm.sh(f'cat /sys/bus/pci/devices/{MOVER}/movable_bars_test').strip()
		self.check('resumed', state == 'prepared 1 done 1 mismatches 0 msix 0',
			   f'the paused driver was resumed and reads its BARs as before: {state}')
		for n, bdf in enumerate(olds, 1):
			out = vm.sh(f'bar-pattern verify /sys/bus/pci/devices/{bdf}/resource2 {n}',
				    check=False)
			self.check('patterns', 'verified' in out, f'{bdf} reads back its pattern')
		self.check_layout(vm)
