package store

import (
	"strconv"
	"strings"
	"time"
)

// maxTerms bounds the search expression. Word terms are kept prefix-free
// (a word that is a prefix of another word is implied by it), and two
// prefix-free words cannot both be prefixes of one name token, so a query
// with more terms than a person has name tokens and numbers cannot match
// anyone: such queries are answered "no match" without asking SQLite.
const maxTerms = 32

// matchQuery is a parsed search box entry.
type matchQuery struct {
	// expr is the FTS5 MATCH expression; empty means "everyone".
	expr string
	// terms are the parsed terms, as the search index in memory
	// answers them (nameIndex.search).
	terms []term
	// words are the terms when every term is a name word (prefix-free).
	words []string
	// none means no client can match (for example 20 digits, which are
	// neither an identity number, a phone number nor a date).
	none bool
}

// termKind tells what a piece of the search box entry is matched against.
type termKind int

const (
	termWord   termKind = iota // a prefix of a name word
	termDigits                 // identity number, phone number or birth date
	termDate                   // a birth date written with separators
)

type term struct {
	kind termKind
	text string // folded word, digits, or YYYYMMDD
	plus bool   // termDigits: typed with a leading "+" (international phone)
}

// parseQuery turns what the receptionist typed into an FTS5 expression.
//
// Name words match as prefixes in any order. Runs of digits separated only by
// spaces or punctuation are one number ("010190 12345", "912 34 567"): 11
// digits are an identity number, fewer a prefix of one, and any digits a
// prefix of the phone number (+47 and 0047 ignored); 8 digits that form a
// date (ddmmyyyy or yyyymmdd) and 4 that form a year also match the birth
// date. dd.mm.yyyy, d.m.yyyy and yyyy-mm-dd are birth dates. All parts must
// match. Only letters and digits reach the expression, each inside quotes,
// so FTS5 syntax in the input (quotes, *, :, -, NEAR, OR, parentheses) is
// just text or a separator.
func parseQuery(q string) matchQuery {
	terms := splitTerms(fold(q))
	terms = reduceTerms(terms)
	if len(terms) == 0 {
		return matchQuery{}
	}
	if len(terms) > maxTerms {
		return matchQuery{none: true}
	}
	parts := make([]string, 0, len(terms))
	words := make([]string, 0, len(terms))
	for _, t := range terms {
		if t.kind == termWord {
			words = append(words, t.text)
		}
		p := t.fts()
		if p == "" {
			return matchQuery{none: true}
		}
		parts = append(parts, p)
	}
	mq := matchQuery{expr: strings.Join(parts, " AND "), terms: terms}
	if len(words) == len(terms) {
		mq.words = words
	}
	return mq
}

// splitTerms cuts folded input into word, number and date terms.
func splitTerms(s string) []term {
	var terms []term
	var num strings.Builder // the number being collected across separators
	numPlus := false
	flushNum := func() {
		if num.Len() > 0 {
			terms = append(terms, term{kind: termDigits, text: num.String(), plus: numPlus})
			num.Reset()
		}
		numPlus = false
	}
	for _, field := range strings.Fields(s) {
		core := strings.TrimFunc(field, func(r rune) bool { return !isWordRune(r) && !isDigit(r) })
		if d, ok := parseDate(core); ok {
			flushNum()
			terms = append(terms, term{kind: termDate, text: d})
			continue
		}
		word := -1 // start of the word being read
		prev := rune(0)
		for i, r := range field {
			switch {
			case isDigit(r):
				if word >= 0 {
					terms = append(terms, term{kind: termWord, text: field[word:i]})
					word = -1
				}
				if num.Len() == 0 && prev == '+' {
					numPlus = true
				}
				num.WriteRune(r)
			case isWordRune(r):
				if word < 0 {
					flushNum()
					word = i
				}
			default:
				if word >= 0 {
					terms = append(terms, term{kind: termWord, text: field[word:i]})
					word = -1
				}
			}
			prev = r
		}
		if word >= 0 {
			terms = append(terms, term{kind: termWord, text: field[word:]})
		}
	}
	flushNum()
	return terms
}

// reduceTerms drops duplicate terms and words that are a prefix of another
// word: "ol ola" means the same as "ola".
func reduceTerms(terms []term) []term {
	out := make([]term, 0, len(terms))
	for i, t := range terms {
		implied := false
		for j, u := range terms {
			if i == j || t.kind != u.kind || t.plus != u.plus {
				continue
			}
			if t.text == u.text && j < i {
				implied = true // keep the first of equal terms
				break
			}
			if t.kind == termWord && len(u.text) > len(t.text) && strings.HasPrefix(u.text, t.text) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, t)
		}
	}
	return out
}

// fts renders the term as an FTS5 expression, or "" when it cannot match.
// Term texts hold only letters and digits, so quoting them is enough.
func (t term) fts() string {
	switch t.kind {
	case termWord:
		return `names : "` + t.text + `"*`
	case termDate:
		return `birth : "` + t.text + `"`
	}
	d := t.text
	var alts []string
	if len(d) == 11 {
		alts = append(alts, `nin : "`+d+`"`)
	} else if len(d) < 11 {
		alts = append(alts, `nin : "`+d+`"*`)
	}
	for _, p := range phoneCandidates(d, t.plus) {
		alts = append(alts, `phone : "`+p+`"*`)
	}
	switch len(d) {
	case 8:
		if day, ok := dateFromDigits(d); ok {
			alts = append(alts, `birth : "`+day+`"`)
		}
	case 4:
		if y, _ := strconv.Atoi(d); y >= 1850 && y <= 2100 {
			alts = append(alts, `birth : "`+d+`"*`)
		}
	}
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return alts[0]
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// maxPhoneDigits is the longest phone number there is (E.164).
const maxPhoneDigits = 15

// phoneCandidates are the indexed forms (see phoneKey) that typed digits may
// be a prefix of.
func phoneCandidates(d string, plus bool) []string {
	var c []string
	add := func(s string) {
		if s != "" && len(s) <= maxPhoneDigits {
			for _, x := range c {
				if x == s {
					return
				}
			}
			c = append(c, s)
		}
	}
	switch {
	case plus:
		add(stripNorway(d))
	case strings.HasPrefix(d, "00"):
		add(stripNorway(d[2:]))
	default:
		add(d)
		if len(d) == 10 && strings.HasPrefix(d, "47") {
			add(d[2:])
		}
	}
	return c
}

func stripNorway(d string) string {
	if strings.HasPrefix(d, "47") && len(d) > 2 {
		return d[2:]
	}
	return d
}

// parseDate recognises dd.mm.yyyy, d.m.yyyy (also with "/" between) and
// yyyy-mm-dd, and returns the date as YYYYMMDD.
func parseDate(s string) (string, bool) {
	if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 {
		return makeDate(parts[0], parts[1], parts[2])
	}
	for _, sep := range []string{".", "/"} {
		if parts := strings.Split(s, sep); len(parts) == 3 && len(parts[2]) == 4 {
			return makeDate(parts[2], parts[1], parts[0])
		}
	}
	return "", false
}

// dateFromDigits reads 8 digits as ddmmyyyy, else as yyyymmdd.
func dateFromDigits(d string) (string, bool) {
	if s, ok := makeDate(d[4:], d[2:4], d[:2]); ok {
		return s, true
	}
	return makeDate(d[:4], d[4:6], d[6:])
}

func makeDate(year, month, day string) (string, bool) {
	if len(year) != 4 || len(month) < 1 || len(month) > 2 || len(day) < 1 || len(day) > 2 {
		return "", false
	}
	for _, s := range []string{year, month, day} {
		if strings.IndexFunc(s, func(r rune) bool { return !isDigit(r) }) >= 0 {
			return "", false
		}
	}
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1800 || t.Year() != y || t.Month() != time.Month(m) || t.Day() != d {
		return "", false
	}
	return t.Format("20060102"), true
}
