// Package clientfile reads and writes client lists as files: CSV (comma,
// semicolon or tab; UTF-8 with or without BOM, UTF-16 or Windows-1252 as
// Norwegian Excel writes it) and Excel .xlsx. It turns a file into a table of
// text cells, guesses which column holds which client field from the headers
// (Norwegian or English), and turns a row into a register.Client through a
// mapping the user can correct. It knows nothing of storage or HTTP: package
// clientimport decides what to do with the rows, clientexport what to write.
package clientfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Limits on what Read accepts.
const (
	// MaxRows is the most data rows a file may hold.
	MaxRows = 200_000
	// MaxColumns is the most columns a file may hold.
	MaxColumns = 200
)

// Formats and encodings a Table reports.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"

	EncodingUTF8        = "utf-8"
	EncodingUTF8BOM     = "utf-8-bom"
	EncodingUTF16       = "utf-16"
	EncodingWindows1252 = "windows-1252"
)

// Table is a client list file read into text cells.
type Table struct {
	Format    string     // FormatCSV or FormatXLSX
	Encoding  string     // CSV only: how the text was encoded
	Separator string     // CSV only: ";", "," or "\t"
	Header    []string   // the first row
	Rows      [][]string // the other rows, each as long as Header
	// Lines holds each row's number in the file as a spreadsheet counts
	// it (the header is usually 1), so the user can find it.
	Lines []int
}

// FileError means the file cannot be read as a client list. Code names the
// problem for the user (see the Code* constants); Line is the line or row in
// the file where it was found, 0 when it concerns the whole file.
type FileError struct {
	Code string
	Line int
	Err  error
}

// Codes of a FileError.
const (
	CodeEmpty       = "import.empty"   // no header row
	CodeNoRows      = "import.no_rows" // a header but no data rows
	CodeTooManyRows = "import.too_many_rows"
	CodeTooManyCols = "import.too_many_columns"
	CodeBadCSV      = "import.bad_csv"  // quotes that do not close, and the like
	CodeBadXLSX     = "import.bad_xlsx" // not a readable workbook
	CodeFormat      = "import.format"   // neither CSV nor .xlsx (an old .xls, a PDF, ...)
)

func (e *FileError) Error() string {
	msg := "read client list: " + e.Code
	if e.Line > 0 {
		msg += fmt.Sprintf(" (line %d)", e.Line)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *FileError) Unwrap() error { return e.Err }

// Read reads a client list: an .xlsx workbook (recognised by its content, not
// its name) or else CSV text.
func Read(data []byte) (Table, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ReadXLSX(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}), bytes.HasPrefix(data, []byte("%PDF")):
		// An Excel 97–2003 .xls or a PDF: say so instead of showing garbage.
		return Table{}, &FileError{Code: CodeFormat}
	}
	return ReadCSV(data)
}

// ReadCSV reads CSV text: the encoding and the separator are detected.
func ReadCSV(data []byte) (Table, error) {
	text, enc, err := decode(data)
	if err != nil {
		return Table{}, &FileError{Code: CodeBadCSV, Err: err}
	}
	if strings.ContainsRune(text, 0) {
		return Table{}, &FileError{Code: CodeFormat}
	}
	sep := detectSeparator(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = rune(sep[0])
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var records [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return Table{}, &FileError{Code: CodeBadCSV, Line: line, Err: err}
		}
		records = append(records, rec)
		if len(records) > MaxRows+1 {
			return Table{}, &FileError{Code: CodeTooManyRows}
		}
	}
	t, err := table(records)
	if err != nil {
		return Table{}, err
	}
	t.Format, t.Encoding, t.Separator = FormatCSV, enc, sep
	return t, nil
}

// decode turns the file's bytes into text: UTF-8 (a BOM is dropped), UTF-16
// with a BOM, or else Windows-1252, which is what Excel on a Norwegian
// Windows writes as "CSV (semikolonseparert)".
func decode(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), EncodingUTF8BOM, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", fmt.Errorf("decode UTF-16: %w", err)
		}
		return string(b), EncodingUTF16, nil
	case utf8.Valid(data):
		return string(data), EncodingUTF8, nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("decode Windows-1252: %w", err)
	}
	return string(b), EncodingWindows1252, nil
}

// detectSeparator picks the separator that occurs most often outside quotes
// in the first line: semicolon, comma or tab (semicolon on a tie, as
// Norwegian Excel writes it).
func detectSeparator(text string) string {
	counts := map[byte]int{}
	quoted := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		if c == ';' || c == ',' || c == '\t' {
			counts[c]++
		}
	}
	best := byte(';')
	for _, c := range []byte{',', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return string(best)
}

// ReadXLSX reads the first sheet of an .xlsx workbook. Cells are read as
// stored (a date is its serial number; ParseDate understands those), not as
// formatted for display, so that two-digit years and local formats never
// enter the register.
func ReadXLSX(r io.Reader) (Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return Table{}, &FileError{Code: CodeBadXLSX, Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, &FileError{Code: CodeEmpty}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return Table{}, &FileError{Code: CodeBadXLSX, Err: err}
	}
	defer rows.Close()
	var records [][]string
	for rows.Next() {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Table{}, &FileError{Code: CodeBadXLSX, Line: len(records) + 1, Err: err}
		}
		records = append(records, rec)
		if len(records) > MaxRows+1 {
			return Table{}, &FileError{Code: CodeTooManyRows}
		}
	}
	if err := rows.Error(); err != nil {
		return Table{}, &FileError{Code: CodeBadXLSX, Err: err}
	}
	t, err := table(records)
	if err != nil {
		return Table{}, err
	}
	t.Format = FormatXLSX
	return t, nil
}

// table makes records into a Table: the first non-empty row is the header,
// empty rows are dropped, and every row gets the header's length (a longer
// row widens the header with empty names).
func table(records [][]string) (Table, error) {
	var t Table
	for i, rec := range records {
		if blank(rec) {
			continue
		}
		if t.Header == nil {
			t.Header = rec
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, i+1)
	}
	if t.Header == nil {
		return Table{}, &FileError{Code: CodeEmpty}
	}
	if len(t.Rows) == 0 {
		return Table{}, &FileError{Code: CodeNoRows}
	}
	if len(t.Rows) > MaxRows {
		return Table{}, &FileError{Code: CodeTooManyRows}
	}
	width := len(t.Header)
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	if width > MaxColumns {
		return Table{}, &FileError{Code: CodeTooManyCols}
	}
	t.Header = pad(t.Header, width)
	for i, r := range t.Rows {
		t.Rows[i] = pad(r, width)
	}
	for i, h := range t.Header {
		t.Header[i] = strings.TrimSpace(h)
	}
	return t, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func pad(rec []string, n int) []string {
	for len(rec) < n {
		rec = append(rec, "")
	}
	return rec
}
