package persontjeneste

import "slices"

// DefaultInformationParts is the practice's data-minimising default: what the
// client register holds and nothing more. Names are the contract's
// InformationPart values.
func DefaultInformationParts() []string {
	return []string{
		"Name",
		"NorwegianIdentificationNumber",
		"Birth",
		"Gender",
		"Status",
		"Death",
		"AddressProtection",
		"ResidentialAddress",
		"PostalAddress",
		"PreferredContactAddress",
		"CommonContactRegisterInformation",
	}
}

// AllInformationParts lists every InformationPart value of the contract, in
// the contract's order.
func AllInformationParts() []string {
	return []string{
		"AddressProtection",
		"CitizenshipRetention",
		"ResidentialAddress",
		"UseOfSamiLanguage",
		"SharedResidence",
		"Death",
		"FalseIdentity",
		"FamilyRelation",
		"Birth",
		"BirthInNorway",
		"ParentalResponsibility",
		"SamiParliamentElectoralRegistryStatus",
		"NorwegianIdentificationNumber",
		"IdentityVerification",
		"ImmigrationToNorway",
		"Gender",
		"ResiduaryEstateContactInformation",
		"IdentificationDocument",
		"Name",
		"ResidencePermit",
		"StayOnSvalbard",
		"PresentAddress",
		"PostalAddress",
		"ForeignPostalAddress",
		"PreferredContactAddress",
		"MaritalStatus",
		"Citizenship",
		"Status",
		"ForeignPersonIdentificationNumber",
		"EmigrationFromNorway",
		"ImmigrationAuthoritiesIdentificationNumber",
		"GuardianshipOrFuturePowerOfAttorney",
		"DeprivedLegalAuthority",
		"CommonContactRegisterInformation",
		"LegalAuthority",
	}
}

// ValidInformationPart reports whether part is one of the contract's values.
func ValidInformationPart(part string) bool {
	return slices.Contains(AllInformationParts(), part)
}
