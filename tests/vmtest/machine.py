# SPDX-License-Identifier: GPL-2.0
"""A q35 guest under QEMU with native PCIe hot-plug, driven over QMP and ttyS1."""

import os
import re
import shutil
import subprocess
import tempfile
import time

from .agent import Agent, AgentError
from .console import Console
from .qmp import QMP

BOOT_TIMEOUT = 120


class GuestError(Exception):
	pass


class Machine:
	"""One QEMU run. Use as a context manager; the console log is kept in rundir."""

	def __init__(self, kernel, initrd, rundir, args=(), cmdline='',
		     memory='512M', smp=2, kvm=False):
		self.kernel = kernel
		self.initrd = initrd
		self.rundir = rundir
		self.args = list(args)
		self.cmdline = cmdline
		self.memory = memory
		self.smp = smp
		self.kvm = kvm
		self.proc = None
		self.console = None
		self.qmp = None
		self.agent = None
		# AF_UNIX paths are limited to 107 bytes: the sockets live in a
		# short directory of their own, not under a checkout whose path
		# may be long.
		self.sockdir = None

	def _sock(self, name):
		if self.sockdir is None:
			self.sockdir = tempfile.mkdtemp(prefix='vmtest-')
		return os.path.join(self.sockdir, name)

	def command_line(self):
		accel = 'kvm' if self.kvm else 'tcg'
		cmdline = ('console=ttyS0 panic=-1 oops=panic softlockup_panic=0 '
			   'printk.devkmsg=on ' + self.cmdline).strip()
		return [
			'qemu-system-x86_64',
			'-machine', f'q35,accel={accel}',
			# No 5-level paging: with LA57, a timer interrupt that
			# lands while identify_cpu() has cleared the boot CPU's
			# feature bits makes KASAN report a wild access on the
			# direct map (an upstream false positive, seen here once
			# in about 250 boots; "kasan: Fix false-positive
			# wild-memory-access on x86 under 5-level paging",
			# LKML, June 2026).  Nothing here needs LA57.
			'-cpu', 'max,la57=off' if not self.kvm else 'host,la57=off',
			'-smp', str(self.smp), '-m', self.memory,
			'-display', 'none', '-vga', 'none', '-monitor', 'none',
			'-no-reboot', '-nodefaults',
			# pciehp needs native hot-plug: take ACPI hot-plug away.
			'-global', 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off',
			'-serial', 'stdio',
			'-serial', f'unix:{self._sock("agent.sock")},server=on,wait=off',
			'-qmp', f'unix:{self._sock("qmp.sock")},server=on,wait=off',
			'-kernel', self.kernel, '-initrd', self.initrd,
			'-append', cmdline,
		] + self.args

	def alive(self):
		return self.proc is not None and self.proc.poll() is None

	def start(self):
		os.makedirs(self.rundir, exist_ok=True)
		cmd = self.command_line()
		with open(f'{self.rundir}/qemu-cmdline', 'w') as f:
			f.write(' '.join(cmd) + '\n')
		self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
					     stdout=subprocess.PIPE,
					     stderr=subprocess.STDOUT)
		self.console = Console(self.proc.stdout, f'{self.rundir}/console.log')
		try:
			self.qmp = QMP(self._sock('qmp.sock'))
			self.agent = Agent(self._sock('agent.sock'), self.alive)
			self.agent.wait_hello(BOOT_TIMEOUT)
		except (AgentError, TimeoutError, OSError) as e:
			self.stop()
			raise GuestError(f'the guest did not boot to its shell ({e or "timeout"}); '
					 f'console: {self.rundir}/console.log\n{self.console.tail()}')

	def sh(self, command, timeout=120, check=True):
		"""Run a shell command in the guest; return its output."""
		try:
			rc, out = self.agent.run(command, timeout)
		except TimeoutError:
			raise GuestError(f'guest command timed out after {timeout}s: {command}\n'
					 f'{self.console.tail()}')
		except AgentError as e:
			raise GuestError(f'{e} while running: {command}\n{self.console.tail()}')
		if check and rc != 0:
			raise GuestError(f'guest command failed (exit {rc}): {command}\n{out}')
		return out

	def ok(self, command, timeout=120):
		"""Does a guest shell command succeed?"""
		try:
			return self.agent.run(command, timeout)[0] == 0
		except TimeoutError:
			raise GuestError(f'guest command timed out after {timeout}s: {command}')

	def wait_guest(self, condition, timeout=60, what=None):
		"""Poll a guest shell condition until it holds."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			if self.agent.run(condition, timeout)[0] == 0:
				return
			time.sleep(0.2)
		raise GuestError(f'timed out after {timeout}s waiting for {what or condition}')

	# Every task in uninterruptible sleep (state D): "pid (comm) D ...".
	BLOCKED = r'''
for s in /proc/[0-9]*/stat; do
	read -r l < $s 2>/dev/null || continue
	case "${l##*) }" in D*) echo "${l%% *} $(cat ${s%/stat}/comm 2>/dev/null)" ;; esac
done
'''

	def blocked_tasks(self):
		"""['pid comm'] of the guest's tasks in uninterruptible sleep."""
		return [l for l in self.sh(self.BLOCKED, check=False).splitlines() if l.strip()]

	def hung_timeout(self):
		"""The guest kernel's hung-task timeout: the scenario kernel's
		default (10 s), or what the command line sets."""
		match = re.search(r'hung_task_timeout_secs=(\d+)', self.cmdline)
		return int(match.group(1)) if match else 10

	# Take the lock of every bound PCI device once, in the background:
	# writing "enable" of a bound device takes its device lock and does
	# nothing else (-EBUSY). A lock left held (by a mover that forgot to
	# let go, say) blocks it, which nothing else in a scenario may notice.
	SWEEP = (
		'rm -f /tmp/sweep.done; (for d in /sys/bus/pci/devices/*; do '
		'[ -e $d/driver ] && echo 1 > $d/enable; done; touch /tmp/sweep.done) '
		'> /dev/null 2>&1 &')

	def settle(self, hung_timeout=None):
		"""After a scenario's last step: take every bound PCI device's lock
		once (SWEEP); if a task is still blocked, give the kernel's
		hung-task detector (hung_task_timeout_secs) time to report it, so
		that a hang at the end is not cut off by the guest quitting.
		Return the tasks still blocked then (none: all well)."""
		hung_timeout = hung_timeout or self.hung_timeout()
		deadline = time.monotonic() + 2 * hung_timeout + 5
		self.sh(self.SWEEP, check=False)
		swept = False
		for _ in range(25):
			swept = self.ok('test -e /tmp/sweep.done')
			if swept:
				break
			time.sleep(0.2)
		blocked = self.blocked_tasks()
		while (blocked or not swept) and time.monotonic() < deadline:
			time.sleep(1)
			blocked = self.blocked_tasks()
			swept = self.ok('test -e /tmp/sweep.done')
		if not swept:
			blocked.append('the sweep of the PCI device locks never finished')
		return blocked

	def device_add(self, driver, **props):
		self.qmp.command('device_add', driver=driver, **props)

	def device_del(self, ident):
		self.qmp.command('device_del', id=ident)

	def stop(self):
		if self.qmp:
			try:
				self.qmp.command('quit')
			except Exception:
				pass
		if self.proc:
			try:
				self.proc.wait(10)
			except subprocess.TimeoutExpired:
				self.proc.kill()
				self.proc.wait()
		if self.console:
			self.console.join()
		for part in (self.agent, self.qmp):
			if part:
				try:
					part.close()
				except OSError:
					pass
		if self.sockdir:
			shutil.rmtree(self.sockdir, ignore_errors=True)
			self.sockdir = None

	def __enter__(self):
		self.start()
		return self

	def __exit__(self, *exc):
		self.stop()
		return False


def have_qemu():
	return shutil.which('qemu-system-x86_64') is not None
