# SPDX-License-Identifier: GPL-2.0
#
# TAP for the host tests (sourced): "ok STATUS WHAT" prints one result,
# and on a failure what the last command left in $tmp/out and $tmp/err;
# "tap_done" prints the plan and exits 1 if anything failed.

n=0
failed=0

ok()
{
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
		sed 's/^/#   /' "$tmp/out" "$tmp/err" 2>/dev/null | cut -c1-200 | head -20
	fi
}

tap_done()
{
	echo "1..$n"
	exit $failed
}
