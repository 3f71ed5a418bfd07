# SPDX-License-Identifier: GPL-2.0
"""tests/vmtest/svgmap.py: the address map picture of make demo."""

import os
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vmtest import pcimap, svgmap	# noqa: E402

SVG = '{http://www.w3.org/2000/svg}'
PREF64 = pcimap.IORESOURCE_MEM | pcimap.IORESOURCE_PREFETCH | pcimap.IORESOURCE_MEM_64
GiB = 1 << 30

IOMEM = '''\
00000000-00000fff : Reserved
b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]
c0000000-febfffff : PCI Bus 0000:00
  fe000000-fe7fffff : PCI Bus 0000:01
100000000-23fffffff : PCI Bus 0000:00
  100000000-13fffffff : PCI Bus 0000:01
'''


def fragmented():
	before = {
		('0000:00:02.0', 'pref window'): (4 * GiB, 5 * GiB - 1, PREF64),
		('0000:01:00.0', 2): (4 * GiB, 5 * GiB - 1, PREF64),
		('0000:00:03.0', 'pref window'): (6 * GiB, 7 * GiB - 1, PREF64),
		('0000:02:00.0', 2): (6 * GiB, 7 * GiB - 1, PREF64),
	}
	after = dict(before)
	after[('0000:00:03.0', 'pref window')] = (8 * GiB, 9 * GiB - 1, PREF64)
	after[('0000:02:00.0', 2)] = (8 * GiB, 9 * GiB - 1, PREF64)
	after[('0000:03:00.0', 2)] = (6 * GiB, 8 * GiB - 1, PREF64)
	return before, after


class SvgMapTest(unittest.TestCase):

	def test_root_windows_are_the_top_level_pci_bus_ranges(self):
		self.assertEqual(svgmap.parse_root_windows(IOMEM),
				 [(0xc0000000, 0xfebfffff), (0x100000000, 0x23fffffff)])

	def test_window_contains_its_bar_of_the_same_range(self):
		before, _ = fragmented()
		depth = svgmap._depths(before)
		self.assertEqual(depth[('0000:00:02.0', 'pref window')], 0)
		self.assertEqual(depth[('0000:01:00.0', 2)], 1)

	def test_moved_and_new_are_marked_and_old_place_outlined(self):
		before, after = fragmented()
		roots = [(4 * GiB, 10 * GiB - 1)]
		root = ET.fromstring(svgmap.render(before, after, roots, roots, 'demo'))
		rects = root.iter(f'{SVG}rect')
		fills = [r.get('fill') for r in rects]
		self.assertEqual(fills.count(svgmap.COLORS['moved']), 2 + 1)	# + legend
		self.assertEqual(fills.count(svgmap.COLORS['new']), 1 + 1)
		dashed = [r for r in root.iter(f'{SVG}rect') if r.get('stroke-dasharray')]
		self.assertEqual(len(dashed), 2)
		text = ' '.join(t.text or '' for t in root.iter(f'{SVG}text'))
		self.assertIn('02:00.0 1 GiB BAR 2 [mem 64bit pref] 0x180000000 -> 0x200000000', text)

	def test_missing_and_lost_are_listed(self):
		before, after = fragmented()
		del after[('0000:01:00.0', 2)]
		roots = [(4 * GiB, 10 * GiB - 1)]
		svg = svgmap.render(before, after, roots, roots, missing=['03:00.0 BAR 2'])
		ET.fromstring(svg)
		self.assertIn('lost: 01:00.0 1 GiB BAR 2', svg)
		self.assertIn('not assigned: 03:00.0 BAR 2', svg)


if __name__ == '__main__':
	unittest.main()
