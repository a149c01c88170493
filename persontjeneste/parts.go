package persontjeneste

import "slices"

// InformationPart is a part of a person's record that a call asks for (the
// contract's InformationPart values). A practice fetches only the parts it
// needs (data minimisation).
type InformationPart string

// The contract's information parts, in its order.
const (
	PartAddressProtection                          InformationPart = "AddressProtection"
	PartCitizenshipRetention                       InformationPart = "CitizenshipRetention"
	PartResidentialAddress                         InformationPart = "ResidentialAddress"
	PartUseOfSamiLanguage                          InformationPart = "UseOfSamiLanguage"
	PartSharedResidence                            InformationPart = "SharedResidence"
	PartDeath                                      InformationPart = "Death"
	PartFalseIdentity                              InformationPart = "FalseIdentity"
	PartFamilyRelation                             InformationPart = "FamilyRelation"
	PartBirth                                      InformationPart = "Birth"
	PartBirthInNorway                              InformationPart = "BirthInNorway"
	PartParentalResponsibility                     InformationPart = "ParentalResponsibility"
	PartSamiParliamentElectoralRegistryStatus      InformationPart = "SamiParliamentElectoralRegistryStatus"
	PartNorwegianIdentificationNumber              InformationPart = "NorwegianIdentificationNumber"
	PartIdentityVerification                       InformationPart = "IdentityVerification"
	PartImmigrationToNorway                        InformationPart = "ImmigrationToNorway"
	PartGender                                     InformationPart = "Gender"
	PartResiduaryEstateContactInformation          InformationPart = "ResiduaryEstateContactInformation"
	PartIdentificationDocument                     InformationPart = "IdentificationDocument"
	PartName                                       InformationPart = "Name"
	PartResidencePermit                            InformationPart = "ResidencePermit"
	PartStayOnSvalbard                             InformationPart = "StayOnSvalbard"
	PartPresentAddress                             InformationPart = "PresentAddress"
	PartPostalAddress                              InformationPart = "PostalAddress"
	PartForeignPostalAddress                       InformationPart = "ForeignPostalAddress"
	PartPreferredContactAddress                    InformationPart = "PreferredContactAddress"
	PartMaritalStatus                              InformationPart = "MaritalStatus"
	PartCitizenship                                InformationPart = "Citizenship"
	PartStatus                                     InformationPart = "Status"
	PartForeignPersonIdentificationNumber          InformationPart = "ForeignPersonIdentificationNumber"
	PartEmigrationFromNorway                       InformationPart = "EmigrationFromNorway"
	PartImmigrationAuthoritiesIdentificationNumber InformationPart = "ImmigrationAuthoritiesIdentificationNumber"
	PartGuardianshipOrFuturePowerOfAttorney        InformationPart = "GuardianshipOrFuturePowerOfAttorney"
	PartDeprivedLegalAuthority                     InformationPart = "DeprivedLegalAuthority"
	PartCommonContactRegisterInformation           InformationPart = "CommonContactRegisterInformation"
	PartLegalAuthority                             InformationPart = "LegalAuthority"
)

// DefaultInformationParts is the practice's data-minimising default: what the
// client register holds and nothing more.
func DefaultInformationParts() []InformationPart {
	return []InformationPart{
		PartName,
		PartNorwegianIdentificationNumber,
		PartBirth,
		PartGender,
		PartStatus,
		PartDeath,
		PartAddressProtection,
		PartResidentialAddress,
		PartPostalAddress,
		PartPreferredContactAddress,
		PartCommonContactRegisterInformation,
	}
}

// AlwaysFetchedParts are fetched whatever the practice chooses: without the
// name a match has nothing to show, and without the identity number an
// imported client cannot be saved or matched again.
func AlwaysFetchedParts() []InformationPart {
	return []InformationPart{PartName, PartNorwegianIdentificationNumber}
}

// UsedInformationPart reports whether Resepsjon stores anything from part.
// Only these may be chosen: fetching a part the register never keeps would
// go against data minimisation.
func UsedInformationPart(part InformationPart) bool {
	return slices.Contains(DefaultInformationParts(), part)
}

// AllInformationParts lists every InformationPart value of the contract, in
// the contract's order.
func AllInformationParts() []InformationPart {
	return []InformationPart{
		PartAddressProtection, PartCitizenshipRetention, PartResidentialAddress, PartUseOfSamiLanguage,
		PartSharedResidence, PartDeath, PartFalseIdentity, PartFamilyRelation, PartBirth, PartBirthInNorway,
		PartParentalResponsibility, PartSamiParliamentElectoralRegistryStatus, PartNorwegianIdentificationNumber,
		PartIdentityVerification, PartImmigrationToNorway, PartGender, PartResiduaryEstateContactInformation,
		PartIdentificationDocument, PartName, PartResidencePermit, PartStayOnSvalbard, PartPresentAddress,
		PartPostalAddress, PartForeignPostalAddress, PartPreferredContactAddress, PartMaritalStatus,
		PartCitizenship, PartStatus, PartForeignPersonIdentificationNumber, PartEmigrationFromNorway,
		PartImmigrationAuthoritiesIdentificationNumber, PartGuardianshipOrFuturePowerOfAttorney,
		PartDeprivedLegalAuthority, PartCommonContactRegisterInformation, PartLegalAuthority,
	}
}

// ValidInformationPart reports whether part is one of the contract's values.
func ValidInformationPart(part InformationPart) bool {
	return slices.Contains(AllInformationParts(), part)
}
