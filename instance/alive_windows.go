//go:build windows

package instance

import "os"

// On Windows FindProcess opens a handle and fails for a process that is gone;
// the health check in Running confirms the rest.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
