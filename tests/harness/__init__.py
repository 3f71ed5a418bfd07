# SPDX-License-Identifier: GPL-2.0
"""Tests of the workbench itself: scripts and parsers (tests/harness.py runs them)."""
