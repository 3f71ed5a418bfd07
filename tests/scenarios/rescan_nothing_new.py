# SPDX-License-Identifier: GPL-2.0
"""A rescan that finds nothing new moves nothing.

Topology: q35; root port rp1 holds an ivshmem device with a 64 MiB
prefetchable BAR, rp2 an NVMe controller, rp3 is an empty hot-plug slot.

Steps: record every BAR and bridge window, write a pattern through the
ivshmem BAR, 'echo 1 > /sys/bus/pci/rescan', record again.

Must hold: the two maps are identical, the NVMe driver is still bound, the
pattern reads back, and the kernel logs no rebalance.

Stock kernel: the same (it never moves anything); the stock proof runs
it and requires every check to pass. This scenario guards the series
against moving or pausing devices when nothing needs space.
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, ivshmem, nvme, root_port


class RescanNothingNew(Scenario):
	stock_passes = True

	def topology(self):
		return (root_port('rp1', 1, '0x2') + root_port('rp2', 2, '0x3') +
			root_port('rp3', 3, '0x4') +
			ivshmem('shm1', 'rp1', '64M') +
			nvme(self.rundir, 'nvme1', 'rp2'))

	def run(self, vm):
		before = pcimap.read_map(vm)
		self.log('address map after boot:\n' + pcimap.format_map(before))
		shm = vm.sh("grep -l 0x1110 /sys/bus/pci/devices/*/device | head -1").strip()
		self.check('ivshmem-present', shm, 'the ivshmem device is enumerated')
		bar = shm.rsplit('/', 1)[0] + '/resource2'
		vm.sh(f'bar-pattern write {bar} 0x5eed')
		vm.sh('dmesg -c > /dev/null')

		vm.sh('echo 1 > /sys/bus/pci/rescan')

		after = pcimap.read_map(vm)
		moved = pcimap.moves(before, after)
		self.check('nothing-moved', not moved,
			   'no BAR or window moved:\n' + pcimap.format_moves(moved))
		self.check('same-resources', before.keys() == after.keys(),
			   'the same resources are assigned as before')
		self.check('nvme-bound',
			   vm.sh('ls /sys/bus/pci/drivers/nvme/ | grep -c :', check=False).strip() == '1',
			   'the NVMe controller is still bound to its driver')
		out = vm.sh(f'bar-pattern verify {bar} 0x5eed', check=False)
		self.check('pattern', 'verified' in out, 'the ivshmem pattern reads back')
		dmesg = vm.sh('dmesg')
		self.check('no-rebalance', 'rebalance' not in dmesg,
			   'the kernel logged no rebalance')
		self.check_layout(vm)
