# SPDX-License-Identifier: GPL-2.0
"""A device found by a sysfs rescan gets room by moving others.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4, 5 and 6 GiB in a 5 GiB hole; rp4 empty. Booted with
pcie_ports=compat, so pciehp leaves the slots alone; rp4 has no power
controller, so what is plugged into it is powered without pciehp.

Steps: plug a device with a 2 GiB BAR into rp4 (the kernel does not
notice); write patterns through the 1 GiB BARs; then
'echo 1 > /sys/bus/pci/rescan'.

Must hold: the rescan finds the device and it gets its 2 GiB BAR; the
patterns read back; the address map is consistent.

Stock kernel: the rescan finds the device but cannot assign BAR 2 (check
'hotadd-assigned').
"""

from vmtest import pcimap
from vmtest.scenario import secondary_bus
from vmtest.topologies import FRAGMENTED_PORTS, Fragmented, fragmented


class RescanHotadd(Fragmented):
	cmdline = 'pcie_ports=compat'
	stock_fails_at = 'hotadd-assigned'

	def topology(self):
		return fragmented(power_controller_present='off')

	def run(self, vm):
		olds = [f'{secondary_bus(vm, p)}:00.0' for p in FRAGMENTED_PORTS[:3]]
		new = f'{secondary_bus(vm, FRAGMENTED_PORTS[3])}:00.0'
		vm.device_add('ivshmem-plain', id='new', memdev='new-mem', bus='rp4')
		for n, bdf in enumerate(olds, 1):
			vm.sh(f'bar-pattern write /sys/bus/pci/devices/{bdf}/resource2 {n}')
		before = pcimap.read_map(vm)
		self.check('not-yet', (new, 0) not in before, f'{new} is not seen before the rescan')

		vm.sh('echo 1 > /sys/bus/pci/rescan')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		self.check('found', vm.ok(f'test -e /sys/bus/pci/devices/{new}'),
			   f'the rescan found {new}')
		self.check('hotadd-assigned', (new, 2) in after, f'{new} got its 2 GiB BAR 2')
		for n, bdf in enumerate(olds, 1):
			out = vm.sh(f'bar-pattern verify /sys/bus/pci/devices/{bdf}/resource2 {n}',
				    check=False)
			self.check('patterns', 'verified' in out, f'{bdf} reads back its pattern')
		self.check_layout(vm)
