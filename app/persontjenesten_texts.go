package app

// Where the practice fixes what an activation check found. HelseID
// selvbetjening is NHN's self-service portal (production and test hosts as
// NHN's own self-service documentation names them); Altinn's front page,
// where the manager logs in for the practice; NHN's Persontjenesten pages,
// where "kom i gang" for health practices says how to order access.
const (
	linkSelvbetjening     = "https://selvbetjening.nhn.no/"
	linkSelvbetjeningTest = "https://selvbetjening.test.nhn.no/"
	linkAltinn            = "https://www.altinn.no/"
	linkNHNOrder          = "https://www.nhn.no/tjenester/persontjenesten"
)

// checkText is what an activation check's result says: what happened, what
// to do, and where. Index 0 is bokmål, 1 English.
type checkText struct {
	message, help [2]string
	link          string
}

var checkTexts = map[string]checkText{
	"delegation_unchecked": {
		message: [2]string{"Ikke sjekket med de nåværende innstillingene.", "Not checked with the current settings."},
		help:    [2]string{"Kjør sjekken for å se om alt er i orden.", "Run the check to see whether everything is in order."},
	},
	"access_unchecked": {
		message: [2]string{"Ikke sjekket. Avtalen sjekkes når HelseID-delen er i orden.", "Not checked. The agreement is checked once the HelseID part is in order."},
		help:    [2]string{"Kjør sjekken for å se om alt er i orden.", "Run the check to see whether everything is in order."},
	},
	"delegation_ok": {
		message: [2]string{"HelseID godtar klienten og organisasjonsnummeret.", "HelseID accepts the client and the organisation number."},
	},
	"access_ok": {
		message: [2]string{"Persontjenesten svarer: virksomheten har tilgang.", "Persontjenesten answers: the practice has access."},
	},
	"invalid_client": {
		message: [2]string{"HelseID kjente ikke igjen klienten: klient-ID-en er feil, eller nøkkelen er ikke registrert på klienten.",
			"HelseID did not recognise the client: the client id is wrong, or the key is not registered for the client."},
		help: [2]string{"Sjekk klient-ID-en i HelseID selvbetjening, og registrer den offentlige nøkkelen (vist under «Nøkkel») på klienten.",
			"Check the client id in HelseID selvbetjening and register the public key (shown under Key) for the client."},
		link: linkSelvbetjening,
	},
	"no_delegation": {
		message: [2]string{"Organisasjonen har ikke gitt klienten rett til å hente opplysninger på sine vegne.",
			"The organisation has not given the client the right to fetch information on its behalf."},
		help: [2]string{"Daglig leder logger inn i Altinn for virksomheten og delegerer tilgangen til leverandørens HelseID-klient (eller registrerer organisasjonsnummeret på egen klient i HelseID selvbetjening). Sjekk også at organisasjonsnummeret er riktig.",
			"The practice's manager logs in to Altinn for the practice and delegates access to the vendor's HelseID client (or registers the organisation number for the practice's own client in HelseID selvbetjening). Also check that the organisation number is right."},
		link: linkAltinn,
	},
	"invalid_scope": {
		message: [2]string{"HelseID-klienten har ikke tilgang til Persontjenesten.",
			"The HelseID client has no access to Persontjenesten."},
		help: [2]string{"Legg til tilgangen til Persontjenesten (med hjemmel) på klienten i HelseID selvbetjening.",
			"Add access to Persontjenesten (with legal basis) to the client in HelseID selvbetjening."},
		link: linkSelvbetjening,
	},
	"helseid_unavailable": {
		message: [2]string{"Fikk ikke kontakt med HelseID.", "Could not reach HelseID."},
		help: [2]string{"Sjekk at maskinen er koblet til Helsenettet eller internett, og prøv igjen om litt.",
			"Check that this computer is connected to the health network or the internet, and try again in a while."},
	},
	"no_agreement": {
		message: [2]string{"Persontjenesten avviste forespørselen: virksomheten har ikke bestilt tilgang eller ikke godtatt bruksvilkårene.",
			"Persontjenesten refused the request: the practice has not ordered access or has not accepted the terms of use."},
		help: [2]string{"Daglig leder bestiller tilgang til Persontjenesten hos Norsk helsenett og godtar bruksvilkårene (på NHNs sider om Persontjenesten: «kom i gang» for helsevirksomheter). Sjekk på nytt når bekreftelsen er kommet på e-post.",
			"The practice's manager orders access to Persontjenesten from Norsk helsenett and accepts the terms (on NHN's Persontjenesten pages: \"kom i gang\" (getting started) for health practices). Check again once the confirmation e-mail has come."},
		link: linkNHNOrder,
	},
	"token_rejected": {
		message: [2]string{"Persontjenesten godtok ikke innloggingsbeviset fra HelseID (tilgangsbevis eller DPoP-bevis), heller ikke et nytt. Det gjelder ikke avtalen.",
			"Persontjenesten did not accept the proof of login from HelseID (access token or DPoP proof), not even a new one. This is not about the agreement."},
		help: [2]string{"Sjekk at klokken på PC-en går riktig, og at den offentlige nøkkelen (vist under «Nøkkel») er registrert på HelseID-klienten i HelseID selvbetjening. Sjekk så på nytt.",
			"Check that the PC's clock is right and that the public key (shown under Key) is registered for the HelseID client in HelseID selvbetjening. Then check again."},
		link: linkSelvbetjening,
	},
	"persontjenesten_rejected": {
		message: [2]string{"Persontjenesten svarte, men avviste forespørselen fra Resepsjon. Det er en feil i Resepsjon, ikke i avtalen.",
			"Persontjenesten answered but refused Resepsjon's request. This is a fault in Resepsjon, not in the agreement."},
		help: [2]string{"Meld fra til leverandøren og oppgi klokkeslettet; detaljene står i loggen.",
			"Report it to the vendor with the time; the details are in the log."},
	},
	"persontjenesten_unavailable": {
		message: [2]string{"Fikk ikke kontakt med Persontjenesten.", "Could not reach Persontjenesten."},
		help:    [2]string{"Sjekk nettforbindelsen og prøv igjen om litt.", "Check the network connection and try again in a while."},
	},
}

// persontjenestenMessages are the error messages of the Persontjenesten
// routes, bokmål and English; each says what to do next.
var persontjenestenMessages = map[string][2]string{
	"not_activated": {"Persontjenesten er ikke aktivert. Gå til Innstillinger → Persontjenesten og aktiver den først.",
		"Persontjenesten is not activated. Go to Settings → Persontjenesten and activate it first."},
	"nhn_unavailable": {"Fikk ikke svar fra Persontjenesten eller HelseID. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from Persontjenesten or HelseID. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"nhn_unavailable.helseid": {"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from HelseID, the login service Persontjenesten requires. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"nhn_unavailable.persontjenesten": {"Fikk ikke svar fra Persontjenesten. Skjemaet er uendret. Prøv igjen om noen minutter. Hvis det fortsetter, sjekk nettverket og forbindelsen til Helsenettet.",
		"No answer from Persontjenesten. The form is unchanged. Try again in a few minutes. If it keeps happening, check the network and the connection to the health network (Helsenettet)."},
	"nhn_rejected": {"Persontjenesten svarte, men avviste forespørselen fra Resepsjon. Dette er en feil i Resepsjon, ikke noe du har gjort, og det hjelper ikke å prøve igjen. Skjemaet er uendret. Meld fra til leverandøren og oppgi klokkeslettet; detaljene står i loggen.",
		"Persontjenesten answered but refused Resepsjon's request. This is a fault in Resepsjon, not something you did, and trying again will not help. The form is unchanged. Report it to the vendor with the time; the details are in the log."},
	"helseid_token_rejected": {"Persontjenesten godtok ikke innloggingsbeviset fra HelseID (tilgangsbevis eller DPoP-bevis), heller ikke et nytt. Det gjelder ikke avtalen med Norsk helsenett. Skjemaet er uendret. Sjekk at klokken på PC-en går riktig, og at nøkkelen under Innstillinger → Persontjenesten er den som er registrert på HelseID-klienten; trykk så «Oppdater innstillinger».",
		"Persontjenesten did not accept the proof of login from HelseID (access token or DPoP proof), not even a new one. This is not about the agreement with Norsk helsenett. The form is unchanged. Check that the PC's clock is right and that the key under Settings → Persontjenesten is the one registered for the HelseID client; then press Refresh settings."},
	"nhn_rate_limited": {"Persontjenesten har for mange forespørsler akkurat nå. Vent et halvt minutt og prøv igjen.",
		"Persontjenesten is busy right now. Wait half a minute and try again."},
	"nhn_no_access": {"Persontjenesten eller HelseID avviste forespørselen. Gå til Innstillinger → Persontjenesten og trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request. Go to Settings → Persontjenesten and press Refresh settings to see what is missing."},
	"person_not_found": {"Fant ingen person med dette fødselsnummeret i Folkeregisteret. Sjekk nummeret.",
		"No person with this identity number in the National Population Register. Check the number."},
	"keyring_unavailable": {"Fant ingen nøkkelring å lagre HelseID-nøkkelen i, eller den er låst. Lås opp nøkkelringen (for eksempel GNOME Keyring eller Windows Credential Manager) og prøv igjen. Nøkkelen lagres aldri i klartekst.",
		"No keyring was found to keep the HelseID key in, or it is locked. Unlock the keyring (for example GNOME Keyring or Windows Credential Manager) and try again. The key is never stored in plain text."},
}

// fieldMessages are field texts for codes the register package does not
// know: search rules and key problems.
var fieldMessages = map[string][2]string{
	"search.name_required":       {"Skriv et navn: fornavn, mellomnavn, etternavn eller fullt navn.", "Type a name: given, middle, family or full name."},
	"search.name_characters":     {"Navn kan bare ha bokstaver, mellomrom og bindestrek.", "Names can only have letters, spaces and hyphens."},
	"search.too_long":            {"Teksten er for lang.", "The text is too long."},
	"search.min_letters":         {"Skriv minst tre bokstaver til sammen i navnefeltene.", "Type at least three letters in the name fields together."},
	"search.birth_date":          {"Skriv fødselsdatoen som dd.mm.åååå (eller bare året).", "Type the birth date as dd.mm.yyyy (or just the year)."},
	"search.municipality_number": {"Et kommunenummer har 4 siffer.", "A municipality number has 4 digits."},
	"search.postal_code":         {"Et postnummer har 4 siffer.", "A postal code has 4 digits."},
	"search.street_address":      {"Skriv minst tre bokstaver av gateadressen, bare bokstaver, tall og mellomrom.", "Type at least three letters of the street address: letters, digits and spaces only."},
	"search.city_name":           {"Poststedet kan bare ha bokstaver, mellomrom og bindestrek.", "The city can only have letters, spaces and hyphens."},
	"search.gender":              {"Velg kvinne eller mann.", "Choose female or male."},
	"search.narrowing_required":  {"Skriv også fødselsdato eller kommunenummer, så søket blir smalt nok.", "Also type a birth date or a municipality number to narrow the search."},
	"key.missing":                {"Lag eller importer en HelseID-nøkkel først.", "Generate or import a HelseID key first."},
	"key.invalid":                {"Nøkkelen kunne ikke leses. Lim inn en privat nøkkel som JWK eller PEM (PKCS#1, PKCS#8 eller SEC1, ukryptert).", "The key could not be read. Paste a private key as JWK or PEM (PKCS#1, PKCS#8 or SEC1, unencrypted)."},
}
