package messages

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEveryTextInBothLanguages: each code has bokmål and English, and the
// two use the same fmt verbs.
func TestEveryTextInBothLanguages(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d+\])?[sdv]`)
	for _, code := range Codes() {
		tx := catalogue[code]
		if strings.TrimSpace(tx.NB) == "" || strings.TrimSpace(tx.EN) == "" {
			t.Errorf("%s: bokmål %q, English %q", code, tx.NB, tx.EN)
		}
		nb, en := verbs.FindAllString(tx.NB, -1), verbs.FindAllString(tx.EN, -1)
		slices.Sort(nb)
		slices.Sort(en)
		if !slices.Equal(slices.Compact(nb), slices.Compact(en)) && !strings.HasPrefix(code, "cli.") {
			t.Errorf("%s: bokmål verbs %v, English %v", code, nb, en)
		}
	}
}

// TestCommandLineMistakesNameTheSameArguments: a usage error or a message of
// "resepsjon refresh" shows the same arguments in both languages (the
// verbs may differ: «%s» in bokmål where English quotes with %q). Other
// command-line texts may leave an argument to the English line, which is
// printed beside the bokmål one.
func TestCommandLineMistakesNameTheSameArguments(t *testing.T) {
	n := 0
	for _, code := range Codes() {
		if !strings.HasPrefix(code, "cli.usage.") && !strings.HasPrefix(code, "cli.refresh.") {
			continue
		}
		n++
		tx := catalogue[code]
		if nb, en := argIndices(tx.NB), argIndices(tx.EN); !slices.Equal(nb, en) {
			t.Errorf("%s: bokmål shows arguments %v, English %v", code, nb, en)
		}
	}
	if n < 20 {
		t.Errorf("only %d usage and refresh texts", n)
	}
}

// argIndices are the argument numbers (from 1) that the fmt verbs of s
// show, sorted and each once.
func argIndices(s string) []int {
	verb := regexp.MustCompile(`%(?:\[(\d+)\])?[sdvq]`)
	var out []int
	next := 1
	for _, m := range verb.FindAllStringSubmatch(s, -1) {
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		out = append(out, next)
		next++
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestGetAndCoded(t *testing.T) {
	if got := Get("error.no_such_code", "error.internal", "en"); got != catalogue["error.internal"].EN {
		t.Errorf("fallback: %q", got)
	}
	if got := Get("cli.key.active", "error.internal", "nb", "kid1", "ES256"); got != "Aktiv HelseID-nøkkel: kid1 (ES256)" {
		t.Errorf("formatted: %q", got)
	}
	cause := errors.New("dbus: no bus")
	err := Errorf(cause, "cli.key.none")
	if !errors.Is(err, cause) || !strings.Contains(err.Error(), "No HelseID key") || !strings.Contains(err.Error(), "Ingen HelseID-nøkkel") {
		t.Errorf("coded error %q", err)
	}
	term := Terminal(err)
	if !strings.Contains(term, "Ingen HelseID-nøkkel") || !strings.Contains(term, "No HelseID key") || !strings.HasSuffix(term, "(dbus: no bus)") {
		t.Errorf("terminal %q", term)
	}
	if Terminal(cause) != "dbus: no bus" {
		t.Errorf("plain error shown as %q", Terminal(cause))
	}
	if got := Inline("cli.key.not_in_keyring", "k1"); got != "Nøkkelen k1 fantes ikke i nøkkelringen / The key k1 was not in the OS keyring." {
		t.Errorf("inline %q", got)
	}
}

// TestUITextTablesHaveTheSameKeys parses the UI's text tables (ui/i18n.js
// and every page module's tables, found by their shape, not by file name)
// and checks that bokmål and English have the same keys.
func TestUITextTablesHaveTheSameKeys(t *testing.T) {
	root := filepath.Join("..", "ui")
	tables := map[string]map[string][]string{} // family -> language -> keys
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Split tables (texts-nb.js, texts-en.js) are one family.
		family := regexp.MustCompile(`-(nb|en)\.js$`).ReplaceAllString(path, ".js")
		for lang, keys := range textTables(string(src)) {
			if tables[family] == nil {
				tables[family] = map[string][]string{}
			}
			tables[family][lang] = append(tables[family][lang], keys...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 3 {
		t.Fatalf("found text tables in only %d files: %v", len(tables), slices.Collect(mapsKeys(tables)))
	}
	total := 0
	for family, langs := range tables {
		nb, en := slices.Sorted(slices.Values(langs["nb"])), slices.Sorted(slices.Values(langs["en"]))
		total += len(nb)
		t.Logf("%s: %d bokmål keys, %d English keys", family, len(nb), len(en))
		if len(nb) == 0 || len(en) == 0 {
			t.Errorf("%s: %d bokmål and %d English keys", family, len(nb), len(en))
			continue
		}
		for _, k := range nb {
			if _, ok := slices.BinarySearch(en, k); !ok {
				t.Errorf("%s: %q has no English text", family, k)
			}
		}
		for _, k := range en {
			if _, ok := slices.BinarySearch(nb, k); !ok {
				t.Errorf("%s: %q has no bokmål text", family, k)
			}
		}
		if d := duplicates(nb); len(d) > 0 {
			t.Errorf("%s: bokmål keys twice: %v", family, d)
		}
		if d := duplicates(en); len(d) > 0 {
			t.Errorf("%s: English keys twice: %v", family, d)
		}
	}
	if total < 100 {
		t.Errorf("only %d keys found; the table parser may have missed some", total)
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func duplicates(sorted []string) []string {
	var out []string
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && (len(out) == 0 || out[len(out)-1] != sorted[i]) {
			out = append(out, sorted[i])
		}
	}
	return out
}

// tableStart finds where a language table opens: "const nb = {",
// "export const en = {" or, nested, "nb: {".
var tableStart = regexp.MustCompile(`(?m)^\s*(?:(?:export\s+)?const\s+(nb|en)\s*=|(nb|en)\s*:)\s*\{`)

// textTables returns the keys of every language table in src by language.
func textTables(src string) map[string][]string {
	out := map[string][]string{}
	for _, m := range tableStart.FindAllStringSubmatchIndex(src, -1) {
		var lang string
		if m[2] >= 0 {
			lang = src[m[2]:m[3]]
		} else {
			lang = src[m[4]:m[5]]
		}
		body := objectBody(src[m[1]-1:])
		out[lang] = append(out[lang], topLevelKeys(body)...)
	}
	return out
}

// objectBody is the text between the brace s starts with and its match,
// skipping strings, template literals and comments.
func objectBody(s string) string {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '`':
			i = skipString(s, i)
		case '/':
			if i+1 < len(s) && s[i+1] == '/' {
				for i < len(s) && s[i] != '\n' {
					i++
				}
			}
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[1:i]
			}
		}
	}
	return s
}

// skipString returns the index of the quote that closes the string opened
// at i.
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return len(s)
}

// topLevelKeys lists the quoted keys at depth 0 of an object body.
func topLevelKeys(body string) []string {
	var keys []string
	depth := 0
	expectKey := true
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\'' || c == '"':
			end := skipString(body, i)
			if depth == 0 && expectKey {
				rest := strings.TrimLeft(body[end+1:], " \t\r\n")
				if strings.HasPrefix(rest, ":") {
					keys = append(keys, body[i+1:end])
				}
			}
			i = end
			expectKey = false
		case c == '`':
			i = skipString(body, i)
			expectKey = false
		case c == '{' || c == '[' || c == '(':
			depth++
		case c == '}' || c == ']' || c == ')':
			depth--
		case c == ',' && depth == 0:
			expectKey = true
		case c == '/' && i+1 < len(body) && body[i+1] == '/':
			for i < len(body) && body[i] != '\n' {
				i++
			}
		}
	}
	return keys
}

// TestTextTableParser: the parser finds keys past placeholders, nested
// objects, comments and template literals, and sees a missing key.
func TestTextTableParser(t *testing.T) {
	src := "const nb = {\n  'a.b': 'Hei {name}, {x}',\n  // 'commented': 'no',\n  'c':\n    `linje ${1}`,\n  'd': { 'inner': 1 },\n};\n" +
		"export const en = {\n  \"a.b\": 'Hi {name}',\n  'd': {},\n};\n" +
		"const SHELL = {\n  nb: { 'x': 'y' },\n  en: { 'x': 'z', 'extra': '}' },\n};\n"
	got := textTables(src)
	want := map[string][]string{"nb": {"a.b", "c", "d", "x"}, "en": {"a.b", "d", "x", "extra"}}
	for lang, keys := range want {
		if !slices.Equal(got[lang], keys) {
			t.Errorf("%s keys %v, want %v", lang, got[lang], keys)
		}
	}
}

// TestNoCodeInTwoAreas: the area tables (one file per area) together are
// the catalogue, and no code is defined in two of them.
func TestNoCodeInTwoAreas(t *testing.T) {
	seen := map[string]int{}
	total := 0
	for i, area := range areas() {
		total += len(area)
		for code := range area {
			if j, dup := seen[code]; dup {
				t.Errorf("%s is in area table %d and %d", code, j, i)
			}
			seen[code] = i
		}
	}
	if total != len(catalogue) {
		t.Errorf("the areas hold %d codes, the catalogue %d", total, len(catalogue))
	}
	for _, code := range []string{"startup.db_too_new", "restore.done", "backup.never", "cli.mail.stored", "error.internal", "portal.no_user", "outbox.smtp_auth", "portal.mail.activation.subject", "patient.page.login", "audit.csv.time"} {
		if !Has(code) {
			t.Errorf("the catalogue lacks %s", code)
		}
	}
}
