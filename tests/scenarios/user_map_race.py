# SPDX-License-Identifier: GPL-2.0
"""User-space mappings made while a BAR moves (issue 12, defect 2.8).

The mover looks for user mappings of a BAR (sysfs resourceN) before it
moves it. A mapping made after that look and before the move points at
the old address once the BAR has moved: it reads whatever is there now,
and nothing in the kernel log says so.

Topology: q35; root port rp1 holds an ivshmem device with a 1 MiB BAR 2
(no driver: nothing but user mappings keep it in place).

Steps: for 20 s, one guest loop forces moves of the device's BARs through
debugfs as fast as it can while three others each map resource2 again
and again, write a pattern through the mapping and read it back
(the same pattern, so that they do not disturb each other;
bar-pattern hold ... 0).

Must hold: the BAR moved many times ('moved'); every mapping read back
what it wrote ('data'); no kernel report, no blocked task, a consistent
address map.

Stock kernel: there is no way to move a BAR (check 'moved').

Pending: the series fails it at 'data' (2 to 19 of some 250 mappings read
back something else). Holding pci_movable_bars_read_lock() in sysfs's
mmap() and looking for mappings again under the write side is not enough:
mmap_region() links the new VMA into the iomem mapping only after the
file's ->mmap() has returned and the PTEs exist, so a move that starts
in between finds no mapping. kernfs refuses ->close() in vm_ops, so the
mappings cannot be counted either. What closes it: sysfs BAR mappings
that fault their pages in under the read lock instead of being filled at
mmap() time, and that the mover revokes, so a mapping follows its BAR.
"""

from vmtest.scenario import MOVE, Scenario, ivshmem, root_port

SECONDS = 20
MAPPERS = 3


class UserMapRace(Scenario):
	stock_fails_at = 'moved'
	pending = ('a mapping made while its BAR moves is linked after the '
		   'mover looks for it (issue 12, defect 2.8)')

	def topology(self):
		return root_port('rp1', 1, '0x2') + ivshmem('shm1', 'rp1', '1M')

	def run(self, vm):
		dev = '0000:01:00.0'
		bar = f'/sys/bus/pci/devices/{dev}/resource2'
		self.check('premise', vm.ok(f'test -e {bar}'), f'{dev} has BAR 2')
		mappers = '\n'.join(f'''
( ok=0; bad=0; while [ $(date +%s) -lt $end ]; do
	if bar-pattern hold {bar} 0x5eed 0 > /tmp/map{m}.out 2>&1; then
		ok=$((ok+1)); else bad=$((bad+1)); cat /tmp/map{m}.out >> /tmp/bad; fi
  done; echo $ok $bad > /tmp/map{m} ) &''' for m in range(MAPPERS))
		vm.sh(f'''
end=$(( $(date +%s) + {SECONDS} ))
( n=0; while [ $(date +%s) -lt $end ]; do
	echo {dev} > {MOVE} 2>/dev/null && n=$((n+1))
  done; echo $n > /tmp/moves ) &
{mappers}
wait''', timeout=SECONDS + 120)
		moves = int(vm.sh('cat /tmp/moves').strip() or 0)
		self.check('moved', moves >= 10, f'{dev} BAR 2 moved {moves} times')
		ok = bad = 0
		for m in range(MAPPERS):
			o, b = (int(x) for x in vm.sh(f'cat /tmp/map{m}').split())
			ok, bad = ok + o, bad + b
		first = vm.sh('head -3 /tmp/bad 2>/dev/null', check=False).strip()
		self.check('data', ok >= 10 and bad == 0,
			   f'{ok + bad} mappings made during the moves, {bad} read back '
			   f'something else{":" if first else ""}\n{first}')
		self.check_layout(vm)
