package persontjeneste

// Person fixtures written from the contract's Person schema. Every person,
// number and address is synthetic: identity numbers are Skatteetaten-style
// synthetic numbers (month + 80; D-numbers also day + 40) with valid check
// digits, and names and streets are made up.

const fixtureOrdinary = `{
  "id": "b9dc63e3c1e325f7bee6d09801e19dfa8efccdf57ec9b4cc892cde7848847203",
  "sequenceNumber": 1200345,
  "name": [{"isValid": true, "registeredAt": "2010-05-01T10:00:00+00:00", "givenName": "Åse", "middleName": "Lien", "familyName": "Prøvesen"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "05898540032", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1985-09-05T00:00:00+00:00", "birthYear": "1985"}],
  "gender": [{"isValid": true, "gender": "Female"}],
  "status": [{"isValid": true, "status": "Resident"}],
  "addressProtection": [{"isValid": true, "protectionLevel": "Unclassified"}],
  "residentialAddress": [{
    "isValid": true,
    "validFrom": "2019-08-01T00:00:00+00:00",
    "addressConfidentiality": "Unclassified",
    "streetAddress": {
      "municipalityNumber": "0301", "municipalityName": "Oslo",
      "addressName": "Fiktivveien", "addressNumber": {"houseNumber": "12", "houseLetter": "B"},
      "city": {"cityName": "OSLO", "postalCode": "0150"}
    }
  }],
  "postalAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "streetAddress": {"addressName": "Fiktivveien", "streetAddressNumber": {"houseNumber": "12", "houseLetter": "B"}, "city": {"cityName": "OSLO", "postalCode": "0150"}}
  }]
}`

const fixtureStrictlyConfidential = `{
  "id": "b5c421846594eee786cf5c5524d323f69fd40678b5c25a5191a6d0a22bf12d77",
  "sequenceNumber": 1200346,
  "name": [{"isValid": true, "givenName": "Tor", "familyName": "Skjultvik"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "14837230080", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1972-03-14T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Male"}],
  "status": [{"isValid": true, "status": "Resident"}],
  "addressProtection": [{"isValid": true, "protectionLevel": "StrictlyConfidential"}],
  "residentialAddress": [{
    "isValid": true,
    "addressConfidentiality": "StrictlyConfidential",
    "streetAddress": {"municipalityNumber": "4601", "addressName": "Løynegata", "addressNumber": {"houseNumber": "3"}, "city": {"cityName": "BERGEN", "postalCode": "5003"}}
  }],
  "postalAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "postBoxAddress": {"postBoxIdentification": "Postboks 99 Sentrum", "city": {"cityName": "BERGEN", "postalCode": "5803"}}
  }],
  "commonContactRegisterInformation": {"status": "Active", "reservation": "No", "contactInformation": {"email": "tor.skjultvik@example.org", "phoneNumber": "+4799000002"}}
}`

const fixtureConfidential = `{
  "id": "3491e791ebb2957da34dc69616dc865f2ff4ed9ba2d5e2c620d73007cb29167d",
  "sequenceNumber": 1200347,
  "name": [{"isValid": true, "givenName": "Mette", "familyName": "Dekkmann"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "23919020032", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1990-11-23T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Female"}],
  "status": [{"isValid": true, "status": "Resident"}],
  "addressProtection": [{"isValid": true, "protectionLevel": "Confidential"}],
  "residentialAddress": [{
    "isValid": true,
    "addressConfidentiality": "Confidential",
    "streetAddress": {"municipalityNumber": "5001", "addressName": "Tenkt gate", "addressNumber": {"houseNumber": "7"}, "city": {"cityName": "TRONDHEIM", "postalCode": "7030"}}
  }]
}`

const fixtureDeceased = `{
  "id": "b32b2a975b7edd98ca3d1f317bcd3fb6ca91ba7a2ded022de07dffd5bf463611",
  "sequenceNumber": 1200348,
  "name": [{"isValid": true, "givenName": "Harald", "familyName": "Oppdiktsen"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "02864810007", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1948-06-02T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Male"}],
  "status": [{"isValid": true, "status": "Deceased"}],
  "death": {"isValid": true, "deceasedDate": "2023-04-11T00:00:00+02:00"},
  "residentialAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "cadastralAddress": {
      "cadastralNumber": {"municipalityNumber": "3203", "municipalityLandNumber": 12, "titleNumber": 3},
      "city": {"cityName": "ASKER", "postalCode": "1384"}
    }
  }]
}`

// fixtureDNumberToFnr is fetched with includeHistory: the person had a
// D-number that was replaced by a fødselsnummer.
const fixtureDNumberToFnr = `{
  "id": "8e3204c913e8ec9552df7f5badedfc5ac2d1d78052679bbd68f8d94612713d3e",
  "sequenceNumber": 1200349,
  "name": [{"isValid": true, "givenName": "Jonas", "familyName": "Flyttberg"}],
  "norwegianIdentificationNumber": [
    {"isValid": false, "status": "Discontinued", "identificationNumber": "48877910000", "identificationNumberType": "DNumber",
     "validFrom": "2015-02-01T00:00:00+00:00", "validTo": "2021-06-30T00:00:00+00:00"},
    {"isValid": true, "status": "InUse", "identificationNumber": "08877910017", "identificationNumberType": "NationalIdentityNumber",
     "validFrom": "2021-06-30T00:00:00+00:00"}
  ],
  "birth": [{"isValid": true, "birthDate": "1979-07-08T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Male"}],
  "status": [
    {"isValid": false, "status": "Temporary", "validFrom": "2015-02-01T00:00:00+00:00"},
    {"isValid": true, "status": "Resident", "validFrom": "2021-06-30T00:00:00+00:00"}
  ],
  "residentialAddress": [
    {"isValid": false, "validFrom": "2015-02-01T00:00:00+00:00", "addressConfidentiality": "Unclassified",
     "streetAddress": {"municipalityNumber": "1103", "addressName": "Gammelveien", "addressNumber": {"houseNumber": "1"}, "city": {"cityName": "STAVANGER", "postalCode": "4006"}}},
    {"isValid": true, "validFrom": "2021-07-01T00:00:00+00:00", "addressConfidentiality": "Unclassified",
     "streetAddress": {"municipalityNumber": "1103", "addressName": "Nyveien", "addressNumber": {"houseNumber": "22"}, "city": {"cityName": "STAVANGER", "postalCode": "4014"}}}
  ]
}`

// fixtureNameHistory has the old, no longer valid name after the current one.
const fixtureNameHistory = `{
  "id": "1f151ac1fb65e0fa09f6bdccc1199eacbb53e60b117ee273500c2c7149587f0a",
  "sequenceNumber": 1200350,
  "name": [
    {"isValid": true, "validFrom": "2018-09-15T00:00:00+00:00", "givenName": "Ingrid", "familyName": "Nyholm-Lie"},
    {"isValid": false, "validFrom": "2001-01-17T00:00:00+00:00", "validTo": "2018-09-15T00:00:00+00:00", "givenName": "Ingrid", "middleName": "Marie", "familyName": "Gammelstad"}
  ],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "17810150025", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "2001-01-17T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Female"}],
  "status": [{"isValid": true, "status": "Resident"}]
}`

const fixtureKRR = `{
  "id": "48c09cf48de997ba01626ab2728aa9c821a41d2e4a6cc66e3126a4a716b53b46",
  "sequenceNumber": 1200351,
  "name": [{"isValid": true, "givenName": "Per", "familyName": "Kontaktsen"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "30926615021", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1966-12-30T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Male"}],
  "status": [{"isValid": true, "status": "Resident"}],
  "commonContactRegisterInformation": {
    "status": "Active",
    "reservation": "No",
    "notificationStatus": "CanBeNotified",
    "language": "nb",
    "contactInformation": {
      "email": "per.kontaktsen@example.org", "emailLastUpdated": "2022-08-05T10:45:15.768Z",
      "phoneNumber": "+4799000001", "phoneNumberLastVerified": "2022-08-05T10:45:15.768Z"
    }
  }
}`

const fixtureSeparatePostal = `{
  "id": "e6ee8b8e804ade956ae93bde288b52364eb63511270710d32c528dbe0a5315bf",
  "sequenceNumber": 1200352,
  "name": [{"isValid": true, "givenName": "Lise", "familyName": "Postholm"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "09849525260", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1995-04-09T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Female"}],
  "status": [{"isValid": true, "status": "Resident"}],
  "addressProtection": [{"isValid": true, "protectionLevel": "Unclassified"}],
  "residentialAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "streetAddress": {"municipalityNumber": "0301", "addressName": "Diktergata", "addressNumber": {"houseNumber": "4"}, "city": {"cityName": "OSLO", "postalCode": "0460"}}
  }],
  "postalAddress": [
    {"isValid": false, "validFrom": "2015-01-01T00:00:00+00:00", "addressConfidentiality": "Unclassified",
     "postBoxAddress": {"postBoxIdentification": "Postboks 1 Gamlebyen", "city": {"cityName": "OSLO", "postalCode": "0104"}}},
    {"isValid": true, "validFrom": "2020-01-01T00:00:00+00:00", "addressConfidentiality": "Unclassified",
     "postBoxAddress": {"postBoxIdentification": "Postboks 1234 Sentrum", "city": {"cityName": "OSLO", "postalCode": "0106"}}}
  ]
}`

const fixtureEmigrated = `{
  "id": "c3a4aff54dcb0f88e78d9b0dece9a124b2061937d39858c494d01819eb81708a",
  "sequenceNumber": 1200353,
  "name": [{"isValid": true, "givenName": "Eirik", "familyName": "Utvandrer"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "09849525341", "identificationNumberType": "NationalIdentityNumber"}],
  "birth": [{"isValid": true, "birthDate": "1995-04-09T00:00:00+00:00"}],
  "gender": [{"isValid": true, "gender": "Male"}],
  "status": [{"isValid": true, "status": "Emigrated"}],
  "emigrationFromNorway": [{"isValid": true, "emigratedToCountry": "ESP", "emigratedMoveDate": "2022-03-01T00:00:00+00:00"}],
  "foreignPostalAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "freeFormForeignAddress": {"addressLine": ["Calle Ficticia 5"], "postCode": "29620", "cityOrPlaceName": "Torremolinos", "countryCode": "ES"}
  }]
}`

// fixtureDNumberCurrent is a person known only by a D-number, without gender.
const fixtureDNumberCurrent = `{
  "id": "60744f55a8d09d6bb7b044141df471eceebc134d4ab01b67f6ba57e48c1e6ecc",
  "sequenceNumber": 1200354,
  "name": [{"isValid": true, "givenName": "Marek", "familyName": "Gjestarbeider"}],
  "norwegianIdentificationNumber": [{"isValid": true, "status": "InUse", "identificationNumber": "61828830081", "identificationNumberType": "DNumber"}],
  "birth": [{"isValid": true, "birthDate": "1988-02-21T00:00:00+00:00"}],
  "status": [{"isValid": true, "status": "Temporary"}],
  "postalAddress": [{
    "isValid": true,
    "addressConfidentiality": "Unclassified",
    "freeFormPostalAddress": {"addressLine": ["c/o Fiktivt Bemanning AS", "Lagerveien 9"], "city": {"cityName": "DRAMMEN", "postalCode": "3015"}}
  }]
}`

// personFixtures names every fixture, for table tests and fuzz seeds.
func personFixtures() map[string]string {
	return map[string]string{
		"ordinary":              fixtureOrdinary,
		"strictly confidential": fixtureStrictlyConfidential,
		"confidential":          fixtureConfidential,
		"deceased":              fixtureDeceased,
		"d-number to fnr":       fixtureDNumberToFnr,
		"name history":          fixtureNameHistory,
		"krr contact":           fixtureKRR,
		"separate postal":       fixtureSeparatePostal,
		"emigrated":             fixtureEmigrated,
		"d-number current":      fixtureDNumberCurrent,
	}
}
