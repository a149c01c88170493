package activation

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"resepsjon/config"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/register/registertest"
)

func validOrgs(t testing.TB, n int) []string {
	t.Helper()
	var out []string
	for v := 310000010; len(out) < n; v++ {
		if org, err := nin.ParseOrgNumber(strconv.Itoa(v)); err == nil {
			out = append(out, org)
		}
	}
	return out
}

func newService(t *testing.T, st *registertest.Store, keys helseid.KeyStore, nhn config.NHN) *Service {
	t.Helper()
	s, err := New(Config{Settings: st, Keys: keys, NHN: nhn, OSUser: "resepsjonist",
		Now: func() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no settings": {Keys: helseid.NoKeyring{}},
		"no keys":     {Settings: registertest.New()},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestKeepThroughOutage(t *testing.T) {
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	now := at.Add(time.Hour)
	ok := CheckResult{State: StateOK, CheckedAt: &at}
	for _, tc := range []struct {
		name       string
		prev, next CheckResult
		wantKept   bool
		wantState  string
	}{
		{"outage after ok keeps ok", ok, CheckResult{State: StateFailed, Code: CodeHelseIDUnavailable}, true, StateOK},
		{"access outage after ok keeps ok", ok, CheckResult{State: StateFailed, Code: CodePersontjenestenUnavailable}, true, StateOK},
		{"refusal after ok is a failure", ok, CheckResult{State: StateFailed, Code: CodeNoDelegation}, false, StateFailed},
		{"outage without earlier ok is a failure", CheckResult{State: StateUnchecked},
			CheckResult{State: StateFailed, Code: CodeHelseIDUnavailable}, false, StateFailed},
		{"ok replaces ok", ok, CheckResult{State: StateOK, CheckedAt: &now}, false, StateOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, kept := keepThroughOutage(tc.prev, tc.next, now)
			if kept != tc.wantKept || got.State != tc.wantState {
				t.Fatalf("kept %v state %s, want %v %s", kept, got.State, tc.wantKept, tc.wantState)
			}
			if kept && (got.LastAttempt == nil || got.LastAttempt.Code != tc.next.Code || !got.LastAttempt.At.Equal(now)) {
				t.Errorf("failed attempt not noted: %+v", got.LastAttempt)
			}
		})
	}
}

func TestUpdateValidates(t *testing.T) {
	orgs := validOrgs(t, 1)
	str := func(s string) *string { return &s }
	nhn := config.NHN{Mock: config.NHNEnvironment{ID: "mock", Authority: "http://127.0.0.1:1/", APIBaseURL: "http://127.0.0.1:1"}}
	for _, tc := range []struct {
		name  string
		ch    Change
		field string // "" means accepted
		code  string
	}{
		{"good practice", Change{Practice: &PracticeChange{OrgNumber: orgs[0], Name: "Klinikken"}}, "", ""},
		{"bad org number", Change{Practice: &PracticeChange{OrgNumber: "123456789"}}, "practice.orgNumber", "org.checksum"},
		{"bad sub-org number", Change{Practice: &PracticeChange{OrgNumber: orgs[0], SubOrgNumber: "12"}}, "practice.subOrgNumber", "org.length"},
		{"unknown environment", Change{HelseID: &HelseIDChange{Environment: str("prod")}}, "helseid.environment", register.CodeInvalid},
		{"bad tenancy", Change{HelseID: &HelseIDChange{Tenancy: str("both")}}, "helseid.tenancy", register.CodeInvalid},
		{"control character in client id", Change{HelseID: &HelseIDChange{ClientID: str("a\x01")}}, "helseid.clientId", register.CodeInvalid},
		{"no parts", Change{InformationParts: []persontjeneste.InformationPart{}}, "informationParts", register.CodeRequired},
		{"unknown part", Change{InformationParts: []persontjeneste.InformationPart{"Name", "ShoeSize"}}, "informationParts", register.CodeInvalid},
		{"a part the register does not keep", Change{InformationParts: []persontjeneste.InformationPart{"Name", "MaritalStatus"}}, "informationParts", register.CodeInvalid},
		{"parts in contract order", Change{InformationParts: []persontjeneste.InformationPart{"Name", "Birth"}}, "", ""},
		{"name and number always fetched", Change{InformationParts: []persontjeneste.InformationPart{"Birth"}}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := registertest.New()
			s := newService(t, store, helseid.NewMemoryKeyStore(), nhn)
			st, err := s.Update(context.Background(), tc.ch)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				want := []persontjeneste.InformationPart{"Birth", "NorwegianIdentificationNumber", "Name"}
				if tc.ch.InformationParts != nil && !slices.Equal(st.Settings.InformationParts, want) {
					t.Errorf("parts %v, want %v (name and number added, the contract's order)", st.Settings.InformationParts, want)
				}
				return
			}
			var verr *register.ValidationError
			if !errors.As(err, &verr) || verr.Fields[tc.field] != tc.code {
				t.Fatalf("err %v, want %s=%s", err, tc.field, tc.code)
			}
			if _, ok, _ := store.GetSetting(context.Background(), settingPersontjenesten); ok {
				t.Error("refused settings were stored")
			}
		})
	}
}

func TestLoadKeepsOnlyPartsTheRegisterUses(t *testing.T) {
	store := registertest.New()
	ctx := context.Background()
	// As an older version could have stored them: an extra part, no identity number.
	if err := store.PutSetting(ctx, settingPersontjenesten, `{"informationParts":["Name","MaritalStatus","Birth"]}`); err != nil {
		t.Fatal(err)
	}
	nhn := config.NHN{Mock: config.NHNEnvironment{ID: "mock", Authority: "http://127.0.0.1:1/", APIBaseURL: "http://127.0.0.1:1"}}
	st, err := newService(t, store, helseid.NewMemoryKeyStore(), nhn).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []persontjeneste.InformationPart{"Name", "Birth", "NorwegianIdentificationNumber"}
	if !slices.Equal(st.Settings.InformationParts, want) {
		t.Errorf("parts %v, want %v", st.Settings.InformationParts, want)
	}
}

func TestInstallKey(t *testing.T) {
	ctx := context.Background()
	first, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	second, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	store, keys := registertest.New(), helseid.NewMemoryKeyStore()
	s := newService(t, store, keys, config.NHN{})

	if _, err := s.ActiveKey(ctx, 0); !errors.Is(err, ErrNoKey) {
		t.Fatalf("no key yet: %v", err)
	}
	if _, err := s.InstallKey(ctx, first, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActiveKeyID(ctx); got != first.KID() {
		t.Fatalf("active %q, want %q", got, first.KID())
	}
	// Another key without replace is refused and changes nothing.
	var active *KeyActiveError
	if _, err := s.InstallKey(ctx, second, false); !errors.As(err, &active) || active.KID != first.KID() {
		t.Fatalf("second key without replace: %v", err)
	}
	if _, err := keys.Load(ctx, second.KID()); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Errorf("the refused key reached the key store: %v", err)
	}
	// Installing the same key again is no replacement.
	if done, err := s.InstallKey(ctx, first, false); err != nil || done.Replaced != "" {
		t.Fatalf("same key again: %+v %v", done, err)
	}
	// A failed write of the active key id leaves no new key behind.
	store.FailPutSetting = true
	if _, err := s.InstallKey(ctx, second, true); err == nil {
		t.Fatal("install succeeded although the setting could not be written")
	}
	if _, err := keys.Load(ctx, second.KID()); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Errorf("the key was not rolled back: %v", err)
	}
	if _, err := keys.Load(ctx, first.KID()); err != nil {
		t.Errorf("the active key is gone after a failed replace: %v", err)
	}
	store.FailPutSetting = false
	// Replacing deletes the old key from the key store.
	done, err := s.InstallKey(ctx, second, true)
	if err != nil || done.Replaced != first.KID() || done.ReplacedNotDeleted != nil {
		t.Fatalf("replace: %+v %v", done, err)
	}
	if _, err := keys.Load(ctx, first.KID()); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Errorf("the replaced key is still in the key store: %v", err)
	}
	k, err := s.ActiveKey(ctx, 0)
	if err != nil || k.KID() != second.KID() {
		t.Fatalf("active key: %v %v", k, err)
	}
	// Removing it twice: the second time there is none.
	if r, err := s.RemoveKey(ctx); err != nil || r.KID != second.KID() || r.WasMissing {
		t.Fatalf("remove: %+v %v", r, err)
	}
	if _, err := s.RemoveKey(ctx); !errors.Is(err, ErrNoKey) {
		t.Fatalf("remove again: %v", err)
	}
}

func TestWithoutKeyring(t *testing.T) {
	s := newService(t, registertest.New(), helseid.NoKeyring{}, config.NHN{})
	k, err := NewKey(helseid.AlgES256, "generate.alg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.InstallKey(context.Background(), k, true); !errors.Is(err, helseid.ErrNoKeyring) {
		t.Fatalf("install without keyring: %v", err)
	}
	if id, _ := s.ActiveKeyID(context.Background()); id != "" {
		t.Errorf("key %q recorded without a keyring", id)
	}
}

func TestParseAndNewKeyFieldErrors(t *testing.T) {
	for name, err := range map[string]error{
		"empty import": func() error { _, err := ParseKey([]byte("  "), "", "import.key"); return err }(),
		"garbage":      func() error { _, err := ParseKey([]byte("not a key"), "", "import.key"); return err }(),
		"unknown alg":  func() error { _, err := NewKey("HS256", "generate.alg"); return err }(),
	} {
		var verr *register.ValidationError
		if !errors.As(err, &verr) || len(verr.Fields) != 1 {
			t.Errorf("%s: %v, want one field error", name, err)
		}
	}
}

// TestCheck runs the two checks against the NHN mock for the three kinds of
// organisation: activated, no delegation, no agreement; each writes one
// audit row.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	pop, err := population.New(population.Config{Seed: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	orgs := validOrgs(t, 3)
	m, err := nhnmock.New(nhnmock.Config{Population: pop, Delegations: []string{orgs[0], orgs[2]}, Agreements: []string{orgs[0], orgs[1]}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := key.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterClient(nhnmock.RegisteredClient{ClientID: "c1", PublicJWK: jwk, Tenancy: nhnmock.TenancyMulti,
		Scopes: []string{nhnmock.ScopeLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	nhn := config.NHN{Mock: config.NHNEnvironment{ID: "mock", Authority: srv.URL + "/", APIBaseURL: srv.URL},
		Timeout: 10 * time.Second, HelseIDTimeout: 5 * time.Second}
	cases := []struct {
		name                 string
		org                  string
		activated            bool
		delegation, access   string
		delegationCode, code string
	}{
		{"activated", orgs[0], true, StateOK, StateOK, "", ""},
		{"no delegation", orgs[1], false, StateFailed, StateUnchecked, CodeNoDelegation, CodeNoDelegation},
		{"no agreement", orgs[2], false, StateOK, StateFailed, "", CodeNoAgreement},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := registertest.New()
			s := newService(t, store, helseid.NewMemoryKeyStore(), nhn)
			if _, err := s.Check(ctx, register.ActionActivate); err == nil {
				t.Fatal("check without settings succeeded")
			}
			if err := s.Configure(ctx, Settings{OrgNumber: tc.org, Environment: "mock", ClientID: "c1",
				Tenancy: helseid.TenancyMulti}, key); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Client(ctx); !errors.Is(err, ErrNotActivated) {
				t.Fatalf("client before the checks: %v", err)
			}
			st, err := s.Check(ctx, register.ActionActivate)
			if err != nil {
				t.Fatal(err)
			}
			if st.Activated() != tc.activated || st.Checks.Delegation.State != tc.delegation || st.Checks.Access.State != tc.access {
				t.Fatalf("checks %+v", st.Checks)
			}
			if st.Checks.Delegation.Code != tc.delegationCode {
				t.Errorf("delegation code %q, want %q", st.Checks.Delegation.Code, tc.delegationCode)
			}
			rows := store.Audit()
			if len(rows) != 1 || rows[0].Action != register.ActionActivate || rows[0].ErrorCode != tc.code || rows[0].OSUser != "resepsjonist" {
				t.Fatalf("audit rows %+v", rows)
			}
			_, _, err = s.Client(ctx)
			if (err == nil) != tc.activated {
				t.Errorf("client after the checks: %v", err)
			}
			// Changing the organisation invalidates both checks.
			if st, err = s.Update(ctx, Change{Practice: &PracticeChange{OrgNumber: orgs[0], SubOrgNumber: orgs[1]}}); err != nil {
				t.Fatal(err)
			}
			if st.Activated() || st.Checks.Delegation.State != StateUnchecked || st.Checks.Access.State != StateUnchecked {
				t.Errorf("after a change of organisation: %+v", st.Checks)
			}
		})
	}
}
