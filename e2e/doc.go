// Package e2e holds Resepsjon's browser tests: they build the real binary,
// start it on a loopback port with a fresh data directory, and drive the
// embedded web UI with headless Debian chromium (/usr/bin/chromium) through
// chromedp.
//
// Without chromium the tests are skipped, unless CI=true, where a missing
// browser is a failure. Set RESEPSJON_SCREENSHOTS=<dir> to save PNGs of the
// main screens (client list, client form with a field error, …) for review.
//
//	go test ./e2e/
//	RESEPSJON_SCREENSHOTS=/tmp/shots go test -count=1 ./e2e/
package e2e
