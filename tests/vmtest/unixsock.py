# SPDX-License-Identifier: GPL-2.0
"""Connecting to the unix sockets QEMU serves."""

import socket
import time


def connect(path, timeout, error):
	"""Connect to a unix socket QEMU is about to create; raise error(msg) on timeout."""
	deadline = time.monotonic() + timeout
	while True:
		sock = socket.socket(socket.AF_UNIX)
		try:
			sock.connect(path)
			return sock
		except (FileNotFoundError, ConnectionRefusedError):
			sock.close()
			if time.monotonic() > deadline:
				raise error(f'no socket at {path}')
			time.sleep(0.05)
