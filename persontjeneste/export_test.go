package persontjeneste

// The fixtures for the tests in package persontjeneste_test, which may
// import lookup (where a client's diff lives).
var (
	PersonFixtures = personFixtures
	MappingNow     = mappingNow
)
