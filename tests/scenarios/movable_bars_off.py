# SPDX-License-Identifier: GPL-2.0
"""pcie_movable_bars=off gives the stock behaviour.

Topology: the fragmented one (see vmtest/topologies.py): three devices
with 1 GiB BARs packed at 4, 5 and 6 GiB in a 5 GiB hole, rp4 empty.

Steps: boot with pcie_movable_bars=off; hot-insert a device with a 2 GiB
BAR into rp4 (fragmented_hotadd, where the series makes room).

Must hold: exactly what stock 7.3 does: "can't assign; no space", the
new device has no BAR 2, nothing moved, no rebalance in the log.

Stock kernel: the same (the parameter is unknown to it and ignored).
With the off switch broken, the series would move a BAR and fail check
'nothing-moved'.
"""

from vmtest import pcimap
from vmtest.scenario import kernel_lines
from vmtest.topologies import Fragmented


class MovableBarsOff(Fragmented):
	cmdline = 'pcie_movable_bars=off'

	def run(self, vm):
		before, after, new = self.insert(vm)
		moved = pcimap.moves(before, after)
		lines = kernel_lines(vm, "can't assign|rebalance|cannot make room")
		self.log('kernel:\n' + lines)
		self.check('nothing-moved', not moved,
			   'nothing moved:\n' + pcimap.format_moves(moved))
		self.check('unassigned', (new, 2) not in after, f'{new} has no BAR 2')
		self.check('stock-message', "can't assign; no space" in lines,
			   'the kernel says "can\'t assign; no space", as stock does')
		self.check('no-rebalance', 'rebalance' not in lines and
			   'cannot make room' not in lines, 'no rebalance was tried')
		self.check_layout(vm)
