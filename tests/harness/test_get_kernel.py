# SPDX-License-Identifier: GPL-2.0
"""scripts/get-kernel.sh on a tiny kernel tarball: a first run, runs that
resume what an interrupted one left, and work it must never touch."""

import os
import subprocess
import tarfile
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(TOP, 'scripts', 'get-kernel.sh')


class GetKernelTest(unittest.TestCase):

	def setUp(self):
		self.tmp = tempfile.TemporaryDirectory()
		d = self.tmp.name
		self.build = os.path.join(d, 'build')
		self.patches = os.path.join(d, 'patches')
		self.tree = os.path.join(self.build, 'linux')
		os.makedirs(self.patches)
		src = os.path.join(d, 'src', 'linux-source-0.1')
		os.makedirs(os.path.join(src, 'drivers'))
		with open(os.path.join(src, 'Makefile'), 'w') as f:
			f.write('VERSION = 0\n')
		with open(os.path.join(src, '.gitignore'), 'w') as f:
			f.write('/*\n')		# as Debian's: ignores everything
		with open(os.path.join(src, 'drivers', 'pci.c'), 'w') as f:
			f.write('int pci;\n')
		self.tarball = os.path.join(d, 'linux.tar.xz')
		with tarfile.open(self.tarball, 'w:xz') as t:
			t.add(src, arcname='linux-source-0.1')

	def tearDown(self):
		self.tmp.cleanup()

	def run_script(self):
		env = dict(os.environ, WORKBENCH_BUILD=self.build, WORKBENCH_PATCHES=self.patches,
			   WORKBENCH_TARBALL=self.tarball)
		# No git identity, as on a fresh machine.
		env.update(GIT_CONFIG_GLOBAL='/dev/null', GIT_CONFIG_NOSYSTEM='1')
		return subprocess.run(['bash', SCRIPT], env=env, capture_output=True, text=True,
				      timeout=120)

	def git(self, *args):
		return subprocess.run(['git', '-C', self.tree, '-c', 'user.name=t',
				       '-c', 'user.email=t@t', *args],
				      capture_output=True, text=True, check=True).stdout.strip()

	def make_patch(self):
		"""Put one patch into patches/ (made in the tree, then dropped there)."""
		with open(os.path.join(self.tree, 'drivers', 'pci.c'), 'a') as f:
			f.write('int moved;\n')
		self.git('commit', '-q', '-a', '-m', 'PCI: A change')
		self.git('format-patch', '-q', '-o', self.patches, 'HEAD~1')
		self.git('reset', '-q', '--hard', 'base')

	def test_first_run_makes_base_with_every_file_and_no_identity(self):
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.git('ls-files'), '.gitignore\nMakefile\ndrivers/pci.c')
		self.assertEqual(self.git('rev-parse', 'HEAD'), self.git('rev-parse', 'base'))
		self.assertFalse(os.path.exists(os.path.join(self.build, '.extract')))

	def test_applies_the_series(self):
		self.run_script()
		self.make_patch()
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertIn('re-applying', r.stdout)
		self.assertEqual(self.git('log', '-1', '--format=%s'), 'PCI: A change')

	def test_tree_without_base_commit_is_redone(self):
		# What an interrupted extraction of an older get-kernel.sh left.
		os.makedirs(self.tree)
		subprocess.run(['git', 'init', '-q', self.tree], check=True)
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertIn('unfinished extraction', r.stdout)
		self.assertEqual(self.git('rev-parse', 'HEAD'), self.git('rev-parse', 'base'))

	def test_leftover_extraction_directory_is_cleared(self):
		os.makedirs(os.path.join(self.build, '.extract', 'linux-source-0.1', 'half'))
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.git('ls-files'), '.gitignore\nMakefile\ndrivers/pci.c')

	def test_interrupted_git_am_is_redone(self):
		self.run_script()
		self.make_patch()
		with open(os.path.join(self.tree, '.git', 'movable-bars-state'), 'w') as f:
			f.write('applying\n')
		self.git('commit', '-q', '--allow-empty', '-m', 'half of an am')
		os.makedirs(os.path.join(self.tree, '.git', 'rebase-apply'))
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertIn('did not finish', r.stdout)
		self.assertEqual(self.git('log', '--format=%s', 'base..HEAD'), 'PCI: A change')

	def test_unexported_commit_is_never_touched(self):
		self.run_script()
		self.git('commit', '-q', '--allow-empty', '-m', 'my work')
		self.make_patch_keeping_head()
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('not in patches/', r.stderr)
		self.assertEqual(self.git('log', '-1', '--format=%s'), 'my work')

	def test_work_after_a_failed_apply_is_never_reset(self):
		self.run_script()
		self.add_broken_patch()
		self.assertNotEqual(self.run_script().returncode, 0)
		# Someone applies it by hand and commits.
		self.git('commit', '-q', '--allow-empty', '-m', 'resolved by hand')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('did not apply', r.stderr)
		self.assertEqual(self.git('log', '-1', '--format=%s'), 'resolved by hand')

	def test_tree_with_commits_but_no_base_is_left_alone(self):
		os.makedirs(self.tree)
		subprocess.run(['git', 'init', '-q', self.tree], check=True)
		self.git('commit', '-q', '--allow-empty', '-m', 'someone else\'s')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn("no 'base' tag", r.stderr)
		self.assertEqual(self.git('log', '-1', '--format=%s'), "someone else's")

	def add_broken_patch(self):
		"""Put a patch that cannot apply into patches/."""
		with open(os.path.join(self.patches, '0001-broken.patch'), 'w') as f:
			f.write('From 0 Mon Sep 17 00:00:00 2001\nFrom: t <t@t>\n'
				'Subject: [PATCH] broken\n\n---\n'
				'--- a/nothing.c\n+++ b/nothing.c\n@@ -1 +1 @@\n-a\n+b\n')

	def make_patch_keeping_head(self):
		with open(os.path.join(self.patches, '0001-x.patch'), 'w') as f:
			f.write('From: t <t@t>\nSubject: [PATCH] x\n\n---\n')

	def test_bad_patch_leaves_base_and_says_which(self):
		self.run_script()
		self.add_broken_patch()
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('does not apply', r.stderr)
		self.assertEqual(self.git('rev-parse', 'HEAD'), self.git('rev-parse', 'base'))
		# Fixing patches/ and running again is all it takes.
		os.unlink(os.path.join(self.patches, '0001-broken.patch'))
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == '__main__':
	unittest.main()
