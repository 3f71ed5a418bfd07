# SPDX-License-Identifier: GPL-2.0
"""Stand-ins for system commands, put first on PATH by the harness tests."""

import os
import textwrap


def write(directory, shims):
	"""Write each {name: bash body} as an executable script in directory
	(created); return directory, to be put first on PATH."""
	os.makedirs(directory, exist_ok=True)
	for name, body in shims.items():
		path = os.path.join(directory, name)
		with open(path, 'w') as f:
			f.write('#!/bin/bash\n' + textwrap.dedent(body).strip('\n') + '\n')
		os.chmod(path, 0o755)
	return directory
