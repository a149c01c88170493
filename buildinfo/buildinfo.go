// Package buildinfo tells which build of Resepsjon is running: the version,
// commit and build date stamped by the release build (go build -ldflags -X),
// or what the Go toolchain recorded for a development build. A build of a
// commit without a tag is a development build ("dev-<commit>"), also when
// the toolchain stamped a pseudo-version (v0.0.0-20261205115947-cfa68261671a)
// for it.
package buildinfo

import (
	"runtime"
	"runtime/debug"

	"golang.org/x/mod/module"
)

// Stamped by the release build:
//
//	-X resepsjon/buildinfo.version=v1.2.3
//	-X resepsjon/buildinfo.commit=<full git hash>
//	-X resepsjon/buildinfo.date=2026-12-04T15:00:00Z (the commit's time, so
//	   the same commit always gives the same bytes)
//
// They are written only by the linker, never at run time.
var (
	version string
	commit  string
	date    string
)

// Info describes one build.
type Info struct {
	Version string `json:"version"` // v1.2.3, or dev-<commit> for a development build
	Commit  string `json:"commit"`  // full git commit, "" when unknown
	Date    string `json:"date"`    // build date (RFC 3339), "" when unknown
	Go      string `json:"go"`      // Go version
	OS      string `json:"os"`      // GOOS/GOARCH
}

// Get returns the running build's info.
func Get() Info {
	var settings []debug.BuildSetting
	mainVersion := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		settings, mainVersion = bi.Settings, bi.Main.Version
	}
	return resolve(version, commit, date, mainVersion, settings)
}

// resolve prefers the stamped values and falls back to the toolchain's VCS
// settings.
func resolve(stampVersion, stampCommit, stampDate, mainVersion string, settings []debug.BuildSetting) Info {
	info := Info{Version: stampVersion, Commit: stampCommit, Date: stampDate, Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	dirty := false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			if info.Commit == "" {
				info.Commit = s.Value
			}
		case "vcs.time":
			if info.Date == "" {
				info.Date = s.Value
			}
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if info.Version != "" {
		return info
	}
	switch {
	case mainVersion != "" && mainVersion != "(devel)" && !module.IsPseudoVersion(mainVersion):
		// A tagged commit (go build stamps the tag), or go install pkg@v1.2.3.
		info.Version = mainVersion
	case info.Commit != "":
		short := info.Commit
		if len(short) > 12 {
			short = short[:12]
		}
		info.Version = "dev-" + short
		if dirty {
			info.Version += "+dirty"
		}
	default:
		info.Version = "dev"
	}
	return info
}

// String is the one-line form for `resepsjon version` and the log.
func (i Info) String() string {
	s := i.Version
	if i.Commit != "" {
		s += " commit " + i.Commit
	}
	if i.Date != "" {
		s += " built " + i.Date
	}
	return s + " " + i.Go + " " + i.OS
}
