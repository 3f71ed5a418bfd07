# SPDX-License-Identifier: GPL-2.0
"""A BAR that has no space at boot fits once others move, before any
driver binds.

Topology: the 32-bit space of gpu_hotadd (2815 MiB of RAM, the root
window [0xc0000000-0xfebfffff] packed by firmware: ivshmem devices with
256 MiB BARs at 0xc0000000 and 0xd0000000, a bochs-display with a
128 MiB framebuffer at 0xe0000000, rp2's non-prefetchable window from
0xf8000000), with an NVMe controller in rp4. The kernel is booted with
pci=resource_alignment=28@0000:04:00.0: the NVMe's BAR 0, 32-bit
non-prefetchable, is to be 256 MiB-aligned (and 256 MiB big), so the
kernel releases it and must place it again. There is no free
256 MiB-aligned 256 MiB; there is one if the display's BAR moves to
0xf0000000.

Must hold: 04:00.0 has a 256 MiB-aligned BAR 0 after boot, placed by the
boot-time rebalance (its summary line is in the log); nvme binds to it
and its namespace reads; bochs-drm drives the display whose BAR moved,
and a pattern written to /dev/fb0 reaches the screen; the address map is
consistent.

Stock kernel: 04:00.0's BAR 0 stays unassigned, "can't assign; no space"
(check 'boot-assigned').
"""

from vmtest import pcimap
from vmtest.dumb_buffer import fbdev_mismatches, unbind_fbcon
from vmtest.scenario import Scenario, kernel_lines, nvme
from vmtest.topologies import scarce_32bit

REALIGNED = '0000:04:00.0'


class BootRealign(Scenario):
	memory = '2815M'
	cmdline = f'pci-stub.ids=1af4:1110 pci=resource_alignment=28@{REALIGNED}'
	stock_fails_at = 'boot-assigned'

	def topology(self):
		return scarce_32bit() + nvme(self.rundir, 'nvme1', 'rp4')

	def run(self, vm):
		bars = pcimap.read_map(vm)
		self.log(kernel_lines(vm, r'rebalance:|no space|moved from|by moving others|cannot make'))
		bar = bars.get((REALIGNED, 0))
		# Start 0 would be "aligned" too: it is what an unassigned BAR
		# reads as, and no BAR gets address 0 in a 32-bit window.
		self.check('boot-assigned', bar is not None and bar[0] != 0 and
			   bar[0] % (256 << 20) == 0 and bar[1] - bar[0] + 1 >= 256 << 20,
			   f'{REALIGNED} has a 256 MiB-aligned BAR 0 after boot '
			   f'({hex(bar[0]) if bar else "unassigned"})')
		self.check('rebalanced', 'rebalance: moved' in kernel_lines(vm, 'rebalance:'),
			   'the boot-time rebalance placed it')
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the NVMe namespace')
		out = vm.sh('dd if=/dev/nvme0n1 of=/dev/null bs=64k count=16 2>&1', check=False)
		self.check('nvme', '16+0 records in' in out, 'nvme reads through the realigned BAR')
		vm.wait_guest('test -e /dev/fb0', 30, 'bochs-drm')
		unbind_fbcon(vm)
		bad, total = fbdev_mismatches(vm, '/dev/fb0', 3, 'fbdev', 'gpu0')
		self.check('display', bad == 0,
			   f'the display shows what was written to /dev/fb0 ({bad} of {total} differ)')
		self.check_layout(vm)
