#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Placeholder for the clink demo, run in the VM by "make demo" with
# /clink/demo as its directory.  The real demo replaces this file; its
# batch file lives in Documentation/examples/ (in the VM: /clink/examples/).

set -u

run() {
	echo "# $*"
	"$@"
}

run insmod "${CLINK_KO:-/clink/clink.ko}" || exit 1
run ip link add clink0 type clink || exit 1
run ip -d link show clink0
run clinkctl dev show || echo "(clinkctl dev show failed: not ready yet)"
run ip link del clink0
run rmmod clink
