package clientfile

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// A small list as a practice would have it, in Norwegian, with æøå.
const sampleNB = "Fornavn;Etternavn;Fødselsnummer;Telefon;E-post;Adresse;Postnr;Poststed\r\n" +
	"Kåre;Sæther;;+47 912 34 567;kare@example.com;Løvåsveien 3;0150;Oslo\r\n" +
	"Åse;Ødegård;;41234567;;Storgata 1;5003;Bergen\r\n"

func TestReadCSVEncodingsAndSeparators(t *testing.T) {
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(sampleNB, ";", "\t")))
	if err != nil {
		t.Fatal(err)
	}
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte(sampleNB))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, enc, sep string
		data           []byte
	}{
		{"utf-8 semicolon", EncodingUTF8, ";", []byte(sampleNB)},
		{"utf-8 with BOM semicolon", EncodingUTF8BOM, ";", append([]byte("\uFEFF"), sampleNB...)},
		{"utf-8 comma", EncodingUTF8, ",", []byte(strings.ReplaceAll(sampleNB, ";", ","))},
		{"utf-8 comma, LF only", EncodingUTF8, ",", []byte(strings.ReplaceAll(strings.ReplaceAll(sampleNB, ";", ","), "\r\n", "\n"))},
		{"windows-1252 semicolon", EncodingWindows1252, ";", cp1252},
		{"windows-1252 comma", EncodingWindows1252, ",", bytes.ReplaceAll(cp1252, []byte(";"), []byte(","))},
		{"utf-16 tab", EncodingUTF16, "\t", utf16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Read(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != FormatCSV || tab.Encoding != tt.enc || tab.Separator != tt.sep {
				t.Errorf("format %q encoding %q separator %q, want csv %q %q", tab.Format, tab.Encoding, tab.Separator, tt.enc, tt.sep)
			}
			if len(tab.Header) != 8 || tab.Header[2] != "Fødselsnummer" {
				t.Errorf("header %q", tab.Header)
			}
			if len(tab.Rows) != 2 || tab.Rows[0][0] != "Kåre" || tab.Rows[1][1] != "Ødegård" || tab.Rows[0][5] != "Løvåsveien 3" {
				t.Errorf("rows %q", tab.Rows)
			}
			if !reflect.DeepEqual(tab.Lines, []int{2, 3}) {
				t.Errorf("lines %v", tab.Lines)
			}
		})
	}
}

func TestReadRefusesWhatIsNoClientList(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, CodeEmpty},
		{"only blank lines", []byte("\r\n;;\r\n"), CodeEmpty},
		{"header only", []byte("Fornavn;Etternavn\r\n"), CodeNoRows},
		{"old Excel", append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 100)...), CodeFormat},
		{"PDF", []byte("%PDF-1.7\n..."), CodeFormat},
		{"binary", []byte("Fornavn\x00\x01\x02\nx\n"), CodeFormat},
		{"broken workbook", []byte("PK\x03\x04not really a zip"), CodeBadXLSX},
		{"too many columns", []byte(strings.Repeat("a;", MaxColumns+1) + "\nx\n"), CodeTooManyCols},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.data)
			var fe *FileError
			if !errors.As(err, &fe) || fe.Code != tt.code {
				t.Fatalf("err %v, want code %s", err, tt.code)
			}
		})
	}
}

func TestReadTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("Fornavn;Etternavn\n")
	for range MaxRows + 1 {
		b.WriteString("a;b\n")
	}
	_, err := Read([]byte(b.String()))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Code != CodeTooManyRows {
		t.Fatalf("err %v, want %s", err, CodeTooManyRows)
	}
}

func TestReadXLSXMadeByTheLibrary(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"First name", "Last name", "Date of birth", "Identity number", "Postcode", "Phone"},
		{"Ola", "Nordmann", 29586, 1018012345, 150, "+47 912 34 567"}, // numbers as a spreadsheet stores them
		{},
		{"Kari", "Nordmann", "24.12.1985", "", "0560", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	tab, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tab.Format != FormatXLSX || len(tab.Rows) != 2 || !reflect.DeepEqual(tab.Lines, []int{2, 4}) {
		t.Fatalf("table %+v", tab)
	}
	m := GuessMapping(tab.Header)
	want := Mapping{FieldGivenName, FieldFamilyName, FieldBirthDate, FieldNIN, FieldPostalCode, FieldPhone}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("mapping %v, want %v", m, want)
	}
	c := m.Client(tab.Rows[0])
	if c.BirthDate != "1980-12-31" || c.NIN != "01018012345" || c.PostalCode != "0150" || c.Phone != "+47 912 34 567" {
		t.Errorf("client from numbers: %+v", c)
	}
	c = m.Client(tab.Rows[1])
	if c.BirthDate != "1985-12-24" || c.PostalCode != "0560" || c.GivenName != "Kari" {
		t.Errorf("client from text: %+v", c)
	}
}

func TestGuessMapping(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   Mapping
	}{
		{"nb", []string{"Fornavn", "Etternavn", "Fødselsnummer", "Telefon", "E-post", "Adresse", "Postnr", "Poststed"},
			Mapping{FieldGivenName, FieldFamilyName, FieldNIN, FieldPhone, FieldEmail, FieldStreetAddress, FieldPostalCode, FieldCity}},
		{"nb variants", []string{" fnr ", "FORNAVN", "etternavn", "Mobil", "epost", "Postnummer", "Sted", "Kjønn", "Fødselsdato", "Merknad"},
			Mapping{FieldNIN, FieldGivenName, FieldFamilyName, FieldPhone, FieldEmail, FieldPostalCode, FieldCity, FieldGender, FieldBirthDate, FieldNotes}},
		{"en", []string{"First name", "Last name", "Date of birth", "Phone", "Email", "Address", "Postal code", "City", "Gender"},
			Mapping{FieldGivenName, FieldFamilyName, FieldBirthDate, FieldPhone, FieldEmail, FieldStreetAddress, FieldPostalCode, FieldCity, FieldGender}},
		{"unknown and repeated columns are skipped", []string{"Kundenr", "Fornavn", "Fornavn", ""},
			Mapping{"", FieldGivenName, "", ""}},
		{"the export's own header", HeaderRow(), Mapping(Fields)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GuessMapping(tt.header)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !got.Valid() {
				t.Error("guessed mapping not valid")
			}
		})
	}
}

func TestMappingValid(t *testing.T) {
	if (Mapping{FieldNIN, FieldNIN}).Valid() {
		t.Error("a field used twice is valid")
	}
	if (Mapping{"shoeSize"}).Valid() {
		t.Error("an unknown field is valid")
	}
	if !(Mapping{"", FieldNIN, ""}).Valid() {
		t.Error("skipped columns are not valid")
	}
}

func TestClientValues(t *testing.T) {
	m := Mapping{FieldNIN, FieldBirthDate, FieldGender, FieldPostalCode, FieldNotes, FieldGivenName}
	tests := []struct {
		row  []string
		want register.Client
	}{
		{[]string{" 010180 12345 ", "1.1.1980", "Mann", "150", "  note  ", " Ola "},
			register.Client{NIN: "01018012345", BirthDate: "1980-01-01", Gender: "Male", PostalCode: "0150", Notes: "  note  ", GivenName: "Ola"}},
		{[]string{"", "31/12/1980", "kvinne", "1", "", "'=Ola"},
			register.Client{BirthDate: "1980-12-31", Gender: "Female", PostalCode: "1", GivenName: "=Ola"}},
		{[]string{"abc", "someday", "other", "A150", "", ""},
			register.Client{NIN: "abc", BirthDate: "someday", Gender: "other", PostalCode: "A150"}},
	}
	for _, tt := range tests {
		if got := m.Client(tt.row); got != tt.want {
			t.Errorf("Client(%q) = %+v, want %+v", tt.row, got, tt.want)
		}
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)":       "'=SUM(A1)",
		"@cmd":           "'@cmd",
		"+cmd|' /C calc": "'+cmd|' /C calc",
		"-x":             "'-x",
		"+47 912 34 567": "+47 912 34 567",
		"-1":             "-1",
		"'=x":            "''=x",
		"Ola":            "Ola",
		"'Ola":           "'Ola",
	} {
		if got := Defuse(in); got != want {
			t.Errorf("Defuse(%q) = %q, want %q", in, got, want)
		}
		if got := undefuse(Defuse(in)); got != in {
			t.Errorf("undefuse(Defuse(%q)) = %q", in, got)
		}
	}
}

// TestRoundTrip writes clients as CSV and as .xlsx and reads them back with
// the guessed mapping: every field comes back exactly.
func TestRoundTrip(t *testing.T) {
	cs := storetest.Clients(7, 300)
	cs[0].Notes = "Linje 1\nLinje 2; med semikolon, komma og \"anførsel\""
	cs[1].GivenName = "=HYPERLINK(\"x\")"
	cs[2].StreetAddress = "-Storgata"
	for i := range cs {
		cs[i].NINType, cs[i].FetchedAt, cs[i].SequenceNumber = "", nil, nil
	}
	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		w, err := NewCSVWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if err := w.WriteRow(Row(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, buf.Bytes(), cs)
	})
	t.Run("xlsx", func(t *testing.T) {
		w, err := NewXLSXWriter()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if err := w.WriteRow(Row(c)); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := w.Close(&buf); err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, buf.Bytes(), cs)
	})
}

func checkRoundTrip(t *testing.T, data []byte, want []register.Client) {
	t.Helper()
	tab, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(tab.Header)
	if !reflect.DeepEqual(m, Mapping(Fields)) {
		t.Fatalf("mapping %v", m)
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(want))
	}
	for i, row := range tab.Rows {
		if got := m.Client(row); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(sampleNB))
	f.Add([]byte("a,b\n\"x\ny\",z\n"))
	f.Add([]byte("\xef\xbb\xbfFornavn;Etternavn\n\xe6;\xf8\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(tab.Rows) == 0 || len(tab.Rows) != len(tab.Lines) {
			t.Fatalf("%d rows, %d lines", len(tab.Rows), len(tab.Lines))
		}
		m := GuessMapping(tab.Header)
		for _, r := range tab.Rows {
			if len(r) != len(tab.Header) {
				t.Fatalf("row of %d cells, header of %d", len(r), len(tab.Header))
			}
			m.Client(r)
		}
	})
}
