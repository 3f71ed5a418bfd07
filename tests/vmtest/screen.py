# SPDX-License-Identifier: GPL-2.0
"""What the guest's display shows: QEMU screen dumps and the pattern of
tests/guest/drm_dumb_move.c."""

import os


def pattern_pixel(i, phase):
	"""Pixel i (in 32-bit words) of pattern phase, as RGB bits."""
	return (i * 2654435761 + phase * 0x9e3779b9) & 0xffffff


def dump(vm, name, device=None):
	"""Take a screen dump through QMP of the display device with that id
	(the first one if None); return (width, height, rgb bytes)."""
	path = os.path.join(vm.rundir, f'{name}.ppm')
	args = {'filename': path}
	if device:
		args['device'] = device
	vm.qmp.command('screendump', **args)
	with open(path, 'rb') as f:
		data = f.read()
	os.unlink(path)
	# P6 header: magic, width, height, maxval, each followed by whitespace.
	fields, pos = [], 0
	while len(fields) < 4:
		while data[pos:pos + 1].isspace():
			pos += 1
		end = pos
		while not data[end:end + 1].isspace():
			end += 1
		fields.append(data[pos:end])
		pos = end
	if fields[0] != b'P6':
		raise RuntimeError(f'screendump: not a P6 image: {fields[0]!r}')
	return int(fields[1]), int(fields[2]), data[pos + 1:]


def mismatches(image, pitch, phase, samples=997):
	"""Count sampled pixels of image that differ from pattern phase laid out
	with pitch bytes per line; return (mismatches, samples)."""
	width, height, rgb = image
	bad = 0
	for n in range(samples):
		x = (n * 7919) % width
		y = (n * 104729) % height
		off = (y * width + x) * 3
		got = (rgb[off] << 16) | (rgb[off + 1] << 8) | rgb[off + 2]
		bad += got != pattern_pixel(y * pitch // 4 + x, phase)
	return bad, samples
