package messages

// portalTexts: the patient portal's messages (portal.*: the reception's API
// and the patient's pages), the password rules (password.*), the outbox's
// failure reasons (outbox.smtp_*, by outbox's reason codes) and the
// portal's e-mails (portal.mail.KIND.*, KIND as in the outbox).
var portalTexts = map[string]Text{
	"portal.no_user": {
		"Klienten har ingen tilgang til pasientportalen. Opprett tilgang først.",
		"The client has no access to the patient portal. Create access first."},
	"portal.exists": {
		"Klienten har allerede tilgang til pasientportalen. Last inn siden på nytt.",
		"The client already has access to the patient portal. Reload the page."},
	"portal.email_taken": {
		"E-postadressen brukes allerede av en annen klient i pasientportalen. Bruk en annen adresse.",
		"Another client already uses this e-mail address in the patient portal. Use another address."},
	"portal.confirm_email": {
		"Pasienten har aktivert tilgangen. Bekreft at e-postadressen skal endres; pasienten får et varsel på den gamle adressen.",
		"The patient has activated the access. Confirm that the e-mail address should change; the patient gets a notice at the old address."},
	"portal.already_active": {
		"Tilgangen er allerede aktivert. Bruk «Ny kode» hvis pasienten trenger nytt passord.",
		"The access is already activated. Use «Ny kode» (new password) if the patient needs a new password."},
	"portal.not_activated": {
		"Tilgangen er ikke aktivert ennå. Bruk «Send på nytt» for å sende en ny aktiveringslenke.",
		"The access is not activated yet. Use «Send på nytt» (send again) to send a new activation link."},
	"portal.no_public_url": {
		"Pasientportalen har ingen adresse å lage lenker til. Skriv portalens offentlige adresse under Pasientportal → Innstillinger, eller slå på portalen (portal.enabled i config.yaml).",
		"The patient portal has no address for links. Enter the portal's public address under Pasientportal → Settings, or turn the portal on (portal.enabled in config.yaml)."},
	"portal.link_invalid": {
		"Lenken er brukt, erstattet av en nyere eller utløpt. Be om en ny lenke med «Glemt passord», eller kontakt legekontoret.",
		"The link has been used, replaced by a newer one or has expired. Ask for a new one with «Forgot password», or contact the practice."},
	"portal.login_failed": {
		"Feil e-postadresse eller passord. Prøv igjen, eller bruk «Glemt passord».",
		"Wrong e-mail address or password. Try again, or use «Forgot password»."},
	"portal.throttled": {
		"For mange forsøk. Vent et kvarter og prøv igjen.",
		"Too many attempts. Wait a quarter of an hour and try again."},
	"portal.reset_sent": {
		"Hvis adressen har tilgang til pasientportalen, får du snart en e-post med en lenke til nytt passord. Lenken gjelder en kort stund.",
		"If the address has access to the patient portal, you will soon get an e-mail with a link to a new password. The link works for a short while."},
	"password.too_short": {
		"Passordet må ha minst 10 tegn. Noen ord etter hverandre er lett å huske og vanskelig å gjette.",
		"The password needs at least 10 characters. A few words in a row are easy to remember and hard to guess."},
	"password.too_long": {
		"Passordet kan ha høyst 128 tegn.",
		"The password can have at most 128 characters."},
	"password.common": {
		"Passordet er for lett å gjette. Velg noen ord som hører sammen for deg.",
		"The password is too easy to guess. Choose a few words that belong together for you."},
	"password.is_email": {
		"Passordet kan ikke være e-postadressen din.",
		"The password cannot be your e-mail address."},
	"password.invalid": {
		"Passordet har tegn som ikke kan brukes. Skriv det på nytt.",
		"The password has characters that cannot be used. Type it again."},
	"password.wrong": {
		"Nåværende passord er feil.",
		"The current password is wrong."},
	"password.mismatch": {
		"Passordene er ikke like. Skriv det samme passordet to ganger.",
		"The passwords differ. Type the same password twice."},
	"portal.activation_hours": {
		"Skriv et helt antall timer fra 1 til 720.",
		"Enter a whole number of hours from 1 to 720."},
	"portal.reset_minutes": {
		"Skriv et helt antall minutter fra 5 til 1440.",
		"Enter a whole number of minutes from 5 to 1440."},
	"portal.public_url": {
		"Skriv en adresse som begynner med https://, for eksempel https://portal.dittkontor.no.",
		"Enter an address beginning with https://, for example https://portal.yourpractice.no."},
	"portal.text": {
		"Teksten er for lang eller har ugyldige tegn.",
		"The text is too long or has invalid characters."},
	"outbox.smtp_unreachable": {
		"e-postserveren svarer ikke. Sjekk nettverket og e-postinnstillingene; Resepsjon prøver igjen av seg selv.",
		"the mail server does not answer. Check the network and the mail settings; Resepsjon tries again by itself."},
	"outbox.smtp_auth": {
		"e-postserveren godtok ikke brukernavnet eller passordet. Sjekk mail.user og passordet (resepsjon mail-password).",
		"the mail server did not accept the user name or password. Check mail.user and the password (resepsjon mail-password)."},
	"outbox.smtp_tls": {
		"kunne ikke lage en sikker forbindelse til e-postserveren. Sjekk mail.host, mail.port og mail.security.",
		"no secure connection to the mail server could be made. Check mail.host, mail.port and mail.security."},
	"outbox.smtp_recipient": {
		"e-postserveren avviste mottakeradressen. Sjekk at e-postadressen er riktig.",
		"the mail server refused the recipient address. Check that the e-mail address is right."},
	"outbox.smtp_rejected": {
		"e-postserveren avviste meldingen. Kontakt den som drifter e-posten.",
		"the mail server refused the message. Contact whoever runs the mail service."},
	"outbox.smtp_not_configured": {
		"ingen e-postserver er satt opp. Sett mail.host og avsenderadressen under Pasientportal → Innstillinger.",
		"no mail server is set up. Set mail.host and the sender address under Pasientportal → Settings."},
	"outbox.smtp_temporary": {
		"e-postserveren ba om å prøve igjen senere. Resepsjon prøver igjen av seg selv.",
		"the mail server asked to try again later. Resepsjon tries again by itself."},
	"portal.approval_needs_idp": {
		"«Godkjenn automatisk» krever at en identitetsleverandør (ID-porten) er satt opp. Velg «Behandle manuelt», eller sett opp ID-porten først.",
		"«Godkjenn automatisk» (approve automatically) needs an identity provider (ID-porten). Choose «Behandle manuelt» (handle manually), or set up ID-porten first."},
	"portal.request_decided": {
		"Forespørselen er allerede godkjent eller avvist. Last inn listen på nytt.",
		"The request has already been approved or rejected. Reload the list."},
	"portal.no_request": {
		"Fant ikke forespørselen. Last inn listen på nytt.",
		"The request was not found. Reload the list."},
	"portal.no_inquiry": {
		"Fant ikke meldingen. Last inn innboksen på nytt.",
		"The message was not found. Reload the inbox."},
	"portal.no_right": {
		"Du har ikke tilgang til denne tjenesten nå. Ta kontakt med legekontoret hvis du trenger den.",
		"You do not have access to this service now. Contact the practice if you need it."},
	"portal.person_lookup": {
		"Personen kunne ikke hentes fra Persontjenesten. Sjekk fødselsnummeret i forespørselen og forbindelsen under Persontjenesten, og prøv igjen.",
		"The person could not be fetched from Persontjenesten. Check the identity number in the request and the connection under Persontjenesten, and try again."},
	"portal.nin_taken": {
		"Fødselsnummeret tilhører allerede en klient. Last inn listen på nytt; forespørselen kobles da til klienten.",
		"The identity number already belongs to a client. Reload the list; the request is then linked to that client."},
	// The e-mails. A mail is its subject, the paragraphs before the link
	// (before), the paragraphs after it (after) and the link's words in
	// the HTML part (button); paragraphs are separated by a blank line.
	// They are text/template texts over the mail's data ({{.Practice}},
	// {{.Expires}}, {{.When}}, {{.Reason}}); identity numbers never appear.
	"portal.mail.practice": {
		"legekontoret",
		"the practice"},
	"portal.mail.time_layout": {
		"02.01.2006 kl. 15:04",
		"02.01.2006 at 15:04"},
	"portal.mail.activation.subject": {
		"Aktiver tilgangen din til pasientportalen hos {{.Practice}}",
		"Activate your access to {{.Practice}}'s patient portal"},
	"portal.mail.activation.before": {
		"Hei,\n\n{{.Practice}} har gitt deg tilgang til pasientportalen. Åpne lenken nedenfor for å velge passord og aktivere tilgangen:",
		"Hello,\n\n{{.Practice}} has given you access to its patient portal. Open the link below to choose a password and activate your access:"},
	"portal.mail.activation.after": {
		"Lenken kan brukes én gang og gjelder til {{.Expires}}. Hvis du ikke ventet denne e-posten, kan du se bort fra den.",
		"The link can be used once and works until {{.Expires}}. If you did not expect this e-mail, you can ignore it."},
	"portal.mail.activation.button": {
		"Aktiver tilgangen",
		"Activate access"},
	"portal.mail.reset.subject": {
		"Nytt passord til pasientportalen hos {{.Practice}}",
		"New password for {{.Practice}}'s patient portal"},
	"portal.mail.reset.before": {
		"Hei,\n\nÅpne lenken nedenfor for å velge et nytt passord til pasientportalen:",
		"Hello,\n\nOpen the link below to choose a new password for the patient portal:"},
	"portal.mail.reset.after": {
		"Lenken kan brukes én gang og gjelder til {{.Expires}}. Hvis du ikke har bedt om nytt passord, kan du se bort fra denne e-posten; passordet ditt er som før.",
		"The link can be used once and works until {{.Expires}}. If you did not ask for a new password, you can ignore this e-mail; your password stays as it is."},
	"portal.mail.reset.button": {
		"Velg nytt passord",
		"Choose a new password"},
	"portal.mail.email_changed.subject": {
		"E-postadressen din i pasientportalen hos {{.Practice}} er endret",
		"Your e-mail address in {{.Practice}}'s patient portal was changed"},
	"portal.mail.email_changed.before": {
		"Hei,\n\nE-postadressen for tilgangen din til pasientportalen hos {{.Practice}} ble endret {{.When}}. Heretter går e-post fra portalen til den nye adressen.\n\nHvis du ikke har bedt om dette, ta kontakt med {{.Practice}}.",
		"Hello,\n\nThe e-mail address of your access to {{.Practice}}'s patient portal was changed on {{.When}}. From now on, mail from the portal goes to the new address.\n\nIf you did not ask for this, please contact {{.Practice}}."},
	"portal.mail.request_rejected.subject": {
		"Forespørselen din om tilgang til pasientportalen hos {{.Practice}}",
		"Your request for access to {{.Practice}}'s patient portal"},
	"portal.mail.request_rejected.before": {
		"Hei,\n\n{{.Practice}} har behandlet forespørselen din om tilgang til pasientportalen og kan ikke gi deg tilgang nå.\n\n{{if .Reason}}Begrunnelse fra legekontoret: {{.Reason}}{{end}}",
		"Hello,\n\n{{.Practice}} has handled your request for access to its patient portal and cannot give you access now.\n\n{{if .Reason}}The practice's reason: {{.Reason}}{{end}}"},
	"portal.mail.request_rejected.after": {
		"Hvis du har spørsmål, ta kontakt med {{.Practice}}.",
		"If you have questions, please contact {{.Practice}}."},
	"portal.mail.new_answer.subject": {
		"Nytt svar fra {{.Practice}}",
		"New answer from {{.Practice}}"},
	"portal.mail.new_answer.before": {
		"Hei,\n\n{{.Practice}} har svart på meldingen din i pasientportalen. Logg inn for å lese svaret:",
		"Hello,\n\n{{.Practice}} has answered your message in the patient portal. Log in to read the answer:"},
	"portal.mail.new_answer.after": {
		"Av hensyn til personvernet står ikke svaret i denne e-posten.",
		"For your privacy the answer is not in this e-mail."},
	"portal.mail.new_answer.button": {
		"Les svaret",
		"Read the answer"},
}
