//go:build windows || linux

package tray

import (
	"sync"

	"fyne.io/systray"
)

// Available says this build has a tray icon: Windows' notification area,
// Linux's StatusNotifier tray.
const Available = true

// NewBackend is the tray library behind Backend.
func NewBackend() Backend { return &systrayBackend{} }

// systrayBackend drives fyne.io/systray. Its loop must run on the main
// thread on Windows: the library locks the main goroutine to it.
type systrayBackend struct {
	mu             sync.Mutex
	ready, stopped bool
}

func (b *systrayBackend) Run(m Menu, clicked func(Action)) {
	b.mu.Lock()
	stopped := b.stopped
	b.mu.Unlock()
	if stopped {
		return
	}
	systray.Run(func() {
		systray.SetIcon(icon())
		systray.SetTitle(m.Title)
		systray.SetTooltip(m.Tooltip)
		for _, it := range m.Items {
			mi := systray.AddMenuItem(it.Label, it.Label)
			go func(a Action) {
				for range mi.ClickedCh {
					clicked(a)
				}
			}(it.Action)
		}
		b.mu.Lock()
		b.ready = true
		stopped := b.stopped
		b.mu.Unlock()
		if stopped {
			systray.Quit()
		}
	}, nil)
}

// Stop ends Run's loop; before the loop is up, the loop ends as soon as it is.
func (b *systrayBackend) Stop() {
	b.mu.Lock()
	b.stopped = true
	ready := b.ready
	b.mu.Unlock()
	if ready {
		systray.Quit()
	}
}
