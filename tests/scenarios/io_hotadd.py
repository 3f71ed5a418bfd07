# SPDX-License-Identifier: GPL-2.0
"""Hot-insert a device with an I/O BAR when no I/O port space is left.

Topology: q35. rp1 holds an e1000e ("nic1", BAR 2 is 32 bytes of I/O
ports) in a 4 KiB I/O window, bound to pci-stub, a driver without the
rescan callbacks, so its BARs must stay where they are; firmware gives the empty hot-plug slot rp2
a 48 KiB I/O window (io-reserve) and rp3 one of 4 KiB at 0xf000; the SATA
controller's I/O BAR sits at 0xe040. "reserve=0xf000,0x1000" takes rp3's
range away at boot, so the kernel leaves rp3, an empty hot-plug slot,
without an I/O window, and no 4 KiB of I/O space is free.

Steps: hot-insert (pciehp) a second e1000e ("nic3") into rp3.

Before the hot-add, rp3's I/O decoding (on since SeaBIOS) is turned off,
as Linux leaves it in a bridge without an I/O window.

Must hold: nic3's I/O BAR gets ports, inside rp3's new I/O window, and
rp3 decodes I/O again (its command register); nic1
keeps its I/O BAR where it was and the SATA controller keeps one (both
in /proc/ioports);
the address map is consistent (pci_bar_layout), /proc/ioports included.

Stock kernel: rp3's I/O window gets no ports, and its retry releases
no window (7.3 releases only windows directly in the host bridge window
it selects, and the root ports' I/O windows are in the other one), so
nic3's I/O BAR stays unassigned (check 'hotadd-io-assigned'). Stock
6.12 released the I/O windows of every root port instead, nic1's I/O
BAR with them, and gave nic3 ports.
"""

from vmtest import pcimap
from vmtest.scenario import (Scenario, config_word, hot_add, kernel_lines, root_port,
			      secondary_bus, write_config_word)

PCI_COMMAND = 0x04
PCI_COMMAND_IO = 0x1

PORTS = ['0000:00:02.0', '0000:00:03.0', '0000:00:04.0']
SATA = '0000:00:1f.2'


def inside(m, bdf, key, window):
	return (bdf, key) in m and window in m and \
		m[window][0] <= m[(bdf, key)][0] and m[(bdf, key)][1] <= m[window][1]


def claimed(vm, m, bdf, key):
	"""Is the resource in /proc/ioports? A released one keeps its flags
	and size in sysfs, at port 0, but is not."""
	if (bdf, key) not in m:
		return False
	start, end = m[(bdf, key)][:2]
	return f'{start:04x}-{end:04x} : {bdf}' in vm.sh('cat /proc/ioports')


class IoHotadd(Scenario):
	cmdline = 'reserve=0xf000,0x1000 pci-stub.ids=8086:10d3'
	stock_fails_at = 'hotadd-io-assigned'

	def topology(self):
		return (root_port('rp1', 1, '0x2') +
			root_port('rp2', 2, '0x3', **{'io-reserve': '48K'}) +
			root_port('rp3', 3, '0x4') +
			['-device', 'e1000e,id=nic1,bus=rp1'])

	def run(self, vm):
		nic1 = f'{secondary_bus(vm, PORTS[0])}:00.0'
		before = pcimap.read_map(vm)
		self.log('address map at boot:\n' + pcimap.format_map(before))
		self.check('no-io-window', (PORTS[2], 'io window') not in before,
			   f'{PORTS[2]} has no I/O window at boot')
		self.check('nic1-io', inside(before, nic1, 2, (PORTS[0], 'io window')),
			   f'{nic1} has its I/O BAR 2 at boot: {before.get((nic1, 2))}')
		self.check('nic1-stub', vm.ok(f'test -e /sys/bus/pci/drivers/pci-stub/{nic1}'),
			   f'{nic1} is bound to pci-stub')

		# SeaBIOS turns I/O decoding on in every bridge; Linux turns it on
		# only for bridges with an I/O window. Undo the firmware's, so
		# that whoever gives rp3 its window must turn it on.
		write_config_word(vm, PORTS[2], PCI_COMMAND,
				  config_word(vm, PORTS[2], PCI_COMMAND) & ~PCI_COMMAND_IO)
		vm.sh('dmesg -c > /dev/null')
		nic3 = hot_add(vm, PORTS[2], 'e1000e', id='nic3', bus='rp3')
		after = pcimap.read_map(vm)
		self.log('moved:\n' + pcimap.format_moves(pcimap.moves(before, after)))
		self.log('kernel:\n' + kernel_lines(vm, "can't assign|failed to assign|rebalance|"
						    "moved from|released|assigned by|cannot make room"))
		self.check('hotadd-io-assigned', inside(after, nic3, 2, (PORTS[2], 'io window')),
			   f'the hot-inserted {nic3} has its I/O BAR 2 in {PORTS[2]}\'s I/O '
			   f'window: {after.get((nic3, 2))} in {after.get((PORTS[2], "io window"))}')
		cmd = config_word(vm, PORTS[2], PCI_COMMAND)
		self.check('port-decodes', cmd & PCI_COMMAND_IO,
			   f'{PORTS[2]} forwards I/O to its new window (command {cmd:#06x})')
		self.check('others-keep-io', after.get((nic1, 2)) == before[(nic1, 2)] and
			   claimed(vm, after, nic1, 2) and claimed(vm, after, SATA, 4),
			   f'{nic1} keeps its I/O BAR where it was and {SATA} keeps one: '
			   f'{after.get((nic1, 2))}, {after.get((SATA, 4))}')
		self.check_layout(vm)
