package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold is the form in which names are indexed and queries compared: lower
// case, then NFC, so that "Å", "å" and "a"+U+030A all become "å".
func fold(s string) string {
	return norm.NFC.String(strings.ToLower(s))
}

// isWordRune reports whether r belongs to a word of a name. ASCII digits are
// kept apart because digits in a query mean numbers, not names.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// nameTokens splits folded text into its words: every run of word runes.
// Hyphens, apostrophes and anything else separate words, so "Ola-Kristian"
// gives "ola" and "kristian". The result only holds characters that SQLite's
// ascii tokenizer keeps inside a token, so each stays exactly one FTS token.
func nameTokens(dst []string, s string) []string {
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			dst = append(dst, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// digitsOf returns the ASCII digits of s.
func digitsOf(s string) string {
	return string(appendDigits(nil, s))
}

// appendDigits appends the ASCII digits of s to dst.
func appendDigits(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' {
			dst = append(dst, c)
		}
	}
	return dst
}

// phoneKey is the phone number as indexed: digits only, a Norwegian number
// without its country code (+47 / 0047), a foreign number with its country
// code but without "+" or "00".
func phoneKey(phone string) string {
	return string(appendPhoneKey(nil, phone))
}

// appendPhoneKey appends phoneKey(phone) to dst.
func appendPhoneKey(dst []byte, phone string) []byte {
	n := len(dst)
	dst = appendDigits(dst, phone)
	d := dst[n:]
	plus := strings.HasPrefix(strings.TrimSpace(phone), "+")
	cut := 0 // leading digits to drop
	switch {
	case plus:
		cut = norwayPrefix(d)
	case len(d) >= 2 && d[0] == '0' && d[1] == '0':
		cut = 2 + norwayPrefix(d[2:])
	case len(d) == 10 && d[0] == '4' && d[1] == '7':
		cut = 2
	}
	return append(dst[:n], d[cut:]...)
}

// norwayPrefix is the length of Norway's country code at the start of d
// (as stripNorway drops it): 2 or 0.
func norwayPrefix(d []byte) int {
	if len(d) > 2 && d[0] == '4' && d[1] == '7' {
		return 2
	}
	return 0
}

// birthKey is a YYYY-MM-DD birth date as the single token YYYYMMDD.
func birthKey(date string) string {
	return digitsOf(date)
}

// searchDoc holds the columns of a client's row in the search index.
type searchDoc struct {
	names, nin, phone, birth string
}

func docFor(given, middle, family, nin, phone, birth string) searchDoc {
	toks := make([]string, 0, 8)
	toks = nameTokens(toks, fold(given))
	toks = nameTokens(toks, fold(middle))
	toks = nameTokens(toks, fold(family))
	return searchDoc{
		names: strings.Join(toks, " "),
		nin:   digitsOf(nin),
		phone: phoneKey(phone),
		birth: birthKey(birth),
	}
}

// Bytes above 'z' in ASCII, in Norwegian alphabet order; a binary comparison
// of sort keys then puts Æ, Ø, Å after Z.
const (
	keyAE    = '{'
	keyOE    = '|'
	keyAA    = '}'
	keySep   = '\x01' // between family and given name: before any character
	keySpace = ' '
)

// sortKey is the text the register is ordered by: family name, given name,
// middle name, each folded for Norwegian order. Case and accents other than
// the Norwegian letters are ignored (é sorts as e); ä, ö and ü sort as æ, ø
// and y as in Norwegian dictionaries. "Aa" is not treated as "å".
func sortKey(family, given, middle string) string {
	return string(appendSortKey(make([]byte, 0, len(family)+len(given)+len(middle)+2), family, given, middle))
}

// appendSortKey appends sortKey(family, given, middle) to dst.
func appendSortKey(dst []byte, family, given, middle string) []byte {
	dst = sortFold(dst, family)
	dst = append(dst, keySep)
	dst = sortFold(dst, given)
	dst = append(dst, keySep)
	return sortFold(dst, middle)
}

func sortFold(b []byte, s string) []byte {
	space := false // a separator is pending
	n := 0         // characters written for s
	put := func(r rune) {
		if space && n > 0 {
			b = append(b, keySpace)
		}
		space = false
		b = utf8.AppendRune(b, r)
		n++
	}
	for _, r := range norm.NFC.String(s) {
		r = unicode.ToLower(r)
		switch r {
		case 'æ', 'ä':
			put(keyAE)
			continue
		case 'ø', 'ö':
			put(keyOE)
			continue
		case 'å':
			put(keyAA)
			continue
		case 'ü':
			put('y')
			continue
		}
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || isDigit(r) {
				put(r)
			} else {
				space = true
			}
			continue
		}
		if unicode.IsMark(r) {
			continue // a mark NFC could not compose: ignore like an accent
		}
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			space = true
			continue
		}
		// A precomposed Latin letter with an accent sorts as its base letter.
		if base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r))); base < utf8.RuneSelf && 'a' <= base && base <= 'z' {
			put(base)
			continue
		}
		put(r)
	}
	return b
}
