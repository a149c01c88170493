// Package tray puts Resepsjon's icon in the notification area (Windows) or
// the StatusNotifier tray (Linux, over D-Bus), with «Åpne Resepsjon» and
// «Avslutt», while the app serves. macOS gets no tray: the only tray library
// that builds without cgo there does not, so the UI's «Avslutt» is the way.
//
// The menu, the decision whether to show a tray and the running of the
// server beside the tray's loop are plain Go with unit tests; the calls into
// the tray library sit behind Backend.
package tray

import (
	"resepsjon/messages"
)

// Action is what a menu item does.
type Action int

// The menu's actions.
const (
	// Open opens the browser on the running app.
	Open Action = iota + 1
	// Quit stops the program the way the UI's «Avslutt» does.
	Quit
)

func (a Action) String() string {
	switch a {
	case Open:
		return "open"
	case Quit:
		return "quit"
	}
	return "unknown"
}

// Item is one entry of the tray's menu.
type Item struct {
	Action Action
	Label  string
}

// Menu is the tray icon's tooltip and menu, in one language.
type Menu struct {
	Title   string
	Tooltip string
	Items   []Item
}

// MenuIn is the tray's menu in lang ("en", else bokmål) from the message
// catalogue; the demo says so in its tooltip.
func MenuIn(lang string, demo bool) Menu {
	tip := "tray.tooltip"
	if demo {
		tip = "tray.tooltip_demo"
	}
	return Menu{
		Title:   "Resepsjon",
		Tooltip: messages.Get(tip, tip, lang),
		Items: []Item{
			{Action: Open, Label: messages.Get("tray.open", "tray.open", lang)},
			{Action: Quit, Label: messages.Get("tray.quit", "tray.quit", lang)},
		},
	}
}
