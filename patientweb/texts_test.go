package patientweb

import (
	"reflect"
	"testing"
)

// TestPageTextsComplete: every word of the patient's pages comes from the
// message catalogue in both languages, so a field whose code is misspelt
// or missing from messages/patientweb.go shows up here, not as a blank on
// a page.
func TestPageTextsComplete(t *testing.T) {
	for _, lang := range []string{"nb", "en"} {
		for name, v := range map[string]any{"texts": textsFor(lang), "rtexts": requestTexts(lang), "idTexts": idTextsFor(lang)} {
			rv := reflect.ValueOf(v)
			for i := range rv.NumField() {
				if f := rv.Field(i); f.Kind() == reflect.String && f.String() == "" {
					t.Errorf("%s %s.%s is empty", lang, name, rv.Type().Field(i).Name)
				}
			}
		}
	}
	if nb, en := textsFor("nb"), textsFor("en"); nb.Login == en.Login || nb.Lang != "nb" || en.OtherLang != "nb" {
		t.Errorf("languages mixed up: nb %q/%q, en %q/%q", nb.Login, nb.Lang, en.Login, en.OtherLang)
	}
}
