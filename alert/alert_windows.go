package alert

import (
	"context"
	"io"

	"golang.org/x/sys/windows"
)

// messageBox is user32's MessageBoxW: an error icon, one OK button, in
// front of other windows.
type messageBox struct{ fallback Shower }

// Native is the Windows message box, with the terminal w as fallback.
func Native(w io.Writer) Shower { return messageBox{fallback: Terminal{W: w}} }

func (m messageBox) Show(ctx context.Context, title, text string) error {
	t, err := windows.UTF16PtrFromString(title)
	if err != nil {
		return m.fallback.Show(ctx, title, text)
	}
	x, err := windows.UTF16PtrFromString(text)
	if err != nil {
		return m.fallback.Show(ctx, title, text)
	}
	if _, err := windows.MessageBox(0, x, t, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND|windows.MB_TOPMOST); err != nil {
		return m.fallback.Show(ctx, title, text)
	}
	return nil
}
