# SPDX-License-Identifier: GPL-2.0
"""A display's framebuffer BAR moves under a mapped, scanned-out dumb buffer.

Topology: q35; root port rp1 holds a bochs-display (16 MiB framebuffer
BAR 0, register BAR 2) driven by bochs-drm with its fbdev emulation.

Steps: drm-dumb-move puts a dumb buffer on the screen, maps it through
/dev/dri/card0, writes a pattern and tells bochs it changed (DIRTYFB:
bochs keeps buffers in system memory and copies the damage into VRAM
through its mapping of BAR 0 in the plane update); a second
thread of it keeps reading the mapping. The host moves the display's BARs
three times through /sys/kernel/debug/pci_movable_bars/move. After each
move the program verifies the pattern through the same mapping and writes
the next one, and the host takes a QEMU screen dump. A fourth move is
held paused for 3 s (/sys/kernel/debug/pci_movable_bars/hold_ms), and 1 s
into the pause the program writes the next pattern and sends DIRTYFB;
once the move is over, another screen dump. Then the program
exits, fbdev takes the screen back, and a pattern written to /dev/fb0 is
copied to VRAM by the kernel through its own mapping.

Must hold: BAR 0 has a new address after every move; the program did
not die (no SIGBUS) and read back every pixel it wrote; its reader
thread went on reading after each move; the mappings bochs made in
probe were pointed at the new addresses in place (ioremap_move()); the
screen shows each new pattern, so bochs's copy into VRAM, under the
read lock, went to the BAR at its new address; the update sent during the
pause returned only after the move and reached the screen (without the
read lock, bochs would copy it into a BAR that does not decode, and it
would be lost); the screen shows the fbdev pattern, so the kernel's
mapping follows too; the address map is consistent. The reader's
longest wait per move is printed.

Stock kernel: there is no way to move a BAR (check 'moved').
"""

import time

from vmtest import pcimap
from vmtest.dumb_buffer import DumbBuffer, fbdev_mismatches, unbind_fbcon
from vmtest.scenario import HOLD, MOVE, Scenario, force_move, root_port

MOVES = 3


class GpuMoveMmap(Scenario):
	stock_fails_at = 'moved'

	def topology(self):
		return root_port('rp1', 1, '0x2') + ['-device', 'bochs-display,bus=rp1']

	def run(self, vm):
		vm.wait_guest('test -e /dev/dri/card0 && test -e /dev/fb0', 30, 'bochs-drm')
		gpu = vm.sh('ls /sys/bus/pci/drivers/bochs-drm | grep : | head -1').strip()
		unbind_fbcon(vm)
		dumb = DumbBuffer(vm, '/dev/dri/card0', 'drm')
		bad, total = dumb.screen_mismatches('start')
		self.check('screen', bad == 0, f'the screen shows pattern 0 ({bad} of {total} differ)')

		probe_areas = bar_mappings(vm, gpu)
		self.check('premise', len(probe_areas) == 2,
			   f'bochs mapped BARs 0 and 2 in probe ({len(probe_areas)} mappings found)')

		stalls = []
		for n in range(1, MOVES + 1):
			before = pcimap.read_map(vm)[(gpu, 0)]
			force_move(vm, gpu)
			after = pcimap.read_map(vm)[(gpu, 0)]
			self.check('moved', before != after,
				   f'move {n}: BAR 0 of {gpu} has a new address')
			errors, stall, reads = dumb.next_phase()
			stalls.append(stall)
			self.check('mapping', errors == 0 and reads > 0,
				   f'move {n}: pattern {n - 1} read back through the same mapping '
				   f'({errors} bad pixels), reader went on ({reads} reads)')
			bad, total = dumb.screen_mismatches(f'move{n}')
			self.check('screen', bad == 0,
				   f'move {n}: the screen shows pattern {n} ({bad} of {total} differ)')
		self.log(f'reader thread, longest single read per move (ms): '
			 f'{" ".join(f"{s / 1000:.1f}" for s in stalls)}')

		self.check('alive', dumb.alive(), 'drm-dumb-move is still running (no SIGBUS)')

		# bochs maps its BARs in probe; ioremap_move() keeps those virtual
		# areas and points them at the new addresses.
		areas = bar_mappings(vm, gpu)
		moved = {v: areas.get(v, (None, None))[1] for v in probe_areas}
		self.check('in-place', sorted(areas) == sorted(probe_areas) and
			   all(areas[v][0] != probe_areas[v][0] for v in probe_areas),
			   'the virtual areas bochs mapped in probe now map the BARs\' new '
			   'addresses (' + ' '.join(f'{v}: BAR {bar}' for v, bar in moved.items()) + ')')

		# An update while the display is paused waits for the move (a fourth
		# move: after the in-place check, which a move back would undo).
		vm.sh(f'echo 3000 > {HOLD}; rm -f /tmp/move.rc', check=False)
		vm.sh(f'(echo {gpu} > {MOVE}; echo $? > /tmp/move.rc) > /dev/null 2>&1 &')
		vm.sh('sleep 1')
		paused = not vm.ok('test -e /tmp/move.rc')
		start = time.monotonic()
		dumb.next_phase()
		took = time.monotonic() - start
		vm.wait_guest('test -e /tmp/move.rc', 60, 'the held move to end')
		vm.sh(f'echo 0 > {HOLD}', check=False)
		rc = vm.sh('cat /tmp/move.rc').strip()
		bad, total = dumb.screen_mismatches('paused')
		self.check('paused-update', paused and rc == '0' and bad == 0,
			   f'an update sent 1 s into a 3 s pause (still paused then: {paused}; '
			   f'it took {took:.1f} s; move status {rc}) reached the screen '
			   f'({bad} of {total} differ)')
		dumb.stop()
		bad, total = fbdev_mismatches(vm, '/dev/fb0', 7, 'fbdev')
		self.check('fbdev', bad == 0,
			   f'fbdev shows what was written to /dev/fb0 ({bad} of {total} differ)')

		lines = [l for l in vm.sh('dmesg').splitlines() if 'rebalance:' in l]
		self.log('pauses:\n' + '\n'.join(lines[-MOVES:]))
		self.check_layout(vm)


def bar_mappings(vm, dev):
	"""{virtual range: (physical address, BAR)} of the ioremap() areas that
	map the start of one of dev's memory BARs, from /proc/vmallocinfo."""
	starts = {start: bar for (d, bar), (start, _end, _flags) in pcimap.read_map(vm).items()
		  if d == dev and isinstance(bar, int) and start}
	areas = {}
	for line in vm.sh('cat /proc/vmallocinfo').splitlines():
		if 'phys=' not in line or 'ioremap' not in line:
			continue
		phys = int(line.split('phys=')[1].split()[0], 16)
		if phys in starts:
			areas[line.split()[0]] = (phys, starts[phys])
	return areas
