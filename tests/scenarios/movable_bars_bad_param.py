# SPDX-License-Identifier: GPL-2.0
"""An unknown pcie_movable_bars= value is reported and ignored.

Topology: the fragmented one (see vmtest/topologies.py).

Steps: boot with pcie_movable_bars=sideways; hot-insert a device with a
2 GiB BAR into rp4.

Must hold: the kernel names the bad value and what it accepts, and keeps
the default: the hot-insert gets its space by a rebalance.

Stock kernel: it knows no such parameter, so it only lists it among the
unknown ones (check 'reported').
"""

from vmtest.scenario import kernel_lines
from vmtest.topologies import Fragmented


class MovableBarsBadParam(Fragmented):
	cmdline = 'pcie_movable_bars=sideways'
	stock_fails_at = 'reported'

	def run(self, vm):
		lines = kernel_lines(vm, 'pcie_movable_bars')
		self.log('kernel:\n' + lines)
		self.check('reported', 'pcie_movable_bars=sideways: unknown value, ignored' in lines,
			   'the kernel reports the unknown value')
		_, after, new = self.insert(vm)
		self.check('default-kept', (new, 2) in after,
			   f'the default stays on: {new} got its BAR 2')
		self.check_layout(vm)
