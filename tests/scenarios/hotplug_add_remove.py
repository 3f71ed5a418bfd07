# SPDX-License-Identifier: GPL-2.0
"""pciehp hot-add and hot-remove of an NVMe drive, with lockdep watching.

Topology: q35 with two empty hot-plug root ports, rp1 and rp2.

Steps: hot-insert an NVMe controller into rp1 and wait for its driver to
bind and its namespace to appear; read from it; hot-remove it (attention
button, as a user would) and wait for it to go; do it again in rp2.

Must hold: the drive binds and reads each time, it is gone after removal,
the address map stays consistent (pci_bar_layout), and the kernel reports
no lock order problem.

Stock kernel: every hot-add reports "possible circular locking dependency
detected" between pci_rescan_remove_lock and reset_lock (check
'no-lockdep'). Patch "PCI: pciehp: Never take reset_lock under
pci_rescan_remove_lock" fixes that.
"""

from vmtest.scenario import Scenario, hot_add, nvme_disk, root_port

LOCKDEP = 'possible circular locking dependency'


class HotplugAddRemove(Scenario):
	stock_fails_at = 'no-lockdep'

	def topology(self):
		args = root_port('rp1', 1, '0x2') + root_port('rp2', 2, '0x3')
		for n in (1, 2):
			args += nvme_disk(self.rundir, f'nvme{n}')
		return args

	def cycle(self, vm, n, port):
		bdf = hot_add(vm, port, 'nvme', id=f'nvme{n}', serial=f'nvme{n}',
			      drive=f'nvme{n}-disk', bus=f'rp{n}')
		vm.wait_guest(f'test -e /sys/bus/pci/drivers/nvme/{bdf}', 30,
			      f'nvme to bind to {bdf}')
		vm.wait_guest('ls /sys/block | grep -q nvme', 30, 'the NVMe namespace')
		blk = vm.sh('ls /sys/block | grep nvme | head -1').strip()
		out = vm.sh(f'dd if=/dev/{blk} of=/dev/null bs=64k count=16 2>&1', check=False)
		self.check('reads', '16+0 records in' in out, f'{bdf} reads through /dev/{blk}')
		self.check_layout(vm, ' after the hot-add')
		vm.device_del(f'nvme{n}')
		vm.wait_guest(f'! test -e /sys/bus/pci/devices/{bdf}', 60, f'{bdf} to go away')
		self.log(f'  {bdf} hot-added, read and hot-removed')

	def run(self, vm):
		self.cycle(vm, 1, '0000:00:02.0')
		self.cycle(vm, 2, '0000:00:03.0')
		dmesg = vm.sh('dmesg')
		self.check('no-lockdep', LOCKDEP not in dmesg,
			   'no lock order report during hot-add and hot-remove')
