# SPDX-License-Identifier: GPL-2.0
"""A hot-insert that cannot fit even with moves changes nothing.

Topology: q35 with a 5 GiB 64-bit PCI hole (4 GiB..9 GiB); root port rp1
holds an ivshmem device with a 1 GiB prefetchable BAR, rp2 an NVMe
controller; rp3 is an empty hot-plug slot.

Steps: write a pattern through the ivshmem BAR; hot-insert (pciehp) an
ivshmem device with an 8 GiB BAR into rp3, larger than the whole hole.

Must hold: no BAR or window of a working device changed; the NVMe driver
is still bound; the pattern reads back; the new device is visible in sysfs
without BAR 2; and the kernel says in one line that it cannot make room.

Stock kernel: addresses stay too, but it only logs "can't assign; no
space", never that moving BARs would not help (check 'explained').
"""

from vmtest import pcimap
from vmtest.scenario import (Scenario, hot_add, ivshmem, ivshmem_backend,
			     kernel_lines, nvme, root_port)

EXPLAINED = 'cannot make room'


class FullHotadd(Scenario):
	memory = '512M'
	stock_fails_at = 'explained'

	def topology(self):
		return (['-global', 'q35-pcihost.pci-hole64-size=5G'] +
			root_port('rp1', 1, '0x2') + root_port('rp2', 2, '0x3') +
			root_port('rp3', 3, '0x4') +
			ivshmem('shm1', 'rp1', '1G') +
			ivshmem_backend('huge', '8G') +
			nvme(self.rundir, 'nvme1', 'rp2'))

	def run(self, vm):
		shm = vm.sh("grep -l 0x1110 /sys/bus/pci/devices/*/device | head -1").strip()
		bar = shm.rsplit('/', 1)[0] + '/resource2'
		vm.sh(f'bar-pattern write {bar} 0x77')
		before = pcimap.read_map(vm)
		self.log('address map before the hot-insert:\n' + pcimap.format_map(before))
		vm.sh('dmesg -c > /dev/null')

		slot = '0000:00:04.0'
		new = hot_add(vm, slot, 'ivshmem-plain', id='huge', memdev='huge-mem',
			      bus='rp3')
		after = pcimap.read_map(vm)
		moved = pcimap.moves(before, after)
		# The empty slot's own windows are no working device's.
		kept = {k for k in before if k[0] != slot}
		lines = kernel_lines(vm, f"can't assign|failed to assign|{EXPLAINED}")
		self.log('kernel:\n' + lines)

		self.check('unchanged', not moved and kept <= after.keys(),
			   'every working device kept its addresses:\n' + pcimap.format_moves(moved))
		self.check('visible', vm.ok(f'test -e /sys/bus/pci/devices/{new}'),
			   f'{new} is visible without resources')
		self.check('no-resources', (new, 2) not in after, f'{new} has no BAR 2')
		self.check('nvme-bound',
			   vm.sh('ls /sys/bus/pci/drivers/nvme/ | grep -c :', check=False).strip() == '1',
			   'the NVMe controller is still bound')
		out = vm.sh(f'bar-pattern verify {bar} 0x77', check=False)
		self.check('pattern', 'verified' in out, 'the ivshmem pattern reads back')
		self.check('explained', len([l for l in lines.splitlines() if EXPLAINED in l]) == 1,
			   f'one kernel line says it "{EXPLAINED}" for {new}')
		self.check_layout(vm)
