# SPDX-License-Identifier: GPL-2.0
"""Run shell commands in the guest over its second serial port (ttyS1).

The guest side is tests/guest/agent.sh. A request is one line, "ID BASE64";
the reply is "BEGIN ID", the output in base64 lines, then "END ID RC".
"""

import base64
import socket
import time

from . import unixsock


class AgentError(Exception):
	pass


class Agent:
	def __init__(self, path, alive):
		"""path: the unix socket QEMU serves ttyS1 on; alive(): is QEMU still running."""
		self._alive = alive
		self._sock = unixsock.connect(path, 30, AgentError)
		self._buf = b''
		self._next_id = 1

	def _readline(self, deadline):
		while b'\n' not in self._buf:
			left = deadline - time.monotonic()
			if left <= 0:
				raise TimeoutError
			self._sock.settimeout(min(left, 1.0))
			try:
				chunk = self._sock.recv(65536)
			except socket.timeout:
				if not self._alive():
					raise AgentError('the guest died (QEMU exited)')
				continue
			if not chunk:
				raise AgentError('the guest died (QEMU closed ttyS1)')
			self._buf += chunk
		line, self._buf = self._buf.split(b'\n', 1)
		return line.decode('ascii', 'replace').strip()

	def wait_hello(self, timeout):
		deadline = time.monotonic() + timeout
		while self._readline(deadline) != 'HELLO':
			pass

	def run(self, command, timeout):
		"""Run command with sh in the guest; return (exit code, output)."""
		ident = self._next_id
		self._next_id += 1
		payload = base64.b64encode(command.encode()).decode()
		self._sock.sendall(f'{ident} {payload}\n'.encode())
		deadline = time.monotonic() + timeout
		while self._readline(deadline) != f'BEGIN {ident}':
			pass
		chunks = []
		while True:
			line = self._readline(deadline)
			if line.startswith(f'END {ident} '):
				rc = int(line.split()[2])
				break
			chunks.append(line)
		return rc, base64.b64decode(''.join(chunks)).decode('utf-8', 'replace')

	def close(self):
		self._sock.close()
