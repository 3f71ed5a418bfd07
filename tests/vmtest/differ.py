# SPDX-License-Identifier: GPL-2.0
"""Compare the stock kernel's and the series' runs of one topology (fuzzrun).

The series must be never worse than stock:
  placed      after every step, every BAR stock has assigned is assigned
              with the series too (BARs, ROMs and SR-IOV BARs; bridge
              windows are the means, not the end)
  found       every device stock enumerated after a hot-add, the series
              enumerated too
  unneeded    while both kernels had the same BARs at the same addresses,
              a step that stock completed without moving any BAR of a
              device already there, and where the series assigned what
              stock did, moved none with the series either
and it must run clean: no kernel report ('console'), a consistent address
map at the end ('layout'), every step done ('error').
"""

from . import pcimap
from .fuzzrun import bars


def device_bars(bars_):
	"""The resources of bars_ that belong to devices, not bridge windows."""
	return {k: v for k, v in bars_.items()
		if isinstance(k[1], int) or k[1].startswith('IOV')}


def _name(key, names):
	bdf, idx = key
	who = f'{bdf} ({names[bdf]})' if bdf in names else bdf
	return f'{who} {idx if isinstance(idx, str) else pcimap.describe(idx, 0).split(" [")[0]}'


def compare(stock, series):
	"""[(check, message)] of every way the series did worse than stock."""
	failures = []
	names = dict(stock.get('names', {}), **series.get('names', {}))
	if series['error']:
		failures.append(('error', series['error']))
	for report in series['reports']:
		failures.append(('console', report))
	if series['layout'] and ('not ok' in series['layout'] or 'ok 5' not in series['layout']):
		failures.append(('layout', series['layout']))
	same = True
	prev_st = prev_se = None
	for st, se in zip(stock['steps'], series['steps']):
		st_bars = device_bars(bars(st['map']))
		se_bars = device_bars(bars(se['map']))
		missing = sorted(st_bars.keys() - se_bars.keys(), key=str)
		if missing:
			failures.append(('placed', f'{st["label"]}: assigned by stock, not by the '
					 'series: ' + ', '.join(_name(k, names) for k in missing)))
		if st['bdf'] and not se['bdf'] and 'hot-add' in st['label']:
			failures.append(('found', f'{st["label"]}: stock found {st["bdf"]}, '
					 'the series nothing'))
		if prev_st is not None and same and not missing:
			stock_moved = [m for m in pcimap.moves(prev_st, st_bars)]
			series_moved = [m for m in pcimap.moves(prev_se, se_bars)]
			if not stock_moved and series_moved:
				failures.append(('unneeded', f'{st["label"]}: stock moved nothing, '
						 'the series moved: ' + ', '.join(
							 f'{_name((b, i), names)} {old[0]:#x} -> {new[0]:#x}'
							 for b, i, old, new in series_moved)))
		same = same and {k: v[:2] for k, v in st_bars.items()} == \
			{k: v[:2] for k, v in se_bars.items()}
		prev_st, prev_se = st_bars, se_bars
	if len(series['steps']) < len(stock['steps']) and not series['error']:
		failures.append(('error', f'the series ran {len(series["steps"])} of '
				 f'{len(stock["steps"])} steps'))
	return failures
