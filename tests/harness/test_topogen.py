# SPDX-License-Identifier: GPL-2.0
"""tests/vmtest/topogen.py: the differential test's random topologies."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vmtest import topogen	# noqa: E402

SEEDS = range(1, 301)


def device_ids(args):
	return [a.split('id=')[1].split(',')[0] for a in args if a.startswith(('ivshmem', 'bochs',
		'nvme,', 'e1000e', 'virtio', 'pcie-root', 'x3130', 'xio3130'))]


class TopogenTest(unittest.TestCase):

	def test_a_seed_gives_the_same_topology_every_time(self):
		for seed in (1, 7, 123):
			a, b = topogen.generate(seed), topogen.generate(seed)
			self.assertEqual(a.describe(), b.describe())
			self.assertEqual(a.qemu_args('/r'), b.qemu_args('/r'))

	def test_seeds_differ(self):
		self.assertGreater(len({topogen.generate(s).describe() for s in SEEDS}), 290)

	def test_ids_are_unique(self):
		for seed in SEEDS:
			topo = topogen.generate(seed)
			ids = device_ids(topo.qemu_args('/r'))
			ids += [s[1].ident for s in topo.steps if s[0] == 'add']
			self.assertEqual(len(ids), len(set(ids)), f'seed {seed}: {ids}')

	def test_hot_adds_go_into_empty_slots_and_removals_take_present_devices(self):
		for seed in SEEDS:
			topo = topogen.generate(seed)
			occupant = {s.ident: s.device for s in topo.slots if not s.switch}
			for step in topo.steps:
				if step[0] == 'add':
					self.assertIsNone(occupant[step[2].ident], f'seed {seed}')
					occupant[step[2].ident] = step[1]
				else:
					self.assertIn(step[1], occupant.values(), f'seed {seed}')
					slot = [k for k, v in occupant.items() if v is step[1]][0]
					occupant[slot] = None

	def test_every_kind_shape_and_option_is_generated(self):
		kinds, shapes, opts = set(), set(), set()
		for seed in SEEDS:
			topo = topogen.generate(seed)
			kinds |= {d.kind for d in topo.devices}
			shapes |= {'switch' for s in topo.slots if s.switch}
			shapes |= {step[0] for step in topo.steps}
			opts |= {o.split('=')[0] for o in topo.cmdline.split()}
			opts |= {'hole64'} if topo.hole64 else set()
		self.assertEqual(kinds, set(topogen.KINDS))
		self.assertEqual(shapes, {'switch', 'add', 'del'})
		self.assertEqual(opts, {'pci-stub.ids', 'pci', 'hole64'})

	def test_backends_come_before_devices(self):
		for seed in SEEDS:
			topo = topogen.generate(seed)
			text = ' '.join(topo.qemu_args('/r'))
			for slot in topo.slots:
				if slot.device and slot.device.kind == 'ivshmem':
					self.assertLess(text.index(f'id={slot.device.ident}-mem'),
							text.index(f'memdev={slot.device.ident}-mem'))


if __name__ == '__main__':
	unittest.main()
