package portal

import (
	"resepsjon/messages"
	"resepsjon/register"
)

// Message is the text of a portal message code in lang ("en", else
// bokmål): errors, field codes and the outbox's failure reasons. Each says
// what happened and what to do. ok is false for a code the portal does not
// know; register's field codes (email, required) are answered from there.
func Message(code, lang string) (text string, ok bool) {
	nb, en := messagePair(code)
	if nb == "" {
		nb, en = requestMessagePair(code)
	}
	if nb == "" {
		// The register's field codes (email, required, nin.*, too_long).
		if messages.Has("field." + code) {
			if lang == LangEN {
				return register.MessageEN(code), true
			}
			return register.MessageNB(code), true
		}
		return "", false
	}
	if lang == LangEN {
		return en, true
	}
	return nb, true
}

func messagePair(code string) (nb, en string) {
	switch code {
	case "portal.no_user":
		return "Klienten har ingen tilgang til pasientportalen. Opprett tilgang først.",
			"The client has no access to the patient portal. Create access first."
	case "portal.exists":
		return "Klienten har allerede tilgang til pasientportalen. Last inn siden på nytt.",
			"The client already has access to the patient portal. Reload the page."
	case "portal.email_taken":
		return "E-postadressen brukes allerede av en annen klient i pasientportalen. Bruk en annen adresse.",
			"Another client already uses this e-mail address in the patient portal. Use another address."
	case "portal.confirm_email":
		return "Pasienten har aktivert tilgangen. Bekreft at e-postadressen skal endres; pasienten får et varsel på den gamle adressen.",
			"The patient has activated the access. Confirm that the e-mail address should change; the patient gets a notice at the old address."
	case "portal.already_active":
		return "Tilgangen er allerede aktivert. Bruk «Ny kode» hvis pasienten trenger nytt passord.",
			"The access is already activated. Use «Ny kode» (new password) if the patient needs a new password."
	case "portal.not_activated":
		return "Tilgangen er ikke aktivert ennå. Bruk «Send på nytt» for å sende en ny aktiveringslenke.",
			"The access is not activated yet. Use «Send på nytt» (send again) to send a new activation link."
	case "portal.no_public_url":
		return "Pasientportalen har ingen adresse å lage lenker til. Skriv portalens offentlige adresse under Pasientportal → Innstillinger, eller slå på portalen (portal.enabled i config.yaml).",
			"The patient portal has no address for links. Enter the portal's public address under Pasientportal → Settings, or turn the portal on (portal.enabled in config.yaml)."
	case "portal.link_invalid":
		return "Lenken er brukt, erstattet av en nyere eller utløpt. Be om en ny lenke med «Glemt passord», eller kontakt legekontoret.",
			"The link has been used, replaced by a newer one or has expired. Ask for a new one with «Forgot password», or contact the practice."
	case "portal.login_failed":
		return "Feil e-postadresse eller passord. Prøv igjen, eller bruk «Glemt passord».",
			"Wrong e-mail address or password. Try again, or use «Forgot password»."
	case "portal.throttled":
		return "For mange forsøk. Vent et kvarter og prøv igjen.",
			"Too many attempts. Wait a quarter of an hour and try again."
	case "portal.reset_sent":
		return "Hvis adressen har tilgang til pasientportalen, får du snart en e-post med en lenke til nytt passord. Lenken gjelder en kort stund.",
			"If the address has access to the patient portal, you will soon get an e-mail with a link to a new password. The link works for a short while."
	case PasswordTooShort:
		return "Passordet må ha minst 10 tegn. Noen ord etter hverandre er lett å huske og vanskelig å gjette.",
			"The password needs at least 10 characters. A few words in a row are easy to remember and hard to guess."
	case PasswordTooLong:
		return "Passordet kan ha høyst 128 tegn.", "The password can have at most 128 characters."
	case PasswordCommon:
		return "Passordet er for lett å gjette. Velg noen ord som hører sammen for deg.",
			"The password is too easy to guess. Choose a few words that belong together for you."
	case PasswordIsEmail:
		return "Passordet kan ikke være e-postadressen din.", "The password cannot be your e-mail address."
	case PasswordInvalid:
		return "Passordet har tegn som ikke kan brukes. Skriv det på nytt.", "The password has characters that cannot be used. Type it again."
	case "password.wrong":
		return "Nåværende passord er feil.", "The current password is wrong."
	case "password.mismatch":
		return "Passordene er ikke like. Skriv det samme passordet to ganger.", "The passwords differ. Type the same password twice."
	case "portal.activation_hours":
		return "Skriv et helt antall timer fra 1 til 720.", "Enter a whole number of hours from 1 to 720."
	case "portal.reset_minutes":
		return "Skriv et helt antall minutter fra 5 til 1440.", "Enter a whole number of minutes from 5 to 1440."
	case "portal.public_url":
		return "Skriv en adresse som begynner med https://, for eksempel https://portal.dittkontor.no.",
			"Enter an address beginning with https://, for example https://portal.yourpractice.no."
	case "portal.text":
		return "Teksten er for lang eller har ugyldige tegn.", "The text is too long or has invalid characters."
	case "smtp_unreachable":
		return "e-postserveren svarer ikke. Sjekk nettverket og e-postinnstillingene; Resepsjon prøver igjen av seg selv.",
			"the mail server does not answer. Check the network and the mail settings; Resepsjon tries again by itself."
	case "smtp_auth":
		return "e-postserveren godtok ikke brukernavnet eller passordet. Sjekk mail.user og passordet (resepsjon mail-password).",
			"the mail server did not accept the user name or password. Check mail.user and the password (resepsjon mail-password)."
	case "smtp_tls":
		return "kunne ikke lage en sikker forbindelse til e-postserveren. Sjekk mail.host, mail.port og mail.security.",
			"no secure connection to the mail server could be made. Check mail.host, mail.port and mail.security."
	case "smtp_recipient":
		return "e-postserveren avviste mottakeradressen. Sjekk at e-postadressen er riktig.",
			"the mail server refused the recipient address. Check that the e-mail address is right."
	case "smtp_rejected":
		return "e-postserveren avviste meldingen. Kontakt den som drifter e-posten.",
			"the mail server refused the message. Contact whoever runs the mail service."
	case "smtp_not_configured":
		return "ingen e-postserver er satt opp. Sett mail.host og avsenderadressen under Pasientportal → Innstillinger.",
			"no mail server is set up. Set mail.host and the sender address under Pasientportal → Settings."
	case "smtp_temporary":
		return "e-postserveren ba om å prøve igjen senere. Resepsjon prøver igjen av seg selv.",
			"the mail server asked to try again later. Resepsjon tries again by itself."
	}
	return "", ""
}
