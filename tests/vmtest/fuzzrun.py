# SPDX-License-Identifier: GPL-2.0
"""Run one generated topology (topogen) on one kernel; record what it assigned.

The result is a dict that survives JSON (tests/fuzz_topologies.py keeps the
stock kernel's results between runs):
  steps    [{'label', 'bdf', 'map'}]: the address map after boot and after
           each step; 'bdf' is the device the step added or removed (None
           when a hot-add was never enumerated); 'map' is a list of
           [bdf, key, start, end, flags] rows of pcimap.read_map()
  names    {bdf: QEMU id} of the hot-added devices
  layout   the kselftest pci_bar_layout's output at the end
  reports  kernel reports on the console, one line each
  error    why the run stopped early, or None
  qemu     the QEMU command line
"""

import os
import time
import traceback

from . import pcimap
from .machine import GuestError, Machine
from .qmp import QMPError

# How long a hot-add may take to show up, and a removal to go (pciehp waits
# 5 s after the attention button before it powers a slot off).
ADD_TIMEOUT = 30
DEL_TIMEOUT = 30


# Bump when what a run records changes: the stock kernel's kept results
# (tests/fuzz_topologies.py) are reused only while it stays the same.
RESULT_VERSION = 1


def devices(vm):
	"""The guest's PCI devices. A device that goes while ls lists the
	directory makes ls complain; what it printed is still right."""
	return set(vm.sh('ls /sys/bus/pci/devices 2>/dev/null', check=False).split())


def rows(bars):
	return [[bdf, key, *value] for (bdf, key), value in sorted(
		bars.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))]


def bars(rows_):
	"""The map of rows(), back: {(bdf, key): (start, end, flags)}."""
	return {(r[0], r[1]): tuple(r[2:]) for r in rows_}


def _wait_change(vm, before, timeout, grow):
	"""The device that appeared (grow) or went, or None after timeout."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		now = devices(vm)
		diff = (now - before) if grow else (before - now)
		if diff:
			return sorted(diff)[0]
		time.sleep(0.5)
	return None


def _device_add(vm, driver, props):
	"""device_add, retried while QEMU still finishes a removal from the slot."""
	for attempt in range(10):
		try:
			vm.device_add(driver, **props)
			return
		except QMPError:
			if attempt == 9:
				raise
			time.sleep(1)


def hot_add(vm, dev, slot):
	before = devices(vm)
	driver, props = dev.props(slot.ident)
	_device_add(vm, driver, props)
	bdf = _wait_change(vm, before, ADD_TIMEOUT, grow=True)
	if bdf:
		vm.wait_guest(f'test -e /sys/bus/pci/devices/{bdf}/resource', 10)
		# Let the driver bind (nvme probes asynchronously).
		vm.sh('sleep 1')
	return bdf


def in_qemu(vm, ident):
	"""Whether QEMU still has the device ident."""
	return any(p['name'] == ident for p in
		   vm.qmp.command('qom-list', path='/machine/peripheral'))


def hot_remove(vm, dev):
	"""Remove dev through pciehp; return the BDF that went, or None. Returns
	once QEMU has let go of the device too: it does when the guest powers
	the slot off, and until then a device added to the slot would go with
	it."""
	before = devices(vm)
	vm.device_del(dev.ident)
	bdf = _wait_change(vm, before, DEL_TIMEOUT, grow=False)
	deadline = time.monotonic() + DEL_TIMEOUT
	while in_qemu(vm, dev.ident):
		if time.monotonic() > deadline:
			raise GuestError(f'QEMU still has {dev.ident} {DEL_TIMEOUT}s after device_del')
		time.sleep(0.5)
	return bdf


def run(topo, kernel, initrd, rundir, kvm=False):
	os.makedirs(rundir, exist_ok=True)
	for image in topo.images():
		with open(os.path.join(rundir, image), 'wb') as f:
			f.truncate(16 << 20)
	vm = Machine(kernel, initrd, rundir, args=topo.qemu_args(rundir),
		     cmdline=topo.cmdline, memory=topo.memory, smp=1, kvm=kvm)
	result = {'steps': [], 'names': {}, 'layout': '', 'reports': [], 'error': None}
	try:
		with vm:
			result['steps'].append({'label': 'boot', 'bdf': None,
						'map': rows(pcimap.read_map(vm))})
			for n, step in enumerate(topo.steps, 1):
				if step[0] == 'add':
					bdf = hot_add(vm, step[1], step[2])
					label = f'step {n}: hot-add {step[1].describe()} into {step[2].ident}'
					if bdf:
						result['names'][bdf] = step[1].ident
				else:
					bdf = hot_remove(vm, step[1])
					label = f'step {n}: hot-remove {step[1].ident}'
				result['steps'].append({'label': label, 'bdf': bdf,
							'map': rows(pcimap.read_map(vm))})
			result['layout'] = vm.sh('pci-bar-layout', check=False)
			blocked = vm.settle()
			if blocked:
				result['error'] = 'tasks still blocked after the last step: ' + \
					', '.join(blocked)
	except Exception as e:		# pylint: disable=broad-except
		result['error'] = f'{type(e).__name__}: {e}'
		if not isinstance(e, GuestError):
			result['error'] += '\n' + traceback.format_exc(limit=-3)
	if vm.console:
		result['reports'] = [f'{s.kind} at console.log:{s.lineno}: {s.lines[0].strip()}'
				     for s in vm.console.splats()]
	try:
		with open(os.path.join(rundir, 'qemu-cmdline')) as f:
			result['qemu'] = f.read().strip()
	except OSError:
		result['qemu'] = ''
	return result
