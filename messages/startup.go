package messages

// startupTexts: why a double-clicked Resepsjon could not start, shown in a
// dialog (there is no console to print in): what happened and what to do.
var startupTexts = map[string]Text{
	"startup.title": {"Resepsjon kan ikke starte", "Resepsjon cannot start"},
	"startup.ports_taken": {
		"Alle portene Resepsjon kan bruke, er opptatt av andre programmer. Lukk programmer du ikke trenger, eller start PC-en på nytt, og start Resepsjon igjen.",
		"Every port Resepsjon can use is taken by other programs. Close programs you do not need, or restart the PC, and start Resepsjon again."},
	"startup.db_too_new": {
		"Registeret er lagret av en nyere versjon av Resepsjon enn denne. Start den nyeste versjonen du har lastet ned, eller last ned den nyeste på nytt. Ingenting er endret.",
		"The register was saved by a newer version of Resepsjon than this one. Start the newest version you downloaded, or download the newest again. Nothing was changed."},
	"startup.keyring_unavailable": {
		"Resepsjon får ikke tilgang til nøkkelringen i operativsystemet, der nøkkelen til Helsenettet ligger. Logg ut og inn igjen, eller start PC-en på nytt. Hjelper ikke det, kontakt den som drifter PC-en.",
		"Resepsjon cannot reach the operating system's keyring, where the key for the health network is kept. Sign out and in again, or restart the PC. If that does not help, contact whoever looks after the PC."},
	"startup.register_in_use": {
		"Resepsjon kjører allerede, men svarer ikke. Vent et minutt og prøv igjen. Hjelper ikke det, start PC-en på nytt.",
		"Resepsjon is already running but does not answer. Wait a minute and try again. If that does not help, restart the PC."},
	"startup.data_dir": {
		"Resepsjon får ikke laget eller skrevet i datamappen. Sjekk at disken ikke er full, og at du er logget inn som den vanlige brukeren.",
		"Resepsjon cannot create or write its data folder. Check that the disk is not full and that you are signed in as the usual user."},
	"startup.other": {
		"Noe hindret Resepsjon i å starte. Prøv igjen; hjelper ikke det, start PC-en på nytt. Send loggfilen til brukerstøtte hvis det gjentar seg.",
		"Something kept Resepsjon from starting. Try again; if that does not help, restart the PC. Send the log file to support if it happens again."},
	"startup.log_file": {"Logg: %[1]s", "Log: %[1]s"},
}
