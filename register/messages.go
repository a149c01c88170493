package register

// MessageNB is the Norwegian bokmål text for a validation message code (from
// Validate or nin.Code): what is wrong and what to do. An unknown code gives a
// generic text.
func MessageNB(code string) string {
	switch code {
	case "nin.length":
		return "Et fødselsnummer har 11 siffer. Sjekk at du har fått med alle sifrene."
	case "nin.digits":
		return "Et fødselsnummer har bare siffer. Fjern bokstaver og andre tegn."
	case "nin.checksum":
		return "Kontrollsifrene stemmer ikke. Sjekk at fødselsnummeret er skrevet riktig."
	case "nin.date":
		return "De seks første sifrene er ikke en gyldig fødselsdato. Sjekk at fødselsnummeret er skrevet riktig."
	case "nin.individual":
		return "Personnummeret (siffer 7–9) passer ikke med fødselsåret. Sjekk at fødselsnummeret er skrevet riktig."
	case "org.length":
		return "Et organisasjonsnummer har 9 siffer. Sjekk at du har fått med alle sifrene."
	case "org.digits":
		return "Et organisasjonsnummer har bare siffer. Fjern bokstaver og andre tegn."
	case "org.checksum":
		return "Kontrollsifferet stemmer ikke. Sjekk at organisasjonsnummeret er skrevet riktig."
	case CodeRequired:
		return "Dette feltet må fylles ut."
	case CodeTooLong:
		return "Teksten er for lang. Kort den ned."
	case CodeControlChars:
		return "Feltet inneholder usynlige eller ugyldige tegn. Skriv inn teksten på nytt."
	case CodeNoVisibleText:
		return "Navnet består bare av usynlige tegn. Skriv inn navnet på nytt."
	case CodeBidiControl:
		return "Navnet inneholder tegn som snur skriveretningen, så det kan se annerledes ut enn det er. Skriv inn navnet på nytt uten dem."
	case CodeDate:
		return "Skriv en gyldig dato som ikke er fram i tid."
	case CodeBirthDateMismatch:
		return "Fødselsdatoen stemmer ikke med fødselsnummeret. Rett den ene, eller la fødselsdatoen stå tom."
	case CodeDeathBeforeBirth:
		return "Dødsdatoen er før fødselsdatoen. Sjekk begge datoene."
	case CodeInvalid:
		return "Velg en av verdiene i listen."
	case CodeAddressProtected:
		return "Klienten har strengt fortrolig adresse. Adressen skal ikke lagres: tøm feltet."
	case CodePostalCode:
		return "Et postnummer har 4 siffer."
	case CodeMunicipality:
		return "Et kommunenummer har 4 siffer."
	case CodePhone:
		return "Skriv telefonnummeret med 8 til 15 siffer, gjerne med + og landskode foran."
	case CodeEmail:
		return "Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."
	default:
		return "Sjekk dette feltet."
	}
}

// MessageEN is the English text for a validation message code (from Validate
// or nin.Code): what is wrong and what to do. An unknown code gives a generic
// text.
func MessageEN(code string) string {
	switch code {
	case "nin.length":
		return "An identity number has 11 digits. Check that all digits are there."
	case "nin.digits":
		return "An identity number has only digits. Remove letters and other characters."
	case "nin.checksum":
		return "The check digits do not match. Check that the number is typed correctly."
	case "nin.date":
		return "The first six digits are not a valid birth date. Check that the number is typed correctly."
	case "nin.individual":
		return "The individual number (digits 7–9) does not fit the birth year. Check that the number is typed correctly."
	case "org.length":
		return "An organisation number has 9 digits. Check that all digits are there."
	case "org.digits":
		return "An organisation number has only digits. Remove letters and other characters."
	case "org.checksum":
		return "The check digit does not match. Check that the organisation number is typed correctly."
	case CodeRequired:
		return "Please fill in this field."
	case CodeTooLong:
		return "The text is too long. Please shorten it."
	case CodeControlChars:
		return "The field contains invisible or invalid characters. Please type the text again."
	case CodeNoVisibleText:
		return "The name is made only of invisible characters. Please type the name again."
	case CodeBidiControl:
		return "The name contains characters that change the writing direction, so it can look different from what it is. Please type the name again without them."
	case CodeDate:
		return "Enter a valid date that is not in the future."
	case CodeBirthDateMismatch:
		return "The birth date does not match the identity number. Correct one of them, or leave the birth date empty."
	case CodeDeathBeforeBirth:
		return "The date of death is before the birth date. Check both dates."
	case CodeInvalid:
		return "Choose one of the values in the list."
	case CodeAddressProtected:
		return "The client has a strictly confidential address. The address must not be stored: clear this field."
	case CodePostalCode:
		return "A postal code has 4 digits."
	case CodeMunicipality:
		return "A municipality number has 4 digits."
	case CodePhone:
		return "Enter the phone number with 8 to 15 digits, optionally with + and the country code first."
	case CodeEmail:
		return "Enter a valid email address, for example name@example.com."
	default:
		return "Check this field."
	}
}
