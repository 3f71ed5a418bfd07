# SPDX-License-Identifier: GPL-2.0
"""A device whose driver has no rescan callbacks never moves.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4 GiB (03:00.0), 5 GiB (02:00.0) and 6 GiB (01:00.0); rp4 empty.

Steps: bind 01:00.0, the device fragmented_hotadd moves, to pci-stub,
which has no rescan_prepare(); hot-insert the 2 GiB device into rp4.

Must hold: 01:00.0 and its window stay where they are; the new device
still gets 2 GiB, by moving the two unbound devices at 4 and 5 GiB
instead; the address map is consistent; 01:00.0 is still bound.

Stock kernel: the hot-insert fails (check 'hotadd-assigned').
"""

from vmtest.scenario import bind
from vmtest.topologies import Fragmented

STUCK = '0000:01:00.0'


class NoHooksFixed(Fragmented):
	stock_fails_at = 'hotadd-assigned'

	def run(self, vm):
		self.check_premise(vm, STUCK)
		self.check('bound', bind(vm, STUCK, 'pci-stub'), f'{STUCK} is bound to pci-stub')
		before, after, new = self.insert(vm)
		self.check('hotadd-assigned', (new, 2) in after, f'{new} got its 2 GiB BAR 2')
		self.check('not-moved', before[(STUCK, 2)] == after[(STUCK, 2)] and
			   before[('0000:00:02.0', 'pref window')] ==
			   after[('0000:00:02.0', 'pref window')],
			   f'{STUCK} (no callbacks) and its window did not move')
		self.check_others_moved(before, after, STUCK)
		self.check_layout(vm)
		self.check('still-bound', vm.ok(f'test -e /sys/bus/pci/drivers/pci-stub/{STUCK}'),
			   f'{STUCK} is still bound to pci-stub')
