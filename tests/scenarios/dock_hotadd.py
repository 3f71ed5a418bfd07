# SPDX-License-Identifier: GPL-2.0
"""A hot-add next to a running device without callbacks below a switch.

Topology: q35 with 1 GiB of RAM; root port rp1 holds a PCIe switch
(x3130-upstream "up1", xio3130-downstream ports "dn1" and "dn2"), as in a
dock: dn1 holds a virtio-rng device bound to virtio-pci, a driver without
the rescan callbacks, so its BARs are fixed and every window above them
is pinned; dn2 is an empty hot-plug slot. rp2 next to it holds an
ivshmem device (no driver) whose 64 MiB BAR firmware puts right below the
switch's windows, in the only place the 32-bit window has for them to
grow into.

Steps: a bochs-display with a 64 MiB framebuffer (32-bit prefetchable
BAR 0) is hot-inserted into dn2 through pciehp.

Must hold: the new display gets BAR 0 (the ivshmem BAR makes way); the
windows of rp1 and of the
switch's upstream port only grow (each new range contains the old one),
so the virtio device keeps every BAR where it was, stays bound and is
never paused; the address map is consistent.

Stock kernel: the display's BAR 0 gets no space ('hotadd-assigned'):
stock does not grow windows above running devices. Before "PCI: Let
windows above fixed BARs grow around them", neither did the series.
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, hot_add, ivshmem, root_port
from vmtest.topologies import DOCK_DEV as VIRTIO, DOCK_DN2 as DN2, DOCK_RP as RP1, \
	DOCK_UP as UP1, dock


class DockHotadd(Scenario):
	memory = '1G'
	stock_fails_at = 'hotadd-assigned'

	def topology(self):
		return dock('virtio-rng-pci,id=rng') + root_port('rp2', 4, '0x3') + \
			ivshmem('shm', 'rp2', '64M')

	def run(self, vm):
		before = pcimap.read_map(vm)
		self.log('address map after boot:\n' + pcimap.format_map(before))
		self.check('premise', vm.ok(f'test -e /sys/bus/pci/drivers/virtio-pci/{VIRTIO}'),
			   f'{VIRTIO} is bound to virtio-pci, which has no rescan callbacks')
		vm.sh('dmesg -c > /dev/null')
		new = hot_add(vm, DN2, 'bochs-display', id='gpu', bus='dn2', vgamem='64M')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		self.check('hotadd-assigned', (new, 0) in after,
			   f'{new} got its 64 MiB BAR 0')
		changed = [k for k in before if k[0] == VIRTIO and after.get(k) != before[k]]
		self.check('kept', not changed and
			   vm.ok(f'test -e /sys/bus/pci/drivers/virtio-pci/{VIRTIO}'),
			   f'{VIRTIO} keeps every BAR where it was and stays bound '
			   f'(changed: {changed})')
		for bdf in (RP1, UP1):
			old, grown = before.get((bdf, 'pref window')), after.get((bdf, 'pref window'))
			self.check('grown', old and grown and grown[0] <= old[0] and grown[1] >= old[1],
				   f'{bdf} prefetchable window only grew: {old and hex(old[0])}-'
				   f'{old and hex(old[1])} -> {grown and hex(grown[0])}-'
				   f'{grown and hex(grown[1])}')
		self.check_layout(vm)
