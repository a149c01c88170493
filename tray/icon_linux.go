package tray

import "resepsjon/appicon"

// icon is the tray icon as the StatusNotifier tray takes it: a PNG, large
// enough for hosts that scale it on high-resolution screens.
func icon() []byte { return appicon.PNG256 }
