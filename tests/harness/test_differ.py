# SPDX-License-Identifier: GPL-2.0
"""tests/vmtest/differ.py: when the series does worse than stock."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vmtest import differ	# noqa: E402

PREF = 0x0014220c
OLD = ['0000:01:00.0', 2, 0x100000000, 0x10fffffff, PREF]
WINDOW = ['0000:00:02.0', 'pref window', 0x100000000, 0x11fffffff, 0x102201]
NEW = ['0000:02:00.0', 2, 0x110000000, 0x11fffffff, PREF]
LAYOUT_OK = 'ok 1\nok 2\nok 3\nok 4\nok 5\n'


def result(*maps, error=None, reports=(), layout=LAYOUT_OK, bdfs=None):
	steps = [{'label': 'boot' if n == 0 else f'step {n}: hot-add x',
		  'bdf': (bdfs or {}).get(n, '0000:02:00.0' if n else None), 'map': m}
		 for n, m in enumerate(maps)]
	return {'steps': steps, 'names': {'0000:02:00.0': 'h1'}, 'layout': layout,
		'reports': list(reports), 'error': error}


def checks(stock, series):
	return [c for c, _ in differ.compare(stock, series)]


class DifferTest(unittest.TestCase):

	def test_the_same_result_passes(self):
		run = result([OLD, WINDOW], [OLD, WINDOW, NEW])
		self.assertEqual(checks(run, run), [])

	def test_a_bar_stock_assigns_and_the_series_does_not_fails(self):
		stock = result([OLD], [OLD, NEW])
		series = result([OLD], [OLD])
		failures = differ.compare(stock, series)
		self.assertEqual([c for c, _ in failures], ['placed'])
		self.assertIn('0000:02:00.0 (h1) BAR 2', failures[0][1])

	def test_a_rom_left_out_for_the_devices_bars_is_no_failure(self):
		rom = ['0000:02:00.0', 6, 0xfe000000, 0xfe007fff, 0x2200]
		bar0 = ['0000:02:00.0', 0, 0xe0000000, 0xe3ffffff, 0x2200]
		self.assertEqual(checks(result([OLD], [OLD, rom]), result([OLD], [OLD, bar0])), [])
		# Without a BAR in exchange, a lost ROM is a failure.
		self.assertEqual(checks(result([OLD], [OLD, rom]), result([OLD], [OLD])), ['placed'])

	def test_a_window_stock_assigns_and_the_series_does_not_is_no_failure(self):
		self.assertEqual(checks(result([OLD, WINDOW]), result([OLD])), [])

	def test_more_than_stock_passes(self):
		self.assertEqual(checks(result([OLD], [OLD]), result([OLD], [OLD, NEW])), [])

	def test_a_move_stock_did_not_need_fails(self):
		moved = OLD[:2] + [0x200000000, 0x20fffffff, PREF]
		stock = result([OLD], [OLD, NEW])
		series = result([OLD], [moved, NEW])
		self.assertEqual(checks(stock, series), ['unneeded'])

	def test_a_move_that_places_what_stock_could_not_is_needed(self):
		moved = OLD[:2] + [0x200000000, 0x20fffffff, PREF]
		stock = result([OLD], [OLD])
		series = result([OLD], [moved, NEW])
		self.assertEqual(checks(stock, series), [])

	def test_a_move_is_not_judged_once_the_kernels_differ(self):
		moved = OLD[:2] + [0x200000000, 0x20fffffff, PREF]
		other = OLD[:2] + [0x300000000, 0x30fffffff, PREF]
		stock = result([OLD], [OLD], [OLD, NEW])
		series = result([OLD], [moved], [other, NEW])
		# Step 1 moved what stock did not: one failure, not two.
		self.assertEqual(checks(stock, series), ['unneeded'])

	def test_a_device_stock_found_and_the_series_did_not_fails(self):
		stock = result([OLD], [OLD])
		series = result([OLD], [OLD], bdfs={1: None})
		self.assertEqual(checks(stock, series), ['found'])

	def test_reports_errors_and_layout_of_the_series_fail(self):
		stock = result([OLD])
		self.assertEqual(checks(stock, result([OLD], reports=['KASAN: x'])), ['console'])
		self.assertEqual(checks(stock, result([OLD], error='timeout')), ['error'])
		self.assertEqual(checks(stock, result([OLD], layout='not ok 3\nok 5')), ['layout'])

	def test_fewer_steps_without_an_error_fail(self):
		self.assertEqual(checks(result([OLD], [OLD, NEW]), result([OLD])), ['error'])


if __name__ == '__main__':
	unittest.main()
