package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"io/fs"
	"os"
	"strings"
	"time"

	"resepsjon/appicon"
)

// entry is one file or directory of an archive, in archive order.
type entry struct {
	name string
	mode fs.FileMode // fs.ModeDir for directories
	data []byte
}

// macBundleID identifies the app to macOS (Keychain, Gatekeeper).
const macBundleID = "no.resepsjon.Resepsjon"

// infoPlist is the app bundle's Info.plist. LSUIElement: the program has
// no windows of its own (the UI is in the browser), so no Dock icon.
func infoPlist(st stamp) []byte {
	short := strings.TrimSuffix(numericVersion(st.Version), ".0")
	keys := []struct{ k, v string }{
		{"CFBundleDevelopmentRegion", "<string>nb</string>"},
		{"CFBundleDisplayName", "<string>Resepsjon</string>"},
		{"CFBundleExecutable", "<string>resepsjon</string>"},
		{"CFBundleIconFile", "<string>resepsjon.icns</string>"},
		{"CFBundleIdentifier", "<string>" + macBundleID + "</string>"},
		{"CFBundleInfoDictionaryVersion", "<string>6.0</string>"},
		{"CFBundleName", "<string>Resepsjon</string>"},
		{"CFBundlePackageType", "<string>APPL</string>"},
		{"CFBundleShortVersionString", "<string>" + short + "</string>"},
		{"CFBundleVersion", "<string>" + short + "</string>"},
		{"LSMinimumSystemVersion", "<string>12.0</string>"},
		{"LSUIElement", "<true/>"},
		{"NSHighResolutionCapable", "<true/>"},
		{"ResepsjonCommit", "<string>" + st.Commit + "</string>"},
		{"ResepsjonVersion", "<string>" + html.EscapeString(st.Version) + "</string>"},
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
`)
	for _, kv := range keys {
		fmt.Fprintf(&b, "\t<key>%s</key>\n\t%s\n", kv.k, kv.v)
	}
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}

// macZip packs Resepsjon.app (program, Info.plist, icon) into a zip.
func macZip(exe, out string, st stamp) error {
	prog, err := os.ReadFile(exe)
	if err != nil {
		return err
	}
	icns, err := appicon.ICNS(appicon.PNG512, appicon.PNG256, appicon.PNG32)
	if err != nil {
		return err
	}
	return writeZip(out, st.Time, []entry{
		{"Resepsjon.app/", fs.ModeDir | 0o755, nil},
		{"Resepsjon.app/Contents/", fs.ModeDir | 0o755, nil},
		{"Resepsjon.app/Contents/Info.plist", 0o644, infoPlist(st)},
		{"Resepsjon.app/Contents/MacOS/", fs.ModeDir | 0o755, nil},
		{"Resepsjon.app/Contents/MacOS/resepsjon", 0o755, prog},
		{"Resepsjon.app/Contents/Resources/", fs.ModeDir | 0o755, nil},
		{"Resepsjon.app/Contents/Resources/resepsjon.icns", 0o644, icns},
	})
}

// writeZip writes entries in order, each with time t and its Unix mode.
func writeZip(out string, t time.Time, entries []entry) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: t}
		if e.mode.IsDir() {
			hdr.Method = zip.Store
		}
		hdr.SetMode(e.mode)
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("zip %s: %w", e.name, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return fmt.Errorf("zip %s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// desktopFile is the Linux menu entry; install.sh puts the program on the
// user's PATH (~/.local/bin).
const desktopFile = `[Desktop Entry]
Type=Application
Version=1.0
Name=Resepsjon
GenericName=Client register
GenericName[nb]=Klientregister
Comment=Client register of the practice, in the browser
Comment[nb]=Praksisens klientregister, i nettleseren
Exec=resepsjon
Icon=resepsjon
Terminal=false
Categories=Office;MedicalSoftware;
StartupNotify=false
`

// installScript installs for the current user only: no root needed.
const installScript = `#!/bin/sh
# Installs Resepsjon for this user: the program in ~/.local/bin, the menu
# entry and the icon under ~/.local/share. Run it again to update.
# Remove: ./install.sh --uninstall (the data in ~/.config/resepsjon stays).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin="$HOME/.local/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/resepsjon" "$apps/resepsjon.desktop" "$icons/resepsjon.png"
  echo "Resepsjon er fjernet. / Resepsjon is removed."
  exit 0
fi
mkdir -p "$bin" "$apps" "$icons"
install -m 0755 "$here/resepsjon" "$bin/resepsjon"
install -m 0644 "$here/resepsjon.png" "$icons/resepsjon.png"
sed "s|^Exec=resepsjon$|Exec=$bin/resepsjon|" "$here/resepsjon.desktop" > "$apps/resepsjon.desktop"
chmod 0644 "$apps/resepsjon.desktop"
echo "Resepsjon er installert: finn den i programmenyen. / Resepsjon is installed: find it in the applications menu."
`

// linuxTarGz packs the program, its menu entry, icon and install script.
func linuxTarGz(exe, out, dir string, st stamp) error {
	prog, err := os.ReadFile(exe)
	if err != nil {
		return err
	}
	entries := []entry{
		{dir + "/", fs.ModeDir | 0o755, nil},
		{dir + "/install.sh", 0o755, []byte(installScript)},
		{dir + "/resepsjon", 0o755, prog},
		{dir + "/resepsjon.desktop", 0o644, []byte(desktopFile)},
		{dir + "/resepsjon.png", 0o644, appicon.PNG256},
	}
	var buf bytes.Buffer
	// No name and no time in the gzip header: the same input gives the
	// same bytes.
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: int64(e.mode.Perm()), ModTime: st.Time, Format: tar.FormatUSTAR, Typeflag: tar.TypeReg, Size: int64(len(e.data))}
		if e.mode.IsDir() {
			hdr.Typeflag = tar.TypeDir
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("tar %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return fmt.Errorf("tar %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
