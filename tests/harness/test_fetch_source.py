# SPDX-License-Identifier: GPL-2.0
"""scripts/fetch-source.sh: the kernel source from another Debian suite,
with a private apt configuration, against shims of apt-get, apt-cache and
dpkg-deb (nothing is downloaded; every call is recorded)."""

import os
import re
import subprocess
import tempfile
import unittest

from harness import shims

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(TOP, 'scripts', 'fetch-source.sh')

POLICY = '''Package files:
 100 /var/lib/dpkg/status
     release a=now
 500 http://mirror.invalid/debian-security bookworm-security/main amd64 Packages
     release v=12,o=Debian,a=stable-security,n=bookworm-security,l=Debian-Security,c=main,b=amd64
 500 http://mirror.invalid/debian bookworm/main amd64 Packages
     release v=12.11,o=Debian,a=stable,n=bookworm,l=Debian,c=main,b=amd64
 500 https://other.invalid/apt nodistro/main amd64 Packages
     release n=nodistro,c=main,b=amd64
'''

SHIMS = {
	'apt-cache': r'''
		for a; do case $a in policy) cat "$SHIM/policy"; exit 0 ;;
			madison) pkg=${!#}
				awk -v p="$pkg" '$1 == p { printf "%s | %s | http://mirror.invalid x/main Packages\n", $1, $2 }' "$SHIM/served"
				for i in $(seq 2000); do echo padding; done
				exit 0 ;; esac; done
		exit 100
		''',
	'apt-get': r'''
		echo "apt-get $*" >> "$SHIM/calls"
		for a; do case $a in
			update) exit 0 ;;
			download) want=${!#}; touch "${want%%=*}_${want#*=}_all.deb"; exit 0 ;;
		esac; done
		exit 100
		''',
	'dpkg-deb': r'''
		echo "dpkg-deb $*" >> "$SHIM/calls"
		deb=$2 dir=$3
		pkg=$(basename "$deb"); pkg=${pkg%%_*}
		mkdir -p "$dir/usr/src"
		echo "$deb" > "$dir/usr/src/$pkg.tar.xz"
		''',
}


class FetchSourceTest(unittest.TestCase):

	def setUp(self):
		self.tmp = tempfile.TemporaryDirectory()
		d = self.tmp.name
		self.bin = shims.write(os.path.join(d, 'bin'), SHIMS)
		with open(os.path.join(d, 'policy'), 'w') as f:
			f.write(POLICY)
		self.build = os.path.join(d, 'build')
		# A lib.sh whose base comes from another suite, as for 7.3.
		self.scripts = os.path.join(d, 'scripts')
		os.makedirs(self.scripts)
		lib = open(os.path.join(TOP, 'scripts', 'lib.sh')).read()
		lib = re.sub(r'^KERNEL_PKG=.*$', 'KERNEL_PKG=linux-source-7.3', lib, flags=re.M)
		lib = re.sub(r'^KERNEL_PKG_VERSION=.*$', 'KERNEL_PKG_VERSION=7.3.4-1~bpo13+1', lib,
			     flags=re.M)
		lib = re.sub(r'^KERNEL_SUITE=.*$', 'KERNEL_SUITE=trixie-backports', lib, flags=re.M)
		with open(os.path.join(self.scripts, 'lib.sh'), 'w') as f:
			f.write(lib)
		with open(os.path.join(self.scripts, 'fetch-source.sh'), 'w') as f:
			f.write(open(SCRIPT).read())
		self.serve('linux-source-7.3 7.3.4-1~bpo13+1\n')

	def tearDown(self):
		self.tmp.cleanup()

	def serve(self, text):
		with open(os.path.join(self.tmp.name, 'served'), 'w') as f:
			f.write(text)

	def run_script(self):
		env = dict(os.environ, PATH=f'{self.bin}:{os.environ["PATH"]}', SHIM=self.tmp.name,
			   WORKBENCH_BUILD=self.build)
		env.pop('WORKBENCH_TARBALL', None)
		return subprocess.run(['bash', os.path.join(self.scripts, 'fetch-source.sh')],
				      env=env, capture_output=True, text=True, timeout=60)

	def calls(self):
		path = os.path.join(self.tmp.name, 'calls')
		return open(path).read().splitlines() if os.path.exists(path) else []

	def tarball(self):
		return os.path.join(self.build, 'src', 'usr', 'src', 'linux-source-7.3.tar.xz')

	def test_pinned_version_is_fetched_from_the_suite_on_the_machines_mirror(self):
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		sources = open(os.path.join(self.build, 'apt', 'etc', 'sources.list')).read()
		self.assertEqual(sources, 'deb http://mirror.invalid/debian trixie-backports main\n')
		download = [c for c in self.calls() if ' download ' in c]
		self.assertEqual(len(download), 1)
		self.assertTrue(download[0].endswith('linux-source-7.3=7.3.4-1~bpo13+1'))
		# Private state: the machine's own apt configuration is not used.
		self.assertIn('Dir::State::Status=', download[0])
		self.assertIn('Dir::Etc::SourceParts=-', download[0])
		self.assertTrue(os.path.exists(self.tarball()))
		self.assertNotIn('WARNING', r.stderr)
		self.assertFalse(os.path.exists(os.path.join(self.build, 'src.partial')))

	def test_second_run_fetches_nothing(self):
		self.run_script()
		n = len(self.calls())
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stderr)
		self.assertEqual(len(self.calls()), n)

	def test_unserved_pin_falls_back_to_newest_loudly_once(self):
		self.serve('linux-source-7.3 7.3.9-1~bpo13+1\nlinux-source-7.3 7.3.5-1~bpo13+1\n')
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertIn('is no longer served by trixie-backports', r.stderr)
		self.assertTrue(self.calls()[-2].endswith('linux-source-7.3=7.3.9-1~bpo13+1'),
				self.calls())
		n = len(self.calls())
		self.run_script()
		self.assertEqual(len(self.calls()), n)

	def test_nothing_served_fails_clearly(self):
		self.serve('')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('trixie-backports serves no linux-source-7.3 at all', r.stderr)
		self.assertFalse(os.path.exists(self.tarball()))

	def test_no_debian_mirror_fails_clearly(self):
		with open(os.path.join(self.tmp.name, 'policy'), 'w') as f:
			f.write('Package files:\n 100 /var/lib/dpkg/status\n     release a=now\n')
		r = self.run_script()
		self.assertNotEqual(r.returncode, 0)
		self.assertIn('no Debian archive entry', r.stderr)
		self.assertEqual(self.calls(), [])

	def test_interrupted_unpack_is_redone(self):
		os.makedirs(os.path.join(self.build, 'src.partial', 'usr'))
		r = self.run_script()
		self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
		self.assertTrue(os.path.exists(self.tarball()))
		self.assertFalse(os.path.exists(os.path.join(self.build, 'src.partial')))


if __name__ == '__main__':
	unittest.main()
