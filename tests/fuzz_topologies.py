#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential test: random topologies on the stock kernel and the series.

  fuzz_topologies.py run [--seeds 1,5,9-12 | --count N [--first S]]
                         [--jobs J] [--kvm] [--kernel series|mutant]
                         [--expect-fail-at CHECK]
  fuzz_topologies.py show SEED     the topology and steps a seed gives
  fuzz_topologies.py count SEEDS   how many seeds SEEDS names

Each seed gives a q35 topology and a sequence of hot-adds and hot-removes
(tests/vmtest/topogen.py). Both kernels boot it and run the steps; the
series fails a seed where it does worse than stock (tests/vmtest/differ.py:
a BAR stock assigns and the series does not, a device moved that stock did
not need to move) or does not run clean. A failure prints the seed, the
topology, the steps and both QEMU command lines, and is kept in
build/fuzz/<seed>/report.txt.

With --kernel mutant, the series with a mutant applied (tests/mutants.py)
is compared with stock; --expect-fail-at CHECK then requires some seed to
fail at CHECK, which shows that the comparison catches the mutant.

The stock kernel's results are kept in build/fuzz/<seed>/stock.json and
reused while the stock kernel and the generator are unchanged. The last
line is "# fuzz: P passed, F failed".
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vmtest import differ, fuzzrun, paths, topogen	# noqa: E402
from vmtest.machine import have_qemu			# noqa: E402

OUT = os.path.join(paths.BUILD, 'fuzz')
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_seeds(text):
	"""'1,5,9-12' -> [1, 5, 9, 10, 11, 12]."""
	seeds = []
	for part in text.split(','):
		lo, _, hi = part.partition('-')
		seeds += range(int(lo), int(hi or lo) + 1)
	return seeds


def stock_key():
	"""What the stock kernel's result of a seed depends on: the kernel, the
	generator, the map reader and the result format."""
	digest = hashlib.sha256(f'{fuzzrun.RESULT_VERSION}'.encode())
	for path in (paths.KERNELS['stock'],
		     os.path.join(HERE, 'vmtest', 'topogen.py'),
		     os.path.join(HERE, 'vmtest', 'pcimap.py')):
		with open(path, 'rb') as f:
			digest.update(f.read())
	return digest.hexdigest()[:16]


def run_kernel(topo, kind, initrd, kvm, key=None):
	"""The result of topo on a kernel; the stock kernel's from the cache
	when key matches."""
	rundir = os.path.join(OUT, str(topo.seed), kind)
	cache = os.path.join(OUT, str(topo.seed), f'{kind}.json')
	if key and os.path.exists(cache):
		with open(cache) as f:
			saved = json.load(f)
		if saved.get('key') == key:
			return saved, True
	result = fuzzrun.run(topo, paths.KERNELS[kind], initrd, rundir, kvm)
	result['key'] = key
	with open(cache, 'w') as f:
		json.dump(result, f)
	return result, False


def assigned_at_end(result):
	"""The device BARs a run had assigned after its last step."""
	if not result['steps']:
		return {}
	return differ.device_bars(fuzzrun.bars(result['steps'][-1]['map']))


def summary(stock, series):
	"""Figures of one seed: hot-adds, device BARs each kernel had assigned
	at the end, and how many of the series' stock left unassigned."""
	st, se = assigned_at_end(stock), assigned_at_end(series)
	return {'adds': sum(1 for s in stock['steps'] if 'hot-add' in s['label']),
		'stock_bars': len(st), 'series_bars': len(se),
		'series_more': len(se.keys() - st.keys())}


def qemu_gave_up(rundir, error=None):
	"""Why QEMU or its firmware, not the kernel, ended the run, or None.
	QEMU 7.2 aborts when a bochs-display is hot-added where one was
	removed ('RAMBlock ... already registered, abort!'); SeaBIOS stops
	before the kernel when it runs out of 32-bit space for many bridges
	(nothing on the console, and the guest never boots)."""
	try:
		with open(os.path.join(rundir, 'console.log'), errors='replace') as f:
			lines = f.read().splitlines()
	except OSError:
		return None
	abort = next((l.strip() for l in lines if l.rstrip().endswith('abort!')), None)
	if abort:
		return abort
	if not any(l.strip() for l in lines) and error and 'did not boot' in error:
		return 'the firmware did not boot this topology (nothing on the console)'
	return None


def run_seed(seed, kernel, initrd, kvm, key):
	topo = topogen.generate(seed)
	os.makedirs(os.path.join(OUT, str(seed)), exist_ok=True)
	start = time.monotonic()
	stock, cached = run_kernel(topo, 'stock', initrd, kvm, key)
	series, _ = run_kernel(topo, kernel, initrd, kvm)
	gave_up = [qemu_gave_up(os.path.join(OUT, str(seed), k), r['error'])
		   for k, r in (('stock', stock), (kernel, series))]
	if stock['error'] and series['error'] and gave_up[0] and gave_up[0] == gave_up[1]:
		return {'seed': seed, 'failures': [], 'lines': [], 'cached': cached,
			'elapsed': time.monotonic() - start, 'figures': summary(stock, series),
			'skip': f'on both kernels, not the kernel\'s doing: {gave_up[0]}'}
	failures = differ.compare(stock, series)
	if stock['error']:
		# Nothing to compare with: the run itself is broken.
		failures.append(('stock-error', stock['error']))
	lines = [topo.describe()]
	for check, message in failures:
		lines.append(f'[{check}] {message}')
	for report in stock['reports']:
		lines.append(f'note, stock kernel report: {report}')
	lines.append(f'stock QEMU: {stock.get("qemu", "")}')
	lines.append(f'{kernel} QEMU: {series.get("qemu", "")}')
	lines.append(f'again: tests/fuzz_topologies.py run --seeds {seed}'
		     + (f' --kernel {kernel}' if kernel != 'series' else ''))
	with open(os.path.join(OUT, str(seed), 'report.txt'), 'w') as f:
		f.write('\n'.join(lines) + '\n')
	return {'seed': seed, 'failures': failures, 'lines': lines, 'cached': cached,
		'elapsed': time.monotonic() - start, 'figures': summary(stock, series),
		'skip': None}


def main():
	parser = argparse.ArgumentParser(description=__doc__,
					 formatter_class=argparse.RawDescriptionHelpFormatter)
	sub = parser.add_subparsers(dest='cmd', required=True)
	run = sub.add_parser('run', help='run seeds on both kernels and compare')
	run.add_argument('--seeds', help='seeds: 1,5,9-12')
	run.add_argument('--count', type=int, default=10, help='how many seeds (default 10)')
	run.add_argument('--first', type=int, default=1, help='the first seed (default 1)')
	run.add_argument('--jobs', type=int, default=2, help='topologies at a time (default 2)')
	run.add_argument('--kvm', action='store_true', help='use KVM instead of TCG')
	run.add_argument('--kernel', choices=('series', 'mutant'), default='series',
			 help='the kernel compared with stock')
	run.add_argument('--expect-fail-at', metavar='CHECK',
			 help='require some seed to fail at CHECK (a mutant caught)')
	show = sub.add_parser('show', help='print the topology a seed gives')
	show.add_argument('seed', type=int)
	count = sub.add_parser('count', help='how many seeds a list names')
	count.add_argument('seeds')
	args = parser.parse_args()

	if args.cmd == 'count':
		print(len(parse_seeds(args.seeds)))
		return 0

	if args.cmd == 'show':
		print(topogen.generate(args.seed).describe())
		return 0

	seeds = parse_seeds(args.seeds) if args.seeds else \
		list(range(args.first, args.first + args.count))
	if not have_qemu():
		print('error: qemu-system-x86_64 not found: run make deps', file=sys.stderr)
		return 2
	for kind in ('stock', args.kernel):
		if not os.path.exists(paths.KERNELS[kind]):
			print(f'error: {paths.KERNELS[kind]} missing: run make '
			      f'{paths.MAKE_KERNEL[kind]}', file=sys.stderr)
			return 2
	initrd = paths.guest_initrd()
	key = stock_key()
	start = time.monotonic()
	print(f'TAP version 13\n1..{len(seeds)}', flush=True)
	passed = failed = skipped = 0
	caught = set()
	totals = {'adds': 0, 'stock_bars': 0, 'series_bars': 0, 'series_more': 0}
	with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
		jobs = [pool.submit(run_seed, s, args.kernel, initrd, args.kvm, key)
			for s in seeds]
		for n, job in enumerate(concurrent.futures.as_completed(jobs), 1):
			res = job.result()
			ok = not res['failures']
			for k in totals:
				totals[k] += res['figures'][k]
			print(f'# seed {res["seed"]}: {res["elapsed"]:.0f}s'
			      f'{" (stock from cache)" if res["cached"] else ""}, '
			      f'{res["figures"]["adds"]} hot-adds, device BARs at the end: '
			      f'stock {res["figures"]["stock_bars"]}, '
			      f'series {res["figures"]["series_bars"]}', flush=True)
			if res['skip']:
				print(f'ok {n} seed {res["seed"]} # SKIP {res["skip"]}', flush=True)
				skipped += 1
				continue
			if not ok:
				for line in res['lines']:
					print('\n'.join(f'#  {l}' for l in line.splitlines()), flush=True)
			print(f'{"ok" if ok else "not ok"} {n} seed {res["seed"]}', flush=True)
			passed += ok
			failed += not ok
			caught |= {c for c, _ in res['failures']}
	print(f'# {len(seeds)} topologies, {totals["adds"]} hot-adds, '
	      f'{time.monotonic() - start:.0f}s; device BARs assigned at the end: '
	      f'stock {totals["stock_bars"]}, series {totals["series_bars"]} '
	      f'({totals["series_more"]} that stock left unassigned)')
	if args.expect_fail_at:
		found = args.expect_fail_at in caught
		print(f'# {"failed" if found else "expected a failure"} at '
		      f'[{args.expect_fail_at}]{" as expected" if found else ""}; '
		      f'failures seen: {", ".join(sorted(caught)) or "none"}')
		return 0 if found else 1
	print(f'# fuzz: {passed} passed, {failed} failed, {skipped} skipped')
	return 0 if failed == 0 else 1


if __name__ == '__main__':
	sys.exit(main())
