# SPDX-License-Identifier: GPL-2.0
"""Hot-insert into fragmented space: fits only if a running device's BAR moves.

Topology: q35 with a 5 GiB 64-bit PCI hole (4 GiB..9 GiB) and 512 MiB of
RAM, so firmware puts large 64-bit BARs in that hole. Root ports rp1, rp2,
rp3 each hold an ivshmem device with a 1 GiB prefetchable BAR; firmware
packs them at 4, 5 and 6 GiB. rp4 is an empty hot-plug slot.

Steps: write a pattern through each 1 GiB BAR; hot-insert (pciehp) an
ivshmem device with a 2 GiB BAR into rp4.

The hole has 2 GiB free (7..9 GiB), but a 2 GiB BAR needs 2 GiB alignment:
the only aligned places are 4..6 GiB and 6..8 GiB, and each holds a device.
Moving the device at 6 GiB to 8 GiB makes room.

Must hold: the new device's BAR is assigned; all BARs lie inside their
windows without overlap, and /proc/iomem and the registers agree with
sysfs (pci_bar_layout); every pattern reads back through the moved BARs;
the new device's memory is usable.

Stock kernel: the hot-insert fails with "can't assign; no space" and
"failed to assign"; the new device has no BAR 2 (check 'hotadd-assigned').
"""

from vmtest import pcimap
from vmtest.scenario import kernel_lines, secondary_bus
from vmtest.topologies import FRAGMENTED_PORTS, Fragmented


class FragmentedHotadd(Fragmented):
	stock_fails_at = 'hotadd-assigned'

	def run(self, vm):
		olds = [f'{secondary_bus(vm, p)}:00.0' for p in FRAGMENTED_PORTS[:3]]
		for n, bdf in enumerate(olds, 1):
			vm.sh(f'bar-pattern write /sys/bus/pci/devices/{bdf}/resource2 {n}')
		before, after, new = self.insert(vm)
		self.log('address map before the hot-insert:\n' + pcimap.format_map(before))
		self.log('address map after the hot-insert:\n' + pcimap.format_map(after))
		self.log('kernel:\n' + kernel_lines(vm, "can't assign|failed to assign|rebalance|BAR 2"))

		self.check('hotadd-assigned', (new, 2) in after,
			   f'the hot-inserted {new} has its 2 GiB BAR 2')
		self.check_layout(vm)
		for n, bdf in enumerate(olds, 1):
			out = vm.sh(f'bar-pattern verify /sys/bus/pci/devices/{bdf}/resource2 {n}',
				    check=False)
			self.check('patterns', 'verified' in out,
				   f'{bdf} reads back its pattern after the rebalance')
		vm.sh(f'bar-pattern write /sys/bus/pci/devices/{new}/resource2 9')
		out = vm.sh(f'bar-pattern verify /sys/bus/pci/devices/{new}/resource2 9',
			    check=False)
		self.check('new-usable', 'verified' in out, f'{new} memory is usable')
