package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(append([]debug.BuildSetting{}, vcs[:2]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	tests := []struct {
		name                         string
		stampV, stampC, stampD, main string
		settings                     []debug.BuildSetting
		want                         Info
	}{
		{"release stamp wins", "v1.2.0", "abc", "2026-12-04T00:00:00Z", "(devel)", vcs,
			Info{Version: "v1.2.0", Commit: "abc", Date: "2026-12-04T00:00:00Z"}},
		{"development build from git", "", "", "", "(devel)", vcs,
			Info{Version: "dev-0123456789ab", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z"}},
		{"uncommitted changes", "", "", "", "(devel)", dirty,
			Info{Version: "dev-0123456789ab+dirty", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z"}},
		{"go install pkg@version", "", "", "", "v1.0.1", nil, Info{Version: "v1.0.1"}},
		{"tagged commit built from git", "", "", "", "v1.3.0", vcs,
			Info{Version: "v1.3.0", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z"}},
		{"pseudo-version of an untagged commit", "", "", "", "v0.0.0-20261201100000-0123456789ab", vcs,
			Info{Version: "dev-0123456789ab", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z"}},
		{"pseudo-version after a tag, uncommitted changes", "", "", "", "v1.3.1-0.20261201100000-0123456789ab+dirty", dirty,
			Info{Version: "dev-0123456789ab+dirty", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z"}},
		{"nothing known", "", "", "", "", nil, Info{Version: "dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.stampV, tt.stampC, tt.stampD, tt.main, tt.settings)
			if got.Version != tt.want.Version || got.Commit != tt.want.Commit || got.Date != tt.want.Date {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.Go == "" || !strings.Contains(got.OS, "/") {
				t.Errorf("Go %q, OS %q: want both set", got.Go, got.OS)
			}
			if !strings.HasPrefix(got.String(), tt.want.Version) {
				t.Errorf("String() = %q, want it to start with the version", got.String())
			}
		})
	}
}
