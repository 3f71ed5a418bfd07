# SPDX-License-Identifier: GPL-2.0
"""Draw a PCI memory address map before and after a change as one SVG.

Each root window (a top-level "PCI Bus" range of /proc/iomem) that holds
something is a band, drawn to scale along its length. Bridge windows and
BARs are boxes nested by address containment: a box is drawn one level
below the smallest box that contains it. Boxes that moved are orange, with
a dashed outline where they came from and the old address in their label;
boxes that exist only after the change are green; resources that have no
address after the change are listed under the picture.
"""

from xml.sax.saxutils import escape

from . import pcimap

WIDTH = 1100
LEFT = 10
BAND_TOP = 34
LEVEL = 26
FONT = 11
COLORS = {'window': '#dde6f3', 'bar': '#9ab7d8', 'moved': '#f2a541',
	  'new': '#7ccf7c', 'old': 'none'}


def parse_root_windows(iomem):
	"""[(start, end)] of the top-level "PCI Bus" memory ranges of /proc/iomem."""
	out = []
	for line in iomem.splitlines():
		if line.startswith(' ') or 'PCI Bus' not in line:
			continue
		span = line.split(':', 1)[0].strip()
		start, end = (int(x, 16) for x in span.split('-'))
		if end > start:
			out.append((start, end))
	return out


def read_root_windows(vm):
	"""The root windows of the guest's memory space."""
	return parse_root_windows(vm.sh('cat /proc/iomem'))


def _depths(items):
	"""{key: nesting depth} for items {key: (start, end, flags)}: the number
	of other items that contain each one (equal ranges: the bridge window
	contains the BAR, a window before a BAR of the same range)."""
	depth = {}
	for key, (s, e, _) in items.items():
		d = 0
		for other, (os_, oe, _) in items.items():
			if other == key or not (os_ <= s and e <= oe):
				continue
			if (os_, oe) != (s, e) or (isinstance(other[1], str) and
						   not isinstance(key[1], str)):
				d += 1
		depth[key] = d
	return depth


def _label(key, flags, size):
	bdf, idx = key
	return f'{bdf[5:]} {pcimap.size(size)} {pcimap.describe(idx, flags)}'


def _panel(title, bars, roots, moved, new, y0, ghosts):
	"""SVG elements of one panel and its height."""
	mem = {k: v for k, v in bars.items()
	       if v[2] & pcimap.IORESOURCE_MEM and not v[2] & pcimap.IORESOURCE_IO}
	depth = _depths(mem)
	parts = [f'<text x="{LEFT}" y="{y0 + 16}" font-size="14" font-weight="bold">'
		 f'{escape(title)}</text>']
	y = y0 + BAND_TOP
	ghost_parts = []
	for rs, re_ in roots:
		inside = {k: v for k, v in mem.items() if rs <= v[0] and v[1] <= re_}
		if not inside:
			continue
		levels = 1 + max(depth[k] for k in inside)
		height = levels * LEVEL + 8
		scale = (WIDTH - 2 * LEFT) / (re_ - rs + 1)

		def x_of(addr, rs=rs, scale=scale):
			return LEFT + (addr - rs) * scale
		parts.append(f'<rect x="{LEFT}" y="{y}" width="{WIDTH - 2 * LEFT}" '
			     f'height="{height}" fill="#f7f7f7" stroke="#555"/>')
		parts.append(f'<text x="{LEFT + 2}" y="{y - 3}" font-size="{FONT}">root window '
			     f'{rs:#x}-{re_:#x} ({pcimap.size(re_ - rs + 1)})</text>')
		for key in sorted(inside, key=lambda k: depth[k]):
			s, e, flags = inside[key]
			d = depth[key]
			bx, bw = x_of(s), max(2.0, (e - s + 1) * scale)
			by, bh = y + 4 + d * LEVEL, height - 8 - d * LEVEL
			kind = ('moved' if key in moved else 'new' if key in new else
				'window' if isinstance(key[1], str) else 'bar')
			label = _label(key, flags, e - s + 1)
			if key in moved:
				old = moved[key]
				label += f' (moved from {old[0]:#x})'
				if ghosts and rs <= old[0] <= re_:
					ghost_parts.append(f'<rect x="{x_of(old[0]):.1f}" y="{by}" '
						     f'width="{max(2.0, (old[1] - old[0] + 1) * scale):.1f}" '
						     f'height="{bh}" fill="none" stroke="#c0392b" '
						     f'stroke-dasharray="5,3"/>')
			parts.append(f'<rect x="{bx:.1f}" y="{by}" width="{bw:.1f}" height="{bh}" '
				     f'fill="{COLORS[kind]}" stroke="#333" stroke-width="0.6">'
				     f'<title>{escape(label)} {s:#x}-{e:#x}</title></rect>')
			fit = int((bw - 6) / (FONT * 0.62))
			if fit >= 6:
				text = label if len(label) <= fit else label[:fit - 1] + '\u2026'
				parts.append(f'<text x="{bx + 3:.1f}" y="{by + FONT + 2}" '
					     f'font-size="{FONT}" class="{kind}">{escape(text)}</text>')
		y += height + 28
	return parts + ghost_parts, y - y0


def render(before, after, roots_before, roots_after, title='', missing=()):
	"""The SVG text: a 'before' panel over an 'after' panel. missing lists
	descriptions of resources that were asked for and got no address."""
	moved = {(bdf, idx): old for bdf, idx, old, _ in pcimap.moves(before, after)}
	new = set(after) - set(before)
	gone = sorted(set(before) - set(after), key=lambda k: (k[0], str(k[1])))
	parts = []
	p1, h1 = _panel(f'{title} before'.strip(), before, roots_before, {}, set(), 0, False)
	p2, h2 = _panel(f'{title} after'.strip(), after, roots_after, moved, new, h1, True)
	parts += p1 + p2
	y = h1 + h2 + 10
	legend = [('bar', 'BAR in place'), ('window', 'bridge window'),
		  ('moved', 'moved (dashed: where it was)'), ('new', 'new')]
	x = LEFT
	for kind, text in legend:
		parts.append(f'<rect x="{x}" y="{y}" width="14" height="12" '
			     f'fill="{COLORS[kind]}" stroke="#333"/>')
		parts.append(f'<text x="{x + 18}" y="{y + 10}" font-size="{FONT}">{text}</text>')
		x += 40 + 7 * len(text)
	y += 26
	for key, old in sorted(moved.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
		s, e, flags = after[key]
		parts.append(f'<text x="{LEFT}" y="{y}" font-size="{FONT}">moved: '
			     f'{escape(_label(key, flags, e - s + 1))} {old[0]:#x} -&gt; {s:#x}</text>')
		y += 16
	for key in gone:
		s, e, flags = before[key]
		parts.append(f'<text x="{LEFT}" y="{y}" font-size="{FONT}" fill="#c0392b">'
			     f'lost: {escape(_label(key, flags, e - s + 1))} (was at {s:#x})</text>')
		y += 16
	for text in missing:
		parts.append(f'<text x="{LEFT}" y="{y}" font-size="{FONT}" fill="#c0392b">'
			     f'not assigned: {escape(text)}</text>')
		y += 16
	return ('<?xml version="1.0" encoding="UTF-8"?>\n'
		f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y + 10}" '
		f'font-family="monospace">\n<rect width="100%" height="100%" fill="white"/>\n'
		+ '\n'.join(parts) + '\n</svg>\n')

