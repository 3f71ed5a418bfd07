# SPDX-License-Identifier: GPL-2.0
"""scripts/install-deps.sh against a simulated machine.

dpkg-query, apt-cache, apt-get and id are shims on PATH: they report the
packages a test says are installed and served, and record every apt-get
call instead of installing anything.
"""

import os
import re
import subprocess
import tempfile
import unittest

from harness import shims

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(TOP, 'scripts', 'install-deps.sh')


def pinned():
	"""(package, version) pinned in scripts/lib.sh."""
	lib = open(os.path.join(TOP, 'scripts', 'lib.sh')).read()
	pkg = re.search(r'^KERNEL_PKG=(\S+)$', lib, re.M).group(1)
	ver = re.search(r'^KERNEL_PKG_VERSION=(\S+)$', lib, re.M).group(1)
	return pkg, ver


def tools():
	"""The tool packages install-deps.sh asks for."""
	text = open(SCRIPT).read()
	return re.search(r'TOOLS="([^"]*)"', text).group(1).split()


SHIMS = {
	# Installed packages are lines "name version" in $SHIM/installed.
	'dpkg-query': r'''
		pkg=${!#}
		v=$(awk -v p="$pkg" '$1 == p { print $2 }' "$SHIM/installed")
		if [ -z "$v" ]; then
			echo "dpkg-query: no packages found matching $pkg" >&2
			exit 1
		fi
		printf 'ii  %s\n' "$v"
		''',
	# Served versions are lines "name version" in $SHIM/served; a long
	# tail of other lines makes a reader that stops early kill the
	# writer with SIGPIPE, as the real apt-cache is killed.
	'apt-cache': r'''
		[ "$1" = madison ] || exit 100
		awk -v p="$2" '$1 == p { printf "%s | %s | http://mirror bookworm/main amd64 Packages\n", $1, $2 }' "$SHIM/served"
		for i in $(seq 2000); do echo "padding line $i of an apt-cache listing"; done
		''',
	'apt-get': r'''
		echo "apt-get $*" >> "$SHIM/calls"
		[ "$1" = install ] && [ -e "$SHIM/install-fails" ] && { echo "E: broken" >&2; exit 100; }
		exit 0
		''',
	'id': r'''
		cat "$SHIM/uid"
		''',
}


class InstallDepsTest(unittest.TestCase):
	"""With KERNEL_SUITE empty, the kernel source is a package this
	machine's apt serves, installed like the tools."""

	SUITE = ''

	def setUp(self):
		self.tmp = tempfile.TemporaryDirectory()
		self.dir = self.tmp.name
		self.bin = shims.write(os.path.join(self.dir, 'bin'), SHIMS)
		self.write('installed', '')
		self.write('served', '')
		self.write('uid', '0')
		self.pkg, self.ver = pinned()
		# A copy of the scripts with KERNEL_SUITE set as the class says.
		self.scripts = os.path.join(self.dir, 'scripts')
		os.makedirs(self.scripts)
		lib = open(os.path.join(TOP, 'scripts', 'lib.sh')).read()
		lib = re.sub(r'^KERNEL_SUITE=.*$', f'KERNEL_SUITE={self.SUITE}', lib, flags=re.M)
		with open(os.path.join(self.scripts, 'lib.sh'), 'w') as f:
			f.write(lib)
		with open(os.path.join(self.scripts, 'install-deps.sh'), 'w') as f:
			f.write(open(SCRIPT).read())

	def tearDown(self):
		self.tmp.cleanup()

	def write(self, name, text):
		with open(os.path.join(self.dir, name), 'w') as f:
			f.write(text)

	def run_script(self):
		env = dict(os.environ, PATH=f'{self.bin}:{os.environ["PATH"]}', SHIM=self.dir,
			   WORKBENCH_BUILD=os.path.join(self.dir, 'build'))
		return subprocess.run(['bash', os.path.join(self.scripts, 'install-deps.sh')],
				      env=env, capture_output=True, text=True, timeout=60)

	def calls(self):
		path = os.path.join(self.dir, 'calls')
		return open(path).read().splitlines() if os.path.exists(path) else []

	def installs(self):
		lines = [c for c in self.calls() if c.startswith('apt-get install')]
		self.assertEqual(len(lines), 1, self.calls())
		return [w for w in lines[0].split()[2:] if not w.startswith('-')]

	def test_bare_machine_installs_everything_and_the_pinned_kernel(self):
		self.write('served', f'{self.pkg} 9.9.9-1\n{self.pkg} {self.ver}\n')
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertIn('apt-get update -qq', self.calls())
		self.assertEqual(sorted(self.installs()),
				 sorted(tools() + [f'{self.pkg}={self.ver}']))
		self.assertNotIn('WARNING', r.stderr)
		for must in ('make', 'git', 'gcc', 'qemu-system-x86', 'shellcheck'):
			self.assertIn(must, tools())

	def test_everything_installed_runs_no_apt(self):
		self.write('installed', ''.join(f'{t} 1.0\n' for t in tools()) +
			   f'{self.pkg} {self.ver}\n')
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.calls(), [])
		self.assertEqual(r.stdout + r.stderr, '')

	def test_other_kernel_version_installed_asks_for_the_pinned_one(self):
		self.write('installed', ''.join(f'{t} 1.0\n' for t in tools()) +
			   f'{self.pkg} 0.1-1\n')
		self.write('served', f'{self.pkg} {self.ver}\n')
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.installs(), [f'{self.pkg}={self.ver}'])

	def test_pinned_kernel_not_served_falls_back_to_newest_loudly(self):
		self.write('installed', ''.join(f'{t} 1.0\n' for t in tools()))
		self.write('served', f'{self.pkg} 9.9.9-2\n{self.pkg} 9.9.9-1\n')
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.installs(), [f'{self.pkg}=9.9.9-2'])
		self.assertIn(f'WARNING: {self.pkg} {self.ver} is no longer served', r.stderr)

	def test_kernel_not_served_at_all_fails_clearly(self):
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn(f'apt serves no {self.pkg} at all', r.stderr)
		self.assertFalse([c for c in self.calls() if c.startswith('apt-get install')])

	def test_not_root_names_what_is_missing_and_installs_nothing(self):
		self.write('uid', '1000')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('missing packages:', r.stderr)
		self.assertIn(f'{self.pkg}={self.ver}', r.stderr)
		self.assertEqual(self.calls(), [])

	def test_failed_install_says_where_the_log_is(self):
		self.write('served', f'{self.pkg} {self.ver}\n')
		self.write('install-fails', '')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('apt-get install failed', r.stderr)
		self.assertIn('install-deps.log', r.stderr)
		self.assertIn('E: broken', r.stderr)



class InstallDepsOtherSuiteTest(InstallDepsTest):
	"""With KERNEL_SUITE set, the kernel source is fetched by
	fetch-source.sh, never installed."""

	SUITE = 'trixie-backports'

	def setUp(self):
		super().setUp()
		with open(os.path.join(self.scripts, 'fetch-source.sh'), 'w') as f:
			f.write('#!/bin/bash\necho fetch-source >> "$SHIM/calls"\n')
		os.chmod(os.path.join(self.scripts, 'fetch-source.sh'), 0o755)

	def test_bare_machine_installs_everything_and_the_pinned_kernel(self):
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(sorted(self.installs()), sorted(tools()))
		self.assertEqual(self.calls()[-1], 'fetch-source')

	def test_everything_installed_runs_no_apt(self):
		self.write('installed', ''.join(f'{t} 1.0\n' for t in tools()))
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertEqual(self.calls(), ['fetch-source'])

	# The installed package plays no part; what apt serves is
	# fetch-source.sh's business (test_fetch_source).
	test_other_kernel_version_installed_asks_for_the_pinned_one = None
	test_pinned_kernel_not_served_falls_back_to_newest_loudly = None
	test_kernel_not_served_at_all_fails_clearly = None

	def test_not_root_names_what_is_missing_and_installs_nothing(self):
		self.write('uid', '1000')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('missing packages:', r.stderr)
		self.assertEqual(self.calls(), [])

	def test_failed_install_says_where_the_log_is(self):
		self.write('install-fails', '')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('apt-get install failed', r.stderr)
		self.assertNotIn('fetch-source', self.calls())


if __name__ == '__main__':
	unittest.main()
