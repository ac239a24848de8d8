#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane ("make check-debug"): build the debug kernel unless it is
# cached (build-kernel.sh), then "make check" on it, through the VM
# harness's KROOT (a kernel built outside /boot): the whole suite, or the
# tests matching T.  The fuzzers get their full counts here
# (FUZZ_ITERATIONS and FUZZ_PACKETS, 1,000,000 each, unless the caller set
# them: .ci/run asks for fewer), passed to the VM as every FUZZ_* is.
#
# Usage: check.sh [make variables...], e.g. check.sh T=fuzz
# Environment: DEBUG_TEST_TIMEOUT (seconds per test, default 7200: the
# netlink fuzzer's 1,000,000 requests take about 70 minutes at the 250
# requests/s measured under TCG), DEBUG_VM_TIMEOUT (seconds for the VM,
# default 14400), and those of build-kernel.sh.  Not TEST_TIMEOUT and
# VM_TIMEOUT: the top-level Makefile exports its own, sized for the
# normal kernels.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../.." && pwd)

"$here/build-kernel.sh"
kroot=$("$here/build-kernel.sh" --print-dir)

# KROOT in the environment, not only on make's command line: the
# Makefile's $(shell selftests/vm/kernels) must see it too (make 4.3 does
# not pass exported variables to $(shell)).
export KROOT=$kroot
export FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-1000000}
export FUZZ_PACKETS=${FUZZ_PACKETS:-1000000}
make -C "$srctree" --no-print-directory check KROOT="$kroot" \
	TEST_TIMEOUT="${DEBUG_TEST_TIMEOUT:-7200}" \
	VM_TIMEOUT="${DEBUG_VM_TIMEOUT:-14400}" "$@"
