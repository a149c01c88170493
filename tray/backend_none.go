//go:build !windows && !linux

package tray

// Available says this build has a tray icon: not on this operating system
// (on macOS the tray library needs cgo, and releases are built without it).
const Available = false

// NewBackend is nil: there is no tray here.
func NewBackend() Backend { return nil }
