package nhnmock

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
)

// eventTypes is the contract's EventType enum.
var eventTypes = []string{
	"Unknown", "PersonIsCreated", "PersonIsReactivated", "PersonIsUpdated", "PersonIsDiscontinued",
	"PersonIsContinuedAsValidUponMerger", "PersonIsDiscontinuedAsDuplicate", "PersonIsChangedBySplitting",
	"PersonIsRestoredBySplitting", "PersonIsDeceased", "PersonIsResident", "PersonIsEmigrated", "ChangeInStatus",
	"ChangeInIdentityVerification", "ChangeInForeignPersonIdentificationNumber",
	"ChangeInImmigrationAuthoritiesIdentificationNumber", "ChangeInIdentificationDocument",
	"ChangeInNorwegianIdentificationNumber", "ChangeInFalseIdentity", "ChangeInResiduaryEstateContactInformation",
	"ChangeInSharedResidence", "ChangeInBirth", "ChangeInBirthInNorway", "ChangeInGender", "ChangeInFamilyRelation",
	"ChangeInMaritalStatus", "ChangeInDeath", "ChangeInName", "ChangeInAddressProtection",
	"ChangeInResidentialAddress", "ChangeInResidentialAddressWithoutRelocation", "ChangeInPresentAddress",
	"ChangeInImmigrationToNorway", "ChangeInEmigrationFromNorway", "ChangeInUseOfSamiLanguage",
	"ChangeInSamiParliamentElectoralRegistryStatus", "ChangeInContactinformation", "ChangeInParentalResponsibility",
	"ChangeInCitizenship", "ChangeInResidency", "ChangeInResidencyOnSvalbard", "ChangeInGuardianship",
	"ChangeInPerson", "PersonCorrected", "PersonPopulated", "ChangeInPostalAddress", "ChangeInForeignPostalAddress",
	"ChangeInResidencePermit", "ChangeInDeprivedLegalAuthority", "CreatedAlternateIdentificationNumber",
	"UpdatedAlternateIdentificationNumber", "ChangeInLegalAuthority", "ChangeInCommonContactRegisterInformation",
}

// sequenceNumberPattern is the contract's pattern for the event feed's sequenceNumber.
var sequenceNumberPattern = regexp.MustCompile(`^([1-9][0-9]+|[1-9])$`)

// searchFields are the search/person form fields the contract defines.
var searchFields = []string{
	"BirthDate", "Gender", "FullName", "GivenName", "MiddleName", "FamilyName",
	"StreetAddress", "PostalCode", "CityName", "MunicipalityNumber",
}

func (m *Mock) handleGetByNIN(w http.ResponseWriter, r *http.Request, c *apiCall) {
	nin, ok := m.singleFormValue(w, r, c.form, "nin", maxNINLength)
	if !ok {
		return
	}
	if !allDigits(nin) {
		m.writeProblem(w, r, http.StatusBadRequest, "The nin field must contain digits only.",
			withFieldError("nin", "The nin field must contain digits only."))
		return
	}
	p, found := m.pop.ByNIN(nin)
	if !found {
		m.writeProblem(w, r, http.StatusNotFound, "Person not found")
		return
	}
	writeJSON(w, http.StatusOK, p.Render(c.parts, c.includeHistory))
}

func (m *Mock) handleGetByID(w http.ResponseWriter, r *http.Request, c *apiCall) {
	if len(c.id) > maxIDLength {
		m.writeProblem(w, r, http.StatusBadRequest, "The person id must be at most "+strconv.Itoa(maxIDLength)+" characters.",
			withFieldError("id", "The field id must be at most "+strconv.Itoa(maxIDLength)+" characters."))
		return
	}
	p, found := m.pop.ByID(c.id)
	if !found {
		m.writeProblem(w, r, http.StatusNotFound, "Person not found")
		return
	}
	writeJSON(w, http.StatusOK, p.Render(c.parts, c.includeHistory))
}

func (m *Mock) handleBulkByNIN(w http.ResponseWriter, r *http.Request, c *apiCall) {
	nins, ok := m.listFormValues(w, r, c.form, "nins")
	if !ok {
		return
	}
	for _, n := range nins {
		if len(n) > maxNINLength || !allDigits(n) {
			m.writeProblem(w, r, http.StatusBadRequest, "Every value in nins must be an identification number of digits only.",
				withFieldError("nins", "Invalid identification number."))
			return
		}
	}
	m.writeBulk(w, c, nins, m.pop.ByNIN)
}

func (m *Mock) handleBulkByID(w http.ResponseWriter, r *http.Request, c *apiCall) {
	ids, ok := m.listFormValues(w, r, c.form, "personIds")
	if !ok {
		return
	}
	for _, id := range ids {
		if len(id) > maxIDLength {
			m.writeProblem(w, r, http.StatusBadRequest, "A person id is longer than "+strconv.Itoa(maxIDLength)+" characters.",
				withFieldError("personIds", "Invalid person id."))
			return
		}
	}
	m.writeBulk(w, c, ids, m.pop.ByID)
}

// writeBulk answers a bulk lookup: every person found once, unknown keys left
// out, ordered by person id and not by the request, so that clients match
// answers by content as they must with the real service.
func (m *Mock) writeBulk(w http.ResponseWriter, c *apiCall, keys []string, lookup func(string) (population.Person, bool)) {
	seen := map[string]bool{}
	out := make([]population.Person, 0, len(keys))
	for _, k := range keys {
		p, found := lookup(k)
		if !found || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		out = append(out, p.Render(c.parts, c.includeHistory))
	}
	slices.SortFunc(out, func(a, b population.Person) int { return strings.Compare(a.ID, b.ID) })
	writeJSON(w, http.StatusOK, out)
}

func (m *Mock) handleSearch(w http.ResponseWriter, r *http.Request, c *apiCall) {
	q := r.URL.Query()
	if _, ok := m.boolParam(w, r, q, "includeAinResults"); !ok {
		return
	}
	vals := map[string]string{}
	for _, f := range searchFields {
		switch vs := c.form[f]; len(vs) {
		case 0:
		case 1:
			// persontjeneste.ValidateSearch trims too; trimming here once
			// gives the population the same values the rules saw.
			vals[f] = strings.TrimSpace(vs[0])
		default:
			m.writeProblem(w, r, http.StatusBadRequest, "The "+f+" field is given more than once.",
				withFieldError(f, "The "+f+" field is given more than once."))
			return
		}
	}
	sq := persontjeneste.SearchQuery{
		GivenName: vals["GivenName"], MiddleName: vals["MiddleName"], FamilyName: vals["FamilyName"],
		FullName: vals["FullName"], BirthDate: vals["BirthDate"], Gender: vals["Gender"],
		StreetAddress: vals["StreetAddress"], PostalCode: vals["PostalCode"], CityName: vals["CityName"],
		MunicipalityNumber: vals["MunicipalityNumber"],
	}
	// The rules live with the app's client so that the app validates exactly
	// what the mock enforces; both are tested with the same table
	// (persontjeneste.SearchRuleCases).
	if err := persontjeneste.ValidateSearch(sq); err != nil {
		var rule *persontjeneste.SearchRuleError
		field := ""
		if errors.As(err, &rule) {
			field = rule.Field
		}
		m.writeProblem(w, r, http.StatusBadRequest, searchRuleDetail(err), withFieldError(searchProblemField(field), err.Error()))
		return
	}
	found := m.pop.Search(population.SearchQuery{
		GivenName: sq.GivenName, MiddleName: sq.MiddleName, FamilyName: sq.FamilyName, FullName: sq.FullName,
		BirthDate: sq.BirthDate, MunicipalityNumber: sq.MunicipalityNumber,
		StreetAddress: sq.StreetAddress, PostalCode: sq.PostalCode,
	})
	found = filterSearch(found, sq.Gender, sq.CityName)
	if len(found) > maxSearchHits {
		found = found[:maxSearchHits]
	}
	writeJSON(w, http.StatusOK, population.SearchResult(found, c.parts, c.includeHistory))
}

// searchRuleDetail turns a rule violation into the ProblemDetails detail,
// naming the rule that failed.
func searchRuleDetail(err error) string {
	var rule *persontjeneste.SearchRuleError
	if !errors.As(err, &rule) {
		return "Invalid search: " + err.Error()
	}
	switch rule.Rule {
	case persontjeneste.RuleNameRequired:
		return "Search rule 1 failed (" + rule.Rule + "): a value for GivenName, MiddleName, FamilyName or FullName is required."
	case persontjeneste.RuleMinLetters:
		return "Search rule 2 failed (" + rule.Rule + "): combined across all names, there must be at least three letters in total (whitespace is not counted)."
	case persontjeneste.RuleNarrowingRequired:
		return "Search rule 3 failed (" + rule.Rule + "): BirthDate, MunicipalityNumber with 4 digits or StreetAddress with at least three letters is required."
	case persontjeneste.RuleStreetAddress:
		return "Search rule 3 failed (" + rule.Rule + "): StreetAddress may hold letters, digits and spaces and needs at least three letters."
	default:
		return "Invalid search parameter " + searchProblemField(rule.Field) + " (" + rule.Rule + ")."
	}
}

// searchProblemField maps the shared rule's field names to the form field names.
func searchProblemField(field string) string {
	switch field {
	case "":
		return "SearchParameters"
	case persontjeneste.FieldName:
		return "Name"
	}
	return strings.ToUpper(field[:1]) + field[1:]
}

// filterSearch applies the criteria the population's index does not cover.
func filterSearch(found []population.Person, gender, city string) []population.Person {
	if gender == "" && city == "" {
		return found
	}
	out := found[:0:0]
	for _, p := range found {
		if gender != "" && !slices.ContainsFunc(p.Gender, func(g population.Gender) bool { return g.IsValid && g.Gender == gender }) {
			continue
		}
		if city != "" && !slices.ContainsFunc(p.ResidentialAddress, func(a population.ResidentialAddress) bool {
			return a.IsValid && strings.EqualFold(a.StreetAddress.City.CityName, city)
		}) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func (m *Mock) handleEvents(w http.ResponseWriter, r *http.Request, c *apiCall) {
	q := r.URL.Query()
	from := int64(1)
	if vs := q["sequenceNumber"]; len(vs) > 0 {
		n, err := strconv.ParseInt(vs[0], 10, 64)
		if len(vs) > 1 || !sequenceNumberPattern.MatchString(vs[0]) || err != nil {
			m.writeProblem(w, r, http.StatusBadRequest, "sequenceNumber must be a whole number of at least 1.",
				withFieldError("sequenceNumber", "The value '"+strings.Join(vs, ",")+"' is not valid."))
			return
		}
		from = n
	}
	var types []string
	for _, t := range q["eventTypes"] {
		if !slices.Contains(eventTypes, t) {
			m.writeProblem(w, r, http.StatusBadRequest, "The value '"+t+"' is not a valid EventType.",
				withFieldError("eventTypes", "The value '"+t+"' is not valid."))
			return
		}
		types = append(types, t)
	}
	out := m.pop.Events(from, maxEventResults, types...)
	writeJSON(w, http.StatusOK, population.EventSearchResult(out))
}

func (m *Mock) handleLatestEvent(w http.ResponseWriter, r *http.Request, c *apiCall) {
	ev, ok := m.pop.LatestEvent()
	if !ok {
		m.writeProblem(w, r, http.StatusNotFound, "Event document not found")
		return
	}
	writeJSON(w, http.StatusOK, ev)
}
