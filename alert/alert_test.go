package alert

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAppleScriptQuoting(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`C:\path`, `"C:\\path"`},
		{"two\nlines", "\"two\nlines\""},
	}
	for _, tt := range tests {
		if got := appleScriptString(tt.in); got != tt.want {
			t.Errorf("appleScriptString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	cmds := macCommands(`Resepsjon "kan ikke starte"`, `Mappen C:\x`)
	if len(cmds) != 1 || cmds[0].name != "osascript" || cmds[0].args[0] != "-e" {
		t.Fatalf("commands %v", cmds)
	}
	script := cmds[0].args[1]
	for _, want := range []string{`display dialog "Mappen C:\\x"`, `with title "Resepsjon \"kan ikke starte\""`, `with icon stop`} {
		if !strings.Contains(script, want) {
			t.Errorf("script %q lacks %q", script, want)
		}
	}
}

func TestLinuxCommandChoice(t *testing.T) {
	has := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			for _, h := range names {
				if h == n {
					return "/usr/bin/" + n, nil
				}
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		name  string
		look  func(string) (string, error)
		progs []string
	}{
		{"both", has("zenity", "notify-send"), []string{"/usr/bin/zenity", "/usr/bin/notify-send"}},
		{"notify-send only", has("notify-send"), []string{"/usr/bin/notify-send"}},
		{"none", has(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := linuxCommands(tt.look)("Tittel", "<b>tekst</b>")
			var progs []string
			for _, c := range cmds {
				progs = append(progs, c.name)
				if c.args[len(c.args)-1] == "<b>tekst</b>" || strings.Contains(strings.Join(c.args, " "), "<b>tekst</b>") {
					continue
				}
				t.Errorf("%s does not get the text: %v", c.name, c.args)
			}
			if strings.Join(progs, ",") != strings.Join(tt.progs, ",") {
				t.Errorf("programs %v, want %v", progs, tt.progs)
			}
			for _, c := range cmds {
				if strings.HasSuffix(c.name, "zenity") && !strings.Contains(strings.Join(c.args, " "), "--no-markup") {
					t.Error("zenity would read the text as markup")
				}
			}
		})
	}
}

func TestExternalFallsBack(t *testing.T) {
	var tried []string
	var term bytes.Buffer
	e := External{
		commands: func(title, text string) []command {
			return []command{{"first", nil}, {"second", nil}}
		},
		run: func(_ context.Context, name string, _ ...string) error {
			tried = append(tried, name)
			return errors.New("no display")
		},
		fallback: Terminal{W: &term},
	}
	if err := e.Show(t.Context(), "Resepsjon kan ikke starte", "Gjør dette."); err != nil {
		t.Fatal(err)
	}
	if strings.Join(tried, ",") != "first,second" || term.String() != "Resepsjon kan ikke starte\nGjør dette.\n" {
		t.Errorf("tried %v, terminal %q", tried, term.String())
	}
	// The first command that works ends it.
	tried, term = nil, bytes.Buffer{}
	e.run = func(_ context.Context, name string, _ ...string) error { tried = append(tried, name); return nil }
	if err := e.Show(t.Context(), "t", "x"); err != nil || len(tried) != 1 || term.Len() != 0 {
		t.Errorf("tried %v, terminal %q, err %v", tried, term.String(), err)
	}
}

func TestNativeIsAShower(t *testing.T) {
	var s Shower = Native(&bytes.Buffer{})
	if s == nil {
		t.Fatal("no Shower")
	}
}
