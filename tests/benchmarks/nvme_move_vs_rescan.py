# SPDX-License-Identifier: GPL-2.0
"""I/O stall of an NVMe BAR move versus removing and rescanning the drive.

Topology: q35; root port rp1 holds an NVMe controller bound to nvme.

Runs the series' kselftest pci_move_io (O_DIRECT write and verify of
checksummed blocks) on the namespace throughout and reads its longest
I/O stall after each event:

  1. five moves of the controller's BARs through
     /sys/kernel/debug/pci_movable_bars/move;
  2. what a user can do today to get a BAR somewhere else: remove the
     device through sysfs and rescan, after which the drive comes back
     and pci_move_io reopens it.

Prints both stalls, the I/O errors each caused, and their ratio. Figures
only: this is a benchmark, not a test.
"""

import statistics

from vmtest.move_io import MoveIo
from vmtest.scenario import MOVE, Scenario, nvme, root_port


class NvmeMoveVsRescan(Scenario):
	def topology(self):
		return root_port('rp1', 1, '0x2') + nvme(self.rundir, 'nvme1', 'rp1', 64)

	@staticmethod
	def stall(io):
		"""The longest stall (ms) since the last question, and the I/O
		errors so far."""
		stall, errors = io.report(wait=1)
		return stall / 1000, errors

	def run(self, vm):
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the NVMe namespace')
		nvme = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		io = MoveIo(vm, 'nvme0n1')
		_, errors0 = self.stall(io)	# warm-up period
		moves = []
		for _ in range(5):
			vm.sh(f'echo {nvme} > {MOVE}')
			moves.append(self.stall(io)[0])
		_, errors1 = self.stall(io)

		vm.sh(f'echo 1 > /sys/bus/pci/devices/{nvme}/remove; echo 1 > /sys/bus/pci/rescan')
		rescan, errors2 = self.stall(io)
		io.finish()

		self.log(f'BAR move:        longest stall {max(moves):8.1f} ms '
			 f'(median of 5 moves {statistics.median(moves):.1f} ms), '
			 f'{errors1 - errors0} I/O errors')
		self.log(f'remove + rescan: longest stall {rescan:8.1f} ms, '
			 f'{errors2 - errors1} I/O errors')
		self.log(f'ratio: the move stalls I/O {rescan / max(moves):.1f} times less '
			 f'(target: at least 10)')
