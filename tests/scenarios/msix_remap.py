# SPDX-License-Identifier: GPL-2.0
"""A BAR holding an enabled MSI-X table moves, and the table follows.

Topology: q35; root port rp1 holds an NVMe controller, whose BAR 0 holds
its registers and its MSI-X table.

Steps: unbind the nvme driver and bind the series' test driver
movable-bars-test, which enables one MSI-X vector; move the controller's
BARs three times through /sys/kernel/debug/pci_movable_bars/move. After
each move the test driver masks and unmasks its vector and reads the
table entry back through a new mapping of BAR 0.

Must hold: BAR 0 has a new address after every move; the driver's
callbacks ran once per move, its BARs read the same and the MSI-X mask
bit in the table followed every mask and unmask; the address map is
consistent.

Stock kernel: there is no way to move a BAR (check 'moved').
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, bind, force_move, nvme, root_port



class MsixRemap(Scenario):
	stock_fails_at = 'moved'

	def topology(self):
		return root_port('rp1', 1, '0x2') + nvme(self.rundir, 'nvme1', 'rp1')

	def run(self, vm):
		nvme = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		vm.sh(f'echo {nvme} > /sys/bus/pci/drivers/nvme/unbind')
		bound = bind(vm, nvme, 'movable-bars-test')
		for n in range(1, 4):
			before = pcimap.read_map(vm)
			force_move(vm, nvme)
			after = pcimap.read_map(vm)
			self.log(pcimap.format_moves(pcimap.moves(before, after)))
			self.check('moved', before[(nvme, 0)] != after[(nvme, 0)],
				   f'move {n}: BAR 0 of {nvme} has a new address')
			self.check('bound', bound, f'{nvme} is bound to movable-bars-test')
			state = vm.sh(f'cat /sys/bus/pci/devices/{nvme}/movable_bars_test').strip()
			self.check('msix', state == f'prepared {n} done {n} mismatches 0 msix {n}',
				   f'callbacks ran, BARs read the same, MSI-X table followed: {state}')
		self.check_layout(vm)
