# SPDX-License-Identifier: GPL-2.0
"""A hot-added display whose framebuffer fits nowhere keeps its ROM, as on stock.

Topology: scarce_32bit() (see gpu_hotadd), 2815 MiB of RAM: the 32-bit
root window [0xc0000000-0xfebfffff] holds two 256 MiB ivshmem BARs bound
to pci-stub (fixed) and a bochs-display's 128 MiB framebuffer, which the
scenario moves from bochs-drm to pci-stub so that it is fixed too; rp4 is
an empty hot-plug slot.

Steps: a bochs-display with a 256 MiB framebuffer (32-bit prefetchable
BAR 0) and a 32 KiB expansion ROM is hot-inserted into rp4 through
pciehp.

Must hold: BAR 0 gets no space, since what the fixed BARs leave free has
no 256 MiB-aligned 256 MiB, even with moves ('premise'); the ROM gets
the space the usual assignment gave it ('rom-kept'): the series releases
it to plan the BARs without it, and must give it back when that plan
fails too; the address map is consistent.

Stock kernel: the same (a guard: never worse than stock). Found by the
differential test: the series once left such a device with neither.
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, bind, hot_add, kernel_lines
from vmtest.topologies import scarce_32bit

SLOT = '0000:00:05.0'	# rp4
GPU0 = '0000:01:00.0'	# on rp1


class RomKept(Scenario):
	memory = '2815M'
	cmdline = 'pci-stub.ids=1af4:1110'
	stock_passes = True

	def topology(self):
		return scarce_32bit()

	def run(self, vm):
		vm.sh(f'echo {GPU0} > /sys/bus/pci/drivers/bochs-drm/unbind')
		self.check('premise', bind(vm, GPU0, 'pci-stub'),
			   f'{GPU0} (gpu0) is bound to pci-stub: its framebuffer BAR is fixed')
		vm.sh('dmesg -c > /dev/null')
		new = hot_add(vm, SLOT, 'bochs-display', id='gpu1', bus='rp4', vgamem='256M')
		after = pcimap.read_map(vm)
		self.log('kernel log:\n' + kernel_lines(vm, new[5:] + r'.*(ROM|BAR 0)'))
		self.check('premise', (new, 0) not in after,
			   f'{new} BAR 0 (256 MiB) got no space: no layout has it')
		self.check('rom-kept', (new, pcimap.ROM) in after,
			   f'{new} keeps the ROM the usual assignment gave it '
			   f'({after.get((new, pcimap.ROM))})')
		self.check_layout(vm)
