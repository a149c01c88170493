package messages

// serveTexts: the serving command's start-up and the mail-password
// command, printed in the terminal (and, for a double-clicked program, in
// the start-up dialog after the kind's own text).
var serveTexts = map[string]Text{
	"cli.serve.read_only": {
		"Registeret %[1]s kan ikke skrives til. Be den som har ansvar for PC-en gi deg skrivetilgang til filen og mappen, og start Resepsjon igjen.",
		"The register %[1]s cannot be written to. Ask whoever looks after the PC to give you write access to the file and its folder, and start Resepsjon again."},
	"cli.serve.disk_full": {
		"Disken der registeret %[1]s ligger, er full. Frigjør plass på disken og start Resepsjon igjen.",
		"The disk holding the register %[1]s is full. Free some space on the disk and start Resepsjon again."},
	"cli.mail.not_configured": {
		"Sett mail.host og mail.user i config.yaml først.",
		"Set mail.host and mail.user in config.yaml first."},
	"cli.mail.prompt": {
		"Skriv passordet til %[1]s på %[2]s og trykk Enter",
		"Type the password of %[1]s at %[2]s and press Enter:"},
	"cli.mail.empty": {
		"Passordet er tomt. Skriv passordet og trykk Enter.",
		"The password is empty. Type the password and press Enter."},
	"cli.mail.no_keyring": {
		"Fant ingen nøkkelring (Secret Service), eller den er låst. Start eller lås opp nøkkelringen og prøv igjen.",
		"No OS keyring (Secret Service) was found, or it is locked. Start or unlock the keyring and try again."},
	"cli.mail.stored": {
		"Passordet er lagret i nøkkelringen.",
		"The password is stored in the OS keyring."},
}
