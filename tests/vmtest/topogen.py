# SPDX-License-Identifier: GPL-2.0
"""Random q35 topologies and hot-plug steps for the differential test.

generate(seed) always gives the same Topology for a seed: RAM size and
64-bit hole, root ports that are empty, hold a device or hold a PCIe
switch whose downstream ports are empty or hold a device, the devices and
their BAR sizes, the kernel command line, and a sequence of hot-adds into
empty slots and hot-removes of devices. tests/fuzz_topologies.py runs it
on the stock kernel and on the series and compares what each assigned.

Devices, and what they exercise:
  ivshmem    BAR 2 64-bit prefetchable (1 MiB-2 GiB), no driver, or
             pci-stub (a driver without callbacks: BARs fixed)
  bochs      BAR 0 32-bit prefetchable (16-256 MiB), bochs (callbacks)
  nvme       BAR 0 64-bit non-prefetchable, nvme (callbacks)
  e1000e     memory BARs and an I/O BAR, no driver
  virtio     virtio-rng-pci, virtio-pci bound (no callbacks: fixed)
"""

import random

KINDS = ('ivshmem', 'bochs', 'nvme', 'e1000e', 'virtio')
MIB = 1 << 20


class Device:
	def __init__(self, kind, ident, size=0):
		self.kind = kind
		self.ident = ident
		self.size = size	# the large BAR's size, where the kind has one

	def describe(self):
		if self.kind in ('ivshmem', 'bochs'):
			return f'{self.kind} {self.ident} ({_size(self.size)})'
		return f'{self.kind} {self.ident}'

	def backend_args(self, rundir):
		"""QEMU arguments for what the device needs before it exists."""
		if self.kind == 'ivshmem':
			return ['-object', f'memory-backend-memfd,id={self.ident}-mem,'
				f'size={self.size},share=on']
		if self.kind == 'nvme':
			return ['-drive', f'file={rundir}/{self.ident}.img,if=none,'
				f'id={self.ident}-disk,format=raw,cache=unsafe']
		return []

	def props(self, bus):
		"""(QEMU driver, properties) for -device or device_add."""
		props = {'id': self.ident, 'bus': bus}
		if self.kind == 'ivshmem':
			return 'ivshmem-plain', dict(props, memdev=f'{self.ident}-mem')
		if self.kind == 'bochs':
			return 'bochs-display', dict(props, vgamem=f'{self.size >> 20}M')
		if self.kind == 'nvme':
			return 'nvme', dict(props, serial=self.ident, drive=f'{self.ident}-disk')
		if self.kind == 'e1000e':
			return 'e1000e', props
		return 'virtio-rng-pci', props

	def device_args(self, bus):
		driver, props = self.props(bus)
		return ['-device', ','.join([driver] + [f'{k}={v}' for k, v in props.items()])]


class Slot:
	"""A hot-plug slot: a root port or a switch's downstream port."""
	def __init__(self, ident, args, switch=False):
		self.ident = ident
		self.args = args
		self.switch = switch	# a root port holding a switch: no slot
		self.device = None	# present at boot


class Topology:
	def __init__(self, seed):
		self.seed = seed
		self.memory = '512M'
		self.hole64 = None
		self.cmdline = ''
		self.slots = []		# every slot, in QEMU argument order
		self.devices = []	# every device, at boot or hot-added
		self.steps = []		# ('add', Device, Slot) or ('del', Device)

	def qemu_args(self, rundir):
		args = []
		if self.hole64:
			args += ['-global', f'q35-pcihost.pci-hole64-size={self.hole64}']
		for dev in self.devices:
			args += dev.backend_args(rundir)
		for slot in self.slots:
			args += slot.args
			if slot.device:
				args += slot.device.device_args(slot.ident)
		return args

	def images(self):
		"""Disk images the run must create (16 MiB each)."""
		return [f'{d.ident}.img' for d in self.devices if d.kind == 'nvme']

	def describe(self):
		lines = [f'seed {self.seed}: -m {self.memory}, pci-hole64-size '
			 f'{self.hole64 or "default"}, cmdline "{self.cmdline}"']
		for slot in self.slots:
			what = slot.device.describe() if slot.device else 'empty'
			if slot.switch:
				what = 'a switch'
			lines.append(f'  {slot.ident}: {what}')
		for n, step in enumerate(self.steps, 1):
			if step[0] == 'add':
				lines.append(f'  step {n}: hot-add {step[1].describe()} into {step[2].ident}')
			else:
				lines.append(f'  step {n}: hot-remove {step[1].ident}')
		return '\n'.join(lines)


def _size(n):
	return f'{n >> 30} GiB' if n >= 1 << 30 else f'{n >> 20} MiB'


def _device(rng, ident, large=False):
	"""A device; large: a hot-add, where large BARs find the limits."""
	kind = rng.choices(KINDS, weights=(6, 2, 2, 1, 1))[0]
	size = 0
	if kind == 'ivshmem':
		sizes = (1, 4, 16, 64, 128, 256, 256, 512, 512, 1024, 2048)
		size = rng.choice(sizes[3:] if large else sizes) * MIB
	elif kind == 'bochs':
		size = rng.choice((16, 32, 64, 128, 256)) * MIB
	return Device(kind, ident, size)


def generate(seed):
	rng = random.Random(seed)
	topo = Topology(seed)
	topo.memory = rng.choice(('512M', '1G', '2815M', '3G'))
	topo.hole64 = rng.choice((None, '1G', '2G', '4G', '8G', '16G'))
	opts = []
	if rng.random() < 0.3:
		opts.append('pci-stub.ids=1af4:1110')
	if rng.random() < 0.2:
		opts.append(f'pci=hpmmioprefsize={rng.choice((8, 64, 256))}M')
	topo.cmdline = ' '.join(opts)

	ndev = 0
	chassis = 0
	bridges = 0
	for port in range(rng.randint(2, 5)):
		chassis += 1
		rp = f'rp{port + 1}'
		props = ''
		if rng.random() < 0.2:
			props = f',pref64-reserve={rng.choice((32, 256, 1024))}M'
		args = ['-device', f'pcie-root-port,id={rp},chassis={chassis},'
			f'bus=pcie.0,addr=0x{port + 2:x}{props}']
		bridges += 1
		if rng.random() < 0.25 and bridges < 6:
			# A switch: its upstream port goes with the root port's slot.
			up = f'up{port + 1}'
			topo.slots.append(Slot(rp, args + ['-device', f'x3130-upstream,id={up},bus={rp}'],
					       switch=True))
			for dn in range(rng.randint(1, 3)):
				chassis += 1
				bridges += 1
				ident = f'dn{port + 1}{dn + 1}'
				topo.slots.append(Slot(ident, [
					'-device', f'xio3130-downstream,id={ident},bus={up},'
					f'chassis={chassis},slot={dn},addr={dn}.0']))
			continue
		topo.slots.append(Slot(rp, args))
	slots = [s for s in topo.slots if not s.switch]
	for slot in slots:
		if rng.random() < 0.5:
			ndev += 1
			slot.device = _device(rng, f'b{ndev}')
			topo.devices.append(slot.device)

	occupant = {s.ident: s.device for s in slots}
	for _ in range(rng.randint(2, 5)):
		empty = [s for s in slots if occupant[s.ident] is None]
		full = [s for s in slots if occupant[s.ident] is not None]
		if full and (not empty or rng.random() < 0.15):
			slot = rng.choice(full)
			topo.steps.append(('del', occupant[slot.ident]))
			occupant[slot.ident] = None
			continue
		slot = rng.choice(empty)
		ndev += 1
		dev = _device(rng, f'h{ndev}', large=True)
		topo.devices.append(dev)
		topo.steps.append(('add', dev, slot))
		occupant[slot.ident] = dev
	return topo
