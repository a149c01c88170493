//go:build !windows

package main

import "os"

// attachConsole reports whether standard error is a terminal: started from
// a terminal, problems are printed there; double-clicked (a macOS app, a
// Linux menu entry) they are shown in a dialog.
func attachConsole() bool {
	st, err := os.Stderr.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
