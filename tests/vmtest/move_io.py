# SPDX-License-Identifier: GPL-2.0
"""Drive the series' kselftest pci_move_io in the guest: O_DIRECT
write-and-verify on a block device, reporting the longest I/O stall on
SIGUSR1 and TAP results for errors and mismatches when it ends."""


class MoveIo:
	"""pci_move_io running on /dev/<blk>; its output goes to /tmp/io.log."""

	def __init__(self, vm, blk):
		self.vm = vm
		self.reports = 0
		vm.sh(f'pci-move-io /dev/{blk} > /tmp/io.log 2>&1 & echo $! > /tmp/io.pid')
		vm.wait_guest('grep -q started /tmp/io.log', 30, 'pci_move_io')

	def report(self, wait=0):
		"""After wait seconds, ask for the longest stall since the last
		report; return (stall in us, I/O errors so far) once an I/O has
		succeeded since."""
		self.reports += 1
		self.vm.sh(f'sleep {wait}; kill -USR1 $(cat /tmp/io.pid)')
		self.vm.wait_guest(f'[ $(grep -c stall_us /tmp/io.log) -ge {self.reports} ]',
				   120, 'I/O to go on')
		# "stall_us N errors E"
		words = self.vm.sh('grep stall_us /tmp/io.log | tail -1').split()
		return int(words[1]), int(words[3])

	def finish(self):
		"""Stop it; return (no error and no mismatch, the last lines)."""
		self.vm.sh('kill $(cat /tmp/io.pid); sleep 1')
		out = self.vm.sh('cat /tmp/io.log')
		tail = '\n'.join(out.strip().splitlines()[-4:])
		return 'ok 1 no I/O errors' in out and 'ok 2 no data mismatches' in out, tail
