package config

import (
	"time"

	"github.com/spf13/viper"
)

// Feed is how the app follows Persontjenesten's change feed, and how fast
// the demo's mock makes changes for it to follow.
type Feed struct {
	// Interval is the pause between polls (feed.interval, default 5m).
	Interval time.Duration
	// DemoTrickle is the pause between the demo mock's own changes among
	// the demo clients (demo.trickle, default 20s; 0 turns it off).
	DemoTrickle time.Duration
}

// Feed defaults.
const (
	DefaultFeedInterval = 5 * time.Minute
	DefaultDemoTrickle  = 20 * time.Second
)

var feedKeys = []string{"feed.interval", "demo.trickle"}

func feedDefaults(v *viper.Viper) {
	v.SetDefault("feed.interval", DefaultFeedInterval.String())
	v.SetDefault("demo.trickle", DefaultDemoTrickle.String())
}

func feedFromEnv(v *viper.Viper, getenv func(string) string) {
	for _, key := range feedKeys {
		if val := getenv(envName(key)); val != "" {
			v.Set(key, val)
		}
	}
}

func loadFeed(v *viper.Viper) (Feed, error) {
	var f Feed
	var err error
	if f.Interval, err = durationValue(v, "feed.interval"); err != nil {
		return f, err
	}
	if f.Interval < 10*time.Second || f.Interval > 24*time.Hour {
		return f, &InvalidError{Key: "feed.interval", Value: f.Interval, Allowed: "a duration from 10s to 24h, for example 5m"}
	}
	if f.DemoTrickle, err = durationValue(v, "demo.trickle"); err != nil {
		return f, err
	}
	if f.DemoTrickle < 0 {
		return f, &InvalidError{Key: "demo.trickle", Value: f.DemoTrickle, Allowed: "a duration such as 20s, or 0 for none"}
	}
	return f, nil
}
