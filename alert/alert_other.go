//go:build !unix && !windows

package alert

import "io"

// Native is the terminal where no dialog is known.
func Native(w io.Writer) Shower { return Terminal{W: w} }
