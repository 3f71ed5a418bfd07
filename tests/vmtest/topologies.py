# SPDX-License-Identifier: GPL-2.0
"""Topologies shared by several scenarios."""

from . import pcimap, svgmap
from .scenario import Scenario, hot_add, ivshmem, ivshmem_backend, root_port, secondary_bus

# Root ports of fragmented(), as the guest sees them.
FRAGMENTED_PORTS = ['0000:00:02.0', '0000:00:03.0', '0000:00:04.0', '0000:00:05.0']


def fragmented(**rp4_props):
	"""A 5 GiB 64-bit hole (4..9 GiB) with 512 MiB of RAM; rp1..rp3 hold
	ivshmem devices with 1 GiB BARs, which firmware packs at 4, 5 and 6
	GiB; rp4 is empty. The backend 'new' (2 GiB) is ready for a hot-add."""
	args = ['-global', 'q35-pcihost.pci-hole64-size=5G']
	for n in (1, 2, 3):
		args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
	args += root_port('rp4', 4, '0x5', **rp4_props)
	for n in (1, 2, 3):
		args += ivshmem(f'shm{n}', f'rp{n}', '1G')
	return args + ivshmem_backend('new', '2G')


class Fragmented(Scenario):
	"""Base for scenarios on the fragmented() topology."""
	memory = '512M'

	def topology(self):
		return fragmented()

	def check_premise(self, vm, bdf):
		"""Check 'premise': bdf's BAR 2 is the one at 6 GiB, the device
		that fragmented_hotadd shows the plan moving when nothing holds
		it (moving it alone makes room). A scenario that holds bdf in
		place then shows something only if others move instead."""
		bar = pcimap.read_map(vm).get((bdf, 2))
		self.check('premise', bar is not None and bar[0] == 6 << 30,
			   f'{bdf} has the 1 GiB BAR at 6 GiB that a plan would move '
			   f'({hex(bar[0]) if bar else "unassigned"})')

	def check_others_moved(self, before, after, held):
		"""Check 'others-moved': with held in place, the room came from
		moving other devices' BARs."""
		movers = sorted({bdf for bdf, idx, _, _ in pcimap.moves(before, after)
				 if isinstance(idx, int)} - {held})
		self.check('others-moved', bool(movers),
			   f'the room came from moving others instead: {", ".join(movers) or "none"}')

	def insert(self, vm):
		"""Hot-insert the 2 GiB device into rp4; return (before, after, new BDF)."""
		before = pcimap.read_map(vm)
		roots_before = svgmap.read_root_windows(vm)
		vm.sh('dmesg -c > /dev/null')
		new = hot_add(vm, FRAGMENTED_PORTS[3], 'ivshmem-plain', id='new',
			      memdev='new-mem', bus='rp4')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		missing = [] if (new, 2) in after else [f'{new} BAR 2 (2 GiB), hot-inserted']
		self.save_svg(before, after, roots_before, svgmap.read_root_windows(vm),
			      missing)
		return before, after, new


class FragmentedRescan(Fragmented):
	"""Base for scenarios where a rescan, not pciehp, finds the 2 GiB device
	plugged into rp4. Booted with pcie_ports=compat, so pciehp leaves the
	slots alone; rp4 has no power controller, so what is plugged into it
	is powered without pciehp. Subclasses say how to rescan."""
	cmdline = 'pcie_ports=compat'
	stock_fails_at = 'hotadd-assigned'

	def topology(self):
		return fragmented(power_controller_present='off')

	def rescan(self, vm, new):
		raise NotImplementedError

	def run(self, vm):
		olds = [f'{secondary_bus(vm, p)}:00.0' for p in FRAGMENTED_PORTS[:3]]
		new = f'{secondary_bus(vm, FRAGMENTED_PORTS[3])}:00.0'
		vm.device_add('ivshmem-plain', id='new', memdev='new-mem', bus='rp4')
		for n, bdf in enumerate(olds, 1):
			vm.sh(f'bar-pattern write /sys/bus/pci/devices/{bdf}/resource2 {n}')
		before = pcimap.read_map(vm)
		self.check('not-yet', (new, 0) not in before, f'{new} is not seen before the rescan')

		self.rescan(vm, new)
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


def scarce_32bit():
	"""For 2815 MiB of RAM (Scenario.memory), so that the only 32-bit root
	window with room is [0xc0000000-0xfebfffff], which firmware fills: rp3
	and rp2 hold ivshmem devices with 256 MiB BARs at 0xc0000000 and
	0xd0000000 (for pci-stub.ids=1af4:1110, which keeps them in place);
	rp1 holds bochs-display "gpu0" with a 128 MiB framebuffer BAR at
	0xe0000000; rp2's non-prefetchable window is padded (mem-reserve
	100M) to start at 0xf8000000. Free: 0xe8200000-0xf7ffffff, but no
	256 MiB-aligned 256 MiB. rp4 is a hot-plug slot for the caller."""
	args = root_port('rp1', 1, '0x2')
	args += root_port('rp2', 2, '0x3', **{'mem-reserve': '100M'})
	args += root_port('rp3', 3, '0x4')
	args += root_port('rp4', 4, '0x5')
	args += ['-device', 'bochs-display,id=gpu0,bus=rp1,vgamem=128M']
	return args + ivshmem('fill1', 'rp2', '256M') + ivshmem('fill2', 'rp3', '256M')


# The switch of dock(), as the guest sees it.
DOCK_RP = '0000:00:02.0'
DOCK_UP = '0000:01:00.0'
DOCK_DN2 = '0000:02:01.0'
DOCK_DEV = '0000:03:00.0'	# the device on dn1


def dock(device):
	"""A PCIe switch on root port rp1, as in a dock: x3130-upstream "up1"
	with xio3130-downstream ports "dn1", which holds device (a -device
	value without bus), and "dn2", an empty hot-plug slot."""
	return root_port('rp1', 1, '0x2') + [
		'-device', 'x3130-upstream,id=up1,bus=rp1',
		'-device', 'xio3130-downstream,id=dn1,bus=up1,chassis=2,slot=0,addr=0.0',
		'-device', 'xio3130-downstream,id=dn2,bus=up1,chassis=3,slot=1,addr=1.0',
		'-device', f'{device},bus=dn1']
