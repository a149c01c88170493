package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/pe"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// TestReleaseBuild runs the whole release twice into temporary directories
// and checks the artifacts: every platform is there, SHA256SUMS matches, the
// Windows program is a GUI-subsystem PE with an icon and a version resource,
// the macOS bundle's Info.plist names its program and version, the Linux
// archive holds the program, menu entry and icon, and both runs gave the
// same bytes. It cross-compiles six platforms; the second run reuses the
// build cache, so it mostly repeats linking and packaging.
func TestReleaseBuild(t *testing.T) {
	// CI runs it as a step of its own (.ci/run) with a longer timeout
	// than the rest of the suite gets.
	if os.Getenv("RESEPSJON_RELEASE_TEST") != "1" {
		t.Skip("cross-compiles six platforms twice: set RESEPSJON_RELEASE_TEST=1 (.ci/run does)")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	const version = "v1.2.3-test"
	first, second := t.TempDir(), t.TempDir()
	start := time.Now()
	arts, err := build(t.Context(), options{Root: root, Out: first, Targets: allTargets, Version: version})
	if err != nil {
		t.Fatalf("release: %v", err)
	}
	t.Logf("first release build: %s", time.Since(start).Round(time.Second))
	start = time.Now()
	if _, err := build(t.Context(), options{Root: root, Out: second, Targets: allTargets, Version: version}); err != nil {
		t.Fatalf("second release: %v", err)
	}
	t.Logf("second release build: %s", time.Since(start).Round(time.Second))

	want := []string{
		"Resepsjon-v1.2.3-test-linux-amd64.tar.gz", "Resepsjon-v1.2.3-test-linux-arm64.tar.gz",
		"Resepsjon-v1.2.3-test-macos-amd64.zip", "Resepsjon-v1.2.3-test-macos-arm64.zip",
		"Resepsjon-v1.2.3-test-windows-amd64.exe", "Resepsjon-v1.2.3-test-windows-arm64.exe",
	}
	var names []string
	for _, a := range arts {
		names = append(names, a.Name)
		t.Logf("%-45s %6.1f MB", a.Name, float64(a.Size)/1e6)
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("artifacts\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	checkSums(t, first, want)
	for _, name := range append(want, "SHA256SUMS") {
		a, errA := os.ReadFile(filepath.Join(first, name))
		b, errB := os.ReadFile(filepath.Join(second, name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds of the same commit (%v, %v)", name, errA, errB)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		checkWindows(t, filepath.Join(first, "Resepsjon-v1.2.3-test-windows-"+arch+".exe"), version)
		checkMac(t, filepath.Join(first, "Resepsjon-v1.2.3-test-macos-"+arch+".zip"), version)
		checkLinux(t, filepath.Join(first, "Resepsjon-v1.2.3-test-linux-"+arch+".tar.gz"), "resepsjon-v1.2.3-test-linux-"+arch)
	}
}

// checkSums checks that SHA256SUMS lists exactly the artifacts with their
// hashes, in "hash  name" lines.
func checkSums(t *testing.T, dir string, names []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != len(names) {
		t.Fatalf("SHA256SUMS has %d lines, want %d", len(lines), len(names))
	}
	for i, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || name != names[i] {
			t.Errorf("SHA256SUMS line %q, want %s", line, names[i])
			continue
		}
		file, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(file)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("SHA256SUMS: %s does not match", name)
		}
	}
}

// checkWindows reads the PE header and the resource section.
func checkWindows(t *testing.T, path, version string) {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	var subsystem uint16
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		subsystem = oh.Subsystem
	case *pe.OptionalHeader32:
		subsystem = oh.Subsystem
	}
	if subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("%s: subsystem %d, want %d (GUI: no console window)", filepath.Base(path), subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		t.Fatalf("%s: no resource section", filepath.Base(path))
	}
	data, err := rsrc.Data()
	if err != nil {
		t.Fatal(err)
	}
	types := resourceTypes(t, data)
	for _, want := range []uint32{3 /* RT_ICON */, 14 /* RT_GROUP_ICON */, 16 /* RT_VERSION */, 24 /* RT_MANIFEST */} {
		if !types[want] {
			t.Errorf("%s: no resource of type %d (have %v)", filepath.Base(path), want, types)
		}
	}
	// The version resource holds VS_VERSION_INFO with the version strings
	// in UTF-16.
	for _, want := range []string{"VS_VERSION_INFO", "ProductVersion", version, "Resepsjon"} {
		if !bytes.Contains(data, utf16le(want)) {
			t.Errorf("%s: the version resource lacks %q", filepath.Base(path), want)
		}
	}
	// VS_FIXEDFILEINFO: signature 0xFEEF04BD, then the file version 1.2.3.0.
	i := bytes.Index(data, []byte{0xBD, 0x04, 0xEF, 0xFE})
	if i < 0 || i+16 > len(data) {
		t.Fatalf("%s: no VS_FIXEDFILEINFO", filepath.Base(path))
	}
	ms, ls := binary.LittleEndian.Uint32(data[i+8:]), binary.LittleEndian.Uint32(data[i+12:])
	if ms != 1<<16|2 || ls != 3<<16 {
		t.Errorf("%s: file version %d.%d.%d.%d, want 1.2.3.0", filepath.Base(path), ms>>16, ms&0xffff, ls>>16, ls&0xffff)
	}
}

// resourceTypes lists the type IDs in the resource directory's root.
func resourceTypes(t *testing.T, data []byte) map[uint32]bool {
	t.Helper()
	if len(data) < 16 {
		t.Fatal("resource section too short")
	}
	named := int(binary.LittleEndian.Uint16(data[12:]))
	ids := int(binary.LittleEndian.Uint16(data[14:]))
	types := map[uint32]bool{}
	for e := 0; e < named+ids; e++ {
		off := 16 + 8*e
		if off+8 > len(data) {
			t.Fatal("resource directory truncated")
		}
		id := binary.LittleEndian.Uint32(data[off:])
		if id&0x80000000 == 0 {
			types[id] = true
		}
	}
	return types
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// checkMac opens the zip: the bundle's layout, Info.plist, the program's
// mode and the icon.
func checkMac(t *testing.T, path, version string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string) []byte {
		f := files[name]
		if f == nil {
			t.Fatalf("%s: no %s", filepath.Base(path), name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plist := string(read("Resepsjon.app/Contents/Info.plist"))
	for _, want := range []string{
		"<key>CFBundleExecutable</key>\n\t<string>resepsjon</string>",
		"<key>CFBundleShortVersionString</key>\n\t<string>1.2.3</string>",
		"<key>ResepsjonVersion</key>\n\t<string>" + version + "</string>",
		"<key>CFBundleIconFile</key>\n\t<string>resepsjon.icns</string>",
	} {
		if !strings.Contains(plist, want) {
			t.Errorf("%s: Info.plist lacks %q", filepath.Base(path), want)
		}
	}
	prog := read("Resepsjon.app/Contents/MacOS/resepsjon")
	if len(prog) < 4 || (binary.LittleEndian.Uint32(prog) != 0xfeedfacf) {
		t.Errorf("%s: the program is not a 64-bit Mach-O file", filepath.Base(path))
	}
	if mode := files["Resepsjon.app/Contents/MacOS/resepsjon"].Mode(); mode.Perm() != 0o755 {
		t.Errorf("%s: program mode %v, want executable", filepath.Base(path), mode)
	}
	if icns := read("Resepsjon.app/Contents/Resources/resepsjon.icns"); !bytes.HasPrefix(icns, []byte("icns")) {
		t.Errorf("%s: the icon is not an icns file", filepath.Base(path))
	}
}

// checkLinux lists the tar.gz: program (executable ELF), .desktop, icon,
// install script, all under one directory.
func checkLinux(t *testing.T, path, dir string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	got := map[string][]byte{}
	modes := map[string]int64{}
	var order []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name], modes[h.Name] = b, h.Mode
		order = append(order, h.Name)
	}
	if !sort.StringsAreSorted(order) {
		t.Errorf("%s: entries not in a fixed (sorted) order: %v", filepath.Base(path), order)
	}
	prog := got[dir+"/resepsjon"]
	if !bytes.HasPrefix(prog, []byte("\x7fELF")) || modes[dir+"/resepsjon"] != 0o755 {
		t.Errorf("%s: no executable ELF program", filepath.Base(path))
	}
	desktop := string(got[dir+"/resepsjon.desktop"])
	for _, want := range []string{"[Desktop Entry]", "Name=Resepsjon", "Exec=resepsjon", "Icon=resepsjon", "Terminal=false"} {
		if !strings.Contains(desktop, want) {
			t.Errorf("%s: the .desktop file lacks %q", filepath.Base(path), want)
		}
	}
	if !bytes.HasPrefix(got[dir+"/resepsjon.png"], []byte("\x89PNG")) {
		t.Errorf("%s: no PNG icon", filepath.Base(path))
	}
	if modes[dir+"/install.sh"] != 0o755 {
		t.Errorf("%s: install.sh is not executable", filepath.Base(path))
	}
}

func TestNumericVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3": "1.2.3.0", "v10.0.1-rc.1": "10.0.1.0", "v0.0.0-20261204154621-2516b34bff69+dirty": "0.0.0.0", "dev": "0.0.0.0",
	} {
		if got := numericVersion(in); got != want {
			t.Errorf("numericVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
