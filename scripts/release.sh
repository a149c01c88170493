#!/usr/bin/env bash
# Builds a release of Resepsjon for Windows, macOS and Linux (amd64 and arm64)
# into dist/ (or -out DIR): the programs, the macOS app in a zip, the Linux
# tar.gz, and SHA256SUMS. Run from a clean checkout of the commit to release;
# tag it first (git tag v1.2.3) to give the release its version.
#   scripts/release.sh [-out DIR] [-targets windows/amd64,linux/amd64] [-version v1.2.3]
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./release "$@"
