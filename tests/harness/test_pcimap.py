# SPDX-License-Identifier: GPL-2.0
"""tests/vmtest/pcimap.py: reading the guest's sysfs resource files."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vmtest import pcimap	# noqa: E402


def rows(bdf, lines):
	return ''.join(f'{bdf} {i} {s} {e} {f}\n' for i, (s, e, f) in enumerate(lines))


Z = ('0x0000000000000000', '0x0000000000000000', '0x0000000000000000')
# An endpoint: BAR 0 assigned, BAR 2 64-bit prefetchable unset (no space:
# the kernel keeps its size and flags), BAR 3 its upper half; 7 lines.
ENDPOINT = rows('0000:04:00.0', [
	('0x00000000fe800000', '0x00000000fe8000ff', '0x0000000000040200'),
	Z,
	('0x0000000000000000', '0x000000007fffffff', '0x000000002014220c'),
	Z, Z, Z, Z])
# A bridge: 7 BAR/ROM lines, then io, mem, pref windows and one unused;
# its io window is disabled.
BRIDGE = rows('0000:00:05.0', [Z] * 7 + [
	('0x0000000000001000', '0x0000000000001fff', '0x0000000010000100'),
	('0x00000000fe800000', '0x00000000fe9fffff', '0x0000000000000200'),
	('0x0000000180000000', '0x00000001ffffffff', '0x0000000000102201'),
	Z])


class PcimapTest(unittest.TestCase):

	def test_assigned_bar_is_read(self):
		bars = pcimap.parse_map(ENDPOINT)
		self.assertEqual(bars[('0000:04:00.0', 0)], (0xfe800000, 0xfe8000ff, 0x40200))

	def test_unset_bar_is_not_assigned(self):
		self.assertNotIn(('0000:04:00.0', 2), pcimap.parse_map(ENDPOINT))

	def test_bridge_windows_by_name_and_disabled_one_left_out(self):
		bars = pcimap.parse_map(BRIDGE)
		self.assertEqual(sorted(k[1] for k in bars), ['mem window', 'pref window'])
		self.assertEqual(bars[('0000:00:05.0', 'pref window')][:2],
				 (0x180000000, 0x1ffffffff))

	def test_moves_lists_changed_ranges_only(self):
		before = pcimap.parse_map(BRIDGE)
		after = dict(before)
		key = ('0000:00:05.0', 'pref window')
		after[key] = (0x200000000, 0x27fffffff, after[key][2])
		self.assertEqual([(m[0], m[1]) for m in pcimap.moves(before, after)],
				 [key])


if __name__ == '__main__':
	unittest.main()
