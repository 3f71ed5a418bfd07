#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the QEMU scenarios in tests/scenarios/ against a kernel.

  vmtest.py list
  vmtest.py run [--kernel series|stock|mutant] [--kvm] [--stock-proof]
                [--expect-fail-at CHECK] [NAME...]
  vmtest.py scan-log FILE...   kernel reports in console logs (exit 1 if any)

With --stock-proof, each named scenario must fail on the kernel exactly at
the check its stock_fails_at names; that shows the scenario tells the
stock kernel and the series apart. With --expect-fail-at, the named
scenarios must fail exactly at CHECK: that is how tests/mutants.py shows
that a check catches the mutant of the code it guards. Besides the
scenarios' own checks, a run can fail at 'settle' (a task still blocked
after the last step), 'console' (a kernel report, also one the guest died
of) or 'error' (anything else: a timeout, an exception).
"""

import argparse
import glob
import importlib.util
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vmtest import badness, paths			# noqa: E402
from vmtest.machine import GuestError, Machine, have_qemu	# noqa: E402
from vmtest.scenario import CheckFailed, Scenario	# noqa: E402

TOP = paths.TOP
BUILD = paths.BUILD
KERNELS = paths.KERNELS
SCENARIOS = os.path.join(TOP, 'tests', 'scenarios')
BENCHMARKS = os.path.join(TOP, 'tests', 'benchmarks')


def scenario_names():
	return sorted(os.path.basename(p)[:-3]
		      for p in glob.glob(os.path.join(SCENARIOS, '*.py'))
		      if not os.path.basename(p).startswith('_'))


def load(name, where=SCENARIOS):
	path = os.path.join(where, f'{name}.py')
	spec = importlib.util.spec_from_file_location(f'scenario_{name}', path)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	classes = [c for c in vars(module).values()
		   if isinstance(c, type) and issubclass(c, Scenario) and
		   c.__module__ == module.__name__]
	if len(classes) != 1:
		raise ValueError(f'{path} must define exactly one Scenario class')
	classes[0].__doc__ = module.__doc__
	return classes[0]


def in_stock_proof(name):
	"""Whether the stock proof runs the scenario: it names the check
	stock fails at, or says stock passes it (stock_passes). True for one
	that cannot be loaded, so that it is run, and fails, rather than left
	out."""
	try:
		cls = load(name)
	except Exception:	# pylint: disable=broad-except
		return True
	return bool(cls.stock_fails_at or cls.stock_passes)


def failed_at(failed_check, error, blocked, splats):
	"""Where a run failed: the check that failed, 'settle', 'console' (a
	kernel report, whether or not the guest died of it), 'error' for
	anything else, or None for a pass."""
	if failed_check:
		return failed_check
	if blocked:
		return 'settle'
	if splats:
		return 'console'
	if error:
		return 'error'
	return None


def failed_as_expected(want, got, error, log):
	"""Whether a run failed where want (CHECK or CHECK,CHECK) says: the
	stock proof and the mutants ask the same question."""
	if got in want.split(','):
		log(f'  failed at [{got}] as expected: {error or "kernel report"}')
		return True
	log(f'  expected a failure at [{want}], got '
	    f'{f"[{got}]: " + (error or "kernel report") if got else "a pass"}')
	return False


def run_one(name, kernel_kind, kvm, stock_proof, initrd, log, where=SCENARIOS,
	    expect_fail_at=None):
	cls = load(name, where)
	rundir = os.path.join(BUILD, 'vmtest', kernel_kind, name)
	os.makedirs(rundir, exist_ok=True)
	scenario = cls(log)
	scenario.rundir = rundir
	scenario.kernel_kind = kernel_kind
	vm = Machine(KERNELS[kernel_kind], initrd, rundir, args=scenario.topology(),
		     cmdline=scenario.cmdline, memory=scenario.memory, kvm=kvm)
	failed_check = None
	error = None
	blocked = []
	start = time.monotonic()
	try:
		with vm:
			scenario.run(vm)
			blocked = vm.settle()
			if blocked:
				raise GuestError('tasks still blocked after the last step: '
						 + ', '.join(blocked))
	except CheckFailed as e:
		failed_check, error = e.check, str(e)
	except GuestError as e:
		error = str(e)
	except Exception as e:		# pylint: disable=broad-except
		# A QMP error, an agent that stopped answering after an oops,
		# a bug in the scenario: this scenario fails, the run goes on.
		error = (f'{type(e).__name__} in the scenario: {e}\n'
			 + ''.join(traceback.format_exc(limit=-4)))
		if vm.console:
			error += f'\nconsole tail:\n{vm.console.tail()}'
	elapsed = time.monotonic() - start
	splats = vm.console.splats() if vm.console else []
	log(f'  console: {os.path.relpath(rundir, TOP)}/console.log ({elapsed:.1f}s)')

	got = failed_at(failed_check, error, blocked, splats)
	if expect_fail_at:
		for s in splats[:3]:
			log(f'  kernel report ({s.kind}): {s.lines[0].strip()}')
		return failed_as_expected(expect_fail_at, got, error, log)

	if stock_proof:
		want = cls.stock_fails_at
		for s in splats:
			log(f'  note, stock kernel report ({s.kind}): {s.lines[0].strip()}')
		if want is None and cls.stock_passes:
			if error:
				log(f'  expected the stock kernel to pass every check, got: {error}')
				return False
			log('  passed on the stock kernel too, as expected')
			return True
		if want is None:
			log(f'  {name} has no stock failure to prove')
			return False
		return failed_as_expected(want, got, error, log)

	if error:
		log(f'  {error}')
	if splats:
		log(f'  {len(splats)} kernel report(s) on the console:')
		for s in splats[:10]:
			log(f'    {s.kind} at console.log:{s.lineno}:')
			for line in s.first_lines():
				log(f'      {line.strip()}')
	return not (splats or error)


def scan_logs(files):
	"""Print every kernel report in the files; 1 if there is any, 2 if a
	file cannot be read."""
	found = 0
	for path in files:
		try:
			if path == '-':
				text = sys.stdin.read()
			else:
				with open(path, encoding='utf-8', errors='replace') as f:
					text = f.read()
		except OSError as e:
			print(f'error: {e}', file=sys.stderr)
			return 2
		reports = badness.scan(text)
		if reports:
			print(badness.format_reports(reports, path))
		found += len(reports)
	print(f'{found} kernel report(s) in {len(files)} log(s)')
	return 1 if found else 0


def main():
	parser = argparse.ArgumentParser(description=__doc__,
					 formatter_class=argparse.RawDescriptionHelpFormatter)
	sub = parser.add_subparsers(dest='cmd', required=True)
	lst = sub.add_parser('list', help='list the scenarios')
	lst.add_argument('--stock-proof', action='store_true',
			 help='only those that name how the stock kernel fails them')
	run = sub.add_parser('run', help='run scenarios (all when none is named)')
	run.add_argument('names', nargs='*')
	run.add_argument('--kernel', choices=KERNELS, default='series')
	run.add_argument('--kvm', action='store_true', help='use KVM instead of TCG')
	run.add_argument('--stock-proof', action='store_true',
			 help='require the failure the stock kernel is expected to show')
	run.add_argument('--expect-fail-at', metavar='CHECK[,CHECK]',
			 help='require each scenario to fail exactly at CHECK (or at one '
			 'of several: a race may end in either)')
	run.add_argument('--demo', action='store_true',
			 help='run scenarios even while they are pending')
	scan = sub.add_parser('scan-log', help='find kernel reports in console logs '
			      '(a real machine\'s too); exit 1 if any')
	scan.add_argument('files', nargs='+', help="console logs ('-' for standard input)")
	bench = sub.add_parser('bench', help='run a benchmark from tests/benchmarks/')
	bench.add_argument('name')
	bench.add_argument('--kvm', action='store_true', help='use KVM instead of TCG')
	args = parser.parse_args()

	if args.cmd == 'scan-log':
		return scan_logs(args.files)

	names = scenario_names()
	if args.cmd == 'list':
		for n in names:
			try:
				cls = load(n)
			except Exception as e:	# pylint: disable=broad-except
				# Listed all the same: make check expects its result.
				print(f'{n:<28} (cannot be loaded: {e})')
				continue
			if args.stock_proof and not (cls.stock_fails_at or cls.stock_passes):
				continue
			doc = (cls.__doc__ or '').strip().splitlines()
			print(f'{n:<28} {doc[0] if doc else ""}')
		return 0

	if args.cmd == 'bench':
		benches = sorted(os.path.basename(p)[:-3]
				 for p in glob.glob(os.path.join(BENCHMARKS, '*.py')))
		if args.name not in benches:
			print(f'error: unknown benchmark {args.name}; known: {", ".join(benches)}',
			      file=sys.stderr)
			return 2
		initrd = paths.guest_initrd()
		ok = run_one(args.name, 'series', args.kvm, False, initrd, print, BENCHMARKS)
		return 0 if ok else 1

	unknown = [n for n in args.names if n not in names]
	if unknown:
		print(f'error: unknown scenario {", ".join(unknown)}; '
		      f'known: {", ".join(names)}', file=sys.stderr)
		return 2
	if not have_qemu():
		print('error: qemu-system-x86_64 not found: run make deps', file=sys.stderr)
		return 2
	kernel = KERNELS[args.kernel]
	if not os.path.exists(kernel):
		print(f'error: {kernel} missing: run make {paths.MAKE_KERNEL[args.kernel]}',
		      file=sys.stderr)
		return 2

	initrd = paths.guest_initrd()

	selected = args.names or names
	if args.stock_proof and not args.names:
		selected = [n for n in names if in_stock_proof(n)]
	passed = failed = skipped = 0
	print(f'TAP version 13\n1..{len(selected)}')
	for i, name in enumerate(selected, 1):
		print(f'# {name} ({args.kernel} kernel{", stock proof" if args.stock_proof else ""})',
		      flush=True)
		try:
			pending = load(name).pending
			if pending and not (args.stock_proof or args.demo or args.expect_fail_at):
				print(f'ok {i} {name} # SKIP {pending}', flush=True)
				skipped += 1
				continue
			ok = run_one(name, args.kernel, args.kvm, args.stock_proof, initrd,
				     lambda s: print('\n'.join(f'#{l}' for l in s.splitlines()),
						     flush=True),
				     expect_fail_at=args.expect_fail_at)
		except Exception:	# pylint: disable=broad-except
			# Loading or setting up the scenario failed: it fails,
			# the others still run.
			for line in traceback.format_exc().splitlines():
				print(f'#  {line}', flush=True)
			ok = False
		print(f'{"ok" if ok else "not ok"} {i} {name}', flush=True)
		passed += ok
		failed += not ok
	print(f'# vmtest: {passed} passed, {failed} failed, {skipped} skipped')
	return 0 if failed == 0 else 1


if __name__ == '__main__':
	sys.exit(main())
