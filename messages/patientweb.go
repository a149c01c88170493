package messages

// patientTexts: the patient portal's own pages (patientweb): the page words
// (patient.page.*), asking for access and sending inquiries
// (patient.request.*) and the ID-porten login (patient.idporten.*). Each
// code is one field of the page's text struct, named after it.
var patientTexts = map[string]Text{
	"patient.page.other_lang_name": {
		"English",
		"Norsk"},
	"patient.page.portal": {
		"Pasientportal",
		"Patient portal"},
	"patient.page.portal_of": {
		"Pasientportal",
		"Patient portal"},
	"patient.page.login": {
		"Logg inn",
		"Log in"},
	"patient.page.login_title": {
		"Logg inn i pasientportalen",
		"Log in to the patient portal"},
	"patient.page.email": {
		"E-postadresse",
		"E-mail address"},
	"patient.page.password": {
		"Passord",
		"Password"},
	"patient.page.forgot": {
		"Glemt passord?",
		"Forgot password?"},
	"patient.page.login_intro": {
		"Logg inn med e-postadressen legekontoret har registrert og passordet du valgte.",
		"Log in with the e-mail address the practice registered and the password you chose."},
	"patient.page.activate_title": {
		"Aktiver tilgangen din",
		"Activate your access"},
	"patient.page.activate_intro": {
		"Velg et passord for å aktivere tilgangen din til pasientportalen.",
		"Choose a password to activate your access to the patient portal."},
	"patient.page.activate_button": {
		"Aktiver tilgangen",
		"Activate access"},
	"patient.page.reset_title": {
		"Velg nytt passord",
		"Choose a new password"},
	"patient.page.reset_intro": {
		"Velg et nytt passord til pasientportalen.",
		"Choose a new password for the patient portal."},
	"patient.page.reset_button": {
		"Lagre nytt passord",
		"Save new password"},
	"patient.page.new_password": {
		"Nytt passord",
		"New password"},
	"patient.page.repeat_password": {
		"Gjenta passordet",
		"Repeat the password"},
	"patient.page.password_rules": {
		"Minst 10 tegn. Noen ord etter hverandre er lett å huske og vanskelig å gjette, for eksempel «blå sykkel ved sjøen». Ikke e-postadressen din.",
		"At least 10 characters. A few words in a row are easy to remember and hard to guess, for example «blue bicycle by the lake». Not your e-mail address."},
	"patient.page.forgot_title": {
		"Glemt passord",
		"Forgot password"},
	"patient.page.forgot_intro": {
		"Skriv e-postadressen din. Hvis den har tilgang til pasientportalen, får du en lenke for å velge nytt passord.",
		"Enter your e-mail address. If it has access to the patient portal, you get a link to choose a new password."},
	"patient.page.forgot_button": {
		"Send lenke",
		"Send link"},
	"patient.page.back_to_login": {
		"Tilbake til innlogging",
		"Back to log in"},
	"patient.page.profile_title": {
		"Profilen din",
		"Your profile"},
	"patient.page.name": {
		"Navn",
		"Name"},
	"patient.page.rights": {
		"Dette kan du gjøre i portalen",
		"What you can do in the portal"},
	"patient.page.no_rights": {
		"Ingen tjenester nå",
		"No services at the moment"},
	"patient.page.no_rights_note": {
		"Legekontoret har ikke gitt deg tilgang til tjenester akkurat nå. Du kan fortsatt se profilen din og tidligere historikk.",
		"The practice has not given you access to any services right now. You can still see your profile and earlier history."},
	"patient.page.consultation": {
		"E-konsultasjon",
		"E-consultation"},
	"patient.page.booking": {
		"E-timebestilling",
		"E-appointment booking"},
	"patient.page.renewal": {
		"E-reseptfornyelse",
		"E-prescription renewal"},
	"patient.page.given": {
		"ja",
		"yes"},
	"patient.page.not_given": {
		"nei",
		"no"},
	"patient.page.wants_reply": {
		"Ønsker svar elektronisk",
		"I want answers electronically"},
	"patient.page.wants_reply_help": {
		"Svar på e-konsultasjoner kommer her i portalen; e-posten sier bare at det er kommet svar.",
		"Answers to your e-consultations come here in the portal; the e-mail only says there is an answer."},
	"patient.page.language": {
		"Språk i e-post",
		"Language of e-mail"},
	"patient.page.save_preferences": {
		"Lagre",
		"Save"},
	"patient.page.preferences": {
		"Innstillinger",
		"Settings"},
	"patient.page.saved": {
		"Lagret.",
		"Saved."},
	"patient.page.change_password_title": {
		"Bytt passord",
		"Change password"},
	"patient.page.current_password": {
		"Nåværende passord",
		"Current password"},
	"patient.page.change_button": {
		"Bytt passord",
		"Change password"},
	"patient.page.password_changed": {
		"Passordet er byttet. Andre enheter er logget ut.",
		"The password is changed. Other devices are logged out."},
	"patient.page.logout": {
		"Logg ut",
		"Log out"},
	"patient.page.link_invalid_title": {
		"Lenken kan ikke brukes",
		"The link cannot be used"},
	"patient.page.not_found": {
		"Fant ikke siden",
		"Page not found"},
	"patient.page.not_found_text": {
		"Denne siden finnes ikke i pasientportalen.",
		"This page does not exist in the patient portal."},
	"patient.page.refused": {
		"Forespørselen ble stoppet. Åpne pasientportalen på nytt og prøv en gang til.",
		"The request was stopped. Open the patient portal again and try once more."},
	"patient.page.activated": {
		"Tilgangen din er aktivert. Velkommen!",
		"Your access is activated. Welcome!"},
	"patient.page.reset_done": {
		"Det nye passordet er lagret.",
		"Your new password is saved."},
	"patient.page.error": {
		"Noe gikk galt. Prøv igjen om litt.",
		"Something went wrong. Try again in a little while."},
	"patient.page.norwegian": {
		"Norsk (bokmål)",
		"Norsk (bokmål)"},
	"patient.page.english": {
		"English",
		"English"},
	"patient.request.request_title": {
		"Be om tilgang til pasientportalen",
		"Ask for access to the patient portal"},
	"patient.request.request_intro": {
		"Fyll ut skjemaet, så behandler legekontoret forespørselen. Når den er godkjent, får du en e-post med en lenke for å velge passord.",
		"Fill in the form and the practice handles your request. When it is approved you get an e-mail with a link to choose a password."},
	"patient.request.request_link": {
		"Har du ikke tilgang? Be om tilgang",
		"No access yet? Ask for access"},
	"patient.request.request_button": {
		"Send forespørselen",
		"Send the request"},
	"patient.request.full_name": {
		"Fullt navn",
		"Full name"},
	"patient.request.full_name_help": {
		"Slik det står i Folkeregisteret, for eksempel «Kari Nordmann».",
		"As in the National Population Register, for example «Kari Nordmann»."},
	"patient.request.nin": {
		"Fødselsnummer",
		"National identity number"},
	"patient.request.nin_help": {
		"Fødselsnummeret eller D-nummeret ditt, 11 siffer. Legekontoret bruker det bare til å finne deg i registeret sitt.",
		"Your fødselsnummer or D-number, 11 digits. The practice uses it only to find you in its register."},
	"patient.request.email_help": {
		"Hit sendes lenken for å aktivere tilgangen.",
		"The link to activate your access is sent here."},
	"patient.request.rights_wanted": {
		"Hva ønsker du å bruke portalen til? (valgfritt)",
		"What would you like to use the portal for? (optional)"},
	"patient.request.rights_wanted_help": {
		"Legekontoret bestemmer hvilke tjenester du får.",
		"The practice decides which services you get."},
	"patient.request.reply_help": {
		"Svar kommer i portalen; e-posten sier bare at det er kommet svar. Uten dette svarer legekontoret på telefon eller brev.",
		"Answers come in the portal; the e-mail only says that there is an answer. Without it the practice answers by phone or letter."},
	"patient.request.request_received": {
		"Takk! Forespørselen er mottatt. Legekontoret behandler den, og du får en e-post når den er avgjort.",
		"Thank you! The request is received. The practice handles it, and you get an e-mail when it is decided."},
	"patient.request.request_approved": {
		"Tilgangen er godkjent. Du får straks en e-post med en lenke for å velge passord.",
		"Your access is approved. You will soon get an e-mail with a link to choose a password."},
	"patient.request.fix_errors": {
		"Noen felt må rettes. Se meldingene nedenfor.",
		"Some fields need to be corrected. See the messages below."},
	"patient.request.services": {
		"Tjenester",
		"Services"},
	"patient.request.services_none": {
		"Ingen tjenester nå. Du kan fortsatt se profilen og historikken din.",
		"No services at the moment. You can still see your profile and history."},
	"patient.request.history_title": {
		"Historikk",
		"History"},
	"patient.request.history_intro": {
		"Det du har sendt legekontoret, og svarene.",
		"What you have sent the practice, and its answers."},
	"patient.request.history_link": {
		"Historikk: det du har sendt og svarene",
		"History: what you have sent and the answers"},
	"patient.request.no_history": {
		"Du har ikke sendt noe ennå.",
		"You have not sent anything yet."},
	"patient.request.status": {
		"Status",
		"Status"},
	"patient.request.sent_at": {
		"Sendt",
		"Sent"},
	"patient.request.answer": {
		"Svar fra legekontoret",
		"Answer from the practice"},
	"patient.request.answer_other": {
		"Besvart på telefon eller brev.",
		"Answered by phone or letter."},
	"patient.request.answer_wait": {
		"Legekontoret har ikke svart ennå.",
		"The practice has not answered yet."},
	"patient.request.status_new": {
		"Mottatt",
		"Received"},
	"patient.request.status_in_progress": {
		"Under behandling",
		"Being handled"},
	"patient.request.status_done": {
		"Ferdig",
		"Done"},
	"patient.request.consultation_intro": {
		"Skriv spørsmålet ditt til legekontoret. Du får svar i løpet av noen virkedager.",
		"Write your question to the practice. You get an answer within a few working days."},
	"patient.request.question": {
		"Spørsmålet ditt",
		"Your question"},
	"patient.request.question_help": {
		"Noen avsnitt holder. Vedlegg kan ikke sendes.",
		"A few paragraphs are enough. Attachments cannot be sent."},
	"patient.request.booking_intro": {
		"Be om en time. Legekontoret tar kontakt med et tidspunkt.",
		"Ask for an appointment. The practice contacts you with a time."},
	"patient.request.reason": {
		"Hva gjelder timen?",
		"What is the appointment about?"},
	"patient.request.preferred": {
		"Ønskede dager og tidspunkt (valgfritt)",
		"Preferred days and times (optional)"},
	"patient.request.preferred_help": {
		"For eksempel «mandager eller tirsdager før kl. 10».",
		"For example «Mondays or Tuesdays before 10»."},
	"patient.request.renewal_intro": {
		"Be om å få fornyet en resept du allerede har.",
		"Ask for a prescription you already have to be renewed."},
	"patient.request.medicine": {
		"Legemiddel som skal fornyes",
		"Medicine to renew"},
	"patient.request.medicine_help": {
		"Navn og styrke slik det står på pakningen, for eksempel «Ventoline 0,1 mg/dose».",
		"Name and strength as on the package, for example «Ventoline 0.1 mg/dose»."},
	"patient.request.note": {
		"Kommentar (valgfritt)",
		"Comment (optional)"},
	"patient.request.send": {
		"Send",
		"Send"},
	"patient.request.sent": {
		"Sendt.",
		"Sent."},
	"patient.request.reply_electronic": {
		"Svaret kommer her under Historikk, og du får en e-post når det er kommet.",
		"The answer comes here under History, and you get an e-mail when it has come."},
	"patient.request.reply_by_phone": {
		"Du har ikke valgt svar elektronisk, så legekontoret svarer på telefon eller brev. Du kan endre dette på profilen.",
		"You have not chosen answers electronically, so the practice answers by phone or letter. You can change this in your profile."},
	"patient.request.urgent": {
		"Ikke for noe som haster: ring 113 ved fare for liv, ellers legevakten på 116 117.",
		"Not for anything urgent: in an emergency call 113, otherwise the out-of-hours service on 116 117."},
	"patient.request.back_to_profile": {
		"Tilbake til profilen",
		"Back to your profile"},
	"patient.request.no_right_title": {
		"Tjenesten er ikke tilgjengelig",
		"Service not available"},
	"patient.request.consultation": {
		"E-konsultasjon",
		"E-consultation"},
	"patient.request.booking": {
		"E-timebestilling",
		"E-appointment booking"},
	"patient.request.renewal": {
		"E-reseptfornyelse",
		"E-prescription renewal"},
	"patient.request.your": {
		"Du",
		"You"},
	"patient.idporten.title": {
		"Logg inn med ID-porten",
		"Log in with ID-porten"},
	"patient.idporten.offer": {
		"Be om tilgang med ID-porten",
		"Ask for access with ID-porten"},
	"patient.idporten.offer_text": {
		"Be om tilgang ved å logge inn med ID-porten (BankID, MinID og andre). Da er identiteten din bekreftet, og legekontoret kan godkjenne deg med en gang.",
		"Ask for access by logging in with ID-porten (BankID, MinID and others). Your identity is then verified, and the practice may approve you at once."},
	"patient.idporten.button": {
		"Logg inn med ID-porten",
		"Log in with ID-porten"},
	"patient.idporten.not_offered": {
		"Legekontoret tilbyr ikke innlogging med ID-porten. Kontakt legekontoret for å få tilgang.",
		"The practice does not offer login with ID-porten. Contact the practice to get access."},
	"patient.idporten.request_title": {
		"Be om tilgang til pasientportalen",
		"Ask for access to the patient portal"},
	"patient.idporten.request_intro": {
		"ID-porten har bekreftet hvem du er. Fyll inn e-postadressen din; legekontoret sender lenken for å aktivere tilgangen dit.",
		"ID-porten has verified who you are. Fill in your e-mail address; the practice sends the link to activate your access there."},
	"patient.idporten.verified_as": {
		"Bekreftet fødselsnummer",
		"Verified national identity number"},
	"patient.idporten.name_label": {
		"Navnet ditt",
		"Your name"},
	"patient.idporten.name_help": {
		"Slik det står i Folkeregisteret.",
		"As in the National Registry."},
	"patient.idporten.name_from_provider": {
		"Fra ID-porten.",
		"From ID-porten."},
	"patient.idporten.email_help": {
		"Aktiveringslenken og varsler om svar kommer hit.",
		"The activation link and notices about answers go here."},
	"patient.idporten.rights_legend": {
		"Dette vil du bruke (legekontoret bestemmer)",
		"What you would like to use (the practice decides)"},
	"patient.idporten.send": {
		"Be om tilgang",
		"Ask for access"},
	"patient.idporten.fix_fields": {
		"Noen felt må rettes; se nedenfor.",
		"Some fields need fixing; see below."},
	"patient.idporten.sent_title": {
		"Forespørselen er mottatt",
		"Request received"},
	"patient.idporten.approved": {
		"Tilgangen din er godkjent. Se e-posten din for lenken der du velger passord.",
		"Your access is approved. Check your e-mail for the link to choose a password."},
	"patient.idporten.pending": {
		"Legekontoret har fått forespørselen din og behandler den snart. Du får e-post når den er godkjent.",
		"The practice has received your request and handles it soon. You get an e-mail when it is approved."},
	"patient.idporten.try_again": {
		"Prøv igjen",
		"Try again"},
	"patient.idporten.expired": {
		"Innloggingen tok for lang tid eller er allerede brukt. Begynn på nytt med «Logg inn med ID-porten».",
		"The login took too long or was already used. Start again with «Log in with ID-porten»."},
	"patient.idporten.state": {
		"Svaret fra ID-porten hører ikke til denne innloggingen. Begynn på nytt med «Logg inn med ID-porten».",
		"The answer from ID-porten does not belong to this login. Start again with «Log in with ID-porten»."},
	"patient.idporten.cancelled": {
		"Du avbrøt innloggingen. Du kan prøve igjen, eller kontakte legekontoret.",
		"You cancelled the login. You can try again, or contact the practice."},
	"patient.idporten.refused": {
		"Innloggingen kunne ikke bekreftes, så ingenting er mottatt. Prøv igjen; kontakt legekontoret hvis det ikke går.",
		"The login could not be verified, so nothing was received. Try again; if it keeps failing, contact the practice."},
	"patient.idporten.level": {
		"Legekontoret krever et høyere sikkerhetsnivå (for eksempel BankID). Prøv igjen med en annen eID.",
		"The practice needs a higher level of assurance (for example BankID). Try again with another eID."},
	"patient.idporten.unavailable": {
		"ID-porten svarer ikke akkurat nå. Prøv igjen om litt.",
		"ID-porten cannot be reached right now. Try again in a little while."},
	"patient.idporten.not_config": {
		"Innlogging med ID-porten er ikke satt opp hos legekontoret. Kontakt legekontoret for å få tilgang.",
		"Login with ID-porten is not set up at the practice. Contact the practice to get access."},
}
