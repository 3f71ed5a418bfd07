# SPDX-License-Identifier: GPL-2.0
"""Compare the stock kernel's and the series' runs of one topology (fuzzrun).

The series must be never worse than stock:
  placed      after every step, every BAR stock has assigned is assigned
              with the series too (BARs, ROMs and SR-IOV BARs; bridge
              windows are the means, not the end); a ROM the series left
              out to give the device BARs stock did not give it is no
              failure (a ROM is optional, the BARs are not)
  found       every device stock enumerated after a hot-add, the series
              enumerated too
  unneeded    while both kernels had the same BARs at the same addresses,
              a step after which stock had moved no device's BAR and the
              series had assigned nothing more than stock moved none with
              the series either
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


def _traded_rom(key, st_bars, se_bars):
	"""Is key a ROM the series left out while it gave the same device a
	BAR stock did not?"""
	bdf, idx = key
	return idx == pcimap.ROM and any(
		b == bdf and isinstance(i, int) and i < pcimap.ROM
		for b, i in se_bars.keys() - st_bars.keys())


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
		missing = sorted((k for k in st_bars.keys() - se_bars.keys()
				  if not _traded_rom(k, st_bars, se_bars)), key=str)
		if missing:
			failures.append(('placed', f'{st["label"]}: assigned by stock, not by the '
					 'series: ' + ', '.join(_name(k, names) for k in missing)))
		if st['bdf'] and not se['bdf'] and 'hot-add' in st['label']:
			failures.append(('found', f'{st["label"]}: stock found {st["bdf"]}, '
					 'the series nothing'))
		more = se_bars.keys() - st_bars.keys()
		if prev_st is not None and same and not missing and not more:
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
