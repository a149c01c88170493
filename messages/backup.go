package messages

// backupTexts: automatic backups, their settings and restoring a backup
// (the UI, "resepsjon restore"). The codes are backup's warning and
// restore codes.
var backupTexts = map[string]Text{
	"backup.not_configured": {
		"Automatisk sikkerhetskopi er ikke satt opp. Velg en mappe på en annen disk under Innstillinger → Sikkerhetskopi.",
		"Automatic backups are not set up. Choose a folder on another disk under Settings → Backup."},
	"backup.folder_unreachable": {
		"Mappen for sikkerhetskopi kan ikke nås. Koble til disken eller nettverket, eller velg en annen mappe under Innstillinger → Sikkerhetskopi.",
		"The backup folder cannot be reached. Connect the disk or the network, or choose another folder under Settings → Backup."},
	"backup.overdue": {
		"Siste vellykkede sikkerhetskopi er eldre enn planen tillater. Se Innstillinger → Sikkerhetskopi og ta en kopi nå.",
		"The last good backup is older than the schedule allows. See Settings → Backup and make a backup now."},
	"backup.never": {
		"Det er ennå ikke tatt noen sikkerhetskopi. Ta en nå under Innstillinger → Sikkerhetskopi.",
		"No backup has been made yet. Make one now under Settings → Backup."},
	"backup.schedule": {
		"Velg daglig eller hver time.",
		"Choose daily or hourly."},
	"backup.retention": {
		"Behold minst én daglig kopi.",
		"Keep at least one daily backup."},
	"backup.folder_relative": {
		"Skriv hele stien til mappen, for eksempel E:\\Sikkerhetskopi eller /media/usb/sikkerhetskopi.",
		"Write the folder's full path, for example E:\\Backup or /media/usb/backup."},
	"backup.folder_invalid": {
		"Mappen finnes ikke, eller programmet kan ikke skrive i den. Sjekk at disken er koblet til, og at mappen finnes.",
		"The folder does not exist, or the program cannot write in it. Check that the disk is connected and the folder exists."},
	"backup.passphrase_short": {
		"Passfrasen må ha minst 12 tegn. Bruk gjerne flere ord.",
		"The passphrase needs at least 12 characters. Several words work well."},
	"backup.passphrase_missing": {
		"Skriv en passfrase for krypteringen. Den lagres i operativsystemets nøkkelring, ikke i registeret.",
		"Enter a passphrase for the encryption. It is kept in the operating system's keyring, not in the register."},
	"restore.checksum_missing": {
		"Sjekksumfilen (.sha256) mangler ved siden av kopien. Kopier den med, eller gjenopprett uten sjekksum hvis kopien er tatt for hånd.",
		"The checksum file (.sha256) is missing next to the backup. Copy it along, or restore without a checksum if the copy was made by hand."},
	"restore.checksum_mismatch": {
		"Kopien stemmer ikke med sjekksummen: filen er skadet eller endret. Velg en annen sikkerhetskopi.",
		"The backup does not match its checksum: the file is damaged or changed. Choose another backup."},
	"restore.passphrase_needed": {
		"Kopien er kryptert. Skriv passfrasen den ble laget med.",
		"The backup is encrypted. Enter the passphrase it was made with."},
	"restore.wrong_passphrase": {
		"Passfrasen stemmer ikke for denne kopien. Prøv igjen med passfrasen som gjaldt da kopien ble tatt.",
		"The passphrase does not fit this backup. Try again with the passphrase that applied when the backup was made."},
	"restore.not_register": {
		"Filen er ikke en sikkerhetskopi av Resepsjon. Velg en fil som heter resepsjon-….db eller resepsjon-….db.age.",
		"The file is not a Resepsjon backup. Choose a file named resepsjon-….db or resepsjon-….db.age."},
	"restore.schema_newer": {
		"Kopien er laget av en nyere versjon av Resepsjon. Oppdater programmet først, og gjenopprett så.",
		"The backup was made by a newer version of Resepsjon. Update the program first, then restore."},
	"restore.damaged": {
		"Kopien er skadet og kan ikke brukes. Velg en annen sikkerhetskopi.",
		"The backup is damaged and cannot be used. Choose another backup."},
	"restore.unreadable": {
		"Filen kan ikke leses. Sjekk at den finnes og at disken er koblet til.",
		"The file cannot be read. Check that it exists and that the disk is connected."},
	"restore.running": {
		"Resepsjon kjører. Gjenopprett fra Innstillinger → Sikkerhetskopi i programmet, eller avslutt det først.",
		"Resepsjon is running. Restore from Settings → Backup in the program, or quit it first."},
	"restore.done": {
		"Registeret er gjenopprettet: %d klienter fra %s.",
		"The register is restored: %d clients from %s."},
	"restore.kept": {
		"Registeret slik det var før, er tatt vare på i %s.",
		"The register as it was before is kept in %s."},
	"restore.helseid": {
		"Husk: HelseID-nøkkelen ligger i operativsystemets nøkkelring og er ikke med i sikkerhetskopien. På en ny PC: lag og registrer en ny nøkkel under Innstillinger → Persontjenesten.",
		"Remember: the HelseID key is in the operating system's keyring and not in the backup. On a new PC: make and register a new key under Settings → Persontjenesten."},
}
