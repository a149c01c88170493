package messages

// auditTexts: the audit log's CSV export (column headers and the time
// format, as Excel in that language reads them).
var auditTexts = map[string]Text{
	"audit.csv.time":        {"Tid", "Time"},
	"audit.csv.user":        {"Bruker", "User"},
	"audit.csv.action":      {"Handling", "Action"},
	"audit.csv.query":       {"Hva som ble spurt om", "What was asked"},
	"audit.csv.results":     {"Antall treff", "Results"},
	"audit.csv.person_ids":  {"Person-ID-er", "Person IDs"},
	"audit.csv.outcome":     {"Utfall", "Outcome"},
	"audit.csv.error_code":  {"Feilkode", "Error code"},
	"audit.csv.time_layout": {"02.01.2006 15:04:05", "2006-01-02 15:04:05"},
}
