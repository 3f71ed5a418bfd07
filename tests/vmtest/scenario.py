# SPDX-License-Identifier: GPL-2.0
"""What every scenario shares: topology helpers, named checks, the result."""

import re

from . import svgmap


class CheckFailed(Exception):
	def __init__(self, check, message):
		super().__init__(f'[{check}] {message}')
		self.check = check


class Scenario:
	"""A scenario module defines a subclass with:

	  topology()  QEMU arguments for the devices present at boot
	  run(vm)     the steps; each requirement is a self.check(...)
	  stock_fails_at  the check id the stock kernel must fail at, or None
	  stock_passes  True when the stock kernel passes every check too and
	               the stock proof is to show it (a guard against doing
	               worse than stock; stock's kernel reports are noted)
	  pending     why the series cannot pass it yet (reported as a skip),
	              or None; the stock proof runs regardless
	"""
	memory = '512M'
	cmdline = ''
	stock_fails_at = None
	stock_passes = False
	pending = None

	def __init__(self, log):
		self.log = log

	def topology(self):
		return []

	def run(self, vm):
		raise NotImplementedError

	def check(self, check, condition, message):
		if not condition:
			raise CheckFailed(check, message)
		self.log(f'  ok: {message}')

	def save_svg(self, before, after, roots_before, roots_after, missing=()):
		"""Write the address map before and after a step as
		<rundir>/addrmap.svg (see svgmap); return its path."""
		path = f'{self.rundir}/addrmap.svg'
		title = f'{type(self).__name__}, {getattr(self, "kernel_kind", "")} kernel:'
		with open(path, 'w') as f:
			f.write(svgmap.render(before, after, roots_before, roots_after,
					      title, missing))
		self.log(f'  address map picture: {path}')
		return path

	def check_layout(self, vm, when=''):
		"""Check 'layout': the kselftest pci_bar_layout finds the address map
		consistent."""
		out = vm.sh('pci-bar-layout', check=False)
		self.check('layout', 'not ok' not in out and 'ok 5' in out,
			   f'BARs inside windows, no overlaps, /proc/iomem and registers agree{when}:\n'
			   + out)


def root_port(ident, chassis, addr, **props):
	"""A hot-plug capable PCIe root port on the root bus."""
	extra = ''.join(f',{k}={v}' for k, v in props.items())
	return ['-device', f'pcie-root-port,id={ident},chassis={chassis},'
		f'bus=pcie.0,addr={addr}{extra}']


def ivshmem_backend(ident, size):
	"""A shared memory object for an ivshmem device. It is an anonymous
	memfd: pages cost host RAM only once the guest touches them and are
	gone when QEMU exits, so no run leaves gigabytes of files behind."""
	return ['-object', f'memory-backend-memfd,id={ident}-mem,size={size},share=on']


def ivshmem(ident, bus, size):
	"""An ivshmem-plain device: BAR 2 is a 64-bit prefetchable BAR of size."""
	return ivshmem_backend(ident, size) + \
		['-device', f'ivshmem-plain,id={ident},memdev={ident}-mem,bus={bus}']


def secondary_bus(vm, bridge):
	"""The bus number behind a bridge, e.g. '0000:00:05.0' -> '0000:03'."""
	num = int(vm.sh(f'cat /sys/bus/pci/devices/{bridge}/secondary_bus_number').strip())
	return f'{bridge[:4]}:{num:02x}'


def hot_add(vm, bridge, driver, timeout=60, **props):
	"""Hot-insert a device below a root port through pciehp; return its BDF
	once the kernel has enumerated it (with or without resources)."""
	bdf = f'{secondary_bus(vm, bridge)}:00.0'
	vm.device_add(driver, **props)
	vm.wait_guest(f'test -e /sys/bus/pci/devices/{bdf}/resource', timeout,
		      f'{bdf} to appear after hot-insert')
	# pciehp adds the device to sysfs after assigning its resources; give
	# the driver binding that follows a moment to settle.
	vm.sh('sleep 1')
	return bdf


MOVE = '/sys/kernel/debug/pci_movable_bars/move'
HOLD = '/sys/kernel/debug/pci_movable_bars/hold_ms'


def force_move(vm, bdf):
	"""Ask the series' debugfs file to move bdf's BARs; on a kernel without
	it this changes nothing, and the scenario's 'moved' check says so."""
	vm.sh(f'echo {bdf} > {MOVE}', check=False)


def config_word(vm, bdf, offset):
	"""Read a 16-bit config space register of bdf through sysfs."""
	out = vm.sh(f'dd if=/sys/bus/pci/devices/{bdf}/config bs=2 skip={offset // 2} '
		    'count=1 2>/dev/null | od -An -tx2')
	return int(out.strip(), 16)


def write_config_word(vm, bdf, offset, value):
	"""Write a 16-bit config space register of bdf through sysfs."""
	vm.sh(f"printf '\\{value & 0xff:03o}\\{value >> 8:03o}' | dd "
	      f'of=/sys/bus/pci/devices/{bdf}/config bs=1 seek={offset} count=2 '
	      'conv=notrunc 2>/dev/null')


def kernel_lines(vm, pattern):
	"""The kernel log lines that match a Python regular expression."""
	regex = re.compile(pattern)
	return '\n'.join(l for l in vm.sh('dmesg').splitlines() if regex.search(l))


def bind(vm, bdf, driver):
	"""Bind a device to a driver through driver_override; True if it took."""
	vm.sh(f'echo {driver} > /sys/bus/pci/devices/{bdf}/driver_override', check=False)
	vm.sh(f'echo {bdf} > /sys/bus/pci/drivers_probe', check=False)
	return vm.ok(f'test -e /sys/bus/pci/drivers/{driver}/{bdf}')


def nvme_disk(rundir, ident, size_mb=16):
	"""A raw disk image for an NVMe namespace; its drive id is ident + '-disk'."""
	path = f'{rundir}/{ident}.img'
	open(path, 'wb').truncate(size_mb << 20)
	return ['-drive', f'file={path},if=none,id={ident}-disk,format=raw,cache=unsafe']


def nvme(rundir, ident, bus, size_mb=16):
	"""An NVMe controller below bus, with a namespace of size_mb MiB."""
	return nvme_disk(rundir, ident, size_mb) + \
		['-device', f'nvme,id={ident},serial={ident},drive={ident}-disk,bus={bus}']
