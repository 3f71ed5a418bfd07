# SPDX-License-Identifier: GPL-2.0
"""What happens to an NVMe controller while it is paused for a BAR move:
an I/O that waits longer than the I/O timeout, a controller reset, a
removal of the device, and a hot-unplug.

Topology: q35; root ports rp1, rp2 and rp3 hold NVMe controllers A, B
and C, bound to nvme; I/O timeout 2 s (nvme_core.io_timeout=2).

Steps: pci_move_io writes and verifies A through O_DIRECT throughout.
/sys/kernel/debug/pci_movable_bars/hold_ms keeps a moved device paused
longer, and each step starts a move in the background and acts while
the device is paused:
  timeout  A held 5 s while its I/O waits;
  reset    A held 3 s; "echo 1 > reset_controller" 1 s into the pause;
  remove   B held 3 s; "echo 1 > .../remove" 1 s into the pause;
  unplug   C held 12 s; QEMU device_del (pciehp: button, 5 s, power off)
           1 s into the pause.

Must hold: every move completes and moves the BAR; the waiting I/O
stalls for longer than the I/O timeout and does not time out; the reset
waits for the move and the controller is live afterwards; the removal
and the unplug wait for the move and then take the device away; A's I/O
has no error and no mismatch; no hang (every step ends within its time
limit) and no kernel report; the address map is consistent.

Stock kernel: there is no way to move a BAR (check 'moved').
"""

from vmtest import pcimap
from vmtest.move_io import MoveIo
from vmtest.scenario import HOLD, MOVE, Scenario, kernel_lines, nvme, root_port


class NvmePausedEvents(Scenario):
	# The unplug step holds a pause for 12 s on purpose, and the mover
	# sleeps through it (msleep): more than the scenario kernel's 10 s
	# hung-task timeout, so this scenario alone allows 20 s.
	cmdline = 'nvme_core.io_timeout=2 sysctl.kernel.hung_task_timeout_secs=20'
	stock_fails_at = 'moved'

	def topology(self):
		# QEMU reports every enable of a controller: by the firmware, at
		# probe, and after a reset.
		args = ['-trace', 'pci_nvme_mmio_start_success']
		for n, name in enumerate('abc', 1):
			args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
			args += nvme(self.rundir, f'nvme-{name}', f'rp{n}')
		return args

	def start_move(self, vm, bdf, hold_ms):
		"""Move bdf's BARs in the background, paused for hold_ms more."""
		self.before = pcimap.read_map(vm).get((bdf, 0))
		vm.sh(f'echo {hold_ms} > {HOLD}; rm -f /tmp/move.rc', check=False)
		vm.sh(f'(echo {bdf} > {MOVE}; echo $? > /tmp/move.rc) > /dev/null 2>&1 &')

	def during_pause(self, vm, bdf, command, step):
		"""Run command (which may block) 1 s into a 3 s pause of bdf; return
		(the move succeeded, the command returned only after the move)."""
		self.start_move(vm, bdf, 3000)
		vm.sh('sleep 1')
		vm.sh(command, timeout=60)
		waited = vm.ok('test -e /tmp/move.rc')
		return self.end_move(vm, bdf, step), waited

	def end_move(self, vm, bdf, step):
		vm.wait_guest('test -e /tmp/move.rc', 60, f'the move of {bdf} to end ({step})')
		rc = vm.sh('cat /tmp/move.rc').strip()
		vm.sh(f'echo 0 > {HOLD}', check=False)
		return rc == '0'

	def run(self, vm):
		vm.wait_guest('[ $(ls /sys/bus/pci/drivers/nvme | grep -c :) = 3 ]', 30,
			      'nvme to bind the three controllers')
		a, b, c = (f'0000:0{n}:00.0' for n in (1, 2, 3))
		enables = vm.console.text.count('pci_nvme_mmio_start_success')
		ctrl = vm.sh(f'ls /sys/bus/pci/devices/{a}/nvme').strip()
		blk = vm.sh(f'ls /sys/class/nvme/{ctrl} | grep ^nvme | head -1').strip()
		io = MoveIo(vm, blk)
		io.report()

		# timeout: I/O waits 5 s, more than the 2 s I/O timeout.
		self.start_move(vm, a, 5000)
		moved = self.end_move(vm, a, 'timeout')
		after = pcimap.read_map(vm).get((a, 0))
		self.check('moved', moved and after != self.before,
			   f'{a} BAR 0 moved (0x{self.before[0]:x} -> 0x{after[0]:x}) while held 5 s')
		stall, errors = io.report()
		self.check('timeout', stall >= 4000000 and errors == 0 and
			   not kernel_lines(vm, r'nvme nvme[0-9]+: .*timeout'),
			   f'I/O on {blk} waited {stall / 1000:.0f} ms, longer than the '
			   f'2 s I/O timeout, without a timeout or an error')

		# reset: the reset waits for the move, then runs on the new BAR.
		moved, waited = self.during_pause(
			vm, a, f'echo 1 > /sys/class/nvme/{ctrl}/reset_controller', 'reset')
		state = vm.sh(f'cat /sys/class/nvme/{ctrl}/state').strip()
		resets = vm.console.text.count('pci_nvme_mmio_start_success') - enables
		self.check('reset', moved and waited and resets == 1 and state == 'live',
			   f'a reset during the pause ended after the move ({waited}), enabled '
			   f'the controller again ({resets} time), and {ctrl} is {state}')
		stall, errors = io.report()
		self.check('reset', errors == 0,
			   f'I/O went on after the reset ({stall / 1000:.0f} ms stall, {errors} errors)')

		# remove: removing the device waits for the move.
		moved, waited = self.during_pause(
			vm, b, f'echo 1 > /sys/bus/pci/devices/{b}/remove', 'remove')
		self.check('remove', moved and waited and
			   not vm.ok(f'test -e /sys/bus/pci/devices/{b}'),
			   f'removing {b} during the pause ended after the move, and removed it')

		# unplug: pciehp removes C once the move is over.
		self.start_move(vm, c, 12000)
		vm.sh('sleep 1')
		vm.device_del('nvme-c')
		# pciehp powers the slot off 5 s after the button, during the pause.
		vm.sh('sleep 6')
		present = vm.ok(f'test -e /sys/bus/pci/devices/{c}')
		during = not vm.ok('test -e /tmp/move.rc')
		moved = self.end_move(vm, c, 'unplug')
		vm.wait_guest(f'! test -e /sys/bus/pci/devices/{c}', 60, f'{c} to go away')
		self.check('unplug', moved and present and during,
			   f'hot-unplug of {c} during the pause: 7 s later, still paused '
			   f'({during}), {c} was still there ({present}); then it went away')

		ok, tail = io.finish()
		self.check('io', ok, f'no I/O error and no mismatch on {blk}:\n' + tail)
		self.log(kernel_lines(vm, r'rebalance:|nvme nvme[0-9]+: .*(reset|timeout|removing)'))
		self.check_layout(vm)
