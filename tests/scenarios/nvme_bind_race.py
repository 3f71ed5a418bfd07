# SPDX-License-Identifier: GPL-2.0
"""Rescans racing a driver that binds and unbinds (issue 12, defect 2.1).

Every rescan builds the model of the domain and asks each bound driver's
bar_fixed() about its BARs. A driver is half there while it probes (nvme
sets its drvdata only part-way through nvme_probe()) and while it is
unbound (nvme_remove() frees what its drvdata points to before the driver
core clears dev->driver). Without the device lock, bar_fixed() runs in
those windows: a NULL dereference or a use-after-free, and the dying task
holds pci_rescan_remove_lock, so every later rescan and hot-plug blocks.

Topology: q35; root ports rp1 and rp2 hold NVMe controllers A and B, both
bound to nvme.

Steps: for 20 s, one guest loop unbinds and binds A again as fast as it
can while another writes 1 to /sys/bus/pci/rescan as fast as it can.

Must hold: both loops ran many times ('raced'); afterwards a rescan still
returns ('rescan'), A and B are bound and their controllers live
('bound'); no kernel report, no blocked task, a consistent address map.

Stock kernel: the same (it never asks drivers about their BARs); the stock
proof runs it and requires every check to pass.
"""

from vmtest.scenario import Scenario, nvme, root_port

SECONDS = 20


class NvmeBindRace(Scenario):
	stock_passes = True

	def topology(self):
		args = []
		for n, name in enumerate('ab', 1):
			args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
			args += nvme(self.rundir, f'nvme-{name}', f'rp{n}')
		return args

	def run(self, vm):
		vm.wait_guest('[ $(ls /sys/bus/pci/drivers/nvme | grep -c :) = 2 ]', 30,
			      'nvme to bind both controllers')
		a = '0000:01:00.0'
		drv = '/sys/bus/pci/drivers/nvme'
		vm.sh(f'''
end=$(( $(date +%s) + {SECONDS} ))
( n=0; while [ $(date +%s) -lt $end ]; do
	echo {a} > {drv}/unbind; echo {a} > {drv}/bind; n=$((n+1))
  done 2>/dev/null; echo $n > /tmp/binds ) &
( n=0; while [ $(date +%s) -lt $end ]; do
	echo 1 > /sys/bus/pci/rescan; n=$((n+1))
  done; echo $n > /tmp/rescans ) &
wait''', timeout=SECONDS + 120)
		binds = int(vm.sh('cat /tmp/binds 2>/dev/null || echo 0').strip() or 0)
		rescans = int(vm.sh('cat /tmp/rescans 2>/dev/null || echo 0').strip() or 0)
		self.check('raced', binds >= 10 and rescans >= 10,
			   f'{binds} unbind/bind cycles of {a} raced {rescans} rescans')

		vm.sh('echo 1 > /sys/bus/pci/rescan', timeout=60)
		self.check('rescan', True, 'a rescan afterwards returns')
		if not vm.ok(f'test -e {drv}/{a}'):
			vm.sh(f'echo {a} > {drv}/bind', check=False)
		vm.wait_guest('[ $(ls /sys/bus/pci/drivers/nvme | grep -c :) = 2 ]', 30,
			      'nvme to be bound to both controllers')
		vm.wait_guest('[ $(cat /sys/class/nvme/*/state | grep -c live) = 2 ]', 60,
			      'both controllers to be live')
		self.check('bound', True, 'A and B are bound to nvme and live')
		self.check_layout(vm)
