// Command release builds Resepsjon for every supported platform and packages
// it for a receptionist to download: the Windows program (GUI subsystem, so no
// console window, with icon and version resource), the macOS app bundle in a
// zip, the Linux program with a .desktop file and icon in a tar.gz, and
// SHA256SUMS over them. The same commit gives the same bytes: builds use
// -trimpath, archives carry the commit's time and a fixed order.
//
// Run it as scripts/release.sh [-out DIR] [-targets LIST] from a clean git
// checkout; see README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var (
		out     = flag.String("out", "dist", "directory for the artifacts (emptied first)")
		targets = flag.String("targets", strings.Join(allTargets, ","), "comma-separated GOOS/GOARCH list")
		ver     = flag.String("version", "", "version to stamp (default: from git describe)")
		root    = flag.String("root", ".", "the module's root directory")
	)
	flag.Parse()
	start := time.Now()
	arts, err := build(ctx, options{Root: *root, Out: *out, Targets: strings.Split(*targets, ","), Version: *ver, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
	for _, a := range arts {
		fmt.Printf("%-48s %9d bytes\n", a.Name, a.Size)
	}
	fmt.Printf("%d artifacts and SHA256SUMS in %s (%s)\n", len(arts), *out, time.Since(start).Round(time.Second))
}
