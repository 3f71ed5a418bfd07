# SPDX-License-Identifier: GPL-2.0
"""A device found by rescanning one bus gets room by moving others.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4, 5 and 6 GiB in a 5 GiB hole; rp4 empty. Booted with
pcie_ports=compat, so pciehp leaves the slots alone; rp4 has no power
controller, so what is plugged into it is powered without pciehp.

Steps: plug a device with a 2 GiB BAR into rp4 (the kernel does not
notice); write patterns through the 1 GiB BARs; then rescan only the bus
below rp4: 'echo 1 > /sys/class/pci_bus/0000:04/rescan', which goes
through pci_rescan_bus_bridge_resize() rather than the root-bus path of
rescan_hotadd.

Must hold: the rescan finds the device and it gets its 2 GiB BAR; the
patterns read back; the address map is consistent.

Stock kernel: the rescan finds the device but cannot assign BAR 2 (check
'hotadd-assigned').
"""

from vmtest.topologies import FragmentedRescan


class RescanBridgeHotadd(FragmentedRescan):
	def rescan(self, vm, new):
		vm.sh(f'echo 1 > /sys/class/pci_bus/{new[:7]}/rescan')
