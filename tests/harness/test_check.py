# SPDX-License-Identifier: GPL-2.0
"""scripts/check.sh, the make check driver, with every stage replaced by a
stub: how results are summed, and that results which go missing (a kernel
that does not build, a scenario that vanishes) fail the run."""

import os
import shutil
import subprocess
import tempfile
import textwrap
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Stub stages. $STUB names what each does: 'fail-kernel' breaks the series
# kernel, 'lose-scenario' makes vmtest give one result too few, 'lie' makes
# vmtest exit 1 while claiming no failure, 'skip' and 'skip-why' make KUnit
# skip a case without and with a reason.
STUBS = {
	'scripts/shellcheck.sh': 'echo "# shellcheck: 1 passed, 0 failed"',
	'scripts/get-kernel.sh': 'true',
	'scripts/series-check.sh': 'true',
	'scripts/checkpatch.sh': 'echo "# checkpatch: 2 passed, 0 failed"',
	'scripts/build-kernel.sh': '[ "$1" = series ] && [ "$STUB" = fail-kernel ] && exit 1; true',
	# The stage's name has a digit on i386, as the real one has.
	'scripts/run-kunit.sh': textwrap.dedent('''\
		n=kunit; [ "$1" = i386 ] && n=kunit-i386
		case $STUB in
		skip) echo "ok 4 rb_test_x # SKIP"; echo "# $n: 3 passed, 0 failed, 1 skipped" ;;
		skip-why) echo "    ok 4 rb_test_x # SKIP the fixture needs 64 bits"
			echo "# $n: 3 passed, 0 failed, 1 skipped" ;;
		*) echo "# $n: 3 passed, 0 failed, 0 skipped" ;;
		esac'''),
	'tests/mutants.py': textwrap.dedent('''\
		if [ "$1" = list ]; then echo "m1   KUnit a   breaks a"; exit 0; fi
		echo "# mutants: 1 passed, 0 failed"'''),
	'scripts/compile-amdgpu.sh': 'true',
	'scripts/stock-proof.sh': 'echo "# stock-proof: 1 passed, 0 failed, 0 skipped"',
	'tests/harness.py': 'echo "# harness: 4 passed, 0 failed"',
	'tests/fuzz_topologies.py': textwrap.dedent('''\
		if [ "$1" = count ]; then echo 2; exit 0; fi
		echo "# fuzz: 2 passed, 0 failed"'''),
	'tests/vmtest.py': textwrap.dedent('''\
		if [ "$1" = list ]; then
			echo "one   the first"
			[ "${2:-}" = --stock-proof ] || echo "two   the second"
			exit 0
		fi
		case $STUB in
		lose-scenario) echo "# vmtest: 1 passed, 0 failed, 0 skipped" ;;
		lie) echo "# vmtest: 2 passed, 0 failed, 0 skipped"; exit 1 ;;
		*) echo "# vmtest: 2 passed, 0 failed, 0 skipped" ;;
		esac'''),
}


class CheckTest(unittest.TestCase):

	def setUp(self):
		self.tmp = tempfile.TemporaryDirectory()
		top = self.top = self.tmp.name
		for d in ('scripts', 'tests', 'patches'):
			os.makedirs(os.path.join(top, d))
		for f in ('scripts/check.sh', 'scripts/lib.sh'):
			shutil.copy(os.path.join(TOP, f), os.path.join(top, f))
		for path, body in STUBS.items():
			with open(os.path.join(top, path), 'w') as f:
				f.write('#!/bin/bash\n' + body + '\n')
			os.chmod(os.path.join(top, path), 0o755)
		open(os.path.join(top, 'patches', '0001-PCI-x.patch'), 'w').close()

	def tearDown(self):
		self.tmp.cleanup()

	def run_check(self, stub=''):
		env = dict(os.environ, STUB=stub)
		env.pop('WORKBENCH_BUILD', None)
		env.pop('WORKBENCH_PATCHES', None)
		r = subprocess.run(['bash', os.path.join(self.top, 'scripts', 'check.sh')],
				   env=env, capture_output=True, text=True, timeout=60)
		return r.returncode, r.stdout

	def test_all_stages_summed(self):
		rc, out = self.run_check()
		self.assertEqual(rc, 0, out)
		# 1 + 4 + apply + series-check + 2 + kernel + kernel-stock + 3 +
		# 3 + 1 + amdgpu + 2 + 1 + 2
		self.assertEqual(out.splitlines()[-1], '24 passed, 0 failed')
		self.assertNotIn('=== count:', out)

	def test_kernel_that_does_not_build_loses_no_results_silently(self):
		rc, out = self.run_check('fail-kernel')
		self.assertNotEqual(rc, 0)
		self.assertIn('=== count: vmtest gave 0 results, 2 expected', out)
		self.assertIn('=== count: fuzz gave 0 results, 2 expected', out)
		self.assertEqual(out.splitlines()[-1], '19 passed, 3 failed')

	def test_lost_scenario_fails(self):
		rc, out = self.run_check('lose-scenario')
		self.assertNotEqual(rc, 0)
		self.assertIn('=== count: vmtest gave 1 results, 2 expected', out)

	def test_stage_exit_status_counts_when_its_line_says_no_failure(self):
		rc, out = self.run_check('lie')
		self.assertNotEqual(rc, 0)
		self.assertIn('=== vmtest: FAILED', out)
		self.assertEqual(out.splitlines()[-1], '24 passed, 1 failed')

	def test_skip_without_a_reason_fails(self):
		rc, out = self.run_check('skip')
		self.assertNotEqual(rc, 0)
		self.assertIn('=== skip: kunit skipped 1 but gave a reason for 0', out)
		self.assertIn('=== skip: kunit-i386 skipped 1 but gave a reason for 0', out)
		self.assertEqual(out.splitlines()[-1], '24 passed, 2 failed, 2 skipped')

	def test_skip_with_a_reason_passes(self):
		rc, out = self.run_check('skip-why')
		self.assertEqual(rc, 0, out)
		self.assertNotIn('=== skip:', out)
		self.assertEqual(out.splitlines()[-1], '24 passed, 0 failed, 2 skipped')

	def test_lost_mutant_fails(self):
		path = os.path.join(self.top, 'tests', 'mutants.py')
		with open(path) as f:
			body = f.read().replace('echo "m1   KUnit a   breaks a";',
						'echo "m1   KUnit a   breaks a"; echo "m2   KUnit b   b";')
		with open(path, 'w') as f:
			f.write(body)
		rc, out = self.run_check()
		self.assertNotEqual(rc, 0)
		self.assertIn('=== count: mutants-kunit gave 1 results, 2 expected', out)


if __name__ == '__main__':
	unittest.main()
