package register

// ValidEmail is the register's plausibility check of an e-mail address (the
// one Validate uses): one @ with something on both sides, no white space,
// and a domain with a dot that neither starts nor ends it.
func ValidEmail(s string) bool { return validEmail(s) }
