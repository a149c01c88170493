// Package e2e holds Resepsjon's browser tests: they build the real binary,
// start it ("serve" or "demo") on a loopback port with a fresh data
// directory, log in through the one-time launch URL the app prints, and
// drive the embedded web UI with headless Debian chromium
// (/usr/bin/chromium) through chromedp at 1280×720.
//
// Besides what each test checks, every screen a test inspects is checked for
// sideways scrolling and for text below WCAG AA contrast, and the browser
// console must stay free of script errors and Content-Security-Policy
// violations.
//
// Without chromium the tests are skipped, unless CI=true, where a missing
// browser is a failure. Set RESEPSJON_SCREENSHOTS=<dir> to save PNGs of the
// main screens (client list, client form with a field error, client view,
// conflict, delete confirmation, demo, …) for review.
//
//	go test ./e2e/
//	RESEPSJON_SCREENSHOTS=/tmp/shots go test -count=1 ./e2e/
package e2e
