# SPDX-License-Identifier: GPL-2.0
"""Boot kernels under QEMU and drive PCI hot-plug scenarios in them."""
