package app

// Where the practice fixes what an activation check found. HelseID
// selvbetjening is NHN's self-service portal (production and test hosts as
// NHN's own self-service documentation names them); Altinn's front page,
// where the manager logs in for the practice; NHN's Persontjenesten pages,
// where "kom i gang" for health practices says how to order access.
const (
	linkSelvbetjening     = "https://selvbetjening.nhn.no/"
	linkSelvbetjeningTest = "https://selvbetjening.test.nhn.no/"
	linkAltinn            = "https://www.altinn.no/"
	linkNHNOrder          = "https://www.nhn.no/tjenester/persontjenesten"
)

// checkLinks says where the practice fixes what a failed check found; the
// texts are in package messages under "check.<code>" and
// "check.<code>.help".
var checkLinks = map[string]string{
	"invalid_client": linkSelvbetjening,
	"no_delegation":  linkAltinn,
	"invalid_scope":  linkSelvbetjening,
	"no_agreement":   linkNHNOrder,
	"token_rejected": linkSelvbetjening,
}
