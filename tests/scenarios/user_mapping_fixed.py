# SPDX-License-Identifier: GPL-2.0
"""A BAR mapped by user space through sysfs stays where it is.

Topology: the fragmented one (vmtest/topologies.py): devices with 1 GiB
BARs at 4 GiB (03:00.0), 5 GiB (02:00.0) and 6 GiB (01:00.0); rp4 empty.

Steps: a program maps BAR 2 of 01:00.0, the device fragmented_hotadd
moves, through /sys/bus/pci/devices/0000:01:00.0/resource2, writes a
pattern and keeps the mapping; hot-insert the 2 GiB device into rp4;
the program then reads its pattern back through the same mapping.

Must hold: 01:00.0 stays where it is, so the mapping is not stale and the
pattern reads back through it; the new device still gets 2 GiB by moving
the unmapped devices; the address map is consistent.

Stock kernel: the hot-insert fails (check 'hotadd-assigned').
"""

from vmtest.topologies import Fragmented

MAPPED = '0000:01:00.0'


class UserMappingFixed(Fragmented):
	stock_fails_at = 'hotadd-assigned'

	def run(self, vm):
		self.check_premise(vm, MAPPED)
		bar = f'/sys/bus/pci/devices/{MAPPED}/resource2'
		vm.sh(f'bar-pattern hold {bar} 0x5a 15 > /tmp/hold.out 2>&1 &')
		vm.wait_guest('grep -q wrote /tmp/hold.out', 30, 'the mapping program')
		before, after, new = self.insert(vm)
		self.check('hotadd-assigned', (new, 2) in after, f'{new} got its 2 GiB BAR 2')
		self.check('not-moved', before[(MAPPED, 2)] == after[(MAPPED, 2)],
			   f'the user-mapped BAR of {MAPPED} stayed')
		self.check_others_moved(before, after, MAPPED)
		vm.wait_guest('grep -q "verified\\|mismatch" /tmp/hold.out', 60,
			      'the mapping program to check its pattern')
		out = vm.sh('cat /tmp/hold.out')
		self.check('mapping-intact', 'verified' in out,
			   'the pattern reads back through the mapping held across the hot-insert')
		self.check_layout(vm)
