# SPDX-License-Identifier: GPL-2.0
"""A second NVMe is hot-inserted and fits only if a BAR of the first one
moves, while the first one is under write-and-verify I/O.

Topology: the fragmented 64-bit hole of fragmented_hotadd (5 GiB,
4..9 GiB, 512 MiB of RAM): rp3 and rp2 hold ivshmem devices with 1 GiB
BARs, which firmware puts at 4 and 5 GiB, bound to pci-stub so they stay
put; rp1 holds NVMe A, bound to nvme, whose controller memory buffer
(BAR 2, 1 GiB, 64-bit prefetchable) firmware puts at 6 GiB; rp4 is an
empty hot-plug slot.
The kernel has no PCI_P2PDMA, so nvme does not publish the CMB and does
not keep its BAR in place.

Steps: pci_move_io writes and verifies A through O_DIRECT. NVMe B, with
a 2 GiB CMB, is hot-inserted into rp4 through pciehp. 2 GiB are free
(7..9 GiB) but not 2 GiB-aligned; the only way is to move A's CMB from
6 to 8 GiB, which pauses A under its I/O.

Must hold: B gets its BARs; A's BAR 2 moved and A was paused; B is
driven by nvme and its namespace reads; A's I/O had no error and no
mismatch and went on after the hot-insert; A was not reset; the address
map is consistent. A's longest I/O stall around the hot-insert is
printed.

Stock kernel: B's BAR 2 stays unassigned, "can't assign; no space"
(check 'hotadd-assigned').
"""

from vmtest import pcimap
from vmtest.move_io import MoveIo
from vmtest.scenario import Scenario, hot_add, ivshmem, kernel_lines, nvme_disk, root_port

SLOT = '0000:00:05.0'	# rp4


class NvmeHotaddMove(Scenario):
	cmdline = 'pci-stub.ids=1af4:1110'
	stock_fails_at = 'hotadd-assigned'

	def topology(self):
		args = ['-global', 'q35-pcihost.pci-hole64-size=5G',
			# QEMU reports every enable of a controller; none may follow
			# the one at probe.
			'-trace', 'pci_nvme_mmio_start_success']
		for n in (1, 2, 3, 4):
			args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
		args += ivshmem('shm2', 'rp2', '1G') + ivshmem('shm3', 'rp3', '1G')
		args += nvme_disk(self.rundir, 'nvme-a', 64) + nvme_disk(self.rundir, 'nvme-b')
		return args + ['-device', 'nvme,id=nvme-a,serial=nvme-a,drive=nvme-a-disk,'
			       'bus=rp1,cmb_size_mb=1024']

	def run(self, vm):
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the namespace of A')
		a = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		io = MoveIo(vm, 'nvme0n1')
		enables = vm.console.text.count('pci_nvme_mmio_start_success')

		before = pcimap.read_map(vm)
		vm.sh('dmesg -c > /dev/null')
		b = hot_add(vm, SLOT, 'nvme', id='nvme-b', serial='nvme-b', drive='nvme-b-disk',
			    bus='rp4', cmb_size_mb=2048)
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		self.log(kernel_lines(vm, r'rebalance:|no space|cannot make room'))
		self.check('hotadd-assigned', (b, 0) in after and (b, 2) in after,
			   f'{b} got its BAR 0 and its 2 GiB BAR 2')
		self.check('moved', before[(a, 2)] != after[(a, 2)],
			   f'BAR 2 of {a} moved, 0x{before[(a, 2)][0]:x} -> 0x{after[(a, 2)][0]:x}')
		self.check('paused', f'paused 1 devices' in kernel_lines(vm, 'rebalance:'),
			   f'{a} was paused for the move')

		vm.wait_guest(f'test -e /sys/bus/pci/drivers/nvme/{b}', 30, f'nvme to bind {b}')
		vm.wait_guest('test -b /dev/nvme1n1', 30, 'the namespace of B')
		out = vm.sh('dd if=/dev/nvme1n1 of=/dev/null bs=64k count=16 2>&1', check=False)
		self.check('b-reads', '16+0 records in' in out, f'{b} reads through /dev/nvme1n1')

		stall = io.report()[0]
		self.log(f'longest I/O stall of A around the hot-insert: {stall / 1000:.0f} ms')
		ok, tail = io.finish()
		self.check('io', ok, 'no I/O error and no mismatch on A:\n' + tail)
		# B's own enable, at its probe, is the one expected.
		again = vm.console.text.count('pci_nvme_mmio_start_success') - enables
		self.check('no-reset', again == 1,
			   f'A was not enabled again, i.e. never reset ({again - 1})')
		self.check_layout(vm)
