# SPDX-License-Identifier: GPL-2.0
"""Topologies shared by several scenarios."""

from .scenario import ivshmem, ivshmem_backend, root_port

# Root ports of fragmented(), as the guest sees them.
FRAGMENTED_PORTS = ['0000:00:02.0', '0000:00:03.0', '0000:00:04.0', '0000:00:05.0']


def fragmented(rundir):
	"""A 5 GiB 64-bit hole (4..9 GiB) with 512 MiB of RAM; rp1..rp3 hold
	ivshmem devices with 1 GiB BARs, which firmware packs at 4, 5 and 6
	GiB; rp4 is empty. The backend 'new' (2 GiB) is ready for a hot-add."""
	args = ['-global', 'q35-pcihost.pci-hole64-size=5G']
	for n in (1, 2, 3, 4):
		args += root_port(f'rp{n}', n, f'0x{n + 1:x}')
	for n in (1, 2, 3):
		args += ivshmem(f'shm{n}', f'rp{n}', '1G', f'{rundir}/shm{n}')
	return args + ivshmem_backend('new', '2G', f'{rundir}/new')
