# SPDX-License-Identifier: GPL-2.0
"""An NVMe controller's BAR moves 20 times under I/O, without a reset.

Topology: q35; root port rp1 holds an NVMe controller bound to nvme.

Steps: a shell loop writes 1 MiB blocks with O_DIRECT to the namespace,
reads them back with O_DIRECT and compares, over and over; meanwhile the
host moves the controller's BARs 20 times through
/sys/kernel/debug/pci_movable_bars/move (BAR 0 goes back and forth).

Must hold: every move gives BAR 0 a new address; the I/O loop saw no
error and no mismatch and kept going; the driver is still bound; the
controller was never reset; the address map is consistent.

Stock kernel: there is no way to move a BAR (check 'moved').
"""

from vmtest import pcimap
from vmtest.scenario import Scenario, root_port

MOVE = '/sys/kernel/debug/pci_movable_bars/move'
MOVES = 20

IO_LOOP = r'''
dd if=/dev/urandom of=/tmp/pat bs=64k count=16 2>/dev/null
touch /tmp/run
i=0
while [ -e /tmp/run ]; do
	off=$((i % 16 * 16))
	dd if=/tmp/pat of=/dev/nvme0n1 bs=64k count=16 seek=$off oflag=direct 2>/dev/null || echo WERR
	dd if=/dev/nvme0n1 of=/tmp/rd bs=64k count=16 skip=$off iflag=direct 2>/dev/null || echo RERR
	cmp -s /tmp/pat /tmp/rd || echo MISMATCH
	i=$((i + 1))
	echo $i > /tmp/io.count
done > /tmp/io.log 2>&1
'''


class NvmeMoveIo(Scenario):
	stock_fails_at = 'moved'

	def topology(self):
		disk = f'{self.rundir}/nvme.img'
		open(disk, 'wb').truncate(64 << 20)
		return (root_port('rp1', 1, '0x2') +
			['-drive', f'file={disk},if=none,id=nvm1,format=raw,cache=unsafe',
			 '-device', 'nvme,id=nvme1,serial=vmtest1,drive=nvm1,bus=rp1'])

	def run(self, vm):
		vm.wait_guest('test -b /dev/nvme0n1', 30, 'the NVMe namespace')
		nvme = vm.sh('ls /sys/bus/pci/drivers/nvme | grep : | head -1').strip()
		vm.sh(f"cat > /tmp/io.sh <<'EOF'\n{IO_LOOP}\nEOF")
		vm.sh('sh /tmp/io.sh </dev/null >/dev/null 2>&1 &')
		vm.wait_guest('test -s /tmp/io.count', 30, 'the I/O loop')
		moved = 0
		for _ in range(MOVES):
			before = pcimap.read_map(vm)[(nvme, 0)]
			vm.sh(f'echo {nvme} > {MOVE}', check=False)
			after = pcimap.read_map(vm)[(nvme, 0)]
			moved += before != after
		self.check('moved', moved == MOVES, f'BAR 0 of {nvme} moved {moved} of {MOVES} times')
		n1 = int(vm.sh('cat /tmp/io.count'))
		vm.sh('sleep 2')
		n2 = int(vm.sh('cat /tmp/io.count'))
		vm.sh('rm /tmp/run; sleep 1')
		errors = vm.sh('cat /tmp/io.log').strip()
		self.check('io', not errors, f'the I/O loop saw no error or mismatch: {errors or "none"}')
		self.check('io-running', n2 > n1, f'I/O still runs after the moves ({n1} -> {n2} rounds)')
		self.check('bound', vm.ok(f'test -e /sys/bus/pci/drivers/nvme/{nvme}'),
			   f'{nvme} is still bound to nvme')
		dmesg = vm.sh('dmesg')
		self.check('no-reset', 'resetting controller' not in dmesg and
			   'Removing after' not in dmesg, 'the controller was never reset')
		lines = [l for l in dmesg.splitlines() if 'rebalance:' in l]
		self.log('pauses:\n' + '\n'.join(lines[-3:]))
		out = vm.sh('pci-bar-layout', check=False)
		self.check('layout', 'not ok' not in out and 'ok 4' in out,
			   'BARs inside windows, no overlaps, /proc/iomem and registers agree:\n' + out)
