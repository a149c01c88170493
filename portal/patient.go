package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"resepsjon/outbox"
)

// ActorPatient is the audit log's actor for what patients do themselves.
const ActorPatient = "pasient"

// Profile is what the patient sees of their own access.
type Profile struct {
	UserID               int64
	Name                 string
	Email                string
	Rights               Rights
	WantsElectronicReply bool
	Language             string
	PracticeName         string
}

// LinkValid reports whether token is an unused, unexpired link of purpose,
// so the page can show the form or say at once that the link is spent.
func (s *Service) LinkValid(ctx context.Context, token, purpose string) (bool, error) {
	if token == "" || len(token) > 128 {
		return false, nil
	}
	_, err := s.cfg.Store.LinkUser(ctx, HashToken(token), purpose, s.cfg.Now().UTC())
	if errors.Is(err, ErrLinkInvalid) {
		return false, nil
	}
	return err == nil, err
}

// UseLink sets the password with an activation or reset link and logs the
// patient in: it returns a session token. A used, replaced, expired or
// unknown link gives ErrLinkInvalid; a password the rules refuse gives a
// *ValidationError and leaves the link usable.
func (s *Service) UseLink(ctx context.Context, token, purpose, password string) (string, User, error) {
	if token == "" || len(token) > 128 {
		return "", User{}, ErrLinkInvalid
	}
	hash := HashToken(token)
	now := s.cfg.Now().UTC()
	owner, err := s.cfg.Store.LinkUser(ctx, hash, purpose, now)
	if err != nil {
		return "", User{}, fmt.Errorf("use portal link: %w", err)
	}
	if code := CheckPassword(password, owner.Email); code != "" {
		return "", User{}, &ValidationError{Fields: map[string]string{"password": code}}
	}
	pwHash, err := HashPassword(password, s.argon)
	if err != nil {
		return "", User{}, err
	}
	action, detail := ActionActivated, "tilgangen aktivert, passord valgt"
	if purpose == PurposeReset {
		action, detail = ActionPasswordReset, "nytt passord valgt med lenke"
	}
	u, err := s.cfg.Store.UseLink(ctx, hash, purpose, now, pwHash, Audit{Time: now, Actor: ActorPatient, Action: action, Detail: detail, Outcome: "ok"})
	if err != nil {
		return "", User{}, fmt.Errorf("use portal link: %w", err)
	}
	tok, err := s.newSession(ctx, u.ID, now)
	if err != nil {
		return "", User{}, err
	}
	return tok, u, nil
}

// Login checks e-mail and password and returns a session token. Every
// failure — unknown address, not activated, wrong password — is
// ErrLoginFailed and takes the same time; too many failures for the
// account or the address give *ThrottledError.
func (s *Service) Login(ctx context.Context, email, password, addr string) (string, User, error) {
	email = strings.TrimSpace(email)
	if err := s.cfg.Throttle.Check(email, addr); err != nil {
		return "", User{}, err
	}
	if len(email) > 254 || len(password) > 4*MaxPasswordLen {
		s.cfg.Throttle.Fail(email, addr)
		return "", User{}, ErrLoginFailed
	}
	u, err := s.cfg.Store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNoUser) {
		return "", User{}, fmt.Errorf("portal login: %w", err)
	}
	hash := s.dummyHash
	if err == nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	match, verr := VerifyPassword(password, hash)
	if verr != nil {
		s.cfg.Logger.Error("portal: stored password hash unreadable", "user", u.ID, "err", verr)
	}
	now := s.cfg.Now().UTC()
	if err != nil || u.PasswordHash == "" || !match {
		s.cfg.Throttle.Fail(email, addr)
		if u.ID != 0 {
			_, _ = s.cfg.Store.Apply(ctx, Change{Audit: Audit{Time: now, Actor: ActorPatient, Action: ActionLogin,
				ClientID: u.ClientID, Detail: "innlogging avvist", Outcome: "error", Error: "login_failed"}})
		}
		return "", User{}, ErrLoginFailed
	}
	s.cfg.Throttle.Succeed(email)
	tok, err := s.newSession(ctx, u.ID, now)
	if err != nil {
		return "", User{}, err
	}
	_, _ = s.cfg.Store.Apply(ctx, Change{Audit: Audit{Time: now, Actor: ActorPatient, Action: ActionLogin,
		ClientID: u.ClientID, Detail: "logget inn", Outcome: "ok"}})
	return tok, u, nil
}

func (s *Service) newSession(ctx context.Context, userID int64, now time.Time) (string, error) {
	tok, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	if err := s.cfg.Store.CreateSession(ctx, hash, userID, now.Add(s.cfg.SessionTTL)); err != nil {
		return "", fmt.Errorf("portal session: %w", err)
	}
	return tok, nil
}

// Session returns the user of a session token, or ErrNoSession.
func (s *Service) Session(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 128 {
		return User{}, ErrNoSession
	}
	return s.cfg.Store.SessionUser(ctx, HashToken(token), s.cfg.Now().UTC())
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" || len(token) > 128 {
		return nil
	}
	return s.cfg.Store.DeleteSession(ctx, HashToken(token))
}

// Profile is the patient's own view.
func (s *Service) Profile(ctx context.Context, u User) (Profile, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{UserID: u.ID, Email: u.Email, Rights: u.Rights, WantsElectronicReply: u.WantsElectronicReply,
		Language: u.Language, PracticeName: st.PracticeName}
	if c, err := s.cfg.Clients.GetClient(ctx, u.ClientID); err == nil {
		p.Name = strings.Join(strings.Fields(c.GivenName+" "+c.MiddleName+" "+c.FamilyName), " ")
	}
	return p, nil
}

// SetPreferences stores the patient's own «Ønsker svar elektronisk» and
// language.
func (s *Service) SetPreferences(ctx context.Context, u User, wantsReply bool, lang string) (User, error) {
	if lang != LangNB && lang != LangEN {
		lang = u.Language
	}
	if u.WantsElectronicReply == wantsReply && u.Language == lang {
		return u, nil
	}
	u.WantsElectronicReply, u.Language, u.UpdatedAt = wantsReply, lang, s.cfg.Now().UTC()
	return s.cfg.Store.Apply(ctx, Change{User: &u, Audit: Audit{Time: u.UpdatedAt, Actor: ActorPatient, Action: ActionPreference,
		ClientID: u.ClientID, Detail: "svar elektronisk: " + yesNo(wantsReply) + "; språk " + lang, Outcome: "ok"}})
}

// ChangePassword replaces the password after checking the current one
// (throttled like a login). All sessions end; the returned token is the
// patient's new one.
func (s *Service) ChangePassword(ctx context.Context, u User, current, next, addr string) (string, error) {
	if err := s.cfg.Throttle.Check(u.Email, addr); err != nil {
		return "", err
	}
	ok, err := VerifyPassword(current, u.PasswordHash)
	if err != nil || !ok {
		s.cfg.Throttle.Fail(u.Email, addr)
		return "", &ValidationError{Fields: map[string]string{"current": "password.wrong"}}
	}
	if code := CheckPassword(next, u.Email); code != "" {
		return "", &ValidationError{Fields: map[string]string{"password": code}}
	}
	hash, err := HashPassword(next, s.argon)
	if err != nil {
		return "", err
	}
	now := s.cfg.Now().UTC()
	u.PasswordHash, u.UpdatedAt = hash, now
	if _, err := s.cfg.Store.Apply(ctx, Change{User: &u, EndSessions: true, VoidLinks: []string{PurposeReset},
		Audit: Audit{Time: now, Actor: ActorPatient, Action: ActionPasswordChange, ClientID: u.ClientID, Detail: "passord endret", Outcome: "ok"}}); err != nil {
		return "", fmt.Errorf("change portal password: %w", err)
	}
	return s.newSession(ctx, u.ID, now)
}

// RequestReset sends a reset link to an active user with this e-mail. It
// answers the same whether or not there is one, and counts against the
// throttle so that nobody can flood a mailbox.
func (s *Service) RequestReset(ctx context.Context, email, addr string) error {
	email = strings.TrimSpace(email)
	if err := s.cfg.Throttle.Check(email, addr); err != nil {
		return err
	}
	s.cfg.Throttle.Fail(email, addr)
	u, err := s.cfg.Store.UserByEmail(ctx, email)
	if errors.Is(err, ErrNoUser) || (err == nil && u.ActivatedAt == nil) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("portal reset request: %w", err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	now := s.cfg.Now().UTC()
	link, msg, err := s.linkMail(st, u, PurposeReset, now)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Store.Apply(ctx, Change{VoidLinks: []string{PurposeReset}, Link: &link, Messages: []outbox.Message{msg},
		Audit: Audit{Time: now, Actor: ActorPatient, Action: ActionReset, ClientID: u.ClientID,
			Detail: "pasienten ba om nytt passord; lenke sendt", Outcome: "ok"}}); err != nil {
		return fmt.Errorf("portal reset request: %w", err)
	}
	s.cfg.Wake()
	return nil
}
