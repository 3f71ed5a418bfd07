# SPDX-License-Identifier: GPL-2.0
"""Build the scenario initramfs: busybox, the agent, and static guest programs."""

import gzip
import os
import shutil
import subprocess

GUEST = os.path.join(os.path.dirname(__file__), '..', 'guest')
BUSYBOX = '/bin/busybox'


def _newer(target, sources):
	if not os.path.exists(target):
		return False
	mtime = os.path.getmtime(target)
	return all(os.path.getmtime(s) <= mtime for s in sources)


def compile_static(source, output, include_dirs=()):
	if _newer(output, [source]):
		return
	cmd = ['gcc', '-static', '-O2', '-Wall', '-Werror', '-o', output, source, '-lpthread']
	for d in include_dirs:
		cmd[1:1] = ['-I', d]
	subprocess.run(cmd, check=True)


def build(workdir, programs):
	"""Make workdir/initramfs.cpio.gz holding busybox, /init, the agent and programs.

	programs: paths of static executables to install in /bin.
	"""
	if not os.path.exists(BUSYBOX):
		raise RuntimeError('busybox-static is not installed: run make deps')
	root = os.path.join(workdir, 'root')
	shutil.rmtree(root, ignore_errors=True)
	os.makedirs(os.path.join(root, 'bin'))
	shutil.copy(BUSYBOX, os.path.join(root, 'bin', 'busybox'))
	shutil.copy(os.path.join(GUEST, 'init'), os.path.join(root, 'init'))
	shutil.copy(os.path.join(GUEST, 'agent.sh'), os.path.join(root, 'agent.sh'))
	os.chmod(os.path.join(root, 'init'), 0o755)
	for prog in programs:
		shutil.copy(prog, os.path.join(root, 'bin', os.path.basename(prog)))
	files = subprocess.run(['find', '.'], cwd=root, check=True,
			       capture_output=True).stdout
	cpio = subprocess.run(['cpio', '--quiet', '-o', '-H', 'newc', '-R', '0:0'],
			      cwd=root, input=files, check=True,
			      capture_output=True).stdout
	out = os.path.join(workdir, 'initramfs.cpio.gz')
	with gzip.open(out, 'wb', compresslevel=1) as f:
		f.write(cpio)
	return out
