# SPDX-License-Identifier: GPL-2.0
"""Tests of the mutant files and their reader (tests/vmtest/mutants.py)."""

import glob
import os
import re
import unittest

from vmtest import mutants

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
TOP = os.path.dirname(TESTS)

DIFF = '''diff --git a/drivers/pci/rebalance.c b/drivers/pci/rebalance.c
--- a/drivers/pci/rebalance.c
+++ b/drivers/pci/rebalance.c
@@ -1 +1 @@
-a
+b
'''


class ParseTest(unittest.TestCase):

	def test_kunit_guard(self):
		m = mutants.parse('x', 'Breaks: it\nGuard: kunit rb_test_fixed\n\n' + DIFF)
		self.assertEqual((m.kind, m.target, m.check), ('kunit', 'rb_test_fixed', None))
		self.assertTrue(m.cheap)
		self.assertFalse(m.workbench)
		self.assertEqual(m.files, ['drivers/pci/rebalance.c'])

	def test_vmtest_guard(self):
		m = mutants.parse('x', 'Breaks: it\nGuard: vmtest msix_remap msix\n' + DIFF)
		self.assertEqual((m.kind, m.target, m.check), ('vmtest', 'msix_remap', 'msix'))
		self.assertFalse(m.cheap)
		self.assertEqual(m.guard(), 'msix_remap [msix]')

	def test_workbench(self):
		diff = DIFF.replace('drivers/pci/rebalance.c', 'tests/scenarios/a.py')
		m = mutants.parse('x', 'Breaks: it\nGuard: vmtest a premise\n' + diff)
		self.assertTrue(m.workbench)

	def test_headers_after_the_diff_do_not_count(self):
		text = 'Breaks: it\n' + DIFF + 'Guard: kunit a\n'
		with self.assertRaisesRegex(mutants.MutantError, 'no Guard'):
			mutants.parse('x', text)

	def test_bad_guard(self):
		with self.assertRaisesRegex(mutants.MutantError, 'must be'):
			mutants.parse('x', 'Breaks: it\nGuard: vmtest msix_remap\n' + DIFF)

	def test_no_diff(self):
		with self.assertRaisesRegex(mutants.MutantError, 'no diff'):
			mutants.parse('x', 'Breaks: it\nGuard: kunit a\n')


class KunitResultTest(unittest.TestCase):
	# As kunit.py's test.log has them: console time stamps, nested TAP.
	TAP = '''[    8.111339]     ok 3 mvb_test_rollback_conflict
[    8.201137]     not ok 6 rb_test_fixed
[    8.211647]     ok 7 rb_test_fixed_at_edges
[    8.3]     ok 8 rb_test_x # SKIP needs 64-bit addresses
'''

	def test_failed(self):
		self.assertTrue(mutants.kunit_case_failed(self.TAP, 'rb_test_fixed'))

	def test_passed_is_not_a_prefix_match(self):
		self.assertFalse(mutants.kunit_case_failed(self.TAP, 'rb_test_fixed_at_edges'))

	def test_skipped_is_not_failed(self):
		self.assertFalse(mutants.kunit_case_failed(self.TAP, 'rb_test_x'))

	def test_did_not_run(self):
		self.assertIsNone(mutants.kunit_case_failed(self.TAP, 'rb_test_avoid'))

	def test_without_time_stamps(self):
		self.assertTrue(mutants.kunit_case_failed('    not ok 1 a\n', 'a'))


class TableTest(unittest.TestCase):

	def test_not_caught_stands_out(self):
		m = mutants.parse('m1', 'Breaks: it\nGuard: kunit a\n' + DIFF)
		out = mutants.table([(m, True), (m, False)])
		self.assertIn('| `m1` | it | KUnit a | yes |', out)
		self.assertIn('| **no** |', out)


class MutantFilesTest(unittest.TestCase):
	"""Every mutant in tests/mutants/ names a test that exists."""

	def setUp(self):
		self.all = mutants.load_all(os.path.join(TESTS, 'mutants'))
		series = ''
		for p in glob.glob(os.path.join(TOP, 'patches', '*.patch')):
			with open(p, encoding='utf-8') as f:
				series += f.read()
		self.cases = set(re.findall(r'KUNIT_CASE\((\w+)\)', series))

	def test_there_are_cheap_and_vm_mutants(self):
		self.assertTrue(any(m.cheap for m in self.all))
		self.assertTrue(any(not m.cheap for m in self.all))

	def test_guards_exist(self):
		for m in self.all:
			with self.subTest(mutant=m.name):
				if m.kind == 'kunit':
					self.assertIn(m.target, self.cases)
					continue
				if m.kind == 'fuzz':
					with open(os.path.join(TESTS, 'vmtest', 'differ.py')) as f:
						self.assertIn(f"'{m.check}'", f.read())
					self.assertRegex(m.target, r'^[0-9,-]+$')
					continue
				path = os.path.join(TESTS, 'scenarios', f'{m.target}.py')
				self.assertTrue(os.path.exists(path), path)
				sources = ''
				for p in [path] + glob.glob(os.path.join(TESTS, 'vmtest', '*.py')):
					with open(p, encoding='utf-8') as f:
						sources += f.read()
				for check in m.check.split(','):
					if check not in ('settle', 'console', 'error'):
						self.assertIn(f"'{check}'", sources)


if __name__ == '__main__':
	unittest.main()
