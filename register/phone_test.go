package register

import "testing"

func TestPhoneKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"952 90 748", "+4795290748"},
		{"95290748", "+4795290748"},
		{"+47 952 90 748", "+4795290748"},
		{"+4795290748", "+4795290748"},
		{"0047 952 90 748", "+4795290748"},
		{"952-90-748", "+4795290748"},
		{" 952 90 748 ", "+4795290748"},
		{"+46 70 123 45 67", "+46701234567"},
		{"0046 70 123 45 67", "+46701234567"},
		{"815 00 000 1", "815000001"},
		{"", ""},
		{"ring meg", "ring meg"},
		{"+47 (952) 90748", "+47 (952) 90748"},
	} {
		if got := PhoneKey(tc.in); got != tc.want {
			t.Errorf("PhoneKey(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestSamePhone(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"952 90 748", "+4795290748", true},
		{"+47 952 90 748", "004795290748", true},
		{"952 90 748", "952 90 749", false},
		{"95290748", "+4695290748", false},
		{"", "", true},
		{"", "95290748", false},
	} {
		if got := SamePhone(tc.a, tc.b); got != tc.want {
			t.Errorf("SamePhone(%q, %q) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
