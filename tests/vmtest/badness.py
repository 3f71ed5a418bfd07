# SPDX-License-Identifier: GPL-2.0
"""Find kernel reports (oops, BUG, WARNING, lockdep, KASAN, UBSAN, RCU
stalls, hung tasks, ...) in a console log.

The patterns are those of the kernel's own console scanner,
tools/testing/selftests/rcutorture/bin/console-badness.sh (but for its
bare 'Warn', see PATTERNS), and what its exclusions leave out, plus the
reports it does not name: 'kernel BUG at', 'irq N: nobody cared', page
allocation failures, the OOM killer, duplicate sysfs files, list
corruption, soft and hard lockups, CSD-lock timeouts. Only what the kernel
printed is read (from a printk time stamp on), so QEMU's trace output and
the guest's own programs cannot trigger a match. Lines that belong to
one report (a WARNING, its 'cut here' line, its Call Trace) count once.

  vmtest.py scan-log FILE    prints each report's first lines; exit 1 if any
"""

import re

# (kind, pattern), the first that matches names the report.
PATTERNS = [
	('kasan', r'\bBUG: KASAN:'),
	('kcsan', r'\bBUG: KCSAN:'),
	('ubsan', r'\bUBSAN:'),
	('kfence', r'\bBUG: KFENCE:'),
	('lockdep', r'possible (circular|recursive) locking|inconsistent lock state|'
		    r'suspicious RCU usage|lock held when returning to user space|'
		    r'bad unlock balance detected|DEBUG_LOCKS_WARN_ON'),
	('hung-task', r'INFO: task \S+ blocked for more than'),
	('rcu-stall', r'detected (expedited )?stalls on (CPUs/)?tasks|'
		      r'self-detected stall on CPU|'
		      r'Stall ended before state dump start|\?\?\? Writer stall state|'
		      r'rcu_.*kthread starved for'),
	('csd-lock', r'csd: .*(non-responsive CSD lock|stuck CSD-lock)'),
	('lockup', r'soft lockup - CPU|hard LOCKUP|watchdog: BUG'),
	('list-corruption', r'list_(add|del) corruption|list_debug'),
	('nobody-cared', r'irq \d+: nobody cared'),
	('alloc-failure', r'page allocation failure'),
	('oom', r'invoked oom-killer|Out of memory'),
	('sysfs-duplicate', r'sysfs: cannot create duplicate filename'),
	('panic', r'Kernel panic'),
	('gpf', r'general protection fault'),
	('page-fault', r'BUG: unable to handle|Unable to handle kernel'),
	('bug', r'kernel BUG at|\bBUG\b'),
	('oops', r'\bOops\b'),
	# console-badness.sh also takes any 'Warn': informational printk
	# lines say 'Warning:' ("Warning: Processor Platform Limit event
	# detected, but not handled" on every x86 KUnit boot), while WARN()
	# and every kernel self-check print 'WARNING:'.
	('warning', r'WARNING:'),
	('cut-here', r'cut here'),
	('badness', r'Badness'),
	('lockdep-banner', r'={11}'),
	('call-trace', r'Call Trace:'),
	('rcutorture', r'!!!'),
]

# console-badness.sh's exclusions: messages that name a pattern but are none.
EXCLUDE = re.compile('|'.join([
	r'ODEBUG: ',
	r'This means that this is a DEBUG kernel and it is',
	r'Warning: unable to open an initial console',
	r'Warning: Failed to add ttynull console',
	# The wording of 6.12 and of newer kernels.
	r'NOHZ tick-stop error: (Non-RCU )?local softirq work is pending',
	# A user-space program's fault, reported by the kernel: not the
	# kernel's (the program's own check fails instead).
	r'traps: \S+\[\d+\] ',
]))

_COMPILED = [(kind, re.compile(p)) for kind, p in PATTERNS]
# A printk line: "[    1.234567] ..." (with PRINTK_TIME), perhaps with a
# caller id "[    1.234567][    T1] ...". QEMU's output and the guest's
# own share the console with the kernel and may come first on a line,
# so the time stamp is looked for anywhere; what precedes it is not read.
KERNEL_LINE = re.compile(r'(<\d+>)?\[\s*\d+\.\d{6}\]')
# A report's lines follow its first within this many lines.
SPAN = 60
# Matching lines this close together belong to one report.
JOIN = 2
# Kinds of lines that open a report whose next line names it.
PREAMBLE = ('lockdep-banner', 'cut-here', 'call-trace')


class Report:
	def __init__(self, kind, lineno, lines):
		self.kind = kind
		self.lineno = lineno	# 1-based
		self.lines = lines	# the report's kernel lines, first one first

	def first_lines(self, n=6):
		return self.lines[:n]

	def __repr__(self):
		return f'Report({self.kind!r}, line {self.lineno}: {self.lines[0]!r})'


def kernel_text(line):
	"""What the kernel printed on a console line, or None for a line
	with no printk time stamp."""
	match = KERNEL_LINE.search(line)
	return line[match.start():] if match else None


def classify(line):
	"""The kind of report a console line starts or continues, or None."""
	text = kernel_text(line)
	if text is None or EXCLUDE.search(text):
		return None
	for kind, regex in _COMPILED:
		if regex.search(text):
			return kind
	return None


def scan(text):
	"""[Report] found in a console log's text.

	A banner or 'cut here' line names no kind of its own: a matching line
	within JOIN lines after it names the report, as does an Oops line just
	after a 'kernel BUG at' line. A Call Trace, banner or 'cut here' line
	within SPAN lines of a report's start is that report's (a KASAN report
	ends with a banner). Any other matching line starts a new report."""
	reports = []
	current = None
	last = -JOIN - 1
	for lineno, line in enumerate(text.splitlines(), 1):
		kind = classify(line)
		near = current is not None and lineno - current.lineno < SPAN
		close = current is not None and lineno - last <= JOIN
		if kind and ((close and (current.kind in PREAMBLE or kind == 'oops')) or
			     (near and kind in PREAMBLE and current.kind not in PREAMBLE) or
			     (near and kind == 'call-trace')):
			if current.kind in PREAMBLE and kind not in PREAMBLE:
				current.kind = kind
			current.lines.append(line)
			last = lineno
		elif kind:
			current = Report(kind, lineno, [line])
			reports.append(current)
			last = lineno
		elif near and kernel_text(line) is not None:
			current.lines.append(line)
	return reports


def format_reports(reports, path=''):
	out = []
	for r in reports:
		out.append(f'{path}:{r.lineno}: {r.kind}')
		out += [f'    {l.strip()}' for l in r.first_lines()]
	return '\n'.join(out)
