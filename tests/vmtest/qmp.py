# SPDX-License-Identifier: GPL-2.0
"""A minimal client for QEMU's machine protocol (QMP) on a unix socket."""

import json
import socket
import time


class QMPError(Exception):
	pass


class QMP:
	def __init__(self, path, timeout=30):
		deadline = time.monotonic() + timeout
		while True:
			try:
				self._sock = socket.socket(socket.AF_UNIX)
				self._sock.connect(path)
				break
			except (FileNotFoundError, ConnectionRefusedError):
				self._sock.close()
				if time.monotonic() > deadline:
					raise QMPError(f'no QMP socket at {path}')
				time.sleep(0.05)
		self._sock.settimeout(timeout)
		self._file = self._sock.makefile('rb')
		self.events = []
		self._read()			# greeting
		self.command('qmp_capabilities')

	def _read(self):
		line = self._file.readline()
		if not line:
			raise QMPError('QEMU closed the QMP connection')
		return json.loads(line)

	def command(self, name, **args):
		msg = {'execute': name}
		if args:
			msg['arguments'] = args
		self._sock.sendall(json.dumps(msg).encode() + b'\n')
		while True:
			reply = self._read()
			if 'event' in reply:
				self.events.append(reply)
				continue
			if 'error' in reply:
				raise QMPError(f"{name}: {reply['error'].get('desc')}")
			return reply.get('return')

	def close(self):
		self._file.close()
		self._sock.close()
