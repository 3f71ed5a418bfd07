# SPDX-License-Identifier: GPL-2.0
"""Where the workbench keeps kernels and builds, and the guest's initramfs."""

import glob
import os
import subprocess

from . import initramfs

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# WORKBENCH_BUILD: a copy of tests/ run by tests/mutants.py uses the
# checkout's build directory.
BUILD = os.environ.get('WORKBENCH_BUILD') or os.path.join(TOP, 'build')
KERNELS = {
	'series': os.path.join(BUILD, 'kernel', 'bzImage'),
	'stock': os.path.join(BUILD, 'kernel-stock', 'bzImage'),
	# The series with one mutant applied (tests/mutants.py).
	'mutant': os.path.join(BUILD, 'mutant', 'kernel', 'bzImage'),
}
# What to run when a kernel is missing.
MAKE_KERNEL = {'series': 'kernel', 'stock': 'kernel-stock', 'mutant': 'mutants'}


def uapi_headers(tree):
	"""The work tree's user-space API headers ('make headers', which needs no
	configuration), for guest programs: the tree's DRM headers include
	headers newer than the host's libc provides. Returns the include
	directory."""
	obj = os.path.join(BUILD, 'uapi-obj')
	subprocess.run(['make', '-s', '-C', tree, f'O={obj}', 'headers'], check=True,
		       stdout=subprocess.DEVNULL)
	return os.path.join(obj, 'usr', 'include')


def guest_programs(workdir):
	"""Compile the static guest programs: tests/guest/*.c and the series' kselftests."""
	progs = []
	sources = glob.glob(os.path.join(TOP, 'tests', 'guest', '*.c'))
	tree = os.path.join(BUILD, 'linux')
	selftests = os.path.join(tree, 'tools', 'testing', 'selftests')
	sources += glob.glob(os.path.join(selftests, 'pci', '*.c'))
	os.makedirs(os.path.join(workdir, 'bin'), exist_ok=True)
	uapi = uapi_headers(tree)
	for src in sources:
		out = os.path.join(workdir, 'bin', os.path.basename(src)[:-2].replace('_', '-'))
		initramfs.compile_static(src, out, include_dirs=[selftests, uapi])
		progs.append(out)
	return progs


def guest_initrd():
	"""Build the scenario initramfs (once per change); return its path."""
	workdir = os.path.join(BUILD, 'vmtest', 'initramfs')
	os.makedirs(workdir, exist_ok=True)
	return initramfs.build(workdir, guest_programs(workdir))
