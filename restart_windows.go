//go:build windows

package main

import (
	"fmt"
	"os"
	"os/exec"
)

// restartProgram starts a new run of the program with the same arguments
// and lets this one end. This process has stopped serving already; the new
// run takes the register's lock once this process has exited (a launch that
// finds the lock held waits for its holder).
func restartProgram() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}
