# SPDX-License-Identifier: GPL-2.0
"""An NVMe controller's BAR moves 20 times under I/O, without a reset.

Topology: q35; root port rp1 holds an NVMe controller bound to nvme.

Steps: the series' kselftest pci_move_io writes checksummed 4 KiB blocks
with O_DIRECT to the namespace and reads each back and verifies it, over
and over; meanwhile the host moves the controller's BARs 20 times
through /sys/kernel/debug/pci_movable_bars/move (BAR 0 goes back and
forth), asking pci_move_io after each move for the longest I/O stall.

Must hold: every move gives BAR 0 a new address; no I/O error and no
mismatch, and I/O kept going; the driver is still bound; the controller
was never reset (QEMU traces every enable of the controller: none after
the driver bound); the address map is consistent. The longest stall per
move is printed (a figure, not a pass/fail limit).

Stock kernel: there is no way to move a BAR (check 'moved').
"""

from vmtest import pcimap
from vmtest.move_io import MoveIo
from vmtest.scenario import Scenario, force_move, nvme, root_port

MOVES = 20

class NvmeMoveIo(Scenario):
	stock_fails_at = 'moved'

	def topology(self):
		# QEMU reports every enable of the controller: by the firmware, at
		# probe, and after any reset.
		return (root_port('rp1', 1, '0x2') + nvme(self.rundir, 'nvme1', 'rp1', 64) +
			['-trace', 'pci_nvme_mmio_start_success'])

	def run(self, vm):
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the NVMe namespace')
		enables = vm.console.text.count('pci_nvme_mmio_start_success')
		nvme = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		# The trace must be seen to work, or 'no-reset' proves nothing: the
		# controller was enabled at least once (by the firmware or at probe).
		self.check('trace-works', enables >= 1,
			   f'QEMU reported the controller enabled before the moves ({enables} times)')
		io = MoveIo(vm, 'nvme0n1')
		moved, stalls = 0, []
		for n in range(1, MOVES + 1):
			before = pcimap.read_map(vm)[(nvme, 0)]
			force_move(vm, nvme)
			after = pcimap.read_map(vm)[(nvme, 0)]
			moved += before != after
			# pci_move_io answers after its next successful I/O.
			stalls.append(io.report(wait=0.5)[0])
		self.check('moved', moved == MOVES, f'BAR 0 of {nvme} moved {moved} of {MOVES} times')
		self.log(f'longest I/O stall per move (ms): {" ".join(f"{s / 1000:.0f}" for s in stalls)}')
		self.log(f'longest of all: {max(stalls) / 1000:.1f} ms')
		ok, tail = io.finish()
		self.check('io', ok, 'no I/O error and no mismatch:\n' + tail)
		self.check('bound', vm.ok(f'test -e /sys/bus/pci/drivers/nvme/{nvme}'),
			   f'{nvme} is still bound to nvme')
		again = vm.console.text.count('pci_nvme_mmio_start_success') - enables
		self.check('no-reset', again == 0,
			   f'the controller was not enabled again, i.e. never reset ({again})')
		dmesg = vm.sh('dmesg')
		lines = [l for l in dmesg.splitlines() if 'rebalance:' in l]
		self.log('pauses:\n' + '\n'.join(lines[-3:]))
		self.check_layout(vm)
