package app

import (
	"testing"

	"resepsjon/activation"
	"resepsjon/backup"
	"resepsjon/clientfile"
	"resepsjon/lookup"
	"resepsjon/messages"
	"resepsjon/refresh"
	"resepsjon/register"
)

// TestEveryCodeHasText: every code the API, the checks, the update-all job
// and the validation can answer with has its text in the catalogue.
func TestEveryCodeHasText(t *testing.T) {
	t.Parallel()
	var want []string
	for _, c := range []string{"unauthorized", "forbidden_host", "forbidden_origin", "invalid_input", "invalid_json",
		"not_found", "route_not_found", "conflict", "duplicate", "too_large", "method_not_allowed", "internal",
		"unsupported_media_type", "invalid_query",
		lookup.CodeNotActivated, lookup.CodeKeyringUnavailable, lookup.CodePersonNotFound, lookup.CodeRateLimited,
		lookup.CodeNoAccess, lookup.CodeUnavailable, lookup.CodeUnavailable + "." + lookup.ServiceHelseID,
		lookup.CodeRejected, lookup.CodeTokenRejected,
		lookup.CodeUnavailable + "." + lookup.ServicePersontjenesten} {
		want = append(want, "error."+c)
	}
	for _, c := range echoErrorCodes {
		want = append(want, "error."+c)
	}
	for c := range failureStatus {
		want = append(want, "error."+c)
	}
	for _, c := range []string{activation.CodeInvalidClient, activation.CodeNoDelegation, activation.CodeInvalidScope,
		activation.CodeHelseIDUnavailable, activation.CodeNoAgreement, activation.CodePersontjenestenUnavailable,
		activation.CodeTokenRejected, activation.CodePersontjenestenRejected,
		"delegation_unchecked", "access_unchecked", "delegation_ok", "access_ok"} {
		want = append(want, "check."+c)
	}
	for c := range checkLinks {
		want = append(want, "check."+c, "check."+c+".help")
	}
	for _, c := range []string{refresh.ItemConflict, refresh.ItemDeleted, refresh.ItemDuplicate, refresh.ItemPersonNotFound,
		refresh.ItemInvalid, refresh.ItemInternal} {
		want = append(want, "bulk.item."+c)
	}
	for _, c := range []string{"job_running", lookup.CodeUnavailable, lookup.CodeRateLimited, lookup.CodeNoAccess, lookup.CodeInternal} {
		want = append(want, "bulk."+c)
	}
	for _, c := range []string{register.CodeRequired, register.CodeTooLong, register.CodeControlChars, register.CodeDate,
		register.CodeBirthDateMismatch, register.CodeDeathBeforeBirth, register.CodeInvalid, register.CodeAddressProtected,
		register.CodePostalCode, register.CodeMunicipality, register.CodePhone, register.CodeEmail,
		register.CodeNoVisibleText, register.CodeBidiControl,
		"nin.length", "nin.digits", "nin.checksum", "nin.date", "nin.individual", "org.length", "org.digits", "org.checksum",
		activation.CodeKeyMissing, activation.CodeKeyInvalid, "unknown"} {
		want = append(want, "field."+c)
	}
	// Backup and restore, and the client-list file's errors, use their
	// codes as they are.
	want = append(want, backup.WarnNotConfigured, backup.WarnUnreachable, backup.WarnOverdue, backup.WarnNever,
		backup.CodeChecksumMissing, backup.CodeChecksumMismatch, backup.CodePassphrase, backup.CodeWrongPassphrase,
		backup.CodeNotRegister, backup.CodeSchemaNewer, backup.CodeDamaged, backup.CodeUnreadable,
		clientfile.CodeEmpty, clientfile.CodeNoRows, clientfile.CodeTooManyRows, clientfile.CodeTooManyCols,
		clientfile.CodeBadCSV, clientfile.CodeBadXLSX, clientfile.CodeFormat)
	for _, code := range want {
		if !messages.Has(code) {
			t.Errorf("no text for %s", code)
		}
	}
}
