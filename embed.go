package main

import (
	"embed"
	"io/fs"
)

//go:embed ui
var uiFiles embed.FS

// uiFS is the ui/ directory as the root of a file system.
func uiFS() (fs.FS, error) {
	return fs.Sub(uiFiles, "ui")
}
