package idporten

import (
	"context"
	"strings"
	"testing"

	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/register/registertest"
)

// TestSettingsChangesAreAudited: every change of the ID-porten settings
// (issuer, client id, level, asking for the name) and of the key (made,
// imported, removed) writes one audit row with the OS user, saying what
// changed with the new values; saving without a change writes none. No row
// carries key material: only the key's id and algorithm.
func TestSettingsChangesAreAudited(t *testing.T) {
	store := registertest.New()
	keys := helseid.NewMemoryKeyStore()
	svc, err := New(Config{Settings: store, Keys: keys, OSUser: "resepsjonist",
		RedirectURI: func(context.Context) (string, error) { return testRedirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	str := func(s string) *string { return &s }
	yes := true
	imported, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := imported.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	var generatedKID string
	steps := []struct {
		name string
		do   func() error
		want []string // words of the row's query; nil: no row
	}{
		{"issuer and client id", func() error {
			_, err := svc.Update(ctx, Change{Issuer: str("https://test.idporten.no"), ClientID: str("klinikk-portal")})
			return err
		}, []string{"change=settings", "issuer=https://test.idporten.no", "clientId=klinikk-portal"}},
		{"the level raised", func() error {
			_, err := svc.Update(ctx, Change{Level: str(LevelHigh)})
			return err
		}, []string{"change=settings", "level=" + LevelHigh}},
		{"asking for the name", func() error {
			_, err := svc.Update(ctx, Change{AskName: &yes, Level: str(LevelHigh)})
			return err
		}, []string{"change=settings", "askName=true"}},
		{"saved without a change", func() error {
			_, err := svc.Update(ctx, Change{Issuer: str("https://test.idporten.no"), Level: str(LevelHigh)})
			return err
		}, nil},
		{"a refused change", func() error {
			if _, err := svc.Update(ctx, Change{Level: str("idporten-loa-low")}); err == nil {
				t.Error("a wrong level was accepted")
			}
			return nil
		}, nil},
		{"a key made", func() error {
			st, err := svc.GenerateKey(ctx)
			generatedKID = st.KeyID
			return err
		}, []string{"change=key_generated", "alg=RS256"}},
		{"a key imported", func() error {
			_, err := svc.ImportKey(ctx, priv)
			return err
		}, []string{"change=key_imported", "kid=" + imported.KID(), "alg=ES256"}},
		{"the key removed", func() error {
			_, err := svc.RemoveKey(ctx)
			return err
		}, []string{"change=key_removed", "kid=" + imported.KID()}},
	}
	for _, step := range steps {
		before := len(store.Audit())
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		rows := store.Audit()[before:]
		if step.want == nil {
			if len(rows) != 0 {
				t.Errorf("%s: audit rows %+v, want none", step.name, rows)
			}
			continue
		}
		if len(rows) != 1 {
			t.Fatalf("%s: %d audit rows, want 1", step.name, len(rows))
		}
		r := rows[0]
		if r.Action != ActionSettings || r.OSUser != "resepsjonist" || r.Outcome != register.OutcomeOK || r.Time.IsZero() {
			t.Errorf("%s: row %+v", step.name, r)
		}
		words := strings.Fields(r.Query)
		for _, w := range step.want {
			if !strings.Contains(" "+r.Query+" ", " "+w+" ") {
				t.Errorf("%s: query %q lacks %q", step.name, r.Query, w)
			}
		}
		if step.name == "a key made" && !strings.Contains(r.Query, "kid="+generatedKID) {
			t.Errorf("%s: query %q lacks the key id %s", step.name, r.Query, generatedKID)
		}
		if step.name == "the level raised" && len(words) != 2 {
			t.Errorf("%s: query %q names fields that did not change", step.name, r.Query)
		}
		for _, secret := range []string{`"d"`, "PRIVATE", string(priv), "{"} {
			if strings.Contains(r.Query, secret) {
				t.Errorf("%s: key material in the audit row: %q", step.name, r.Query)
			}
		}
	}
}
