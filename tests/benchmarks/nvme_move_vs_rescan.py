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

from vmtest.scenario import Scenario, nvme, root_port

MOVE = '/sys/kernel/debug/pci_movable_bars/move'


class NvmeMoveVsRescan(Scenario):
	def topology(self):
		return root_port('rp1', 1, '0x2') + nvme(self.rundir, 'nvme1', 'rp1', 64)

	def stall(self, vm, n):
		"""Ask pci_move_io for the longest stall (ms) since the last question
		and the I/O errors so far."""
		vm.sh('sleep 1; kill -USR1 $(cat /tmp/io.pid)')
		vm.wait_guest(f'[ $(grep -c stall_us /tmp/io.log) -ge {n} ]', 120,
			      'pci_move_io to answer')
		words = vm.sh('grep stall_us /tmp/io.log | tail -1').split()
		return int(words[1]) / 1000, int(words[3])

	def run(self, vm):
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the NVMe namespace')
		nvme = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		vm.sh('pci-move-io /dev/nvme0n1 > /tmp/io.log 2>&1 & echo $! > /tmp/io.pid')
		vm.wait_guest('grep -q started /tmp/io.log', 30, 'pci_move_io')
		asked = 0
		_, errors0 = self.stall(vm, asked := asked + 1)	# warm-up period
		moves = []
		for _ in range(5):
			vm.sh(f'echo {nvme} > {MOVE}')
			moves.append(self.stall(vm, asked := asked + 1)[0])
		_, errors1 = self.stall(vm, asked := asked + 1)

		vm.sh(f'echo 1 > /sys/bus/pci/devices/{nvme}/remove; echo 1 > /sys/bus/pci/rescan')
		rescan, errors2 = self.stall(vm, asked := asked + 1)
		vm.sh('kill $(cat /tmp/io.pid); sleep 1')

		self.log(f'BAR move:        longest stall {max(moves):8.1f} ms '
			 f'(median of 5 moves {statistics.median(moves):.1f} ms), '
			 f'{errors1 - errors0} I/O errors')
		self.log(f'remove + rescan: longest stall {rescan:8.1f} ms, '
			 f'{errors2 - errors1} I/O errors')
		self.log(f'ratio: the move stalls I/O {rescan / max(moves):.1f} times less '
			 f'(target: at least 10)')
