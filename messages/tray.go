package messages

// trayTexts: the tray icon's menu and tooltip (Windows' notification area,
// the StatusNotifier tray on Linux).
var trayTexts = map[string]Text{
	"tray.open":    {"Åpne Resepsjon", "Open Resepsjon"},
	"tray.quit":    {"Avslutt", "Quit"},
	"tray.tooltip": {"Resepsjon kjører", "Resepsjon is running"},
	"cli.flag.no_tray": {
		"ikke vis ikonet i systemstatusfeltet (Windows og Linux viser det mens programmet kjører)",
		"show no tray icon (Windows and Linux show one while the app runs)"},
	"tray.tooltip_demo": {"Resepsjon kjører (demo – syntetiske data)", "Resepsjon is running (demo – synthetic data)"},
}
