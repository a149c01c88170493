package messages

// mockIDPortenTexts: the ID-porten mock that "resepsjon mock" serves next to
// the NHN mock, and its flags.
var mockIDPortenTexts = map[string]Text{
	"cli.flag.mock.idporten_listen": {
		"vert:port ID-porten-mocken lytter på (loopback; port 0 velger en ledig port)",
		"host:port the ID-porten mock listens on (loopback; port 0 picks a free port)"},
	"cli.flag.mock.idporten_client_id": {
		"klient-ID-en til den registrerte ID-porten-testklienten",
		"the client id of the registered ID-porten test client"},
	"cli.flag.mock.idporten_client_jwk": {
		"fil med den OFFENTLIGE nøkkelen (JWK) til ID-porten-klienten, for eksempel fra ID-porten-kortet i Resepsjon (uten: en testnøkkel lages og skrives ut)",
		"file with the ID-porten client's PUBLIC key (JWK), for example from Resepsjon's ID-porten card (without: a test key is made and printed)"},
	"cli.flag.mock.idporten_redirect_uri": {
		"redirect URI-en klienten får bruke: pasientportalens adresse + /idporten/callback",
		"the redirect URI the client may use: the patient portal's address + /idporten/callback"},
	"cli.mock.idporten_not_loopback": {
		"ID-porten-mocken lytter bare på loopback (127.0.0.1 eller ::1), ikke på «%[1]s».",
		"The ID-porten mock listens on loopback only (127.0.0.1 or ::1), not on \"%[1]s\"."},
	"cli.mock.idporten_running": {
		"ID-porten-mocken (innlogging som syntetisk person)",
		"the ID-porten mock (log in as a synthetic person):"},
	"cli.mock.idporten_enter_in_app": {
		"Skriv inn i appen under Pasientportal → ID-porten (pasientenes innlogging): utsteder, klient-ID og nøkkelen.",
		"Enter in the app under Patient portal → ID-porten (the patients' login): issuer, client id and the key."},
	"cli.mock.idporten_private_key": {
		"ID-porten-testklientens PRIVATE nøkkel (kun for mocken): importer linjen under i ID-porten-kortet",
		"the ID-porten test client's PRIVATE key (mock only): import the line below in the ID-porten card"},
	"cli.mock.idporten_public_key": {
		"Den registrerte offentlige ID-porten-nøkkelen",
		"the registered public ID-porten key: %[1]s"},
}
