#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vmtest/agent.py: run the commands the host sends on
# ttyS1 and send back their output and exit code.
port=/dev/ttyS1
stty -F $port raw -echo -echoe -echok -icrnl -onlcr 115200
exec 3<>$port
echo HELLO >&3
while read -r id payload <&3; do
	echo "$payload" | base64 -d >/tmp/agent-cmd.sh
	sh /tmp/agent-cmd.sh >/tmp/agent-out 2>&1 </dev/null
	rc=$?
	{
		echo "BEGIN $id"
		base64 /tmp/agent-out
		echo "END $id $rc"
	} >&3
done
