# SPDX-License-Identifier: GPL-2.0
"""The guest's serial console: saved to a file and checked for kernel splats."""

import re
import threading
import time

from . import badness


class Console:
	"""Collects what the guest prints on ttyS0, in a thread."""

	def __init__(self, stream, path):
		self._stream = stream
		self._log = open(path, 'w', encoding='utf-8', errors='replace')
		self._text = ''
		self._cond = threading.Condition()
		self._closed = False
		self._thread = threading.Thread(target=self._pump, daemon=True)
		self._thread.start()

	def _pump(self):
		for raw in iter(lambda: self._stream.readline(), b''):
			line = raw.decode('utf-8', 'replace').replace('\r', '')
			with self._cond:
				self._log.write(line)
				self._log.flush()
				self._text += line
				self._cond.notify_all()
		with self._cond:
			self._closed = True
			self._cond.notify_all()
		self._log.close()

	@property
	def text(self):
		with self._cond:
			return self._text

	def wait_for(self, pattern, timeout):
		"""Wait until pattern shows on the console; return the match or None."""
		regex = re.compile(pattern, re.M)
		deadline = time.monotonic() + timeout
		with self._cond:
			while True:
				match = regex.search(self._text)
				if match or self._closed:
					return match
				left = deadline - time.monotonic()
				if left <= 0:
					return None
				self._cond.wait(left)

	def join(self, timeout=10):
		self._thread.join(timeout)

	def splats(self):
		"""The kernel reports on the console (badness.Report), of any kind
		badness knows: oops, BUG, WARNING, lockdep, KASAN, stalls, ..."""
		return badness.scan(self.text)

	def tail(self, lines=15):
		return '\n'.join(self.text.splitlines()[-lines:])
