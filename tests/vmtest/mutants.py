# SPDX-License-Identifier: GPL-2.0
"""Mutants: small patches under tests/mutants/ that each break one piece of
the series (or of the workbench) that a test guards.

A mutant file starts with a header, then the diff (git apply skips the
header, as it skips a mail's text):

  Breaks: what the mutant breaks, in one line
  Guard: kunit CASE              the KUnit case that must fail, or
  Guard: vmtest SCENARIO CHECK   the scenario that must fail at CHECK
                                 (CHECK,CHECK: at either, where the
                                 mutant opens a race that ends either way)
  Guard: fuzz SEEDS CHECK        the differential test (fuzz_topologies.py)
                                 must fail at CHECK for one of SEEDS

A mutant whose diff touches only tests/ is a workbench mutant: it is
applied to a copy of the workbench and run on the series kernel. Every
other mutant is applied to a copy of the series tree. KUnit mutants are
the cheap ones make check runs.
"""

import os
import re


class MutantError(Exception):
	pass


class Mutant:
	def __init__(self, name, breaks, kind, target, check, files):
		self.name = name
		self.breaks = breaks
		self.kind = kind	# 'kunit', 'vmtest' or 'fuzz'
		self.target = target	# a KUnit case, a scenario or seeds
		self.check = check	# the scenario's check, None for KUnit
		self.files = files	# the paths the diff changes

	@property
	def workbench(self):
		return all(f.startswith('tests/') for f in self.files)

	@property
	def cheap(self):
		return self.kind == 'kunit'

	def guard(self):
		if self.kind == 'kunit':
			return f'KUnit {self.target}'
		if self.kind == 'fuzz':
			return f'fuzz seeds {self.target} [{self.check}]'
		return f'{self.target} [{self.check}]'


def parse(name, text):
	"""A Mutant from a mutant file's name (without .patch) and text."""
	headers = {}
	for line in text.splitlines():
		if line.startswith('diff --git ') or line.startswith('--- '):
			break
		m = re.match(r'^([A-Z][a-z]+): *(.*)$', line)
		if m:
			headers[m.group(1)] = m.group(2).strip()
	files = re.findall(r'^diff --git a/(\S+) b/', text, re.M)
	if not files:
		raise MutantError(f'{name}: no diff')
	for key in ('Breaks', 'Guard'):
		if not headers.get(key):
			raise MutantError(f'{name}: no {key}: line')
	guard = headers['Guard'].split()
	if len(guard) == 2 and guard[0] == 'kunit':
		return Mutant(name, headers['Breaks'], 'kunit', guard[1], None, files)
	if len(guard) == 3 and guard[0] in ('vmtest', 'fuzz'):
		return Mutant(name, headers['Breaks'], guard[0], guard[1], guard[2], files)
	raise MutantError(f'{name}: Guard: must be "kunit CASE", '
			  f'"vmtest SCENARIO CHECK" or "fuzz SEEDS CHECK", '
			  f'not "{headers["Guard"]}"')


def load_all(directory):
	"""Every mutant in directory, sorted by name."""
	mutants = []
	for fname in sorted(os.listdir(directory)):
		if not fname.endswith('.patch'):
			continue
		with open(os.path.join(directory, fname), encoding='utf-8') as f:
			mutants.append(parse(fname[:-len('.patch')], f.read()))
	return mutants


def kunit_case_failed(tap, case):
	"""Whether the KUnit TAP output reports case as failed: True, False
	when it passed or was skipped, None when it did not run at all."""
	# Console lines may carry a time stamp: "[    8.11] ok 3 name".
	m = re.search(rf'^(?:\[[ 0-9.]+\])?\s*(not ok|ok) \d+ {re.escape(case)}(\s|$)',
		      tap, re.M)
	if not m:
		return None
	return m.group(1) == 'not ok'


def table(rows):
	"""A Markdown table of (Mutant, caught) rows, for the README."""
	out = ['| mutant | breaks | guarding test | caught |',
	       '|---|---|---|---|']
	for mutant, caught in rows:
		out.append(f'| `{mutant.name}` | {mutant.breaks} | {mutant.guard()} | '
			   f'{"yes" if caught else "**no**"} |')
	return '\n'.join(out)
