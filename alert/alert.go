// Package alert shows a message to the person at the screen when the
// program has no console to print it in: a double-clicked Resepsjon that
// cannot start. Windows gets a native message box (user32 MessageBoxW), macOS
// a dialog through osascript, Linux zenity or notify-send when present; when
// none can be shown the message goes to the terminal.
package alert

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// Shower shows one error message and returns when it is dismissed (or
// handed to the desktop).
type Shower interface {
	Show(ctx context.Context, title, text string) error
}

// Terminal writes the message to w: the fallback, and what a program started
// from a terminal uses.
type Terminal struct{ W io.Writer }

// Show writes title and text to the terminal.
func (t Terminal) Show(_ context.Context, title, text string) error {
	_, err := fmt.Fprintf(t.W, "%s\n%s\n", title, text)
	return err
}

// command is one program call that shows the message.
type command struct {
	name string
	args []string
}

// runner runs a command; tests replace it.
type runner func(ctx context.Context, name string, args ...string) error

func execRun(ctx context.Context, name string, args ...string) error {
	return exec.CommandContext(ctx, name, args...).Run()
}

// dialogTimeout bounds how long a dialog may stay open: the program exits
// after it, and an unattended dialog must not keep it alive for ever.
const dialogTimeout = 10 * time.Minute

// External shows the message with the first of its commands that works,
// and on the fallback when none does.
type External struct {
	commands func(title, text string) []command
	run      runner
	fallback Shower
}

// Show tries each command in turn.
func (e External) Show(ctx context.Context, title, text string) error {
	ctx, cancel := context.WithTimeout(ctx, dialogTimeout)
	defer cancel()
	for _, c := range e.commands(title, text) {
		if err := e.run(ctx, c.name, c.args...); err == nil {
			return nil
		}
	}
	return e.fallback.Show(ctx, title, text)
}

// appleScriptString quotes s as an AppleScript string literal.
func appleScriptString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// macCommands shows a stop-icon dialog with one OK button.
func macCommands(title, text string) []command {
	script := "display dialog " + appleScriptString(text) + " with title " + appleScriptString(title) +
		` buttons {"OK"} default button "OK" with icon stop`
	return []command{{"osascript", []string{"-e", script}}}
}

// linuxCommands tries zenity (a dialog; text taken literally), then
// notify-send (a desktop notification that stays until dismissed).
func linuxCommands(lookPath func(string) (string, error)) func(title, text string) []command {
	return func(title, text string) []command {
		var cmds []command
		if p, err := lookPath("zenity"); err == nil {
			cmds = append(cmds, command{p, []string{"--error", "--no-markup", "--title", title, "--text", text, "--width", "480"}})
		}
		if p, err := lookPath("notify-send"); err == nil {
			cmds = append(cmds, command{p, []string{"--urgency=critical", "--app-name=Resepsjon", "--", title, text}})
		}
		return cmds
	}
}
