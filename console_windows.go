package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole attaches a GUI-subsystem program to the console of the
// terminal it was started from, so "resepsjon version", "key", "backup" and
// the others print there, and points os.Stdout and os.Stderr at it. It
// reports whether there is a console; a double-clicked program has none.
func attachConsole() bool {
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS
	proc := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if proc.Find() != nil {
		return false
	}
	if r, _, _ := proc.Call(uintptr(attachParentProcess)); r == 0 {
		// Already has a console (a console-subsystem build), or no parent
		// console at all.
		return consoleHandleValid(windows.STD_ERROR_HANDLE)
	}
	// Standard handles a parent redirected (to a file or pipe) stay; the
	// others go to the console.
	if !consoleHandleValid(windows.STD_OUTPUT_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !consoleHandleValid(windows.STD_ERROR_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	return true
}

// consoleHandleValid reports whether the standard handle is usable.
func consoleHandleValid(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	return err == nil && h != 0 && h != windows.InvalidHandle
}
