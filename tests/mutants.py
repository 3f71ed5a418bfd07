#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Show that the tests catch what they guard: apply each mutant in
tests/mutants/ (see tests/vmtest/mutants.py for the format), build, and
require its guarding test to fail where the mutant says.

  mutants.py list
  mutants.py run [--cheap] [NAME...]

A kernel mutant is applied to build/mutant/linux, a work tree of the
series' last commit, and built in build/mutant/ (the same relative layout
as build/, so ccache serves every object the mutant does not change). A
workbench mutant is applied to a copy of tests/ in build/mutant/workbench
and run on the series kernel. --cheap runs the KUnit mutants only: make
check does that. Each mutant is one result, passed when caught; the run
ends with a table of them and "# mutants: P passed, F failed".
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vmtest import mutants	# noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('WORKBENCH_BUILD') or os.path.join(TOP, 'build')
TREE = os.path.join(BUILD, 'linux')
MUTANTS = os.path.join(TOP, 'tests', 'mutants')
WORK = os.path.join(BUILD, 'mutant')
MTREE = os.path.join(WORK, 'linux')


def log(msg):
	print(f'# {msg}', flush=True)


def run(cmd, **kw):
	return subprocess.run(cmd, check=False, **kw)


def git(*args, cwd=MTREE):
	return subprocess.run(['git', '-C', cwd, *args], check=True,
			      capture_output=True, text=True).stdout.strip()


def fresh_tree():
	"""build/mutant/linux at the series' last commit, with nothing else."""
	rev = git('rev-parse', 'HEAD', cwd=TREE)
	if not os.path.exists(os.path.join(MTREE, '.git')):
		shutil.rmtree(MTREE, ignore_errors=True)
		git('worktree', 'prune', cwd=TREE)
		os.makedirs(WORK, exist_ok=True)
		git('worktree', 'add', '-q', '--detach', MTREE, rev, cwd=TREE)
	git('checkout', '-q', '-f', '--detach', rev)
	git('reset', '-q', '--hard')
	git('clean', '-q', '-f', '-d', '-x')


def apply(patch, where):
	"""git apply the mutant in where; False (and why) if it does not apply."""
	# The workbench copy lies inside the workbench's own repository: keep
	# git from finding it, or it would apply the paths relative to that.
	env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(where))
	r = run(['git', 'apply', '--whitespace=nowarn', patch], cwd=where,
		capture_output=True, text=True, env=env)
	if r.returncode:
		log(f'  the mutant does not apply: {r.stderr.strip()}')
	return r.returncode == 0


def caught_kunit(mutant):
	r = run([os.path.join(TOP, 'scripts', 'run-kunit.sh'), 'mutant'],
		stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
	failed_lines = [l for l in r.stdout.splitlines()
			if '[FAILED]' in l or '[CRASHED]' in l or 'error' in l.lower()]
	for line in failed_lines[:10]:
		log(f'  {line.strip()}')
	try:
		with open(os.path.join(WORK, 'kunit-obj', 'test.log'), errors='replace') as f:
			tap = f.read()
	except OSError:
		log('  the KUnit kernel did not run (it may not build)')
		return False
	failed = mutants.kunit_case_failed(tap, mutant.target)
	if failed is None:
		log(f'  KUnit case {mutant.target} did not run')
		return False
	log(f'  KUnit case {mutant.target} {"failed" if failed else "passed"}')
	return failed


def caught_vmtest(mutant, vmtest, kernel):
	r = run([vmtest, 'run', '--kernel', kernel, '--expect-fail-at', mutant.check,
		 mutant.target], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
		text=True, env=dict(os.environ, WORKBENCH_BUILD=BUILD))
	# vmtest.py's own log lines (TAP comments), the guest's output in them
	# included; not its TAP result lines.
	for line in r.stdout.splitlines():
		if line.startswith('#'):
			log(f'  {line[1:].strip()}')
	return r.returncode == 0


def caught_fuzz(mutant):
	r = run([os.path.join(TOP, 'tests', 'fuzz_topologies.py'), 'run', '--kernel', 'mutant',
		 '--seeds', mutant.target, '--expect-fail-at', mutant.check],
		stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
		env=dict(os.environ, WORKBENCH_BUILD=BUILD))
	for line in r.stdout.splitlines():
		if line.startswith('#'):
			log(f'  {line[1:].strip()}')
	return r.returncode == 0


def run_mutant(mutant):
	patch = os.path.join(MUTANTS, f'{mutant.name}.patch')
	if mutant.workbench:
		copy = os.path.join(WORK, 'workbench')
		shutil.rmtree(copy, ignore_errors=True)
		shutil.copytree(os.path.join(TOP, 'tests'), os.path.join(copy, 'tests'),
				ignore=shutil.ignore_patterns('__pycache__'))
		if not apply(patch, copy):
			return False
		return caught_vmtest(mutant, os.path.join(copy, 'tests', 'vmtest.py'), 'series')
	fresh_tree()
	if not apply(patch, MTREE):
		return False
	if mutant.kind == 'kunit':
		return caught_kunit(mutant)
	r = run([os.path.join(TOP, 'scripts', 'build-kernel.sh'), 'mutant'],
		stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
	if r.returncode:
		for line in r.stdout.splitlines()[-10:]:
			log(f'  {line}')
		log('  the mutant kernel does not build')
		return False
	if mutant.kind == 'fuzz':
		return caught_fuzz(mutant)
	return caught_vmtest(mutant, os.path.join(TOP, 'tests', 'vmtest.py'), 'mutant')


def main():
	parser = argparse.ArgumentParser(description=__doc__,
					 formatter_class=argparse.RawDescriptionHelpFormatter)
	sub = parser.add_subparsers(dest='cmd', required=True)
	lst = sub.add_parser('list', help='list the mutants and what guards them')
	lst.add_argument('--cheap', action='store_true', help='the KUnit mutants only')
	r = sub.add_parser('run', help='run mutants (all when none is named)')
	r.add_argument('--cheap', action='store_true', help='the KUnit mutants only')
	r.add_argument('names', nargs='*')
	args = parser.parse_args()

	try:
		everything = mutants.load_all(MUTANTS)
	except mutants.MutantError as e:
		print(f'error: {e}', file=sys.stderr)
		return 2
	if args.cmd == 'list':
		for m in everything:
			if args.cheap and not m.cheap:
				continue
			print(f'{m.name:<28} {m.guard():<40} {m.breaks}')
		return 0

	known = {m.name: m for m in everything}
	unknown = [n for n in args.names if n not in known]
	if unknown:
		print(f'error: unknown mutant {", ".join(unknown)}', file=sys.stderr)
		return 2
	selected = [known[n] for n in args.names] if args.names else everything
	if args.cheap:
		selected = [m for m in selected if m.cheap]
	# KUnit first: they are the cheap ones.
	selected.sort(key=lambda m: (not m.cheap, m.name))
	if not os.path.exists(os.path.join(TREE, '.git')):
		print("error: no work tree at build/linux; run 'make tree'", file=sys.stderr)
		return 2

	print(f'TAP version 13\n1..{len(selected)}')
	rows = []
	try:
		for i, m in enumerate(selected, 1):
			log(f'{m.name}: {m.breaks}; guarded by {m.guard()}')
			try:
				caught = run_mutant(m)
			except (OSError, subprocess.CalledProcessError) as e:
				log(f'  {type(e).__name__}: {e}')
				caught = False
			print(f'{"ok" if caught else "not ok"} {i} {m.name}', flush=True)
			rows.append((m, caught))
	finally:
		# Leave no mutant in the tree for whoever builds from it next.
		if os.path.exists(os.path.join(MTREE, '.git')):
			fresh_tree()
	print(mutants.table(rows))
	caught = sum(c for _, c in rows)
	print(f'# mutants: {caught} passed, {len(rows) - caught} failed')
	return 0 if caught == len(rows) else 1


if __name__ == '__main__':
	sys.exit(main())
