#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the workbench's own tests (tests/harness/test_*.py) and end with the
line make check counts: "# harness: P passed, F failed"."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
	sys.path.insert(0, HERE)
	suite = unittest.defaultTestLoader.discover(os.path.join(HERE, 'harness'),
						    top_level_dir=HERE)
	result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
	failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
	passed = result.testsRun - failed - len(result.skipped)
	print(f'# harness: {passed} passed, {failed} failed')
	return 0 if failed == 0 and result.testsRun else 1


if __name__ == '__main__':
	sys.exit(main())
