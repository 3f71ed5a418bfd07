# SPDX-License-Identifier: GPL-2.0
"""tests/fuzz_topologies.py: the seed lists it takes."""

import importlib.util
import os
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = importlib.util.spec_from_file_location('fuzz_topologies',
					      os.path.join(HERE, 'fuzz_topologies.py'))
fuzz = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(fuzz)


class ParseSeedsTest(unittest.TestCase):

	def test_single_seeds_and_ranges(self):
		self.assertEqual(fuzz.parse_seeds('1,5,9-12'), [1, 5, 9, 10, 11, 12])

	def test_one_seed(self):
		self.assertEqual(fuzz.parse_seeds('7'), [7])

	def test_garbage_is_an_error(self):
		with self.assertRaises(ValueError):
			fuzz.parse_seeds('1,x')


if __name__ == '__main__':
	unittest.main()
