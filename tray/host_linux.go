package tray

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// NeedsBus says the tray needs a host on the D-Bus session bus: on Linux a
// StatusNotifierWatcher (KDE, or GNOME with an AppIndicator extension).
const NeedsBus = true

// watcherName is the bus name of the StatusNotifier tray host.
const watcherName = "org.kde.StatusNotifierWatcher"

// FindHost asks the session bus at address whether a StatusNotifierWatcher
// owns its name.
func FindHost(ctx context.Context, address string) (bool, error) {
	conn, err := dbus.Connect(address, dbus.WithContext(ctx))
	if err != nil {
		return false, fmt.Errorf("connect to the session bus: %w", err)
	}
	defer conn.Close()
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has); err != nil {
		return false, fmt.Errorf("look for %s: %w", watcherName, err)
	}
	return has, nil
}
