package messages

// idportenTexts: the patients' login with ID-porten — its settings' field
// errors and the demo's start-up line.
var idportenTexts = map[string]Text{
	"cli.serve.demo_idporten": {
		"ID-porten-mock (innlogging som syntetisk person på pasientsiden): %[1]s",
		"ID-porten mock (log in as a synthetic person on the patient side): %[1]s"},
	"field.issuer.https": {
		"Utstederen må være en https-adresse, for eksempel https://test.idporten.no (http bare på denne maskinen).",
		"The issuer must be an https address, for example https://test.idporten.no (http only on this machine)."},
	"field.key.shared": {
		"Dette er HelseID-nøkkelen. ID-porten trenger en egen nøkkel: lag en ny eller importer en annen.",
		"This is the HelseID key. ID-porten needs a key of its own: generate a new one or import another."},
}
