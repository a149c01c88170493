package messages

// cliTexts: the command line's help: the commands (cli.usage) and each
// flag's description (cli.flag.COMMAND.FLAG; cli.flag.FLAG for the flags
// every command that reads the configuration has). The help shows both
// languages, like the rest of the command line's text.
var cliTexts = map[string]Text{
	"cli.usage": {
		`Bruk: resepsjon [kommando] [flagg]

Kommandoer:
  (ingen), serve  kjør programmet og åpne nettleseren
  demo            kjør programmet med syntetiske data i sin egen demo.db
  mock            kjør bare NHN-mocken (HelseID + Persontjenesten), uten nett
  key generate|show|import FIL|delete
                  HelseID-nøkkelen: privat nøkkel i nøkkelringen, offentlig JWK skrives ut
  backup FIL      skriv en konsistent kopi av databasen til FIL
  mail-password   lagre SMTP-passordet (fra standard inn) i nøkkelringen
  import FIL      importer en klientliste (CSV eller .xlsx); --dry-run bare sjekker den,
                  --refused RAPPORT.csv lagrer radene som ikke importeres
  refresh         oppdater alle klienter fra Persontjenesten («Oppdater alle»):
                  --dry-run lagrer ingenting, --json skriver rapporten som JSON,
                  --resume fullfører en avbrutt kjøring; avslutningsstatus 0, 1 (noen
                  klienter ble ikke oppdatert) eller 2 (kunne ikke kjøre)
  restore FIL     sett en sikkerhetskopi i stedet for registeret (det nåværende tas vare på);
                  --passphrase-stdin for en kryptert kopi på en ny PC
  version         skriv ut versjonen

Kjør «resepsjon serve --help», «resepsjon mock --help» eller «resepsjon key --help»
for flaggene.
`,
		`Usage: resepsjon [command] [flags]

Commands:
  (none), serve   run the app and open the browser
  demo            run the app with synthetic data in its own demo.db
  mock            run only the offline NHN mock (HelseID + Persontjenesten)
  key generate|show|import FILE|delete
                  the HelseID key: private key in the OS keyring, public JWK printed
  backup FILE     write a consistent copy of the database to FILE
  mail-password   store the SMTP password (from standard input) in the OS keyring
  import FILE     import a client list (CSV or .xlsx); --dry-run only checks it,
                  --refused REPORT.csv saves the rows that are not imported
  refresh         update every client from Persontjenesten ("Oppdater alle"):
                  --dry-run saves nothing, --json prints the report as JSON,
                  --resume finishes an interrupted run; exit status 0, 1 (some
                  clients not updated) or 2 (could not run)
  restore FILE    put a backup in place of the register (the current one is kept);
                  --passphrase-stdin for an encrypted backup on a new PC
  version         print the version

Run "resepsjon serve --help", "resepsjon mock --help" or "resepsjon key --help"
for the flags.
`},
	// mistakes on the command line (exit status 2)
	"cli.usage.unknown_command": {
		"Ukjent kommando «%[1]s». Kommandoene står over.",
		"unknown command %[1]q; the commands are listed above"},
	"cli.usage.unknown_flag": {
		"Ukjent flagg: %[1]s",
		"unknown flag: %[1]s"},
	"cli.usage.flag_needs_value": {
		"Flagget %[1]s må ha en verdi",
		"flag %[1]s needs a value"},
	"cli.usage.flag_invalid_value": {
		"Ugyldig verdi «%[2]s» for %[1]s",
		"invalid value %[2]q for %[1]s"},
	"cli.usage.bad_flag_syntax": {
		"Ugyldig flagg: %[1]s",
		"bad flag syntax: %[1]s"},
	"cli.usage.flags": {
		"Flaggene kunne ikke leses",
		"the flags could not be read"},
	"cli.usage.unexpected_argument": {
		"Uventet argument «%[1]s»",
		"unexpected argument %[1]q"},
	"cli.usage.backup": {
		"Bruk: resepsjon backup FIL",
		"usage: resepsjon backup FILE"},
	"cli.usage.import": {
		"Bruk: resepsjon import [--dry-run] [--refused RAPPORT.csv] FIL",
		"usage: resepsjon import [--dry-run] [--refused REPORT.csv] FILE"},
	"cli.usage.restore": {
		"Bruk: resepsjon restore [--passphrase-stdin] [--without-checksum] FIL",
		"usage: resepsjon restore [--passphrase-stdin] [--without-checksum] FILE"},
	"cli.usage.key_missing": {
		"key: kommandoen mangler (generate, show, import eller delete)",
		"key: missing command (generate, show, import or delete)"},
	"cli.usage.key_unknown": {
		"key: ukjent kommando «%[1]s» (generate, show, import eller delete)",
		"key: unknown command %[1]q (generate, show, import or delete)"},
	"cli.usage.key_import": {
		"Bruk: resepsjon key import FIL (JWK eller PEM; - leser fra standard inn)",
		"usage: resepsjon key import FILE (JWK or PEM; - reads standard input)"},
	"cli.usage.key_alg": {
		"--alg «%[1]s»: bruk RS256, ES256, PS256 eller RS512",
		"--alg %[1]q: use RS256, ES256, PS256 or RS512"},
	"cli.usage.mock_tenancy": {
		"--tenancy «%[1]s»: bruk single eller multi",
		"--tenancy %[1]q: use single or multi"},
	"cli.usage.mock_population": {
		"--population %[1]d: bruk 1 til %[2]d",
		"--population %[1]d: use 1 to %[2]d"},
	"cli.usage.mock_log_level": {
		"--log-level «%[1]s»: bruk debug, info, warn eller error",
		"--log-level %[1]q: use debug, info, warn or error"},
	"cli.usage.mock_error_rate": {
		"--error-rate %[1]v: bruk en brøk fra 0 til 1",
		"--error-rate %[1]v: use a fraction from 0 to 1"},
	"cli.usage.mock_negative": {
		"--latency, --retry-after, --nonce-rotation og --rate-limit-every kan ikke være negative",
		"--latency, --retry-after, --nonce-rotation and --rate-limit-every must not be negative"},
	"cli.usage.mock_redirect_uri": {
		"--idporten-redirect-uri «%[1]s»: bruk en fullstendig http(s)-adresse",
		"--idporten-redirect-uri %[1]q: use an absolute http(s) address"},
	"cli.usage.mock_token_lifetime": {
		"--token-lifetime %[1]v: bruk minst 1s",
		"--token-lifetime %[1]v: use at least 1s"},
	"cli.usage.mock_population_seed": {
		"--population/--seed kan ikke brukes slik",
		"--population/--seed cannot be used like this"},
	"cli.usage.mock_config": {
		"Mockene kan ikke starte med disse flaggene",
		"the mocks cannot start with these flags"},
	// the configuration's flags (every command that reads config.yaml)
	"cli.flag.config": {
		"konfigurasjonsfil (standard: config.yaml i datamappen)",
		"config file (default: config.yaml in the data directory)"},
	"cli.flag.data_dir": {
		"mappe for databasen og tilstanden (standard: brukerens konfigurasjonsmappe/resepsjon)",
		"directory for the database and state (default: the user's config directory/resepsjon)"},
	"cli.flag.listen": {
		"adressen det lyttes på (standard 127.0.0.1)",
		"listen address (default 127.0.0.1)"},
	"cli.flag.port": {
		"port (standard 8710; 0 velger en ledig port; er porten opptatt, brukes neste ledige)",
		"port (default 8710; 0 picks any free port; a taken port moves to the next free one)"},
	"cli.flag.no_browser": {
		"ikke åpne nettleseren; skriv ut adressen i stedet",
		"do not open the browser; print the address instead"},
	"cli.flag.language": {
		"språk i meldingene: nb eller en",
		"language for messages: nb or en"},
	"cli.flag.log_level": {
		"debug, info, warn eller error",
		"debug, info, warn or error"},
	// import
	"cli.flag.import.dry_run": {
		"sjekk filen og vis hva som ville skje, importer ingenting",
		"check the file and show what would happen, import nothing"},
	"cli.flag.import.refused": {
		"skriv radene som ikke importeres til denne CSV-filen, så de kan rettes og importeres igjen",
		"write the rows that are not imported to this CSV file, to fix and import again"},
	// refresh
	"cli.flag.refresh.dry_run": {
		"hent og vis hva som ville endres, lagre ingenting",
		"fetch and report what would change, save nothing"},
	"cli.flag.refresh.json": {
		"skriv rapporten som JSON på standard ut",
		"print the report as JSON on standard output"},
	"cli.flag.refresh.resume": {
		"fullfør oppdateringen som ble avbrutt, uten å gjøre om klientene som alt er ferdige",
		"finish the update that was cut off, without redoing the clients already done"},
	// restore
	"cli.flag.restore.without_checksum": {
		"godta en sikkerhetskopi uten .sha256-filen (en kopi tatt for hånd)",
		"accept a backup without its .sha256 file (a copy made by hand)"},
	"cli.flag.restore.passphrase_stdin": {
		"les passfrasen til en kryptert kopi fra standard inn (ellers den i nøkkelringen)",
		"read the passphrase of an encrypted backup from standard input (otherwise the OS keyring's)"},
	// key
	"cli.flag.key.generate.alg": {
		"signaturalgoritme: RS256 (RSA-3072), ES256 (EC P-256), PS256 eller RS512",
		"signature algorithm: RS256 (RSA-3072), ES256 (EC P-256), PS256 or RS512"},
	"cli.flag.key.import.alg": {
		"signaturalgoritme (standard: JWK-ens alg, ellers ES256 for EC- og RS256 for RSA-nøkler)",
		"signature algorithm (default: the JWK's alg, else ES256 for EC and RS256 for RSA keys)"},
	"cli.flag.key.replace": {
		"bytt ut den aktive nøkkelen (den gamle slettes fra nøkkelringen)",
		"replace the active key (the old one is deleted from the keyring)"},
	"cli.flag.key.print_private": {
		"skriv også ut den PRIVATE JWK-en — bare for NHN-mockens testklient, aldri til ekte bruk",
		"also print the PRIVATE JWK — only for the NHN mock's test client, never for real use"},
	"cli.flag.key.yes": {
		"slett den aktive nøkkelen, virkelig",
		"really delete the active key"},
	// mock
	"cli.flag.mock.listen": {
		"vert:port det lyttes på (loopback; port 0 velger en ledig port)",
		"host:port to listen on (loopback; port 0 picks a free port)"},
	"cli.flag.mock.allow_remote": {
		"tillat en --listen-adresse som ikke er loopback (syntetiske data, men åpent mot nettet)",
		"permit a non-loopback --listen address (synthetic data, but open to the network)"},
	"cli.flag.mock.population": {
		"antall syntetiske personer",
		"number of synthetic persons"},
	"cli.flag.mock.seed": {
		"frø for den syntetiske befolkningen (samme frø, samme personer)",
		"seed of the synthetic population (same seed, same people)"},
	"cli.flag.mock.client_jwk": {
		"fil med testklientens OFFENTLIGE JWK eller JWKS (for eksempel fra «resepsjon key show»); - leser standard inn; standard: en generert testnøkkel",
		"file with the test client's PUBLIC JWK or JWKS (e.g. from \"resepsjon key show\"); - reads stdin; default: a generated test key"},
	"cli.flag.mock.client_id": {
		"HelseID-klient-ID-en til den registrerte testklienten",
		"HelseID client id of the registered test client"},
	"cli.flag.mock.tenancy": {
		"testklientens tenancy: single eller multi",
		"the test client's tenancy: single or multi"},
	"cli.flag.mock.org": {
		"virksomhetens organisasjonsnummer (eier single-tenant-klienten, har delegert til multi-tenant-klienten, har tilgangsavtale)",
		"the practice's organisation number (owns the single-tenant client, has delegated to the multi-tenant one, has an access agreement)"},
	"cli.flag.mock.child_org": {
		"virksomhetens underorganisasjonsnummer, om den har et",
		"optional sub-organisation number of the practice"},
	"cli.flag.mock.token_lifetime": {
		"levetiden til utstedte tilgangstokener",
		"lifetime of issued access tokens"},
	"cli.flag.mock.nonce_rotation": {
		"bytt DPoP-nonce så ofte og krev den også på API-et (0: én nonce, bare på token-endepunktet)",
		"rotate the DPoP nonce this often and demand it on the API too (0: one nonce, token endpoint only)"},
	"cli.flag.mock.latency": {
		"forsink hvert svar så lenge",
		"delay every response by this long"},
	"cli.flag.mock.error_rate": {
		"andel 0..1 av forespørslene som får svaret 500",
		"fraction 0..1 of requests answered with 500"},
	"cli.flag.mock.rate_limit_every": {
		"svar hvert n-te kall til Persontjenesten med 429 (0: aldri)",
		"answer every n-th Persontjenesten call with 429 (0: never)"},
	"cli.flag.mock.retry_after": {
		"Retry-After som sendes med 429",
		"Retry-After sent with 429"},
	"cli.flag.mock.helseid_down": {
		"svar på hver forespørsel til HelseID med 503",
		"answer every HelseID request with 503"},
	"cli.flag.mock.persontjenesten_down": {
		"svar på hver forespørsel til Persontjenesten med 503",
		"answer every Persontjenesten request with 503"},
}
