# SPDX-License-Identifier: GPL-2.0
"""A second display is hot-inserted and fits only if the first one's
framebuffer BAR moves, while a program has that framebuffer on screen and
mapped.

Topology: q35 with 2815 MiB of RAM, so that the only 32-bit root window
that matters is [0xc0000000-0xfebfffff]. Firmware packs it: rp3 and rp2
hold ivshmem devices with 256 MiB BARs at 0xc0000000 and 0xd0000000
(bound to pci-stub, a driver without rescan hooks, so they stay put); rp1
holds bochs-display "gpu0" with a 128 MiB framebuffer BAR at 0xe0000000;
rp4 is an empty hot-plug slot; rp2's non-prefetchable window (mem-reserve
100M) starts at 0xf8000000. Free: 0xe8200000-0xf7ffffff, 254 MiB but no
256 MiB-aligned 256 MiB of it. The 64-bit window does not help: the
framebuffer BAR of a bochs-display is 32-bit.

Steps: drm-dumb-move puts a dumb buffer on gpu0, maps it and writes a
pattern; its second thread keeps reading the mapping. A bochs-display
"gpu1" with a 256 MiB framebuffer is hot-inserted into rp4 through
pciehp. Then the program verifies its pattern through the same mapping
and writes the next one; a screen dump of gpu0 shows it. A second
drm-dumb-move puts a pattern on gpu1 and a screen dump of gpu1 shows it.
Finally fbdev on gpu0 gets a pattern through /dev/fb0.

Must hold: gpu1 gets its framebuffer BAR; gpu0's framebuffer BAR moved
(to 0xf0000000, the one place that frees 0xe0000000); gpu1 is driven by
bochs-drm; gpu0's program read back every pixel after the move, did not
die and its reader went on; both screens show what was written; the
address map is consistent.

Stock kernel: gpu1's BAR 0 stays unassigned, "can't assign; no space"
(check 'hotadd-assigned').
"""

from vmtest import pcimap
from vmtest.dumb_buffer import DumbBuffer, fbdev_mismatches, unbind_fbcon
from vmtest.scenario import Scenario, hot_add, kernel_lines
from vmtest.topologies import scarce_32bit

SLOT = '0000:00:05.0'	# rp4


class GpuHotadd(Scenario):
	memory = '2815M'
	cmdline = 'pci-stub.ids=1af4:1110'
	stock_fails_at = 'hotadd-assigned'

	def topology(self):
		return scarce_32bit()

	def run(self, vm):
		vm.wait_guest('test -e /dev/dri/card0 && test -e /dev/fb0', 30, 'bochs-drm')
		gpu0 = vm.sh('ls /sys/bus/pci/drivers/bochs-drm | grep : | head -1').strip()
		unbind_fbcon(vm)
		dumb = DumbBuffer(vm, '/dev/dri/card0', 'gpu0')

		before = pcimap.read_map(vm)
		vm.sh('dmesg -c > /dev/null')
		gpu1 = hot_add(vm, SLOT, 'bochs-display', id='gpu1', bus='rp4', vgamem='256M')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		self.log(kernel_lines(vm, r'rebalance:|ROM .*unassigned|no space'))
		self.check('hotadd-assigned', (gpu1, 0) in after,
			   f'{gpu1} got its 256 MiB framebuffer BAR 0')
		self.check('moved', before[(gpu0, 0)] != after[(gpu0, 0)],
			   f'BAR 0 of {gpu0} moved to make room')
		vm.wait_guest(f'test -e /sys/bus/pci/drivers/bochs-drm/{gpu1} && '
			      'test -e /dev/dri/card1', 30, f'bochs-drm to bind {gpu1}')

		errors, stall, reads = dumb.next_phase()
		self.check('mapping', errors == 0 and reads > 0,
			   f'pattern 0 read back through the same mapping after the move '
			   f'({errors} bad pixels), reader went on ({reads} reads, '
			   f'longest {stall / 1000:.1f} ms)')
		bad, total = dumb.screen_mismatches('gpu0', 'gpu0')
		self.check('screen', bad == 0, f'gpu0 shows pattern 1 ({bad} of {total} differ)')
		self.check('alive', dumb.alive(), 'drm-dumb-move on gpu0 is still running')

		second = DumbBuffer(vm, '/dev/dri/card1', 'gpu1')
		bad, total = second.screen_mismatches('gpu1', 'gpu1')
		self.check('screen', bad == 0,
			   f'gpu1 shows what was written at its new BAR ({bad} of {total} differ)')
		second.stop()

		dumb.stop()
		bad, total = fbdev_mismatches(vm, '/dev/fb0', 7, 'fbdev', 'gpu0')
		self.check('fbdev', bad == 0,
			   f'fbdev on gpu0 shows what was written to /dev/fb0 ({bad} of {total} differ)')
		self.check_layout(vm)
