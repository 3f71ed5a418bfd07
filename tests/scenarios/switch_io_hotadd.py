# SPDX-License-Identifier: GPL-2.0
"""A hot-add into a switch keeps the running devices below the switch.

Topology: q35; root port rp1 holds a PCIe switch (x3130-upstream "up1"
with xio3130-downstream ports "dn1" and "dn2", as in a Thunderbolt dock).
dn1 holds an e1000e ("nic1", BAR 2 is 32 bytes of I/O ports) bound to
pci-stub, a driver without the rescan callbacks, so its BARs must stay
where they are; dn2 is an empty hot-plug slot with no I/O window.

Steps: hot-insert (pciehp) a second e1000e ("nic2") into dn2.

Must hold: nic1 keeps every BAR where it was, bound to pci-stub; the
address map is consistent. nic2's I/O BAR is logged, not required: it
fits only if the windows above nic1 grow, which the planner does not do
yet for windows that hold a BAR that must stay (I/O is best effort;
e1000e works without it).

Stock kernel: dn2's I/O window cannot be assigned at first; the retry
releases dn1's I/O window and the upstream port's, nic1's I/O BAR with
them, while pci-stub is bound (check 'others-kept'). Patch "PCI: Keep
windows with running devices' BARs when retrying a hot-add" keeps them.
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, hot_add
from vmtest.topologies import DOCK_DEV as NIC1, DOCK_DN2 as DN2, dock


class SwitchIoHotadd(Scenario):
	cmdline = 'pci-stub.ids=8086:10d3'
	stock_fails_at = 'others-kept'

	def topology(self):
		return dock('e1000e,id=nic1')

	def run(self, vm):
		before = pcimap.read_map(vm)
		self.log('address map after boot:\n' + pcimap.format_map(before))
		self.check('premise', (NIC1, 2) in before and (DN2, 'io window') not in before and
			   vm.ok(f'test -e /sys/bus/pci/drivers/pci-stub/{NIC1}'),
			   f'{NIC1} has its I/O BAR and is bound to pci-stub; dn2 has no I/O window')
		vm.sh('dmesg -c > /dev/null')
		new = hot_add(vm, DN2, 'e1000e', id='nic2', bus='dn2')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		kept = [k for k in before if k[0] == NIC1 and after.get(k) != before[k]]
		self.check('others-kept', not kept and
			   vm.ok(f'test -e /sys/bus/pci/drivers/pci-stub/{NIC1}'),
			   f'{NIC1} keeps every BAR where it was, bound to pci-stub '
			   f'(changed: {kept})')
		self.log(f'{new} BAR 2: {after.get((new, 2))}')
		self.check_layout(vm)
