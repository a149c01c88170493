package portal

// requestMessagePair is the text of the access requests' and the inbox's
// message codes.
func requestMessagePair(code string) (nb, en string) {
	switch code {
	case "portal.approval_needs_idp":
		return "«Godkjenn automatisk» krever at en identitetsleverandør (ID-porten) er satt opp. Velg «Behandle manuelt», eller sett opp ID-porten først.",
			"«Godkjenn automatisk» (approve automatically) needs an identity provider (ID-porten). Choose «Behandle manuelt» (handle manually), or set up ID-porten first."
	case "portal.request_decided":
		return "Forespørselen er allerede godkjent eller avvist. Last inn listen på nytt.",
			"The request has already been approved or rejected. Reload the list."
	case "portal.no_request":
		return "Fant ikke forespørselen. Last inn listen på nytt.", "The request was not found. Reload the list."
	case "portal.no_inquiry":
		return "Fant ikke meldingen. Last inn innboksen på nytt.", "The message was not found. Reload the inbox."
	case "portal.no_right":
		return "Du har ikke tilgang til denne tjenesten nå. Ta kontakt med legekontoret hvis du trenger den.",
			"You do not have access to this service now. Contact the practice if you need it."
	case "portal.person_lookup":
		return "Personen kunne ikke hentes fra Persontjenesten. Sjekk fødselsnummeret i forespørselen og forbindelsen under Persontjenesten, og prøv igjen.",
			"The person could not be fetched from Persontjenesten. Check the identity number in the request and the connection under Persontjenesten, and try again."
	case "portal.nin_taken":
		return "Fødselsnummeret tilhører allerede en klient. Last inn listen på nytt; forespørselen kobles da til klienten.",
			"The identity number already belongs to a client. Reload the list; the request is then linked to that client."
	}
	return "", ""
}
