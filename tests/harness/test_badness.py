# SPDX-License-Identifier: GPL-2.0
"""tests/vmtest/badness.py, the console scanner, on samples of every kind of
kernel report in tests/harness/logs/ (a file <kind>.log holds one report of
that kind; clean.log holds lines that must not count)."""

import glob
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from vmtest import badness	# noqa: E402

LOGS = sorted(glob.glob(os.path.join(HERE, 'logs', '*.log')))
# Samples whose kind the file name gives, where the two differ.
KIND = {'kernel-bug': 'bug', 'soft-lockup': 'lockup', 'glued': 'kasan',
	'rcu-expedited': 'rcu-stall'}


def read(path):
	with open(path) as f:
		return f.read()


def is_clean(path):
	"""clean*.log: lines that must not count (clean-boot.log is a whole
	console log of a scenario that passed on a debug kernel)."""
	return os.path.basename(path).startswith('clean')


def kind_of(path):
	name = os.path.basename(path)[:-4]
	return KIND.get(name, name)


class BadnessTest(unittest.TestCase):

	def test_clean_logs_have_no_report(self):
		clean = [p for p in LOGS if is_clean(p)]
		self.assertGreaterEqual(len(clean), 2)
		for path in clean:
			with self.subTest(log=os.path.basename(path)):
				self.assertEqual(badness.scan(read(path)), [])

	def test_each_sample_is_one_report_of_its_kind(self):
		samples = [p for p in LOGS if not is_clean(p)]
		self.assertGreaterEqual(len(samples), 15)
		for path in samples:
			with self.subTest(sample=os.path.basename(path)):
				reports = badness.scan(read(path))
				self.assertEqual([r.kind for r in reports], [kind_of(path)], reports)

	def test_reports_in_one_log_are_told_apart(self):
		# A bare Call Trace near a report is that report's: put it first.
		samples = sorted((p for p in LOGS if not is_clean(p)),
				 key=lambda p: kind_of(p) != 'call-trace')
		gap = ''.join(f'[   99.00000{i}] pci 0000:00:02.0: bridge window\n' for i in range(3))
		text = gap.join(read(p) for p in samples)
		self.assertEqual([r.kind for r in badness.scan(text)],
				 [kind_of(p) for p in samples])

	def test_report_keeps_its_following_lines(self):
		r, = badness.scan(read(os.path.join(HERE, 'logs', 'warning.log')))
		self.assertIn('WARNING: CPU: 0 PID: 1', r.lines[1])
		self.assertEqual(len(r.lines), 9)

	def test_scan_log_command_exits_1_and_prints_first_lines(self):
		vmtest = os.path.join(os.path.dirname(HERE), 'vmtest.py')
		path = os.path.join(HERE, 'logs', 'kasan.log')
		r = subprocess.run([sys.executable, vmtest, 'scan-log', path],
				   capture_output=True, text=True)
		self.assertEqual(r.returncode, 1)
		self.assertIn('kasan.log:1: kasan', r.stdout)
		self.assertIn('BUG: KASAN: null-ptr-deref in nvme_pci_bar_fixed', r.stdout)
		clean = os.path.join(HERE, 'logs', 'clean.log')
		r = subprocess.run([sys.executable, vmtest, 'scan-log', clean],
				   capture_output=True, text=True)
		self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == '__main__':
	unittest.main()
