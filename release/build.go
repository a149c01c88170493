package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"resepsjon/appicon"
)

// allTargets are the platforms a release is built for.
var allTargets = []string{
	"windows/amd64", "windows/arm64",
	"darwin/arm64", "darwin/amd64",
	"linux/amd64", "linux/arm64",
}

// options say what to build where.
type options struct {
	Root    string   // module root
	Out     string   // artifact directory; emptied first
	Targets []string // GOOS/GOARCH
	Version string   // "" = from git
	Log     io.Writer
}

// stamp is what identifies the build: the version, the commit, and the
// commit's time (the build date and every archive entry's time).
type stamp struct {
	Version string
	Commit  string
	Time    time.Time
}

// artifact is one file of the release.
type artifact struct {
	Name   string
	Size   int64
	SHA256 string
}

// build runs the whole release and returns the artifacts (without
// SHA256SUMS, which it writes too), sorted by name.
func build(ctx context.Context, opt options) ([]artifact, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, err
	}
	st, err := gitStamp(ctx, root, opt.Version)
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(opt.Out); err != nil {
		return nil, fmt.Errorf("empty %s: %w", opt.Out, err)
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "resepsjon-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	var names []string
	for _, target := range opt.Targets {
		goos, goarch, ok := strings.Cut(strings.TrimSpace(target), "/")
		if !ok || !knownTarget(goos+"/"+goarch) {
			return nil, fmt.Errorf("unknown target %q (known: %s)", target, strings.Join(allTargets, ", "))
		}
		began := time.Now()
		name, err := buildTarget(ctx, root, work, opt.Out, goos, goarch, st)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", goos, goarch, err)
		}
		fmt.Fprintf(opt.Log, "release: %s/%s -> %s (%s)\n", goos, goarch, name, time.Since(began).Round(100*time.Millisecond))
		names = append(names, name)
	}
	sort.Strings(names)
	var arts []artifact
	var sums bytes.Buffer
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(opt.Out, name))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		a := artifact{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
		arts = append(arts, a)
		fmt.Fprintf(&sums, "%s  %s\n", a.SHA256, a.Name)
	}
	if err := os.WriteFile(filepath.Join(opt.Out, "SHA256SUMS"), sums.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return arts, nil
}

func knownTarget(t string) bool {
	for _, k := range allTargets {
		if k == t {
			return true
		}
	}
	return false
}

// buildTarget compiles one platform and packages it into out; it returns
// the artifact's file name.
func buildTarget(ctx context.Context, root, work, out, goos, goarch string, st stamp) (string, error) {
	dir := filepath.Join(work, goos+"-"+goarch)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "resepsjon")
	if goos == "windows" {
		exe += ".exe"
	}
	ldflags := []string{"-s", "-w",
		"-X", "resepsjon/buildinfo.version=" + st.Version,
		"-X", "resepsjon/buildinfo.commit=" + st.Commit,
		"-X", "resepsjon/buildinfo.date=" + st.Time.Format(time.RFC3339),
	}
	if goos == "windows" {
		// The GUI subsystem: double-clicking opens no console window.
		ldflags = append(ldflags, "-H", "windowsgui")
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags", strings.Join(ldflags, " "), "-o", exe, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch, "GOFLAGS=-mod=readonly")
	if err := runCmd(cmd); err != nil {
		return "", fmt.Errorf("go build: %w", err)
	}
	base := "Resepsjon-" + st.Version + "-"
	switch goos {
	case "windows":
		if err := winres(ctx, root, dir, exe, st); err != nil {
			return "", err
		}
		name := base + "windows-" + goarch + ".exe"
		return name, copyFile(exe, filepath.Join(out, name))
	case "darwin":
		name := base + "macos-" + goarch + ".zip"
		return name, macZip(exe, filepath.Join(out, name), st)
	default:
		name := base + "linux-" + goarch + ".tar.gz"
		return name, linuxTarGz(exe, filepath.Join(out, name), "resepsjon-"+st.Version+"-linux-"+goarch, st)
	}
}

func runCmd(cmd *exec.Cmd) error {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\n%s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// gitStamp reads the version, commit and commit time from git. The version
// is the tag on the commit, else the nearest tag's describe form, else
// v0.0.0-<commit time>-<commit>; uncommitted changes add "+dirty".
func gitStamp(ctx context.Context, root, version string) (stamp, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(ee.Stderr))
			}
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	commit, err := git("rev-parse", "HEAD")
	if err != nil {
		return stamp{}, err
	}
	secs, err := git("log", "-1", "--format=%ct", "HEAD")
	if err != nil {
		return stamp{}, err
	}
	unix, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return stamp{}, fmt.Errorf("commit time %q: %w", secs, err)
	}
	st := stamp{Commit: commit, Time: time.Unix(unix, 0).UTC(), Version: version}
	if st.Version == "" {
		if v, err := git("describe", "--tags", "--match", "v[0-9]*", "--abbrev=12"); err == nil {
			st.Version = v
		} else {
			st.Version = "v0.0.0-" + st.Time.Format("20060102150405") + "-" + commit[:12]
		}
		if dirty, err := git("status", "--porcelain", "--untracked-files=no"); err != nil {
			return stamp{}, err
		} else if dirty != "" {
			st.Version += "+dirty"
		}
	}
	if !versionPattern.MatchString(st.Version) {
		return stamp{}, fmt.Errorf("version %q: want v<major>.<minor>.<patch> with an optional suffix", st.Version)
	}
	return st, nil
}

var versionPattern = regexp.MustCompile(`^v(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]*)?$`)

// numericVersion is the four-part version Windows shows: major.minor.patch.0.
func numericVersion(v string) string {
	m := versionPattern.FindStringSubmatch(v)
	if m == nil {
		return "0.0.0.0"
	}
	return m[1] + "." + m[2] + "." + m[3] + ".0"
}

// winres adds the icon, the version resource and the manifest to the
// Windows program with go-winres (pinned in go.mod as a tool).
func winres(ctx context.Context, root, dir, exe string, st stamp) error {
	icon := filepath.Join(dir, "icon.png")
	if err := os.WriteFile(icon, appicon.PNG256, 0o644); err != nil {
		return err
	}
	num := numericVersion(st.Version)
	res := map[string]any{
		"RT_GROUP_ICON": map[string]any{"APP": map[string]any{"0000": "icon.png"}},
		"RT_MANIFEST": map[string]any{"#1": map[string]any{"0409": map[string]any{
			"identity":                              map[string]any{"name": "Resepsjon", "version": num},
			"description":                           "Resepsjon",
			"minimum-os":                            "win10",
			"execution-level":                       "as invoker",
			"dpi-awareness":                         "per monitor v2",
			"use-common-controls-v6":                true,
			"long-path-aware":                       true,
			"disable-theming":                       false,
			"disable-window-filtering":              false,
			"high-resolution-scrolling-aware":       false,
			"ultra-high-resolution-scrolling-aware": false,
			"auto-elevate":                          false,
			"segment-heap":                          false,
		}}},
		"RT_VERSION": map[string]any{"#1": map[string]any{"0000": map[string]any{
			"fixed": map[string]any{"file_version": num, "product_version": num},
			"info": map[string]any{"0409": map[string]string{
				"CompanyName":      "Resepsjon",
				"FileDescription":  "Resepsjon – klientregister for resepsjonen",
				"FileVersion":      st.Version,
				"InternalName":     "resepsjon",
				"OriginalFilename": "resepsjon.exe",
				"ProductName":      "Resepsjon",
				"ProductVersion":   st.Version,
				"Comments":         "commit " + st.Commit,
			}},
		}}},
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	in := filepath.Join(dir, "winres.json")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "tool", "go-winres", "patch", "--in", in, "--no-backup", exe)
	cmd.Dir = root
	// go-winres runs on this machine, whatever the target.
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=", "CGO_ENABLED=0")
	if err := runCmd(cmd); err != nil {
		return fmt.Errorf("go-winres: %w", err)
	}
	return nil
}
