# SPDX-License-Identifier: GPL-2.0
"""SR-IOV set up while a move waits (issue 12, defect 2.2).

sriov_numvfs_store() takes the PF's device lock, then
pci_rescan_remove_lock. The mover holds pci_rescan_remove_lock and takes
the device locks of the devices it pauses: the other order. If the mover
waits for the PF's lock without bound, neither side ever goes on, and
every later rescan, removal and hot-plug event blocks too.

Topology: q35; root port rp1 holds NVMe controller A, rp2 an NVMe
controller P that can do SR-IOV (one VF, in an nvme-subsys); both bound
to nvme.

Steps, so that the two orders meet every time:
  1. a forced move of A, held 3 s: it holds pci_rescan_remove_lock;
  2. 0.5 s later, a forced move of P: it waits for that lock;
  3. 1 s later, "echo 1 > sriov_numvfs" of P: it takes P's device lock
     and waits for pci_rescan_remove_lock behind step 2.
When step 1 ends, step 2 gets the lock and wants P's device lock.

Must hold: A's BAR moved ('moved'); all three steps return within 30 s
and P has its VF ('sriov'); P's BAR moves when asked again afterwards
('moved-after'); VFs disabled again, no kernel report, no blocked task, a
consistent address map.

Stock kernel: there is no way to move a BAR (check 'moved').
"""

from vmtest import pcimap
from vmtest.scenario import HOLD, MOVE, Scenario, nvme_disk, root_port


class NvmeSriovRace(Scenario):
	stock_fails_at = 'moved'

	def topology(self):
		args = root_port('rp1', 1, '0x2') + root_port('rp2', 2, '0x3')
		args += nvme_disk(self.rundir, 'nvme-a')
		args += ['-device', 'nvme,id=nvme-a,serial=nvme-a,drive=nvme-a-disk,bus=rp1']
		args += nvme_disk(self.rundir, 'nvme-p')
		args += ['-device', 'nvme-subsys,id=subsys-p',
			 '-device', 'nvme,id=nvme-p,serial=nvme-p,subsys=subsys-p,bus=rp2,'
			 'sriov_max_vfs=1,sriov_vq_flexible=2,sriov_vi_flexible=1,'
			 'max_ioqpairs=4,msix_qsize=4',
			 '-device', 'nvme-ns,drive=nvme-p-disk,bus=nvme-p']
		return args

	def run(self, vm):
		vm.wait_guest('[ $(ls /sys/bus/pci/drivers/nvme | grep -c :) = 2 ]', 30,
			      'nvme to bind both controllers')
		a, p = '0000:01:00.0', '0000:02:00.0'
		dev = f'/sys/bus/pci/devices/{p}'
		self.check('premise', vm.ok(f'test -e {dev}/sriov_numvfs'),
			   f'{p} can do SR-IOV')
		# The VF's controller stays offline until assigned resources: no
		# driver for it, only the PCI device.
		vm.sh(f'echo 0 > {dev}/sriov_drivers_autoprobe')
		before = pcimap.read_map(vm)

		vm.sh(f'echo 3000 > {HOLD}; rm -f /tmp/*.rc', check=False)
		vm.sh(f'(echo {a} > {MOVE}; echo $? > /tmp/a.rc) > /dev/null 2>&1 &')
		vm.sh('sleep 0.5')
		vm.sh(f'(echo {p} > {MOVE}; echo $? > /tmp/p.rc) > /dev/null 2>&1 &')
		vm.sh('sleep 1')
		vm.sh(f'(echo 1 > {dev}/sriov_numvfs; echo $? > /tmp/vf.rc) > /dev/null 2>&1 &')
		vm.wait_guest('test -e /tmp/a.rc', 30, 'the move of A to end')
		vm.sh(f'echo 0 > {HOLD}', check=False)
		after = pcimap.read_map(vm)
		self.check('moved', before.get((a, 0)) != after.get((a, 0)),
			   f'{a} BAR 0 moved while the others waited')

		try:
			vm.wait_guest('test -e /tmp/p.rc && test -e /tmp/vf.rc', 30)
			done = True
		except Exception:
			done = False
		rcs = vm.sh('grep -H . /tmp/*.rc', check=False).strip()
		vf = vm.ok(f'test -e {dev}/virtfn0')
		self.check('sriov', done and vf and
			   vm.sh('cat /tmp/vf.rc', check=False).strip() == '0',
			   f'the move of {p} and sriov_numvfs returned within 30 s, and '
			   f'{p} has its VF:\n{rcs}')
		self.log(vm.sh(f'dmesg | grep -E "{p}|rebalance" | tail -8', check=False))

		before = pcimap.read_map(vm)
		vm.sh(f'echo {p} > {MOVE}', check=False)
		after = pcimap.read_map(vm)
		self.check('moved-after', before.get((p, 0)) != after.get((p, 0)),
			   f'{p} BAR 0 moves once nothing holds its lock')

		vm.sh(f'echo 0 > {dev}/sriov_numvfs', timeout=60)
		self.check_layout(vm)
