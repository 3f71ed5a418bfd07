#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the cover letter for the work tree's series: the hand-written text
# of patches/0000-cover-letter.patch (everything before the shortlog), with
# the subject's patch count, the shortlog and the diffstat regenerated.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cover=$PATCHES/0000-cover-letter.patch
n=$(git -C "$TREE" rev-list --count base..HEAD)
nn=$(printf '%02d' "$n")

if [ -f "$cover" ]; then
	# The shortlog starts with a line "Author Name (N):".
	awk '/^[^ \t].* \([0-9]+\):$/ { exit } { print }' "$cover" |
		sed "s/^Subject: \[PATCH 0*\/[0-9]*\]/Subject: [PATCH 00\/$nn]/"
else
	cat <<MSG
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: $(git config user.name) <$(git config user.email)>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH 00/$nn] *** SUBJECT HERE ***

*** BLURB HERE ***

MSG
fi
cover_tail
