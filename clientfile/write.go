package clientfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"resepsjon/register"
)

// SheetName is the name of the sheet an .xlsx export writes.
const SheetName = "Klienter"

// Value is the text of field f of c as an export writes it.
func Value(c register.Client, f Field) string {
	switch f {
	case FieldNIN:
		return c.NIN
	case FieldGivenName:
		return c.GivenName
	case FieldMiddleName:
		return c.MiddleName
	case FieldFamilyName:
		return c.FamilyName
	case FieldBirthDate:
		return c.BirthDate
	case FieldGender:
		return c.Gender
	case FieldStatus:
		return c.Status
	case FieldDeathDate:
		return c.DeathDate
	case FieldAddressProtection:
		return c.AddressProtection
	case FieldStreetAddress:
		return c.StreetAddress
	case FieldPostalCode:
		return c.PostalCode
	case FieldCity:
		return c.City
	case FieldMunicipalityNumber:
		return c.MunicipalityNumber
	case FieldPostalAddress:
		return c.PostalAddress
	case FieldPhone:
		return c.Phone
	case FieldEmail:
		return c.Email
	case FieldNotes:
		return c.Notes
	case FieldPersonID:
		return c.PersonID
	}
	return ""
}

// HeaderRow is the header an export writes: one column per field of Fields.
func HeaderRow() []string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		out[i] = headers[f]
	}
	return out
}

// Row is c as one exported row, in the order of HeaderRow.
func Row(c register.Client) []string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		out[i] = Value(c, f)
	}
	return out
}

// CSVWriter writes a client list as CSV the way Norwegian Excel reads it
// and Read reads it back: UTF-8 with a BOM, semicolons, CRLF line ends.
type CSVWriter struct {
	buf *bufio.Writer
	csv *csv.Writer
}

// NewCSVWriter writes the BOM and the export's header row.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	return NewCSVWriterHeader(w, HeaderRow())
}

// NewCSVWriterHeader writes the BOM and header as the first row.
func NewCSVWriterHeader(w io.Writer, header []string) (*CSVWriter, error) {
	buf := bufio.NewWriter(w)
	if _, err := buf.WriteString("\uFEFF"); err != nil {
		return nil, fmt.Errorf("write CSV: %w", err)
	}
	cw := csv.NewWriter(buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	out := &CSVWriter{buf: buf, csv: cw}
	if err := out.WriteRow(header); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteRow writes one row of cells. A cell a spreadsheet would run as a
// formula gets a leading apostrophe (see Defuse).
func (w *CSVWriter) WriteRow(cells []string) error {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = Defuse(c)
	}
	if err := w.csv.Write(safe); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// Close flushes what is buffered.
func (w *CSVWriter) Close() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	if err := w.buf.Flush(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// Defuse protects a CSV cell from being run as a formula when the file is
// opened in a spreadsheet: a cell that begins with =, @, or + or - followed
// by something other than a digit or space gets a leading apostrophe.
// Mapping.Client removes it again, so the round trip is exact.
func Defuse(s string) string {
	if formulaLike(s) || (strings.HasPrefix(s, "'") && formulaLike(s[1:])) {
		return "'" + s
	}
	return s
}

// undefuse removes the apostrophe Defuse added.
func undefuse(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && (formulaLike(rest) || strings.HasPrefix(rest, "'") && formulaLike(rest[1:])) {
		return rest
	}
	return s
}

func formulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '@':
		return true
	case '+', '-':
		return len(s) == 1 || !(s[1] >= '0' && s[1] <= '9' || s[1] == ' ')
	}
	return false
}

// XLSXWriter writes a client list as an .xlsx workbook: one sheet, every
// cell text (so identity numbers and postal codes keep their leading zeros).
type XLSXWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewXLSXWriter starts a workbook and writes the header row.
func NewXLSXWriter() (*XLSXWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		f.Close()
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetColWidth(1, len(Fields), 18); err != nil {
		f.Close()
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	w := &XLSXWriter{f: f, sw: sw}
	if err := w.WriteRow(HeaderRow()); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// WriteRow writes one row of text cells.
func (w *XLSXWriter) WriteRow(cells []string) error {
	w.row++
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = excelize.Cell{Value: c}
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := w.sw.SetRow(cell, vals); err != nil {
		return fmt.Errorf("write xlsx row %d: %w", w.row, err)
	}
	return nil
}

// Close finishes the workbook and writes it to out.
func (w *XLSXWriter) Close(out io.Writer) error {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := w.f.WriteTo(out); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
