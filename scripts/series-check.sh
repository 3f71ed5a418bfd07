#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail, naming what differs, when build/linux holds work that patches/ does
# not: uncommitted or untracked edits, or commits that were not exported.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || { echo "series-check: no work tree at build/linux, nothing to compare"; exit 0; }

bad=0
dirty=$(git -C "$TREE" status --porcelain --untracked-files=no)
if [ -n "$dirty" ]; then
	echo "series-check: uncommitted edits in build/linux:"
	sed 's/^/  /' <<<"$dirty" | sed -n 1,20p
	bad=1
fi
# Debian's .gitignore hides every new file from 'git status'; list them
# without it. Builds are out of tree, so nothing else should be there.
new=$(git -C "$TREE" ls-files --others --exclude='__pycache__' --exclude='*.pyc' | sed -n 1,20p)
if [ -n "$new" ]; then
	echo "series-check: files in build/linux that no commit has (add them with 'git add -f'):"
	echo "$new" | sed 's/^/  /'
	bad=1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if [ ! -e "$PATCHES/$name" ]; then
		echo "series-check: commit not exported: $name"
		bad=1
	elif ! cmp -s "$f" "$PATCHES/$name"; then
		echo "series-check: commit differs from patches/$name"
		bad=1
	fi
done
for f in $(series_files); do
	if [ ! -e "$tmp/$(basename "$f")" ]; then
		echo "series-check: patches/$(basename "$f") is not in build/linux (re-run 'make tree' or drop it)"
		bad=1
	fi
done
if ! "$TOP/scripts/cover-letter.sh" | cmp -s - "$PATCHES/0000-cover-letter.patch"; then
	echo "series-check: patches/0000-cover-letter.patch is stale"
	bad=1
fi

if [ "$bad" = 1 ]; then
	echo "series-check: run 'make export' (after committing in build/linux), then commit patches/"
	exit 1
fi
echo "series-check: build/linux and patches/ agree ($(series_files | wc -l) patches)"
