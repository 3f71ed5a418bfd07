# SPDX-License-Identifier: GPL-2.0
"""tests/fuzz_topologies.py: the seed lists it takes."""

import importlib.util
import os
import tempfile
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


class QemuGaveUpTest(unittest.TestCase):

	def log(self, text):
		tmp = tempfile.TemporaryDirectory()
		self.addCleanup(tmp.cleanup)
		with open(os.path.join(tmp.name, 'console.log'), 'w') as f:
			f.write(text)
		return tmp.name

	def test_qemu_abort_is_found(self):
		line = 'RAMBlock "0000:00:04.0:00.0/bochs-display-vram" already registered, abort!'
		self.assertEqual(fuzz.qemu_gave_up(self.log(f'[  1.0] nvme\n{line}\n')), line)

	def test_a_kernel_log_is_no_abort(self):
		self.assertIsNone(fuzz.qemu_gave_up(self.log('[  1.0] Kernel panic - not syncing\n')))

	def test_a_guest_that_never_printed_is_the_firmware(self):
		self.assertIn('firmware', fuzz.qemu_gave_up(self.log(''),
							    'GuestError: the guest did not boot'))
		self.assertIsNone(fuzz.qemu_gave_up(self.log('[  0.0] Linux version\n'),
						    'GuestError: the guest did not boot'))

	def test_no_log(self):
		self.assertIsNone(fuzz.qemu_gave_up('/nonexistent'))


if __name__ == '__main__':
	unittest.main()
