package tray

import "resepsjon/appicon"

// icon is the tray icon as Windows wants it: an .ico with a small and a
// large image (Windows picks the size the taskbar needs).
func icon() []byte {
	ico, err := appicon.ICO(appicon.PNG32, appicon.PNG256)
	if err != nil {
		return nil // the embedded PNGs are checked by appicon's tests
	}
	return ico
}
