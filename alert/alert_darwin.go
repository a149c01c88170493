package alert

import "io"

// Native is macOS's dialog, with the terminal w as fallback.
func Native(w io.Writer) Shower {
	return External{commands: macCommands, run: execRun, fallback: Terminal{W: w}}
}
