package messages

// feedTexts: the change feed and `resepsjon refresh`.
var feedTexts = map[string]Text{
	"feed.internal": {
		"Noe gikk galt i Resepsjon da endringer skulle hentes fra Folkeregisteret. Resepsjon prøver igjen selv; hvis det gjentar seg, start programmet på nytt.",
		"Something went wrong in Resepsjon while fetching changes from the National Population Register. Resepsjon tries again by itself; if it happens again, restart the program."},
	"feed.nhn_unavailable": {
		"Fikk ikke svar fra Persontjenesten eller HelseID. Resepsjon prøver igjen selv, med lengre pauser til tjenesten svarer.",
		"No answer from Persontjenesten or HelseID. Resepsjon tries again by itself, with longer pauses until the service answers."},
	"feed.nhn_unavailable.helseid": {
		"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever. Resepsjon prøver igjen selv, med lengre pauser til tjenesten svarer.",
		"No answer from HelseID, the login service Persontjenesten requires. Resepsjon tries again by itself, with longer pauses until the service answers."},
	"feed.nhn_unavailable.persontjenesten": {
		"Fikk ikke svar fra Persontjenesten. Resepsjon prøver igjen selv, med lengre pauser til tjenesten svarer.",
		"No answer from Persontjenesten. Resepsjon tries again by itself, with longer pauses until the service answers."},
	"feed.nhn_rate_limited": {
		"Persontjenesten ba oss vente litt. Resepsjon henter endringene når ventetiden er over.",
		"Persontjenesten asked us to wait. Resepsjon fetches the changes when the wait is over."},
	"feed.nhn_no_access": {
		"Persontjenesten eller HelseID avviste forespørselen. Trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request. Press Refresh settings to see what is missing."},
	"feed.helseid_token_rejected": {
		"Persontjenesten godtok ikke innloggingen fra HelseID. Trykk «Oppdater innstillinger»; hjelper ikke det, lag ny nøkkel.",
		"Persontjenesten did not accept the HelseID login. Press Refresh settings; if that does not help, make a new key."},
	"feed.nhn_rejected": {
		"Persontjenesten avviste forespørselen om endringer. Dette er en feil i Resepsjon: meld den til leverandøren.",
		"Persontjenesten refused the request for changes. This is a fault in Resepsjon: report it to the vendor."},
	"feed.keyring_unavailable": {
		"Fikk ikke tak i HelseID-nøkkelen i nøkkelringen. Logg inn på PC-en på nytt og start Resepsjon igjen.",
		"Could not reach the HelseID key in the keyring. Log in to the PC again and start Resepsjon again."},
	"feed.not_activated": {
		"Persontjenesten er ikke aktivert, så endringer hentes ikke.",
		"Persontjenesten is not activated, so no changes are fetched."},

	"bulk.no_run": {
		"Det er ingen avbrutt oppdatering å fullføre. Start «Oppdater alle» på nytt.",
		"There is no interrupted update to finish. Start Update all again."},

	// resepsjon refresh
	"cli.refresh.usage": {
		"Bruk: resepsjon refresh [--dry-run] [--json] [--resume]\nOppdaterer alle klienter fra Persontjenesten.",
		"Usage: resepsjon refresh [--dry-run] [--json] [--resume]\nUpdates every client from Persontjenesten."},
	"cli.refresh.via_app": {
		"Resepsjon kjører allerede; oppdateringen kjøres der.",
		"Resepsjon is already running; the update runs there."},
	"cli.refresh.done": {
		"Ferdig: %d klienter, %d endret, %d feilet.",
		"Done: %d clients, %d changed, %d failed."},
	"cli.refresh.progress": {
		"%d av %d klienter sjekket, %d endret, %d feilet",
		"%d of %d clients checked, %d changed, %d failed"},
	"cli.refresh.dry_run": {
		"Prøvekjøring: ingenting er lagret.",
		"Dry run: nothing was saved."},
	"cli.refresh.busy": {
		"En annen Resepsjon har registeret, men svarer ikke. Vent litt og prøv igjen.",
		"Another Resepsjon holds the register but does not answer. Wait a while and try again."},
	"cli.refresh.no_run": {
		"Det er ingen avbrutt oppdatering å fullføre.",
		"There is no interrupted update to finish."},
	"cli.refresh.cancelled": {
		"Oppdateringen ble avbrutt før den var ferdig.",
		"The update was cancelled before it finished."},
	"cli.refresh.not_updated": {
		"%[1]d klienter ble ikke oppdatert; se listen over.",
		"%[1]d clients were not updated; see the list above."},
	"cli.refresh.app_no_answer": {
		"Resepsjon som kjører, svarte ikke.",
		"The running Resepsjon did not answer."},
	"cli.refresh.app_refused": {
		"Resepsjon som kjører, avviste oppdateringen (%[1]d).",
		"The running Resepsjon refused the update (%[1]d)."},
	"cli.refresh.app_other_run": {
		"Resepsjon som kjører, startet en annen oppdatering i mellomtiden. Se «Oppdater alle» i appen.",
		"The running Resepsjon started another update meanwhile. See Update all in the app."},
	"cli.refresh.bar": {
		"Oppdaterer",
		"updating"},
	"cli.refresh.bar_counts": {
		"endret %[1]d, feilet %[2]d",
		"changed %[1]d, failed %[2]d"},
}
