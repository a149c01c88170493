//go:build unix && !darwin

package alert

import (
	"io"
	"os/exec"
)

// Native is zenity or notify-send where installed, with the terminal w as
// fallback.
func Native(w io.Writer) Shower {
	return External{commands: linuxCommands(exec.LookPath), run: execRun, fallback: Terminal{W: w}}
}
