#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the results of a benchmark run from the VM's console log.
#
# Usage: bench/collect.sh LOGFILE [OUT]
#   OUT defaults to build/bench/results.json.  bench/run prints its JSON
#   between "#### clink: BENCH JSON BEGIN" and "#### clink: BENCH JSON END";
#   the last such block of LOGFILE is written to OUT (checked with jq when
#   it is installed).  Exits 1 when the log holds no results.

set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 LOGFILE [OUT]" >&2; exit 2; }
log=$1
srctree=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$srctree/build/bench/results.json}

json=$(tr -d '\r' <"$log" | awk '
	/^#### clink: BENCH JSON BEGIN/ { buf = ""; on = 1; next }
	/^#### clink: BENCH JSON END/ { last = buf; on = 0; next }
	on { buf = buf $0 "\n" }
	END { printf "%s", last }')
if [ -z "$json" ]; then
	echo "collect: no benchmark results in $log" >&2
	exit 1
fi
if command -v jq >/dev/null && ! jq -e . <<<"$json" >/dev/null; then
	echo "collect: the results in $log are not valid JSON" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
printf '%s' "$json" >"$out"
echo "collect: $out"
