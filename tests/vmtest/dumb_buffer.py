# SPDX-License-Identifier: GPL-2.0
"""Drive tests/guest/drm_dumb_move.c in the guest: a dumb buffer on a
display, mapped by the program, with a thread that keeps reading it."""

from . import screen


class DumbBuffer:
	"""drm-dumb-move running on card; its output goes to /tmp/<tag>.log."""

	def __init__(self, vm, card, tag):
		self.vm = vm
		self.out = f'/tmp/{tag}.log'
		self.pid = f'/tmp/{tag}.pid'
		self.phase = 0
		vm.sh(f'drm-dumb-move {card} > {self.out} 2>&1 & echo $! > {self.pid}')
		vm.wait_guest(f'grep -q ready {self.out}', 30, f'drm-dumb-move on {card}')
		# "ready WIDTHxHEIGHT pitch PITCH"
		self.pitch = int(vm.sh(f'cat {self.out}').split()[3])

	def next_phase(self):
		"""Have the program verify the current pattern through its mapping
		and write the next one; return (bad pixels, longest single read in
		us, reads) since the last phase."""
		self.phase += 1
		self.vm.sh(f'kill -USR1 $(cat {self.pid})')
		self.vm.wait_guest(f'[ $(grep -c ^phase {self.out}) -ge {self.phase} ]', 60,
				   f'drm-dumb-move to report phase {self.phase}')
		# "phase N errors E stall_us S reads R"
		line = self.vm.sh(f'grep ^phase {self.out} | tail -1').split()
		return int(line[3]), int(line[5]), int(line[7])

	def alive(self):
		return self.vm.ok(f'kill -0 $(cat {self.pid})')

	def stop(self):
		self.vm.sh(f'kill $(cat {self.pid}); sleep 1')

	def screen_mismatches(self, name, device=None):
		"""Sampled pixels of the display that differ from the current pattern."""
		return screen.mismatches(screen.dump(self.vm, name, device), self.pitch,
					 self.phase)


def unbind_fbcon(vm):
	"""Keep the console from drawing over what the test puts on screen."""
	vm.sh('for v in /sys/class/vtconsole/vtcon*; do '
	      'grep -q "frame buffer" $v/name && echo 0 > $v/bind; done; true')


def fbdev_mismatches(vm, fb, phase, name, device=None):
	"""Write pattern phase to fbdev device fb; return the sampled pixels of
	the display that differ from it once the kernel has copied it to VRAM."""
	out = vm.sh(f'drm-dumb-move --fbdev {fb} {phase}')
	pitch = int(out.split()[3])
	vm.sh('sleep 1')
	return screen.mismatches(screen.dump(vm, name, device), pitch, phase)
