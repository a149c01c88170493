package population

// The tables below are facts about Norway (common names, municipalities,
// postal codes), not personal data: every person is a random combination of
// them with a synthetic identity number. Weights are rough relative
// frequencies so that a search for a common family name returns many hits and
// a rare one few.

// weighted is a name with its relative frequency.
type weighted struct {
	name string
	w    int
}

// norwegianFemale are given names of women, hyphenated double names included.
var norwegianFemale = []weighted{
	{"Anne", 40}, {"Inger", 30}, {"Kari", 30}, {"Marit", 28}, {"Ingrid", 28},
	{"Liv", 25}, {"Eva", 22}, {"Berit", 20}, {"Astrid", 20}, {"Bjørg", 18},
	{"Hilde", 18}, {"Anna", 18}, {"Solveig", 16}, {"Marianne", 16}, {"Randi", 16},
	{"Ida", 15}, {"Nina", 15}, {"Maria", 15}, {"Elisabeth", 15}, {"Kristin", 15},
	{"Bente", 13}, {"Heidi", 13}, {"Silje", 13}, {"Hanne", 13}, {"Gerd", 12},
	{"Linda", 12}, {"Tone", 12}, {"Tove", 12}, {"Elin", 12}, {"Anita", 11},
	{"Wenche", 11}, {"Camilla", 11}, {"Ragnhild", 10}, {"Nora", 10}, {"Emma", 10},
	{"Sara", 10}, {"Ellen", 10}, {"Hege", 10}, {"Karin", 10}, {"Sissel", 9},
	{"Gunn", 9}, {"Åse", 9}, {"Julie", 9}, {"Grete", 9}, {"Trine", 8},
	{"Turid", 8}, {"Mona", 8}, {"Unni", 8}, {"Thea", 8}, {"Monica", 8},
	{"Ingeborg", 8}, {"Emilie", 8}, {"Sigrid", 8}, {"Laila", 7}, {"Else", 7},
	{"Jorunn", 7}, {"Mari", 7}, {"Lene", 7}, {"Kjersti", 7}, {"Maja", 6},
	{"Frida", 6}, {"Sølvi", 5}, {"Signe", 5}, {"Vigdis", 5}, {"Margrethe", 5},
	{"Ingvild", 5}, {"Marthe", 5}, {"Aurora", 5}, {"Selma", 5}, {"Åshild", 4},
	{"Synnøve", 4}, {"Hedda", 4}, {"Oda", 4}, {"Gøril", 3}, {"Torild", 3},
	{"Ragna", 3}, {"Live", 3}, {"Tiril", 3}, {"Ylva", 2}, {"Bodil", 3},
	{"Kari-Anne", 4}, {"Anne-Lise", 4}, {"Ann-Kristin", 4}, {"Mari-Ann", 3},
	{"Eva-Marie", 2}, {"Anne-Grethe", 2}, {"Liv-Berit", 1},
}

// norwegianMale are given names of men, hyphenated double names included.
var norwegianMale = []weighted{
	{"Jan", 45}, {"Per", 35}, {"Bjørn", 30}, {"Ole", 28}, {"Lars", 28},
	{"Kjell", 25}, {"Knut", 25}, {"Arne", 24}, {"Svein", 22}, {"Thomas", 20},
	{"Hans", 20}, {"Geir", 19}, {"Tor", 18}, {"Morten", 18}, {"Terje", 17},
	{"Odd", 16}, {"Erik", 16}, {"Martin", 16}, {"Andreas", 16}, {"John", 15},
	{"Rune", 15}, {"Trond", 15}, {"Anders", 15}, {"Harald", 14}, {"Olav", 14},
	{"Tore", 14}, {"Jon", 14}, {"Rolf", 13}, {"Nils", 12}, {"Stian", 12},
	{"Kristian", 12}, {"Espen", 12}, {"Øyvind", 12}, {"Magnus", 12}, {"Jonas", 11},
	{"Helge", 11}, {"Gunnar", 11}, {"Leif", 11}, {"Einar", 10}, {"Ola", 10},
	{"Eirik", 10}, {"Øystein", 10}, {"Henrik", 10}, {"Sindre", 9}, {"Håkon", 9},
	{"Jørgen", 9}, {"Emil", 9}, {"Jakob", 9}, {"Pål", 8}, {"Frode", 8},
	{"Vidar", 8}, {"Mathias", 8}, {"Kåre", 7}, {"Sverre", 7}, {"Steinar", 7},
	{"Filip", 7}, {"Noah", 7}, {"William", 7}, {"Oskar", 7}, {"Trygve", 6},
	{"Dag", 6}, {"Roar", 6}, {"Aksel", 6}, {"Sondre", 6}, {"Tobias", 6},
	{"Ørjan", 5}, {"Ståle", 5}, {"Even", 5}, {"Bård", 5}, {"Torstein", 4},
	{"Åsmund", 3}, {"Gaute", 3}, {"Snorre", 2}, {"Per-Erik", 3}, {"Jan-Erik", 4},
	{"Hans-Petter", 3}, {"Karl-Johan", 2}, {"Tor-Arne", 2}, {"Lars-Erik", 2},
	{"Jan-Ove", 2}, {"Nils-Petter", 1},
}

// norwegianFamily are family names of residents; a few very common -sen
// names dominate, as in the real register.
var norwegianFamily = []weighted{
	{"Hansen", 90}, {"Johansen", 85}, {"Olsen", 82}, {"Larsen", 70}, {"Andersen", 70},
	{"Pedersen", 67}, {"Nilsen", 65}, {"Kristiansen", 45}, {"Jensen", 45}, {"Karlsen", 42},
	{"Johnsen", 40}, {"Pettersen", 39}, {"Eriksen", 37}, {"Berg", 35}, {"Haugen", 30},
	{"Hagen", 30}, {"Johannessen", 29}, {"Andreassen", 25}, {"Jacobsen", 25}, {"Dahl", 23},
	{"Jørgensen", 23}, {"Halvorsen", 22}, {"Henriksen", 22}, {"Lund", 22}, {"Sørensen", 21},
	{"Jakobsen", 20}, {"Moen", 20}, {"Gundersen", 19}, {"Iversen", 19}, {"Strand", 19},
	{"Solberg", 19}, {"Svendsen", 18}, {"Eide", 18}, {"Knutsen", 18}, {"Martinsen", 17},
	{"Paulsen", 17}, {"Bakken", 17}, {"Kristoffersen", 16}, {"Mathisen", 16}, {"Lie", 16},
	{"Amundsen", 15}, {"Rasmussen", 15}, {"Lunde", 14}, {"Solheim", 14}, {"Berge", 14},
	{"Moe", 14}, {"Nygård", 14}, {"Bakke", 13}, {"Kristensen", 13}, {"Fredriksen", 13},
	{"Holm", 13}, {"Lien", 13}, {"Hauge", 12}, {"Christensen", 12}, {"Andresen", 12},
	{"Nielsen", 12}, {"Knudsen", 11}, {"Evensen", 11}, {"Sæther", 11}, {"Aas", 11},
	{"Myhre", 11}, {"Hanssen", 10}, {"Haugland", 10}, {"Thomassen", 10}, {"Sivertsen", 10},
	{"Simonsen", 10}, {"Danielsen", 10}, {"Berntsen", 9}, {"Sandvik", 9}, {"Rønning", 9},
	{"Arnesen", 9}, {"Antonsen", 9}, {"Næss", 9}, {"Vik", 9}, {"Haug", 9},
	{"Ellingsen", 8}, {"Thorsen", 8}, {"Edvardsen", 8}, {"Birkeland", 8}, {"Isaksen", 8},
	{"Gulbrandsen", 7}, {"Ruud", 7}, {"Aasen", 7}, {"Strøm", 7}, {"Myklebust", 7},
	{"Tangen", 7}, {"Ødegård", 7}, {"Eliassen", 6}, {"Helland", 6}, {"Bøe", 6},
	{"Jenssen", 6}, {"Aune", 6}, {"Mikkelsen", 6}, {"Tveit", 6}, {"Brekke", 6},
	{"Abrahamsen", 6}, {"Madsen", 6}, {"Nguyen", 6}, {"Ali", 6}, {"Ahmed", 5},
	{"Torgersen", 4}, {"Hermansen", 4}, {"Khan", 3}, {"Hussain", 3}, {"Bjørnstad", 3},
	{"Østby", 3}, {"Røed", 3}, {"Bråthen", 3}, {"Ødegaard", 3}, {"Nordby", 3},
	{"Fossum", 3}, {"Hovland", 3}, {"Rød", 3}, {"Engen", 3}, {"Tønnessen", 3},
	{"Rustad", 3}, {"Holmen", 3}, {"Wold", 3}, {"Sunde", 3}, {"Gjerde", 3},
	{"Hoff", 3}, {"Kåsa", 2}, {"Åsheim", 2}, {"Grønli", 2}, {"Kvåle", 2},
	{"Løvås", 2}, {"Dæhli", 2}, {"Skjæveland", 2}, {"Høiland", 2}, {"Østrem", 2},
	{"Årdal", 2}, {"Søreide", 2}, {"Sletten", 2}, {"Nordstrand", 2}, {"Kleppe", 2},
	{"Skaar", 2}, {"Kolstad", 2}, {"Stene", 2}, {"Ærø", 1}, {"Fjære", 1},
	{"Sælid", 1}, {"Vågen", 1}, {"Tjøstheim", 1}, {"Nærland", 1}, {"Flø", 1},
	{"Bøhn", 1}, {"Lønning", 1}, {"Heggelund", 1}, {"Grønvold", 1}, {"Aasland", 1},
}

// origin is a country D-number holders come from, with names typical there.
// Country codes are ISO 3166-1 alpha-3, as FREG uses them.
type origin struct {
	country string
	w       int
	cities  []string
	female  []string
	male    []string
	family  []string
}

// origins are the countries of D-number holders (foreign workers, students).
var origins = []origin{
	{"POL", 40, []string{"Gdańsk", "Kraków", "Szczecin"},
		[]string{"Anna", "Katarzyna", "Agnieszka", "Małgorzata", "Joanna", "Magdalena"},
		[]string{"Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz"},
		[]string{"Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel"}},
	{"SWE", 25, []string{"Göteborg", "Stockholm", "Malmö"},
		[]string{"Maria", "Elin", "Karin", "Sara", "Lena"},
		[]string{"Erik", "Johan", "Anders", "Lars", "Mikael"},
		[]string{"Svensson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Lindqvist", "Öberg", "Åkesson"}},
	{"DEU", 15, []string{"Hamburg", "Berlin", "München"},
		[]string{"Katrin", "Sabine", "Julia", "Lena"},
		[]string{"Lukas", "Jonas", "Stefan", "Matthias"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker"}},
	{"PHL", 10, []string{"Manila", "Cebu"},
		[]string{"Maria", "Cristina", "Joy"},
		[]string{"Jose", "Mark", "Paolo"},
		[]string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia"}},
	{"ESP", 10, []string{"Madrid", "Málaga"},
		[]string{"Lucía", "Carmen", "Elena"},
		[]string{"Javier", "Alejandro", "Pablo"},
		[]string{"García", "Fernández", "López", "Martínez"}},
}

// destination is where emigrants move.
type destination struct {
	country string
	cities  []string
}

var destinations = []destination{
	{"SWE", []string{"Stockholm", "Göteborg"}},
	{"DNK", []string{"København", "Aarhus"}},
	{"ESP", []string{"Alicante", "Málaga"}},
	{"GBR", []string{"London", "Edinburgh"}},
	{"USA", []string{"Minneapolis", "Seattle"}},
	{"AUS", []string{"Sydney"}},
}

// municipality is a Norwegian municipality with the postal codes (and post
// towns) used for addresses in it. Numbers follow the 2024 division
// (counties 31–33 and 55 re-established that year).
type municipality struct {
	number       string
	name         string
	countyNumber string
	countyName   string
	w            int // roughly the population in thousands
	postal       []postalPlace
}

// postalPlace is a postal code with its post town (poststed).
type postalPlace struct {
	code string
	city string
}

var municipalities = []municipality{
	{"0301", "Oslo", "03", "Oslo", 710, []postalPlace{
		{"0154", "Oslo"}, {"0159", "Oslo"}, {"0255", "Oslo"}, {"0262", "Oslo"},
		{"0354", "Oslo"}, {"0368", "Oslo"}, {"0456", "Oslo"}, {"0463", "Oslo"},
		{"0557", "Oslo"}, {"0562", "Oslo"}, {"0655", "Oslo"}, {"0672", "Oslo"},
		{"0763", "Oslo"}, {"0851", "Oslo"}, {"0956", "Oslo"}, {"0976", "Oslo"},
		{"1053", "Oslo"}, {"1067", "Oslo"}, {"1153", "Oslo"}, {"1169", "Oslo"},
		{"1254", "Oslo"}, {"1283", "Oslo"}}},
	{"4601", "Bergen", "46", "Vestland", 290, []postalPlace{
		{"5003", "Bergen"}, {"5006", "Bergen"}, {"5008", "Bergen"}, {"5031", "Bergen"},
		{"5052", "Bergen"}, {"5063", "Bergen"}, {"5221", "Nesttun"}, {"5141", "Fyllingsdalen"}}},
	{"5001", "Trondheim", "50", "Trøndelag", 215, []postalPlace{
		{"7010", "Trondheim"}, {"7012", "Trondheim"}, {"7030", "Trondheim"}, {"7031", "Trondheim"},
		{"7041", "Trondheim"}, {"7043", "Trondheim"}, {"7050", "Trondheim"}, {"7053", "Ranheim"},
		{"7080", "Heimdal"}}},
	{"1103", "Stavanger", "11", "Rogaland", 150, []postalPlace{
		{"4005", "Stavanger"}, {"4006", "Stavanger"}, {"4008", "Stavanger"}, {"4010", "Stavanger"},
		{"4014", "Stavanger"}, {"4021", "Stavanger"}, {"4023", "Stavanger"}}},
	{"3201", "Bærum", "32", "Akershus", 130, []postalPlace{
		{"1337", "Sandvika"}, {"1353", "Bærums Verk"}, {"1356", "Bekkestua"}, {"1363", "Høvik"},
		{"1367", "Snarøya"}, {"1369", "Stabekk"}}},
	{"4204", "Kristiansand", "42", "Agder", 115, []postalPlace{
		{"4608", "Kristiansand S"}, {"4610", "Kristiansand S"}, {"4614", "Kristiansand S"},
		{"4616", "Kristiansand S"}, {"4621", "Kristiansand S"}, {"4631", "Kristiansand S"}}},
	{"3301", "Drammen", "33", "Buskerud", 105, []postalPlace{
		{"3015", "Drammen"}, {"3019", "Drammen"}, {"3024", "Drammen"}, {"3030", "Drammen"},
		{"3036", "Drammen"}, {"3041", "Drammen"}, {"3045", "Drammen"}}},
	{"3107", "Fredrikstad", "31", "Østfold", 85, []postalPlace{
		{"1606", "Fredrikstad"}, {"1607", "Fredrikstad"}, {"1608", "Fredrikstad"},
		{"1613", "Fredrikstad"}, {"1614", "Fredrikstad"}, {"1621", "Gressvik"}}},
	{"1108", "Sandnes", "11", "Rogaland", 82, []postalPlace{
		{"4306", "Sandnes"}, {"4307", "Sandnes"}, {"4313", "Sandnes"}, {"4318", "Sandnes"}}},
	{"5501", "Tromsø", "55", "Troms", 78, []postalPlace{
		{"9008", "Tromsø"}, {"9009", "Tromsø"}, {"9010", "Tromsø"}, {"9012", "Tromsø"},
		{"9014", "Tromsø"}, {"9015", "Tromsø"}, {"9019", "Tromsø"}}},
	{"1804", "Bodø", "18", "Nordland", 53, []postalPlace{
		{"8003", "Bodø"}, {"8006", "Bodø"}, {"8008", "Bodø"}, {"8010", "Bodø"}, {"8013", "Bodø"}}},
	{"4203", "Arendal", "42", "Agder", 46, []postalPlace{
		{"4836", "Arendal"}, {"4838", "Arendal"}, {"4841", "Arendal"}, {"4847", "Arendal"}}},
	{"1106", "Haugesund", "11", "Rogaland", 38, []postalPlace{
		{"5515", "Haugesund"}, {"5518", "Haugesund"}, {"5521", "Haugesund"}, {"5527", "Haugesund"}}},
	{"3403", "Hamar", "34", "Innlandet", 33, []postalPlace{
		{"2315", "Hamar"}, {"2317", "Hamar"}, {"2318", "Hamar"}, {"2319", "Hamar"}}},
	{"1506", "Molde", "15", "Møre og Romsdal", 32, []postalPlace{
		{"6412", "Molde"}, {"6413", "Molde"}, {"6415", "Molde"}}},
	{"3407", "Gjøvik", "34", "Innlandet", 30, []postalPlace{
		{"2815", "Gjøvik"}, {"2816", "Gjøvik"}, {"2819", "Gjøvik"}, {"2821", "Gjøvik"}}},
	{"3405", "Lillehammer", "34", "Innlandet", 29, []postalPlace{
		{"2609", "Lillehammer"}, {"2613", "Lillehammer"}, {"2614", "Lillehammer"},
		{"2615", "Lillehammer"}, {"2618", "Lillehammer"}, {"2619", "Lillehammer"}}},
	{"1833", "Rana", "18", "Nordland", 26, []postalPlace{
		{"8613", "Mo i Rana"}, {"8614", "Mo i Rana"}, {"8616", "Mo i Rana"}, {"8622", "Mo i Rana"}}},
	{"1505", "Kristiansund", "15", "Møre og Romsdal", 24, []postalPlace{
		{"6509", "Kristiansund N"}, {"6511", "Kristiansund N"}, {"6515", "Kristiansund N"}}},
	{"5006", "Steinkjer", "50", "Trøndelag", 24, []postalPlace{
		{"7713", "Steinkjer"}, {"7714", "Steinkjer"}}},
	{"1806", "Narvik", "18", "Nordland", 21, []postalPlace{
		{"8514", "Narvik"}, {"8515", "Narvik"}, {"8517", "Narvik"}}},
	{"3420", "Elverum", "34", "Innlandet", 21, []postalPlace{
		{"2406", "Elverum"}, {"2408", "Elverum"}, {"2409", "Elverum"}}},
	{"5037", "Levanger", "50", "Trøndelag", 20, []postalPlace{
		{"7600", "Levanger"}}},
	{"4621", "Voss", "46", "Vestland", 16, []postalPlace{
		{"5700", "Voss"}}},
	{"5053", "Inderøy", "50", "Trøndelag", 7, []postalPlace{
		{"7670", "Inderøy"}}},
}

// streets are street names used in every municipality (most Norwegian towns
// have a Storgata and a Kirkegata).
var streets = []string{
	"Storgata", "Kirkegata", "Skolegata", "Parkveien", "Strandveien", "Havnegata",
	"Sjøgata", "Torggata", "Jernbanegata", "Stasjonsveien", "Rådhusgata", "Kongens gate",
	"Dronningens gate", "Prinsens gate", "Nedre gate", "Øvre gate", "Bakkegata", "Fjellveien",
	"Skogveien", "Løkkeveien", "Åsveien", "Bjørkeveien", "Granveien", "Furuveien",
	"Eikeveien", "Bøkeveien", "Lønneveien", "Rognveien", "Seljeveien", "Hasselveien",
	"Lindeveien", "Kløverveien", "Blåklokkeveien", "Liljeveien", "Rosenvegen", "Solbakken",
	"Solveien", "Utsikten", "Bekkeveien", "Elveveien", "Sjøveien", "Fjordveien",
	"Nordre ringvei", "Søndre vei", "Vestre vei", "Østre vei", "Industriveien", "Møllevegen",
	"Smedgata", "Tollbugata", "Fiskergata", "Brugata", "Grønnegata", "Sagveien",
	"Kvernhusveien", "Gårdsveien", "Tunveien", "Myrveien", "Lyngveien", "Tyttebærveien",
	"Blåbærstien", "Multeveien", "Ekornveien", "Reveveien", "Hjorteveien", "Ørneveien",
	"Måkeveien", "Tjernveien", "Vardeveien", "Lerkeveien", "Trastveien", "Spurveveien",
	"Kirkeveien", "Prestegårdsveien", "Skoleveien", "Idrettsveien", "Sæterveien", "Hagebyveien",
	"Kjærlighetsstien", "Ærfuglveien", "Stølsvegen", "Nyveien",
}

// emailDomains are reserved for documentation (RFC 2606), so a generated
// address can never reach a real mailbox.
var emailDomains = []string{"example.com", "example.net", "example.org"}
