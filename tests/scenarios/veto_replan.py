# SPDX-License-Identifier: GPL-2.0
"""A driver that refuses makes the core plan again around its device.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4 GiB (03:00.0), 5 GiB (02:00.0) and 6 GiB (01:00.0); rp4 empty.

Steps: bind 01:00.0, the device fragmented_hotadd moves, to the series'
test driver movable-bars-test with veto=1, so that its rescan_prepare()
refuses; hot-insert the 2 GiB device into rp4.

Must hold: the kernel logs the refusal; 01:00.0 stays where it is and its
driver saw no completed move; the new device still gets 2 GiB, by moving
the devices at 4 and 5 GiB instead; the address map is consistent.

Stock kernel: there is no test driver, and the hot-insert fails (check
'hotadd-assigned').
"""

from vmtest.scenario import bind, kernel_lines
from vmtest.topologies import Fragmented

STUCK = '0000:01:00.0'
VETO = '/sys/module/movable_bars_test/parameters/veto'


class VetoReplan(Fragmented):
	stock_fails_at = 'hotadd-assigned'

	def run(self, vm):
		self.check_premise(vm, STUCK)
		bound = bind(vm, STUCK, 'movable-bars-test')
		vm.sh(f'echo 1 > {VETO}', check=False)
		before, after, new = self.insert(vm)
		self.check('hotadd-assigned', (new, 2) in after, f'{new} got its 2 GiB BAR 2')
		self.check('bound', bound, f'{STUCK} is bound to movable-bars-test')
		lines = kernel_lines(vm, 'refused|rebalance')
		self.log('kernel:\n' + lines)
		self.check('refused', f'{STUCK}: movable-bars-test refused' in lines,
			   'the kernel logs the refusal')
		self.check('not-moved', before[(STUCK, 2)] == after[(STUCK, 2)],
			   f'{STUCK} stayed where it was')
		self.check_others_moved(before, after, STUCK)
		state = vm.sh(f'cat /sys/bus/pci/devices/{STUCK}/movable_bars_test')
		self.check('no-move-seen', state.startswith('prepared 0 done 0'),
			   f'its driver saw no move: {state.strip()}')
		self.check_layout(vm)
