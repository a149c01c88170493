package patientweb

// texts are the patient's pages' words in one language.
type texts struct {
	Lang, OtherLang, OtherLangName                                         string
	Portal, PortalOf                                                       string
	Login, LoginTitle, Email, Password, Forgot, LoginIntro                 string
	ActivateTitle, ActivateIntro, ActivateButton                           string
	ResetTitle, ResetIntro, ResetButton                                    string
	NewPassword, RepeatPassword, PasswordRules                             string
	ForgotTitle, ForgotIntro, ForgotButton, BackToLogin                    string
	ProfileTitle, Name, Rights, NoRights, NoRightsNote                     string
	Consultation, Booking, Renewal, Given, NotGiven                        string
	WantsReply, WantsReplyHelp, Language, SavePreferences                  string
	Preferences, Saved, ChangePasswordTitle, CurrentPassword, ChangeButton string
	PasswordChanged, Logout, LinkInvalidTitle, NotFound                    string
	NotFoundText, Refused, Activated, ResetDone, Error                     string
	Norwegian, English                                                     string
}

func textsFor(lang string) texts {
	if lang == "en" {
		return texts{Lang: "en", OtherLang: "nb", OtherLangName: "Norsk",
			Portal: "Patient portal", PortalOf: "Patient portal",
			Login: "Log in", LoginTitle: "Log in to the patient portal", Email: "E-mail address", Password: "Password",
			Forgot: "Forgot password?", LoginIntro: "Log in with the e-mail address the practice registered and the password you chose.",
			ActivateTitle: "Activate your access", ActivateIntro: "Choose a password to activate your access to the patient portal.",
			ActivateButton: "Activate access",
			ResetTitle:     "Choose a new password", ResetIntro: "Choose a new password for the patient portal.", ResetButton: "Save new password",
			NewPassword: "New password", RepeatPassword: "Repeat the password",
			PasswordRules: "At least 10 characters. A few words in a row are easy to remember and hard to guess, for example «blue bicycle by the lake». Not your e-mail address.",
			ForgotTitle:   "Forgot password", ForgotIntro: "Enter your e-mail address. If it has access to the patient portal, you get a link to choose a new password.",
			ForgotButton: "Send link", BackToLogin: "Back to log in",
			ProfileTitle: "Your profile", Name: "Name", Rights: "What you can do in the portal", NoRights: "No services at the moment",
			NoRightsNote: "The practice has not given you access to any services right now. You can still see your profile and earlier history.",
			Consultation: "E-consultation", Booking: "E-appointment booking", Renewal: "E-prescription renewal",
			Given: "yes", NotGiven: "no",
			WantsReply: "I want answers electronically", WantsReplyHelp: "Answers to your e-consultations come here in the portal; the e-mail only says there is an answer.",
			Language: "Language of e-mail", SavePreferences: "Save", Preferences: "Settings", Saved: "Saved.",
			ChangePasswordTitle: "Change password", CurrentPassword: "Current password", ChangeButton: "Change password",
			PasswordChanged: "The password is changed. Other devices are logged out.", Logout: "Log out",
			LinkInvalidTitle: "The link cannot be used", NotFound: "Page not found",
			NotFoundText: "This page does not exist in the patient portal.",
			Refused:      "The request was stopped. Open the patient portal again and try once more.",
			Activated:    "Your access is activated. Welcome!", ResetDone: "Your new password is saved.",
			Error:     "Something went wrong. Try again in a little while.",
			Norwegian: "Norsk (bokmål)", English: "English"}
	}
	return texts{Lang: "nb", OtherLang: "en", OtherLangName: "English",
		Portal: "Pasientportal", PortalOf: "Pasientportal",
		Login: "Logg inn", LoginTitle: "Logg inn i pasientportalen", Email: "E-postadresse", Password: "Passord",
		Forgot: "Glemt passord?", LoginIntro: "Logg inn med e-postadressen legekontoret har registrert og passordet du valgte.",
		ActivateTitle: "Aktiver tilgangen din", ActivateIntro: "Velg et passord for å aktivere tilgangen din til pasientportalen.",
		ActivateButton: "Aktiver tilgangen",
		ResetTitle:     "Velg nytt passord", ResetIntro: "Velg et nytt passord til pasientportalen.", ResetButton: "Lagre nytt passord",
		NewPassword: "Nytt passord", RepeatPassword: "Gjenta passordet",
		PasswordRules: "Minst 10 tegn. Noen ord etter hverandre er lett å huske og vanskelig å gjette, for eksempel «blå sykkel ved sjøen». Ikke e-postadressen din.",
		ForgotTitle:   "Glemt passord", ForgotIntro: "Skriv e-postadressen din. Hvis den har tilgang til pasientportalen, får du en lenke for å velge nytt passord.",
		ForgotButton: "Send lenke", BackToLogin: "Tilbake til innlogging",
		ProfileTitle: "Profilen din", Name: "Navn", Rights: "Dette kan du gjøre i portalen", NoRights: "Ingen tjenester nå",
		NoRightsNote: "Legekontoret har ikke gitt deg tilgang til tjenester akkurat nå. Du kan fortsatt se profilen din og tidligere historikk.",
		Consultation: "E-konsultasjon", Booking: "E-timebestilling", Renewal: "E-reseptfornyelse",
		Given: "ja", NotGiven: "nei",
		WantsReply: "Ønsker svar elektronisk", WantsReplyHelp: "Svar på e-konsultasjoner kommer her i portalen; e-posten sier bare at det er kommet svar.",
		Language: "Språk i e-post", SavePreferences: "Lagre", Preferences: "Innstillinger", Saved: "Lagret.",
		ChangePasswordTitle: "Bytt passord", CurrentPassword: "Nåværende passord", ChangeButton: "Bytt passord",
		PasswordChanged: "Passordet er byttet. Andre enheter er logget ut.", Logout: "Logg ut",
		LinkInvalidTitle: "Lenken kan ikke brukes", NotFound: "Fant ikke siden",
		NotFoundText: "Denne siden finnes ikke i pasientportalen.",
		Refused:      "Forespørselen ble stoppet. Åpne pasientportalen på nytt og prøv en gang til.",
		Activated:    "Tilgangen din er aktivert. Velkommen!", ResetDone: "Det nye passordet er lagret.",
		Error:     "Noe gikk galt. Prøv igjen om litt.",
		Norwegian: "Norsk (bokmål)", English: "English"}
}
