// Package messages is Resepsjon's one catalogue of server text: every
// message the API, the background jobs, the validation and the command line
// show, by code, in Norwegian bokmål and English. Errors carry codes; the
// text is looked up where it is shown (the HTTP error handler, the job's
// JSON, the terminal).
package messages

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Text is one message in both languages. Either may hold fmt verbs filled
// by the arguments given where it is shown.
type Text struct{ NB, EN string }

// In is the text in lang ("en", else bokmål).
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.NB
}

// Lookup returns the text of code and whether the catalogue has it.
func Lookup(code string) (Text, bool) {
	t, ok := catalogue[code]
	return t, ok
}

// Has reports whether the catalogue has code.
func Has(code string) bool {
	_, ok := catalogue[code]
	return ok
}

// Get is the text of code in lang with args filled in; an unknown code
// gives fallback's text (which must exist).
func Get(code, fallback, lang string, args ...any) string {
	t, ok := catalogue[code]
	if !ok {
		t = catalogue[fallback]
	}
	return format(t.In(lang), args)
}

func format(s string, args []any) string {
	if len(args) == 0 || !strings.Contains(s, "%") {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Codes lists every code, sorted.
func Codes() []string { return slices.Sorted(maps.Keys(catalogue)) }

// Coded is an error that carries a message code and its arguments instead
// of text; Err, if any, is the cause. Error() gives both languages, as the
// command line shows them; an HTTP handler picks one with Get.
type Coded struct {
	Code string
	Args []any
	Err  error
}

// Errorf is a *Coded for code with args and the cause err (may be nil).
func Errorf(err error, code string, args ...any) *Coded {
	return &Coded{Code: code, Args: args, Err: err}
}

func (e *Coded) Error() string {
	s := Both(e.Code, e.Args...)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Coded) Unwrap() error { return e.Err }

// Both is the text of code in bokmål, then English, each on its own line.
func Both(code string, args ...any) string {
	t := catalogue[code]
	return format(t.NB, args) + "\n" + format(t.EN, args)
}

// Inline is the text of code as "bokmål / English" on one line.
func Inline(code string, args ...any) string {
	t := catalogue[code]
	return format(t.NB, args) + " / " + format(t.EN, args)
}

// Terminal is how the command line shows err: a coded error in both
// languages with its cause in brackets, any other error as it is.
func Terminal(err error) string {
	var c *Coded
	if !errors.As(err, &c) {
		return err.Error()
	}
	s := Both(c.Code, c.Args...)
	if c.Err != nil {
		s += "\n(" + c.Err.Error() + ")"
	}
	return strings.TrimSuffix(s, "\n")
}

// catalogue is every area's table in one: the core table below and one
// file per area (backup.go, startup.go, ...). TestNoCodeInTwoAreas checks
// that no code is defined twice.
var catalogue = join(areas()...)

// areas lists the tables the catalogue is made of.
func areas() []map[string]Text {
	return []map[string]Text{coreTexts, backupTexts, startupTexts, serveTexts, importTexts, feedTexts, idportenTexts, portalTexts, patientTexts, auditTexts, cliTexts, trayTexts, mockIDPortenTexts}
}

// join merges the area tables; a code in two of them keeps the first text
// (the test fails on it).
func join(tables ...map[string]Text) map[string]Text {
	out := map[string]Text{}
	for _, t := range tables {
		for code, text := range t {
			if _, dup := out[code]; !dup {
				out[code] = text
			}
		}
	}
	return out
}

// coreTexts: the command line, the API's errors, field validation, the
// activation checks and the update-all job.
var coreTexts = map[string]Text{
	// command line
	"cli.key.no_keyring": {
		"Fant ingen nøkkelring (Secret Service) å lagre HelseID-nøkkelen i, eller den er låst.\nResepsjon lagrer aldri private nøkler i klartekst. Start eller lås opp nøkkelringen\n(for eksempel GNOME Keyring eller KWallet) og prøv igjen.",
		"No OS keyring (Secret Service) was found to keep the HelseID key in, or it is locked.\nResepsjon never stores private keys in plain text. Start or unlock the keyring\n(for example GNOME Keyring or KWallet) and try again."},
	"cli.key.private_warning": {
		"ADVARSEL: Den PRIVATE nøkkelen skrives ut nedenfor. Den er KUN for testklienten\ni NHN-mocken. Bruk den aldri mot ekte HelseID, og ikke lagre den der andre kan se den.",
		"WARNING: the PRIVATE key is printed below. It is ONLY for the NHN mock's test\nclient. Never use it against the real HelseID; do not keep it where others can read it."},
	"cli.key.generate_active": {
		"Det finnes allerede en aktiv HelseID-nøkkel (%[1]s). Bruk --replace for å lage en ny og slette den gamle.",
		"A HelseID key is already active (%[1]s). Use --replace to make a new one and delete the old one"},
	"cli.key.import_active": {
		"Det finnes allerede en aktiv HelseID-nøkkel (%[1]s). Bruk --replace for å bytte den ut.",
		"A HelseID key is already active (%[1]s). Use --replace to replace it"},
	"cli.key.old_not_deleted": {
		"Merk: den gamle nøkkelen %[1]s kunne ikke slettes fra nøkkelringen (%[2]v). Slett den der for hånd.",
		"Note: the old key %[1]s could not be deleted from the keyring; delete it there by hand."},
	"cli.key.generated": {
		"Ny HelseID-nøkkel lagret i nøkkelringen: %[1]s (%[2]s)\nRegistrer den offentlige nøkkelen (JWK-en på standard ut) i HelseID selvbetjening.",
		"New HelseID key stored in the OS keyring: %[1]s (%[2]s)\nRegister the public key (the JWK on standard output) in HelseID selvbetjening."},
	"cli.key.missing_from_keyring": {
		"Nøkkelen %[1]s er valgt, men finnes ikke i nøkkelringen. Lag en ny med \"resepsjon key generate --replace\" og registrer den i HelseID selvbetjening.",
		"The key %[1]s is selected but missing from the OS keyring. Make a new one with \"resepsjon key generate --replace\" and register it in HelseID selvbetjening"},
	"cli.key.active": {
		"Aktiv HelseID-nøkkel: %[1]s (%[2]s)",
		"Active HelseID key: %[1]s (%[2]s)"},
	"cli.key.none": {
		"Ingen HelseID-nøkkel er satt opp. Lag en med \"resepsjon key generate\" eller hent en inn med \"resepsjon key import FIL\".",
		"No HelseID key is set up. Make one with \"resepsjon key generate\" or bring one in with \"resepsjon key import FILE\""},
	"cli.key.unreadable": {
		"Kunne ikke lese nøkkelen i %[1]s",
		"could not read the key in %[1]s"},
	"cli.key.file_unopenable": {
		"Kunne ikke åpne nøkkelfilen",
		"could not open the key file"},
	"cli.key.file_too_large": {
		"%[1]s er for stor til å være en nøkkel",
		"%[1]s is too large to be a key"},
	"cli.key.imported": {
		"HelseID-nøkkelen er lagret i nøkkelringen: %[1]s (%[2]s)\nDu kan nå slette filen %[3]s.",
		"The HelseID key is stored in the OS keyring: %[1]s (%[2]s)\nYou can now delete the file %[3]s."},
	"cli.key.delete_confirm": {
		"Sletting fjerner den private nøkkelen fra nøkkelringen for godt; Resepsjon kan ikke hente data fra Persontjenesten\nfør en ny nøkkel er laget og registrert i HelseID selvbetjening. Kjør \"resepsjon key delete --yes\" for å slette.",
		"Deleting removes the private key from the OS keyring for good; Resepsjon cannot reach Persontjenesten until a new\nkey is made and registered in HelseID selvbetjening. Run \"resepsjon key delete --yes\" to delete it."},
	"cli.key.not_in_keyring": {
		"Nøkkelen %[1]s fantes ikke i nøkkelringen",
		"The key %[1]s was not in the OS keyring."},
	"cli.key.deleted": {
		"HelseID-nøkkelen %[1]s er slettet. Fjern også den offentlige nøkkelen i HelseID selvbetjening.",
		"The HelseID key %[1]s is deleted. Remove its public key in HelseID selvbetjening as well."},
	"cli.mock.private_client_jwk": {
		"--client-jwk %[1]s inneholder en privat nøkkel; gi den offentlige JWK-en (resepsjon key show).",
		"--client-jwk %[1]s holds a private key; give the public JWK (resepsjon key show)"},
	"cli.mock.not_loopback": {
		"--listen %[1]s er ikke en loopback-adresse; bruk 127.0.0.1, eller --allow-remote hvis du virkelig vil.",
		"--listen %[1]s is not a loopback address; use 127.0.0.1, or --allow-remote if you really mean it"},
	"cli.mock.remote_warning": {
		"Advarsel: NHN-mocken svarer nå fra nettverket (bare syntetiske data).",
		"Warning: the NHN mock now answers from the network (synthetic data only)."},
	"cli.mock.replace_address": {
		"Bytt %[1]s i adressene under med maskinens adresse.",
		"Replace %[1]s in the addresses below with this machine's address."},
	"cli.mock.stopped": {
		"NHN-mocken er stoppet.",
		"The NHN mock has stopped."},
	"cli.mock.running": {
		"NHN-mocken kjører (syntetiske data)",
		"The NHN mock is running (synthetic data)"},
	"cli.mock.paste_config": {
		"Lim inn i Resepsjons config.yaml",
		"paste into Resepsjon's config.yaml:"},
	"cli.mock.enter_in_app": {
		"Skriv inn i appen under Innstillinger → Persontjenesten → Aktiver (miljø «Demo»);\nnøkkelen kan også legges inn med «resepsjon key import FILE».",
		"Enter in the app's activation screen, Settings → Persontjenesten → Activate (environment \"Demo\");\nthe key can also be brought in with \"resepsjon key import FILE\"."},
	"cli.mock.samples": {
		"Syntetiske fødselsnumre å prøve",
		"synthetic identity numbers to try:"},
	"cli.mock.private_key": {
		"Testklientens PRIVATE nøkkel (kun for mocken)",
		"the test client's PRIVATE key (mock only)."},
	"cli.mock.save_private_key": {
		"Lagre linjen under i en fil og kjør",
		"save the line below to a file and run: resepsjon key import FILE"},
	"cli.mock.public_key": {
		"Den registrerte offentlige nøkkelen",
		"the registered public key: %[1]s"},
	"cli.mock.stop": {
		"Stopp med Ctrl+C.",
		"Stop with Ctrl+C."},
	"cli.serve.lock_failed": {
		"Resepsjon kunne ikke låse registeret. Sjekk at datamappen finnes og at du kan skrive i den.",
		"Resepsjon could not lock the register. Check that the data directory exists and that you can write to it"},
	"cli.serve.register_in_use": {
		"Registeret er allerede i bruk av en annen Resepsjon på denne maskinen, men den svarer ikke. Vent et minutt og prøv igjen; hjelper ikke det, start PC-en på nytt.",
		"The register is already in use by another Resepsjon on this computer, but it does not answer. Wait a minute and try again; if that does not help, restart the PC"},
	"cli.serve.already_running": {
		"Resepsjon kjører allerede.",
		"Resepsjon is already running."},
	"cli.serve.ready": {
		"Resepsjon er klar.",
		"Resepsjon is ready."},
	"cli.serve.open_address": {
		"Åpne denne adressen i nettleseren",
		"Open this address in your browser:"},
	"cli.serve.no_free_port": {
		"Fant ingen ledig port fra %[1]d til %[2]d. Lukk programmer som bruker dem, eller velg en annen port (port i config.yaml).",
		"No free port from %[1]d to %[2]d. Close the programs using them, or choose another port (port in config.yaml)"},
	"cli.serve.demo_mock": {
		"NHN-mocken (syntetiske data)",
		"the NHN mock (synthetic data): %[1]s"},
	"cli.serve.demo_orgs": {
		"  organisasjonsnummer: %[1]s (aktivert), %[2]s (uten delegering), %[3]s (uten avtale)",
		"  organisation numbers: %[1]s (activated), %[2]s (no delegation), %[3]s (no agreement)"},
	"cli.backup.done": {
		"Sikkerhetskopi skrevet og kontrollert",
		"Backup written and checked: %[1]s"},
	// API errors
	"error.conflict": {
		"Klienten er endret av noen andre siden du åpnet den. Last inn på nytt; det du har skrevet, blir tatt vare på.",
		"The client was changed elsewhere since you opened it. Reload; what you typed is kept."},
	"error.duplicate": {
		"Det finnes allerede en klient med dette fødselsnummeret. Sjekk fødselsnummeret, eller åpne den klienten i stedet.",
		"A client with this identity number already exists. Check the number, or open that client instead."},
	"error.forbidden_host": {
		"Forespørselen kom til feil adresse og ble stoppet. Åpne Resepsjon fra snarveien på denne maskinen.",
		"The request came to an unexpected address and was stopped. Open Resepsjon from the shortcut on this computer."},
	"error.forbidden_origin": {
		"Forespørselen kom fra en annen nettside og ble stoppet. Åpne Resepsjon fra snarveien på denne maskinen.",
		"The request came from another web site and was stopped. Open Resepsjon from the shortcut on this computer."},
	"error.internal": {
		"Noe gikk galt i Resepsjon. Prøv igjen; hvis det gjentar seg, start programmet på nytt.",
		"Something went wrong in Resepsjon. Try again; if it happens again, restart the program."},
	"error.invalid_input": {
		"Noen felt må rettes. Se meldingene ved feltene.",
		"Some fields need correcting. See the messages beside the fields."},
	"error.invalid_json": {
		"Resepsjon kunne ikke lese det som ble sendt. Last inn siden på nytt og prøv igjen.",
		"Resepsjon could not read what was sent. Reload the page and try again."},
	"error.method_not_allowed": {
		"Resepsjon kan ikke gjøre denne typen forespørsel her. Last inn siden på nytt og prøv igjen.",
		"Resepsjon cannot do this kind of request here. Reload the page and try again."},
	"error.not_found": {
		"Klienten finnes ikke. Den kan være slettet.",
		"The client does not exist. It may have been deleted."},
	"error.route_not_found": {
		"Siden finnes ikke. Gå tilbake til klientlisten.",
		"The page does not exist. Go back to the client list."},
	"error.too_large": {
		"Det som ble sendt, er for stort. Kort ned teksten og prøv igjen.",
		"What was sent is too large. Shorten the text and try again."},
	"error.unsupported_media_type": {
		"Resepsjon tar bare imot JSON her. Last inn siden på nytt og prøv igjen; skript må sende Content-Type: application/json.",
		"Resepsjon accepts only JSON here. Reload the page and try again; scripts must send Content-Type: application/json."},
	"error.invalid_query": {
		"Adressen har en ødelagt parameter (for eksempel et %-tegn som ikke er kodet). Rett adressen, eller gå tilbake til klientlisten og søk på nytt.",
		"The address has a broken parameter (a % sign that is not encoded, for example). Correct the address, or go back to the client list and search again."},
	// import, export, backup and restore
	"error.import_not_found": {
		"Filen er ikke lenger lastet opp. Last den opp på nytt.",
		"The file is no longer uploaded. Upload it again."},
	"error.import_content_type": {
		"Velg en CSV-fil eller en Excel-fil (.xlsx).",
		"Choose a CSV file or an Excel file (.xlsx)."},
	"error.import_too_large": {
		"Filen er for stor (over 64 MB). Del den opp i flere filer.",
		"The file is too large (over 64 MB). Split it into several files."},
	"error.import_mapping_names": {
		"Velg hvilken kolonne som er fornavn og hvilken som er etternavn.",
		"Choose which column is the given name and which is the family name."},
	"error.import_mapping": {
		"Hvert felt kan bare velges for én kolonne. Rett valgene.",
		"Each field can be chosen for one column only. Correct the choices."},
	"error.import_started": {
		"Denne filen er allerede importert. Last opp en ny fil for å importere igjen.",
		"This file is already imported. Upload a new file to import again."},
	"error.import_not_checked": {
		"Kontroller filen først.",
		"Check the file first."},
	"error.import_failed": {
		"Importen stoppet, og ingenting er importert. Prøv igjen; hvis det gjentar seg, start programmet på nytt.",
		"The import stopped and nothing was imported. Try again; if it happens again, restart the program."},
	"error.import_changed": {
		"Registeret er endret siden kontrollen, og ingenting er importert. Kontroller filen på nytt og importer igjen.",
		"The register changed since the check, and nothing was imported. Check the file again and import again."},
	"error.export_confirm": {
		"Bekreft at du vil eksportere hele fødselsnumre.",
		"Confirm that you want to export full identity numbers."},
	"error.export_format": {
		"Velg CSV eller Excel.",
		"Choose CSV or Excel."},
	"error.backup_not_configured": {
		"Velg en mappe for sikkerhetskopi først.",
		"Choose a backup folder first."},
	"error.backup_failed": {
		"Sikkerhetskopien kunne ikke tas. Sjekk at mappen kan nås, og prøv igjen.",
		"The backup could not be made. Check that the folder can be reached, and try again."},
	"error.restore_path": {
		"Velg en sikkerhetskopi i listen, eller skriv hele stien til filen.",
		"Choose a backup in the list, or write the file's full path."},
	"error.disk_full": {
		"Disken der registeret ligger, er full, så ingenting ble lagret. Det du skrev, er ikke tapt: la siden stå åpen, frigjør plass på disken (tøm papirkurven, slett store filer du ikke trenger) og lagre på nytt.",
		"The disk holding the register is full, so nothing was saved. What you typed is not lost: leave this page open, free some space on the disk (empty the recycle bin, delete large files you do not need) and save again."},
	"error.read_only": {
		"Registerfilen kan ikke skrives til, så ingenting ble lagret. Det du skrev, er ikke tapt: la siden stå åpen, be den som har ansvar for PC-en gi deg skrivetilgang til datamappen til Resepsjon, og lagre på nytt.",
		"The register file cannot be written to, so nothing was saved. What you typed is not lost: leave this page open, ask whoever looks after the PC to give you write access to Resepsjon's data folder, and save again."},
	"error.register_moved": {
		"Registerfilen er flyttet eller slettet mens Resepsjon kjørte, så ingenting ble lagret. Lukk Resepsjon og start programmet på nytt; mangler registeret da, hent det tilbake fra sikkerhetskopien.",
		"The register file was moved or deleted while Resepsjon was running, so nothing was saved. Close Resepsjon and start it again; if the register is missing then, restore it from the backup."},
	"check.token_rejected": {
		"Persontjenesten godtok ikke innloggingsbeviset fra HelseID (tilgangsbevis eller DPoP-bevis), heller ikke et nytt. Det gjelder ikke avtalen.",
		"Persontjenesten did not accept the proof of login from HelseID (access token or DPoP proof), not even a new one. This is not about the agreement."},
	"check.token_rejected.help": {
		"Sjekk at klokken på PC-en går riktig, og at den offentlige nøkkelen (vist under «Nøkkel») er registrert på HelseID-klienten i HelseID selvbetjening. Sjekk så på nytt.",
		"Check that the PC's clock is right and that the public key (shown under Key) is registered for the HelseID client in HelseID selvbetjening. Then check again."},
	"check.persontjenesten_rejected": {
		"Persontjenesten svarte, men avviste forespørselen fra Resepsjon. Det er en feil i Resepsjon, ikke i avtalen.",
		"Persontjenesten answered but refused Resepsjon's request. This is a fault in Resepsjon, not in the agreement."},
	"check.persontjenesten_rejected.help": {
		"Meld fra til leverandøren og oppgi klokkeslettet; detaljene står i loggen.",
		"Report it to the vendor with the time; the details are in the log."},
	"error.nhn_rejected": {
		"Persontjenesten svarte, men avviste forespørselen fra Resepsjon. Dette er en feil i Resepsjon, ikke noe du har gjort, og det hjelper ikke å prøve igjen. Skjemaet er uendret. Meld fra til leverandøren og oppgi klokkeslettet; detaljene står i loggen.",
		"Persontjenesten answered but refused Resepsjon's request. This is a fault in Resepsjon, not something you did, and trying again will not help. The form is unchanged. Report it to the vendor with the time; the details are in the log."},
	"error.helseid_token_rejected": {
		"Persontjenesten godtok ikke innloggingsbeviset fra HelseID (tilgangsbevis eller DPoP-bevis), heller ikke et nytt. Det gjelder ikke avtalen med Norsk helsenett. Skjemaet er uendret. Sjekk at klokken på PC-en går riktig, og at nøkkelen under Innstillinger → Persontjenesten er den som er registrert på HelseID-klienten; trykk så «Oppdater innstillinger».",
		"Persontjenesten did not accept the proof of login from HelseID (access token or DPoP proof), not even a new one. This is not about the agreement with Norsk helsenett. The form is unchanged. Check that the PC's clock is right and that the key under Settings → Persontjenesten is the one registered for the HelseID client; then press Refresh settings."},
	"error.unauthorized": {
		"Økten er utløpt eller mangler. Lukk fanen og start Resepsjon på nytt.",
		"The session has ended or is missing. Close this tab and start Resepsjon again."},
	// Persontjenesten errors
	"error.keyring_unavailable": {
		"Fant ingen nøkkelring å lagre HelseID-nøkkelen i, eller den er låst. Lås opp nøkkelringen (for eksempel GNOME Keyring eller Windows Credential Manager) og prøv igjen. Nøkkelen lagres aldri i klartekst.",
		"No keyring was found to keep the HelseID key in, or it is locked. Unlock the keyring (for example GNOME Keyring or Windows Credential Manager) and try again. The key is never stored in plain text."},
	"error.nhn_no_access": {
		"Persontjenesten eller HelseID avviste forespørselen. Gå til Innstillinger → Persontjenesten og trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request. Go to Settings → Persontjenesten and press Refresh settings to see what is missing."},
	"error.nhn_rate_limited": {
		"Persontjenesten har for mange forespørsler akkurat nå. Vent et halvt minutt og prøv igjen.",
		"Persontjenesten is busy right now. Wait half a minute and try again."},
	"error.nhn_unavailable": {
		"Fikk ikke svar fra Persontjenesten eller HelseID. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from Persontjenesten or HelseID. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"error.nhn_unavailable.helseid": {
		"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from HelseID, the login service Persontjenesten requires. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"error.nhn_unavailable.persontjenesten": {
		"Fikk ikke svar fra Persontjenesten. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from Persontjenesten. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"error.not_activated": {
		"Persontjenesten er ikke aktivert. Gå til Innstillinger → Persontjenesten og aktiver den først.",
		"Persontjenesten is not activated. Go to Settings → Persontjenesten and activate it first."},
	"error.person_not_found": {
		"Fant ingen person med dette fødselsnummeret i Folkeregisteret. Sjekk nummeret.",
		"No person with this identity number in the National Population Register. Check the number."},
	// search and key field texts
	"field.key.invalid": {
		"Nøkkelen kunne ikke leses. Lim inn en privat nøkkel som JWK eller PEM (PKCS#1, PKCS#8 eller SEC1, ukryptert).",
		"The key could not be read. Paste a private key as JWK or PEM (PKCS#1, PKCS#8 or SEC1, unencrypted)."},
	"field.key.missing": {
		"Lag eller importer en HelseID-nøkkel først.",
		"Generate or import a HelseID key first."},
	"field.search.birth_date": {
		"Skriv fødselsdatoen som dd.mm.åååå (eller bare året).",
		"Type the birth date as dd.mm.yyyy (or just the year)."},
	"field.search.city_name": {
		"Poststedet kan bare ha bokstaver, mellomrom og bindestrek.",
		"The city can only have letters, spaces and hyphens."},
	"field.search.gender": {
		"Velg kvinne eller mann.",
		"Choose female or male."},
	"field.search.min_letters": {
		"Skriv minst tre bokstaver til sammen i navnefeltene.",
		"Type at least three letters in the name fields together."},
	"field.search.municipality_number": {
		"Et kommunenummer har 4 siffer.",
		"A municipality number has 4 digits."},
	"field.search.name_characters": {
		"Navn kan bare ha bokstaver, mellomrom og bindestrek.",
		"Names can only have letters, spaces and hyphens."},
	"field.search.name_required": {
		"Skriv et navn: fornavn, mellomnavn, etternavn eller fullt navn.",
		"Type a name: given, middle, family or full name."},
	"field.search.narrowing_required": {
		"Skriv også fødselsdato eller kommunenummer, så søket blir smalt nok.",
		"Also type a birth date or a municipality number to narrow the search."},
	"field.search.postal_code": {
		"Et postnummer har 4 siffer.",
		"A postal code has 4 digits."},
	"field.search.street_address": {
		"Skriv minst tre bokstaver av gateadressen, bare bokstaver, tall og mellomrom.",
		"Type at least three letters of the street address: letters, digits and spaces only."},
	"field.search.too_long": {
		"Teksten er for lang.",
		"The text is too long."},
	// register field texts
	"field.address_protected": {
		"Klienten har strengt fortrolig adresse. Adressen skal ikke lagres: tøm feltet.",
		"The client has a strictly confidential address. The address must not be stored: clear this field."},
	"field.birth_date_mismatch": {
		"Fødselsdatoen stemmer ikke med fødselsnummeret. Rett den ene, eller la fødselsdatoen stå tom.",
		"The birth date does not match the identity number. Correct one of them, or leave the birth date empty."},
	"field.control_chars": {
		"Feltet inneholder usynlige eller ugyldige tegn. Skriv inn teksten på nytt.",
		"The field contains invisible or invalid characters. Please type the text again."},
	"field.date": {
		"Skriv en gyldig dato som ikke er fram i tid.",
		"Enter a valid date that is not in the future."},
	"field.death_before_birth": {
		"Dødsdatoen er før fødselsdatoen. Sjekk begge datoene.",
		"The date of death is before the birth date. Check both dates."},
	"field.email": {
		"Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.",
		"Enter a valid email address, for example name@example.com."},
	"field.invalid": {
		"Velg en av verdiene i listen.",
		"Choose one of the values in the list."},
	"field.municipality": {
		"Et kommunenummer har 4 siffer.",
		"A municipality number has 4 digits."},
	"field.nin.checksum": {
		"Kontrollsifrene stemmer ikke. Sjekk at fødselsnummeret er skrevet riktig.",
		"The check digits do not match. Check that the number is typed correctly."},
	"field.nin.date": {
		"De seks første sifrene er ikke en gyldig fødselsdato. Sjekk at fødselsnummeret er skrevet riktig.",
		"The first six digits are not a valid birth date. Check that the number is typed correctly."},
	"field.nin.digits": {
		"Et fødselsnummer har bare siffer. Fjern bokstaver og andre tegn.",
		"An identity number has only digits. Remove letters and other characters."},
	"field.nin.individual": {
		"Personnummeret (siffer 7–9) passer ikke med fødselsåret. Sjekk at fødselsnummeret er skrevet riktig.",
		"The individual number (digits 7–9) does not fit the birth year. Check that the number is typed correctly."},
	"field.nin.length": {
		"Et fødselsnummer har 11 siffer. Sjekk at du har fått med alle sifrene.",
		"An identity number has 11 digits. Check that all digits are there."},
	"field.org.checksum": {
		"Kontrollsifferet stemmer ikke. Sjekk at organisasjonsnummeret er skrevet riktig.",
		"The check digit does not match. Check that the organisation number is typed correctly."},
	"field.org.digits": {
		"Et organisasjonsnummer har bare siffer. Fjern bokstaver og andre tegn.",
		"An organisation number has only digits. Remove letters and other characters."},
	"field.org.length": {
		"Et organisasjonsnummer har 9 siffer. Sjekk at du har fått med alle sifrene.",
		"An organisation number has 9 digits. Check that all digits are there."},
	"field.phone": {
		"Skriv telefonnummeret med 8 til 15 siffer, gjerne med + og landskode foran.",
		"Enter the phone number with 8 to 15 digits, optionally with + and the country code first."},
	"field.postal_code": {
		"Et postnummer har 4 siffer.",
		"A postal code has 4 digits."},
	"field.required": {
		"Dette feltet må fylles ut.",
		"Please fill in this field."},
	"field.too_long": {
		"Teksten er for lang. Kort den ned.",
		"The text is too long. Please shorten it."},
	"field.no_visible_text": {
		"Navnet består bare av usynlige tegn. Skriv inn navnet på nytt.",
		"The name is made only of invisible characters. Please type the name again."},
	"field.bidi_control": {
		"Navnet inneholder tegn som snur skriveretningen, så det kan se annerledes ut enn det er. Skriv inn navnet på nytt uten dem.",
		"The name contains characters that change the writing direction, so it can look different from what it is. Please type the name again without them."},
	"field.unknown": {
		"Sjekk dette feltet.",
		"Check this field."},
	// activation checks
	"check.access_ok": {
		"Persontjenesten svarer: virksomheten har tilgang.",
		"Persontjenesten answers: the practice has access."},
	"check.access_unchecked": {
		"Ikke sjekket. Avtalen sjekkes når HelseID-delen er i orden.",
		"Not checked. The agreement is checked once the HelseID part is in order."},
	"check.access_unchecked.help": {
		"Kjør sjekken for å se om alt er i orden.",
		"Run the check to see whether everything is in order."},
	"check.delegation_ok": {
		"HelseID godtar klienten og organisasjonsnummeret.",
		"HelseID accepts the client and the organisation number."},
	"check.delegation_unchecked": {
		"Ikke sjekket med de nåværende innstillingene.",
		"Not checked with the current settings."},
	"check.delegation_unchecked.help": {
		"Kjør sjekken for å se om alt er i orden.",
		"Run the check to see whether everything is in order."},
	"check.helseid_unavailable": {
		"Fikk ikke kontakt med HelseID.",
		"Could not reach HelseID."},
	"check.helseid_unavailable.help": {
		"Sjekk at maskinen er koblet til Helsenettet eller internett, og prøv igjen om litt.",
		"Check that this computer is connected to the health network or the internet, and try again in a while."},
	"check.invalid_client": {
		"HelseID kjente ikke igjen klienten: klient-ID-en er feil, eller nøkkelen er ikke registrert på klienten.",
		"HelseID did not recognise the client: the client id is wrong, or the key is not registered for the client."},
	"check.invalid_client.help": {
		"Sjekk klient-ID-en i HelseID selvbetjening, og registrer den offentlige nøkkelen (vist under «Nøkkel») på klienten.",
		"Check the client id in HelseID selvbetjening and register the public key (shown under Key) for the client."},
	"check.invalid_scope": {
		"HelseID-klienten har ikke tilgang til Persontjenesten.",
		"The HelseID client has no access to Persontjenesten."},
	"check.invalid_scope.help": {
		"Legg til tilgangen til Persontjenesten (med hjemmel) på klienten i HelseID selvbetjening.",
		"Add access to Persontjenesten (with legal basis) to the client in HelseID selvbetjening."},
	"check.no_agreement": {
		"Persontjenesten avviste forespørselen: virksomheten har ikke bestilt tilgang eller ikke godtatt bruksvilkårene.",
		"Persontjenesten refused the request: the practice has not ordered access or has not accepted the terms of use."},
	"check.no_agreement.help": {
		"Daglig leder bestiller tilgang til Persontjenesten hos Norsk helsenett og godtar bruksvilkårene (på NHNs sider om Persontjenesten: «kom i gang» for helsevirksomheter). Sjekk på nytt når bekreftelsen er kommet på e-post.",
		"The practice's manager orders access to Persontjenesten from Norsk helsenett and accepts the terms (on NHN's Persontjenesten pages: \"kom i gang\" (getting started) for health practices). Check again once the confirmation e-mail has come."},
	"check.no_delegation": {
		"Organisasjonen har ikke gitt klienten rett til å hente opplysninger på sine vegne.",
		"The organisation has not given the client the right to fetch information on its behalf."},
	"check.no_delegation.help": {
		"Daglig leder logger inn i Altinn for virksomheten og delegerer tilgangen til leverandørens HelseID-klient (eller registrerer organisasjonsnummeret på egen klient i HelseID selvbetjening). Sjekk også at organisasjonsnummeret er riktig.",
		"The practice's manager logs in to Altinn for the practice and delegates access to the vendor's HelseID client (or registers the organisation number for the practice's own client in HelseID selvbetjening). Also check that the organisation number is right."},
	"check.persontjenesten_unavailable": {
		"Fikk ikke kontakt med Persontjenesten.",
		"Could not reach Persontjenesten."},
	"check.persontjenesten_unavailable.help": {
		"Sjekk nettforbindelsen og prøv igjen om litt.",
		"Check the network connection and try again in a while."},
	// update all
	"bulk.internal": {
		"Noe gikk galt i Resepsjon, så oppdateringen stoppet. Prøv igjen; hvis det gjentar seg, start programmet på nytt.",
		"Something went wrong in Resepsjon, so the update stopped. Try again; if it happens again, restart the program."},
	"bulk.item.conflict": {
		"Klienten ble endret i Resepsjon mens oppdateringen pågikk. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"The client was changed in Resepsjon while the update ran. Open the client and press Update via Persontjenesten."},
	"bulk.item.deleted": {
		"Klienten ble slettet mens oppdateringen pågikk.",
		"The client was deleted while the update ran."},
	"bulk.item.duplicate": {
		"Det nye fødselsnummeret er allerede registrert på en annen klient. Sjekk de to klientene og slå dem sammen for hånd.",
		"The new identity number is already registered for another client. Check the two clients and merge them by hand."},
	"bulk.item.internal": {
		"Klienten kunne ikke lagres. Prøv «Oppdater alle» igjen.",
		"The client could not be saved. Try Update all again."},
	"bulk.item.invalid": {
		"Opplysningene fra Persontjenesten kunne ikke lagres på klienten. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"The information from Persontjenesten could not be stored for the client. Open the client and press Update via Persontjenesten."},
	"bulk.item.person_not_found": {
		"Folkeregisteret har ingen person med klientens fødselsnummer. Sjekk nummeret på klienten.",
		"The National Population Register has no person with the client's identity number. Check the number on the client."},
	"bulk.job_running": {
		"En oppdatering av alle klienter pågår allerede. Vent til den er ferdig, eller avbryt den.",
		"An update of all clients is already running. Wait for it to finish, or cancel it."},
	"bulk.nhn_no_access": {
		"Persontjenesten eller HelseID avviste forespørselen, så oppdateringen stoppet. Gå til Innstillinger → Persontjenesten og trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request, so the update stopped. Go to Settings → Persontjenesten and press Refresh settings to see what is missing."},
	"bulk.nhn_rate_limited": {
		"Persontjenesten var opptatt, så oppdateringen stoppet. Vent et par minutter og start «Oppdater alle» igjen.",
		"Persontjenesten was busy, so the update stopped. Wait a couple of minutes and start Update all again."},
	"bulk.nhn_unavailable": {
		"Fikk ikke svar fra Persontjenesten eller HelseID, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten or HelseID, so the update stopped. Start Update all again in a few minutes."},
	"bulk.nhn_unavailable.helseid": {
		"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from HelseID, the login service Persontjenesten requires, so the update stopped. Start Update all again in a few minutes."},
	"bulk.nhn_unavailable.persontjenesten": {
		"Fikk ikke svar fra Persontjenesten, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten, so the update stopped. Start Update all again in a few minutes."},
}
