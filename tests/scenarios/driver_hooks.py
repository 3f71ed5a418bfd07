# SPDX-License-Identifier: GPL-2.0
"""A bound driver with rescan callbacks is paused, moved and resumed.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4 GiB (03:00.0), 5 GiB (02:00.0) and 6 GiB (01:00.0); rp4 empty.

Steps: bind 01:00.0, the device fragmented_hotadd moves, to the series'
test driver movable-bars-test (which maps its BARs); write a pattern
through BAR 2; hot-insert the 2 GiB device into rp4.

Must hold: 01:00.0 moved; its driver's rescan_prepare() and rescan_done()
ran once each and its BARs read the same through the new mappings; the
pattern reads back through sysfs; it is still bound; the map is
consistent; the kernel logs one rebalance that paused one device.

Stock kernel: there is no test driver, and the hot-insert fails (check
'hotadd-assigned').
"""

from vmtest.scenario import bind, kernel_lines
from vmtest.topologies import Fragmented

MOVER = '0000:01:00.0'


class DriverHooks(Fragmented):
	stock_fails_at = 'hotadd-assigned'

	def run(self, vm):
		bound = bind(vm, MOVER, 'movable-bars-test')
		bar = f'/sys/bus/pci/devices/{MOVER}/resource2'
		vm.sh(f'bar-pattern write {bar} 0xb0b')
		before, after, new = self.insert(vm)
		self.check('hotadd-assigned', (new, 2) in after, f'{new} got its 2 GiB BAR 2')
		self.check('bound', bound, f'{MOVER} is bound to movable-bars-test')
		self.check('moved', before[(MOVER, 2)] != after[(MOVER, 2)], f'{MOVER} moved')
		state = vm.sh(f'cat /sys/bus/pci/devices/{MOVER}/movable_bars_test').strip()
		self.check('callbacks', state == 'prepared 1 done 1 mismatches 0 msix 0',
			   f'prepare and done ran once, BARs read the same: {state}')
		out = vm.sh(f'bar-pattern verify {bar} 0xb0b', check=False)
		self.check('pattern', 'verified' in out, 'the pattern reads back through sysfs')
		self.check_layout(vm)
		lines = kernel_lines(vm, 'rebalance:')
		self.log('kernel:\n' + lines)
		self.check('summary', 'paused 1 devices' in lines,
			   'one rebalance, one device paused')
