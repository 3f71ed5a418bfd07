# SPDX-License-Identifier: GPL-2.0
"""A minimal client for QEMU's machine protocol (QMP) on a unix socket."""

import json

from . import unixsock


class QMPError(Exception):
	pass


class QMP:
	def __init__(self, path, timeout=30):
		self._sock = unixsock.connect(path, timeout, QMPError)
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
