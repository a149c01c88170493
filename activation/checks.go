package activation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// Reasons a check failed, as stored and shown.
const (
	CodeInvalidClient              = "invalid_client"
	CodeNoDelegation               = "no_delegation"
	CodeInvalidScope               = "invalid_scope"
	CodeHelseIDUnavailable         = "helseid_unavailable"
	CodeNoAgreement                = "no_agreement"
	CodePersontjenestenUnavailable = "persontjenesten_unavailable"
	CodeTokenRejected              = "token_rejected"
	CodePersontjenestenRejected    = "persontjenesten_rejected"
)

// outageCode reports whether a check's failure code means only that the
// service could not be reached, which says nothing about the delegation or
// the agreement.
func outageCode(code string) bool {
	return code == CodeHelseIDUnavailable || code == CodePersontjenestenUnavailable
}

// keepThroughOutage returns the result to store for a check that ran now:
// when it failed only because the service was unreachable and the previous
// result (with the same settings) was ok, the ok result stays, with the
// failed attempt noted; otherwise the new result.
func keepThroughOutage(prev, next CheckResult, now time.Time) (CheckResult, bool) {
	if next.State != StateFailed || !outageCode(next.Code) || prev.State != StateOK {
		return next, false
	}
	kept := prev
	kept.LastAttempt = &FailedAttempt{At: now, Code: next.Code}
	return kept, true
}

// Check runs the delegation check (a token request with the organisation
// numbers) and then the access check (the latest event), and stores both
// with the audit row (action: register.ActionActivate or ActionRefresh) in
// one transaction. Missing settings are a *register.ValidationError.
func (s *Service) Check(ctx context.Context, action string) (State, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return st, err
	}
	fields := map[string]string{}
	if st.Settings.OrgNumber == "" {
		fields["practice.orgNumber"] = register.CodeRequired
	}
	if st.Settings.ClientID == "" {
		fields["helseid.clientId"] = register.CodeRequired
	}
	if st.KeyID == "" {
		fields["helseid.key"] = CodeKeyMissing
	}
	if !st.EnvOK {
		fields["helseid.environment"] = register.CodeInvalid
	}
	if len(fields) > 0 {
		return st, &register.ValidationError{Fields: fields}
	}
	key, err := s.keyCache.Load(ctx, st.KeyID, s.keyLimit)
	if err != nil {
		return st, keyError(err)
	}
	tokens, api, err := s.build(st, key)
	if err != nil {
		if errors.Is(err, helseid.ErrInvalidConfig) {
			return st, &register.ValidationError{Fields: map[string]string{"practice.orgNumber": register.CodeInvalid}}
		}
		return st, err
	}

	opCtx, cancel := context.WithTimeout(ctx, s.nhn.Timeout)
	defer cancel()
	now := s.now().UTC()
	checks := Checks{Fingerprint: st.fp,
		Delegation: CheckResult{State: StateOK, CheckedAt: &now},
		Access:     CheckResult{State: StateUnchecked}}
	errCode := ""
	if _, err := tokens.Token(opCtx); err != nil {
		checks.Delegation.State, checks.Delegation.Code = StateFailed, delegationCode(err)
		errCode = checks.Delegation.Code
		s.log.Info("delegation check failed", "code", errCode, "err", err)
	} else {
		at := s.now().UTC()
		checks.Access = CheckResult{State: StateOK, CheckedAt: &at}
		if _, err := api.LatestEvent(opCtx); err != nil && !errors.Is(err, persontjeneste.ErrNotFound) {
			checks.Access.State, checks.Access.Code = StateFailed, accessCode(err)
			errCode = checks.Access.Code
			s.log.Info("access check failed", "code", errCode, "err", err)
		}
	}
	// An outage says nothing about the delegation or the agreement: a check
	// that was ok keeps its last confirmed result, and the failed attempt is
	// shown beside it. Without a token the access check did not run, so it
	// keeps its earlier result too.
	if kept, ok := keepThroughOutage(st.Checks.Delegation, checks.Delegation, now); ok {
		checks.Delegation, checks.Access = kept, st.Checks.Access
	} else if checks.Delegation.State == StateOK {
		checks.Access, _ = keepThroughOutage(st.Checks.Access, checks.Access, *checks.Access.CheckedAt)
	}
	entry := register.AuditEntry{Time: now, OSUser: s.osUser, Action: action, PersonIDs: []string{},
		Query: fmt.Sprintf("org=%s subOrg=%s environment=%s clientId=%s tenancy=%s",
			st.Settings.OrgNumber, st.Settings.SubOrgNumber, st.Settings.Environment, st.Settings.ClientID, st.Settings.Tenancy)}
	entry.Outcome, entry.ErrorCode = register.OutcomeOK, errCode
	if errCode != "" {
		entry.Outcome = register.OutcomeError
	}
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer wcancel()
	if ctx.Err() != nil {
		// The user cancelled: record that, but keep the earlier results.
		entry.Outcome, entry.ErrorCode = register.OutcomeError, register.ErrorCancelled
		if err := s.settings.PutSettingsAudited(wctx, nil, entry); err != nil {
			return st, fmt.Errorf("audit: %w", err)
		}
		return st, ctx.Err()
	}
	raw, err := json.Marshal(checks)
	if err != nil {
		return st, err
	}
	if err := s.settings.PutSettingsAudited(wctx, map[string]string{settingChecks: string(raw)}, entry); err != nil {
		return st, err
	}
	if errCode == "" {
		// Both checks passed just now. (After an outage the client in use,
		// with its token, stays.)
		s.install(st.fp, api)
	}
	return s.Load(ctx)
}

// delegationCode maps a failed token request to the reason shown.
func delegationCode(err error) string {
	switch {
	case helseid.IsInvalidScope(err):
		return CodeInvalidScope
	case helseid.IsNoDelegation(err):
		return CodeNoDelegation
	case helseid.IsInvalidClient(err):
		return CodeInvalidClient
	case helseid.IsUnavailable(err), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return CodeHelseIDUnavailable
	}
	var te *helseid.TokenError
	if errors.As(err, &te) {
		return CodeInvalidClient
	}
	return CodeHelseIDUnavailable
}

// accessCode maps a failed access check to the reason shown.
func accessCode(err error) string {
	switch {
	case errors.Is(err, persontjeneste.ErrTokenRejected):
		return CodeTokenRejected
	case errors.Is(err, persontjeneste.ErrRejected):
		return CodePersontjenestenRejected
	case errors.Is(err, persontjeneste.ErrNoAccess), errors.Is(err, persontjeneste.ErrUnauthorized):
		if helseid.IsNoDelegation(err) {
			return CodeNoDelegation
		}
		return CodeNoAgreement
	default:
		return CodePersontjenestenUnavailable
	}
}
