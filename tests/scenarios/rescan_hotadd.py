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

from vmtest.topologies import FragmentedRescan


class RescanHotadd(FragmentedRescan):
	def rescan(self, vm, new):
		vm.sh('echo 1 > /sys/bus/pci/rescan')
