# SPDX-License-Identifier: GPL-2.0
"""Read the guest's PCI address map and compare two of them."""

# IORESOURCE_* bits from include/linux/ioport.h
IORESOURCE_IO = 0x100
IORESOURCE_MEM = 0x200
IORESOURCE_PREFETCH = 0x2000
IORESOURCE_MEM_64 = 0x100000
IORESOURCE_DISABLED = 0x10000000
IORESOURCE_UNSET = 0x20000000	# no address assigned (yet)

# Lines of /sys/bus/pci/devices/*/resource, as in include/linux/pci.h: BARs
# 0-5, the ROM, SR-IOV BARs when CONFIG_PCI_IOV=y (7 or 13 lines), and for
# bridges four more: io, mem and prefetchable windows and an unused one (11
# or 17 lines). Keys are the BAR number for BARs and the ROM, else a name.
ROM = 6
WINDOWS = ('io window', 'mem window', 'pref window', None)

# One shell command prints "bdf index start end flags" for every resource.
READ_MAP = r'''
for d in /sys/bus/pci/devices/*; do
	i=0
	while read -r s e f; do
		echo "${d##*/} $i $s $e $f"
		i=$((i + 1))
	done < $d/resource
done
'''


def _key(index, count):
	first_window = count - len(WINDOWS)
	if count in (11, 17) and index >= first_window:
		return WINDOWS[index - first_window]
	if index > ROM:
		return f'IOV {index - ROM - 1}'
	return index


def read_map(vm):
	"""{(bdf, key): (start, end, flags)} of every assigned resource."""
	return parse_map(vm.sh(READ_MAP))


def parse_map(text):
	"""read_map() of READ_MAP's output. A resource the kernel marks unset
	(it keeps its size and flags but has no address: a BAR that failed to
	get space) or disabled (a closed bridge window) is not assigned."""
	rows = [line.split() for line in text.splitlines()]
	count = {}
	for bdf, idx, *_ in rows:
		count[bdf] = max(count.get(bdf, 0), int(idx) + 1)
	bars = {}
	for bdf, idx, start, end, flags in rows:
		start, end, flags = int(start, 16), int(end, 16), int(flags, 16)
		key = _key(int(idx), count[bdf])
		if flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED):
			continue
		if flags and end and key is not None:
			bars[(bdf, key)] = (start, end, flags)
	return bars


def describe(index, flags):
	if isinstance(index, str):
		return index
	if index == ROM:
		return 'ROM'
	kind = 'io' if flags & IORESOURCE_IO else 'mem'
	if flags & IORESOURCE_MEM_64:
		kind += ' 64bit'
	if flags & IORESOURCE_PREFETCH:
		kind += ' pref'
	return f'BAR {index} [{kind}]'


def size(n):
	for unit, shift in (('GiB', 30), ('MiB', 20), ('KiB', 10)):
		if n >= 1 << shift and n % (1 << shift) == 0:
			return f'{n >> shift} {unit}'
	return f'{n} bytes'


def format_map(bars, names=None):
	names = names or {}
	lines = []
	for (bdf, idx), (start, end, flags) in sorted(bars.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
		who = f'{bdf} {names.get(bdf, "")}'.strip()
		lines.append(f'  {who:<28} {describe(idx, flags):<22} '
			     f'{start:#014x}-{end:#014x} ({size(end - start + 1)})')
	return '\n'.join(lines)


def moves(before, after):
	"""[(bdf, index, old range, new range)] for resources present in both."""
	out = []
	for key in sorted(before.keys() & after.keys(), key=lambda k: (k[0], str(k[1]))):
		if before[key][:2] != after[key][:2]:
			out.append((key[0], key[1], before[key], after[key]))
	return out


def format_moves(changes):
	if not changes:
		return '  (nothing moved)'
	return '\n'.join(f'  {bdf} {describe(idx, old[2]):<22} {old[0]:#014x} -> {new[0]:#014x}'
			 for bdf, idx, old, new in changes)
