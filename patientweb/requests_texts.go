package patientweb

import "resepsjon/portal"

// rtexts are the words of part two's pages in one language.
type rtexts struct {
	RequestTitle, RequestIntro, RequestLink, RequestButton            string
	FullName, FullNameHelp, NIN, NINHelp, EmailHelp                   string
	RightsWanted, RightsWantedHelp, ReplyHelp                         string
	RequestReceived, RequestApproved, FixErrors                       string
	Services, ServicesNone, HistoryTitle, HistoryIntro, HistoryLink   string
	NoHistory, Status, SentAt, Answer, AnswerOther, AnswerWait        string
	StatusNew, StatusInProgress, StatusDone                           string
	ConsultationIntro, Question, QuestionHelp                         string
	BookingIntro, Reason, Preferred, PreferredHelp                    string
	RenewalIntro, Medicine, MedicineHelp, Note                        string
	Send, Sent, ReplyElectronic, ReplyByPhone, Urgent                 string
	BackToProfile, NoRightTitle, Consultation, Booking, Renewal, Your string
}

func (t rtexts) TitleOf(kind portal.InquiryKind) string {
	switch kind {
	case portal.KindBooking:
		return t.Booking
	case portal.KindRenewal:
		return t.Renewal
	}
	return t.Consultation
}

func (t rtexts) StatusOf(s portal.InquiryStatus) string {
	switch s {
	case portal.InquiryInProgress:
		return t.StatusInProgress
	case portal.InquiryDone:
		return t.StatusDone
	}
	return t.StatusNew
}

func requestTexts(lang string) rtexts {
	if lang == "en" {
		return rtexts{
			RequestTitle:     "Ask for access to the patient portal",
			RequestIntro:     "Fill in the form and the practice handles your request. When it is approved you get an e-mail with a link to choose a password.",
			RequestLink:      "No access yet? Ask for access",
			RequestButton:    "Send the request",
			FullName:         "Full name",
			FullNameHelp:     "As in the National Population Register, for example «Kari Nordmann».",
			NIN:              "National identity number",
			NINHelp:          "Your fødselsnummer or D-number, 11 digits. The practice uses it only to find you in its register.",
			EmailHelp:        "The link to activate your access is sent here.",
			RightsWanted:     "What would you like to use the portal for? (optional)",
			RightsWantedHelp: "The practice decides which services you get.",
			ReplyHelp:        "Answers come in the portal; the e-mail only says that there is an answer. Without it the practice answers by phone or letter.",
			RequestReceived:  "Thank you! The request is received. The practice handles it, and you get an e-mail when it is decided.",
			RequestApproved:  "Your access is approved. You will soon get an e-mail with a link to choose a password.",
			FixErrors:        "Some fields need to be corrected. See the messages below.",
			Services:         "Services",
			ServicesNone:     "No services at the moment. You can still see your profile and history.",
			HistoryTitle:     "History",
			HistoryIntro:     "What you have sent the practice, and its answers.",
			HistoryLink:      "History: what you have sent and the answers",
			NoHistory:        "You have not sent anything yet.",
			Status:           "Status", SentAt: "Sent", Answer: "Answer from the practice",
			AnswerOther:       "Answered by phone or letter.",
			AnswerWait:        "The practice has not answered yet.",
			StatusNew:         "Received",
			StatusInProgress:  "Being handled",
			StatusDone:        "Done",
			ConsultationIntro: "Write your question to the practice. You get an answer within a few working days.",
			Question:          "Your question",
			QuestionHelp:      "A few paragraphs are enough. Attachments cannot be sent.",
			BookingIntro:      "Ask for an appointment. The practice contacts you with a time.",
			Reason:            "What is the appointment about?",
			Preferred:         "Preferred days and times (optional)",
			PreferredHelp:     "For example «Mondays or Tuesdays before 10».",
			RenewalIntro:      "Ask for a prescription you already have to be renewed.",
			Medicine:          "Medicine to renew",
			MedicineHelp:      "Name and strength as on the package, for example «Ventoline 0.1 mg/dose».",
			Note:              "Comment (optional)",
			Send:              "Send",
			Sent:              "Sent.",
			ReplyElectronic:   "The answer comes here under History, and you get an e-mail when it has come.",
			ReplyByPhone:      "You have not chosen answers electronically, so the practice answers by phone or letter. You can change this in your profile.",
			Urgent:            "Not for anything urgent: in an emergency call 113, otherwise the out-of-hours service on 116 117.",
			BackToProfile:     "Back to your profile",
			NoRightTitle:      "Service not available",
			Consultation:      "E-consultation", Booking: "E-appointment booking", Renewal: "E-prescription renewal",
			Your: "You"}
	}
	return rtexts{
		RequestTitle:     "Be om tilgang til pasientportalen",
		RequestIntro:     "Fyll ut skjemaet, så behandler legekontoret forespørselen. Når den er godkjent, får du en e-post med en lenke for å velge passord.",
		RequestLink:      "Har du ikke tilgang? Be om tilgang",
		RequestButton:    "Send forespørselen",
		FullName:         "Fullt navn",
		FullNameHelp:     "Slik det står i Folkeregisteret, for eksempel «Kari Nordmann».",
		NIN:              "Fødselsnummer",
		NINHelp:          "Fødselsnummeret eller D-nummeret ditt, 11 siffer. Legekontoret bruker det bare til å finne deg i registeret sitt.",
		EmailHelp:        "Hit sendes lenken for å aktivere tilgangen.",
		RightsWanted:     "Hva ønsker du å bruke portalen til? (valgfritt)",
		RightsWantedHelp: "Legekontoret bestemmer hvilke tjenester du får.",
		ReplyHelp:        "Svar kommer i portalen; e-posten sier bare at det er kommet svar. Uten dette svarer legekontoret på telefon eller brev.",
		RequestReceived:  "Takk! Forespørselen er mottatt. Legekontoret behandler den, og du får en e-post når den er avgjort.",
		RequestApproved:  "Tilgangen er godkjent. Du får straks en e-post med en lenke for å velge passord.",
		FixErrors:        "Noen felt må rettes. Se meldingene nedenfor.",
		Services:         "Tjenester",
		ServicesNone:     "Ingen tjenester nå. Du kan fortsatt se profilen og historikken din.",
		HistoryTitle:     "Historikk",
		HistoryIntro:     "Det du har sendt legekontoret, og svarene.",
		HistoryLink:      "Historikk: det du har sendt og svarene",
		NoHistory:        "Du har ikke sendt noe ennå.",
		Status:           "Status", SentAt: "Sendt", Answer: "Svar fra legekontoret",
		AnswerOther:       "Besvart på telefon eller brev.",
		AnswerWait:        "Legekontoret har ikke svart ennå.",
		StatusNew:         "Mottatt",
		StatusInProgress:  "Under behandling",
		StatusDone:        "Ferdig",
		ConsultationIntro: "Skriv spørsmålet ditt til legekontoret. Du får svar i løpet av noen virkedager.",
		Question:          "Spørsmålet ditt",
		QuestionHelp:      "Noen avsnitt holder. Vedlegg kan ikke sendes.",
		BookingIntro:      "Be om en time. Legekontoret tar kontakt med et tidspunkt.",
		Reason:            "Hva gjelder timen?",
		Preferred:         "Ønskede dager og tidspunkt (valgfritt)",
		PreferredHelp:     "For eksempel «mandager eller tirsdager før kl. 10».",
		RenewalIntro:      "Be om å få fornyet en resept du allerede har.",
		Medicine:          "Legemiddel som skal fornyes",
		MedicineHelp:      "Navn og styrke slik det står på pakningen, for eksempel «Ventoline 0,1 mg/dose».",
		Note:              "Kommentar (valgfritt)",
		Send:              "Send",
		Sent:              "Sendt.",
		ReplyElectronic:   "Svaret kommer her under Historikk, og du får en e-post når det er kommet.",
		ReplyByPhone:      "Du har ikke valgt svar elektronisk, så legekontoret svarer på telefon eller brev. Du kan endre dette på profilen.",
		Urgent:            "Ikke for noe som haster: ring 113 ved fare for liv, ellers legevakten på 116 117.",
		BackToProfile:     "Tilbake til profilen",
		NoRightTitle:      "Tjenesten er ikke tilgjengelig",
		Consultation:      "E-konsultasjon", Booking: "E-timebestilling", Renewal: "E-reseptfornyelse",
		Your: "Du"}
}
