# SPDX-License-Identifier: GPL-2.0
"""Helpers of scripts/lib.sh: kunit.py's summary, the expected KUnit cases."""

import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.join(TOP, 'scripts', 'lib.sh')


def call(function, *args):
	r = subprocess.run(['bash', '-c', f'. "{LIB}"; {function} "$@"', 'lib', *args],
			   capture_output=True, text=True, check=True)
	return r.stdout.strip()


class KunitCountsTest(unittest.TestCase):

	def counts(self, text):
		with tempfile.NamedTemporaryFile('w', suffix='.log') as f:
			f.write(text)
			f.flush()
			return call('kunit_counts', f.name)

	def test_all_passed(self):
		self.assertEqual(self.counts('[16:00:00] Testing complete. Ran 21 tests: passed: 21\n'),
				 '21 0 0')

	def test_all_failed_names_no_passed_count(self):
		self.assertEqual(self.counts('[16:00:00] Testing complete. Ran 21 tests: failed: 21\n'),
				 '0 21 0')

	def test_crashed_and_errors_count_as_failed(self):
		self.assertEqual(self.counts('Testing complete. Ran 5 tests: passed: 3, crashed: 1, '
					     'skipped: 1\n'), '3 1 1')
		self.assertEqual(self.counts('Testing complete. Ran 4 tests: passed: 2, failed: 1, '
					     'errors: 1\n'), '2 2 0')

	def test_last_summary_counts(self):
		self.assertEqual(self.counts('Testing complete. Ran 1 tests: failed: 1\n'
					     'Testing complete. Ran 2 tests: passed: 2\n'), '2 0 0')

	def test_no_summary_gives_nothing(self):
		self.assertEqual(self.counts('[16:00:00] Building KUnit Kernel ...\nerror: oops\n'), '')


class KunitCasesTest(unittest.TestCase):

	def test_counts_cases_of_built_and_included_test_files(self):
		with tempfile.TemporaryDirectory() as tree:
			pci = os.path.join(tree, 'drivers', 'pci')
			os.makedirs(pci)
			os.makedirs(os.path.join(tree, 'lib'))
			with open(os.path.join(pci, 'Makefile'), 'w') as f:
				f.write('obj-$(CONFIG_PCI) += pci.o\n'
					'obj-$(CONFIG_FOO_KUNIT_TEST) += foo_kunit.o\n')
			with open(os.path.join(pci, 'foo_kunit.c'), 'w') as f:
				f.write('static struct kunit_case c[] = {\n\tKUNIT_CASE(a),\n'
					'\tKUNIT_CASE_SLOW(b),\n\t{}\n};\n')
			with open(os.path.join(pci, 'pci.c'), 'w') as f:
				f.write('#include "bar_kunit.c"\n')
			with open(os.path.join(pci, 'bar_kunit.c'), 'w') as f:
				f.write('\tKUNIT_CASE(c),\n')
			with open(os.path.join(pci, 'other.c'), 'w') as f:
				f.write('\tKUNIT_CASE(not_built),\n')
			self.assertEqual(call('kunit_cases', tree, 'CONFIG_FOO_KUNIT_TEST'), '3')
			self.assertEqual(call('kunit_cases', tree, 'CONFIG_NONE_KUNIT_TEST'), '0')
			with open(os.path.join(pci, 'foo_kunit.c'), 'a') as f:
				f.write('\tKUNIT_CASE_PARAM(d, d_gen_params),\n')
			self.assertEqual(call('kunit_cases', tree, 'CONFIG_FOO_KUNIT_TEST'), 'unknown')



PATCH = '''From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A Rather Long Name Of Someone
 <someone@example.org>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH 01/02] PCI: Do a thing

Why the thing is done.

{trailer}
---
 drivers/pci/pci.c | 1 +
'''


class SignoffTest(unittest.TestCase):

	def check(self, trailer):
		with tempfile.NamedTemporaryFile('w', suffix='.patch') as f:
			f.write(PATCH.format(trailer=trailer))
			f.flush()
			r = subprocess.run(['bash', '-c', f'. "{LIB}"; signed_off_by_author "$1"',
					    'lib', f.name], capture_output=True, text=True)
			return r.returncode, r.stdout.strip()

	def test_whole_folded_identity_is_required(self):
		rc, who = self.check('Signed-off-by: A Rather Long Name Of Someone <someone@example.org>')
		self.assertEqual((rc, who), (0, 'A Rather Long Name Of Someone <someone@example.org>'))

	def test_name_alone_or_other_email_is_not_enough(self):
		self.assertEqual(self.check('Signed-off-by: A Rather Long Name Of Someone')[0], 1)
		self.assertEqual(self.check('Signed-off-by: A Rather Long Name Of Someone '
					    '<other@example.org>')[0], 1)

	def test_someone_elses_signoff_is_not_enough(self):
		self.assertEqual(self.check('Signed-off-by: B Other <b@example.org>')[0], 1)


if __name__ == '__main__':
	unittest.main()
