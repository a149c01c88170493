//go:build !windows

package main

import (
	"fmt"
	"os"
	"syscall"
)

// restartProgram replaces this process with a new run of the program, with
// the same arguments. Files this process opened (the register's lock among
// them) close on exec.
func restartProgram() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	if err := syscall.Exec(exe, os.Args, os.Environ()); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}
