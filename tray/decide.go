package tray

import (
	"context"
	"time"
)

// Situation is what decides whether the program shows a tray icon.
type Situation struct {
	// Command is the program's command: only serve and demo get a tray.
	Command string
	// Off is the no_tray setting (--no-tray, RESEPSJON_NO_TRAY).
	Off bool
	// Available says this build has a tray for its operating system.
	Available bool
	// NeedsBus says the tray speaks StatusNotifierItem over the D-Bus
	// session bus (Linux); BusAddress is DBUS_SESSION_BUS_ADDRESS.
	NeedsBus   bool
	BusAddress string
}

// Decision says whether to show the tray and, when not, why (for the log:
// plain English, no personal data).
type Decision struct {
	Show   bool
	Reason string
}

// HostProbe reports whether a tray host (a StatusNotifierWatcher) runs on
// the session bus at address.
type HostProbe func(ctx context.Context, address string) (bool, error)

// probeWait bounds the look for a tray host: a bus that does not answer
// means no tray, not a program that hangs.
const probeWait = 3 * time.Second

// Decide says whether to show a tray icon in situation s; probe is asked
// only when everything else allows a tray and the tray needs a D-Bus host.
func Decide(ctx context.Context, s Situation, probe HostProbe) Decision {
	switch {
	case s.Command != "serve" && s.Command != "demo":
		return Decision{Reason: "only the app itself has a tray icon"}
	case s.Off:
		return Decision{Reason: "turned off by the no_tray setting"}
	case !s.Available:
		return Decision{Reason: "no tray icon on this operating system; quit from the app's menu"}
	case !s.NeedsBus:
		return Decision{Show: true}
	case s.BusAddress == "":
		return Decision{Reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"}
	case probe == nil:
		return Decision{Reason: "no way to look for a tray host"}
	}
	ctx, cancel := context.WithTimeout(ctx, probeWait)
	defer cancel()
	type answer struct {
		ok  bool
		err error
	}
	got := make(chan answer, 1)
	go func() {
		ok, err := probe(ctx, s.BusAddress)
		got <- answer{ok, err}
	}()
	select {
	case a := <-got:
		switch {
		case a.err != nil:
			return Decision{Reason: "the D-Bus session bus could not be asked for a tray host: " + a.err.Error()}
		case !a.ok:
			return Decision{Reason: "no tray host (StatusNotifierWatcher) on the D-Bus session bus"}
		}
		return Decision{Show: true}
	case <-ctx.Done():
		return Decision{Reason: "the D-Bus session bus did not answer in time"}
	}
}
