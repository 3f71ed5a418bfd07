# SPDX-License-Identifier: GPL-2.0
"""Hot-adds that stock satisfies are satisfied with the series too.

Topology: q35 as a new user starts it: 2815 MiB of RAM, so the 32-bit
root window is [0xc0000000-0xfebfffff], and the default 64-bit hole
above RAM; four empty hot-plug root ports rp1..rp4, whose windows
firmware places below 4 GiB.

Steps: ivshmem devices with 256 MiB 64-bit prefetchable BARs are
hot-inserted through pciehp into rp1, rp2, rp3 and rp4, one after the
other.

Must hold: every device gets its BAR (stock's retry of the hot-plug
bridge's assignment puts a slot's window above 4 GiB when it does not
fit below); the BAR of each device added earlier stays where it was; the
address map is consistent.

Stock kernel: the same (the stock proof runs it and requires every check
to pass; stock's pciehp lockdep report is only noted). It guards the
series against doing worse than stock: with stock's retry skipped, the
fourth hot-add got "cannot make room" while the 64-bit window stayed
empty.
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, hot_add, ivshmem_backend, root_port

PORTS = ['0000:00:02.0', '0000:00:03.0', '0000:00:04.0', '0000:00:05.0']


class HotaddSequence(Scenario):
	memory = '2815M'
	stock_passes = True

	def topology(self):
		args = []
		for n in range(1, 5):
			args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
			args += ivshmem_backend(f'new{n}', '256M')
		return args

	def run(self, vm):
		added = []
		for n, port in enumerate(PORTS, 1):
			before = pcimap.read_map(vm)
			bdf = hot_add(vm, port, 'ivshmem-plain', id=f'new{n}',
				      memdev=f'new{n}-mem', bus=f'rp{n}')
			after = pcimap.read_map(vm)
			self.log(f'hot-add {n}: moved:\n' +
				 pcimap.format_moves(pcimap.moves(before, after)))
			bar = after.get((bdf, 2))
			self.check('assigned', bar is not None,
				   f'hot-add {n}: {bdf} got its 256 MiB BAR 2 '
				   f'({hex(bar[0]) if bar else "unassigned"})')
			for old in added:
				self.check('kept', before.get((old, 2)) == after.get((old, 2)),
					   f'hot-add {n}: {old} kept its BAR 2')
			added.append(bdf)
		self.check_layout(vm)
