package backup

import (
	"fmt"
	"sort"
	"time"
)

// Retention says how many backups to keep: the newest of each of the last
// Daily days, Weekly weeks (ISO weeks) and Monthly months that have a backup.
// A backup can count for a day, a week and a month at once; the newest
// backup is always kept.
type Retention struct {
	Daily, Weekly, Monthly int
}

// DefaultRetention keeps 7 daily, 4 weekly and 12 monthly backups.
var DefaultRetention = Retention{Daily: 7, Weekly: 4, Monthly: 12}

// Prune splits backups into those to keep and those to delete. Times are
// compared in loc (the practice's time zone), so "a day" is the
// reception's day.
func (r Retention) Prune(backups []File, loc *time.Location) (keep, remove []File) {
	sorted := append([]File(nil), backups...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Time.After(sorted[j].Time) })
	kept := make(map[int]bool)
	if len(sorted) > 0 {
		kept[0] = true
	}
	pick := func(n int, period func(time.Time) string) {
		seen := map[string]bool{}
		for i, f := range sorted {
			p := period(f.Time.In(loc))
			if seen[p] {
				continue
			}
			if len(seen) == n {
				return
			}
			seen[p] = true
			kept[i] = true // the newest backup of this period
		}
	}
	pick(r.Daily, func(t time.Time) string { return t.Format("2006-01-02") })
	pick(r.Weekly, func(t time.Time) string {
		y, w := t.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	})
	pick(r.Monthly, func(t time.Time) string { return t.Format("2006-01") })
	for i, f := range sorted {
		if kept[i] {
			keep = append(keep, f)
		} else {
			remove = append(remove, f)
		}
	}
	return keep, remove
}
