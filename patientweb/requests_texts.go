package patientweb

import "resepsjon/portal"

// rtexts are the words of part two's pages in one language.
type rtexts struct {
	RequestTitle, RequestIntro, RequestLink, RequestButton            string
	FullName, FullNameHelp, NIN, NINHelp, EmailHelp                   string
	RightsWanted, RightsWantedHelp, ReplyHelp                         string
	RequestReceived, RequestApproved, FixErrors                       string
	Services, ServicesNone, HistoryTitle, HistoryIntro, HistoryLink   string
	NoHistory, Status, SentAt, Answer, AnswerOther, AnswerWait        string
	StatusNew, StatusInProgress, StatusDone                           string
	ConsultationIntro, Question, QuestionHelp                         string
	BookingIntro, Reason, Preferred, PreferredHelp                    string
	RenewalIntro, Medicine, MedicineHelp, Note                        string
	Send, Sent, ReplyElectronic, ReplyByPhone, Urgent                 string
	BackToProfile, NoRightTitle, Consultation, Booking, Renewal, Your string
}

func (t rtexts) TitleOf(kind portal.InquiryKind) string {
	switch kind {
	case portal.KindBooking:
		return t.Booking
	case portal.KindRenewal:
		return t.Renewal
	}
	return t.Consultation
}

func (t rtexts) StatusOf(s portal.InquiryStatus) string {
	switch s {
	case portal.InquiryInProgress:
		return t.StatusInProgress
	case portal.InquiryDone:
		return t.StatusDone
	}
	return t.StatusNew
}

func requestTexts(lang string) rtexts {
	t := catalogueIn(lang)
	return rtexts{
		RequestTitle:      t("patient.request.request_title"),
		RequestIntro:      t("patient.request.request_intro"),
		RequestLink:       t("patient.request.request_link"),
		RequestButton:     t("patient.request.request_button"),
		FullName:          t("patient.request.full_name"),
		FullNameHelp:      t("patient.request.full_name_help"),
		NIN:               t("patient.request.nin"),
		NINHelp:           t("patient.request.nin_help"),
		EmailHelp:         t("patient.request.email_help"),
		RightsWanted:      t("patient.request.rights_wanted"),
		RightsWantedHelp:  t("patient.request.rights_wanted_help"),
		ReplyHelp:         t("patient.request.reply_help"),
		RequestReceived:   t("patient.request.request_received"),
		RequestApproved:   t("patient.request.request_approved"),
		FixErrors:         t("patient.request.fix_errors"),
		Services:          t("patient.request.services"),
		ServicesNone:      t("patient.request.services_none"),
		HistoryTitle:      t("patient.request.history_title"),
		HistoryIntro:      t("patient.request.history_intro"),
		HistoryLink:       t("patient.request.history_link"),
		NoHistory:         t("patient.request.no_history"),
		Status:            t("patient.request.status"),
		SentAt:            t("patient.request.sent_at"),
		Answer:            t("patient.request.answer"),
		AnswerOther:       t("patient.request.answer_other"),
		AnswerWait:        t("patient.request.answer_wait"),
		StatusNew:         t("patient.request.status_new"),
		StatusInProgress:  t("patient.request.status_in_progress"),
		StatusDone:        t("patient.request.status_done"),
		ConsultationIntro: t("patient.request.consultation_intro"),
		Question:          t("patient.request.question"),
		QuestionHelp:      t("patient.request.question_help"),
		BookingIntro:      t("patient.request.booking_intro"),
		Reason:            t("patient.request.reason"),
		Preferred:         t("patient.request.preferred"),
		PreferredHelp:     t("patient.request.preferred_help"),
		RenewalIntro:      t("patient.request.renewal_intro"),
		Medicine:          t("patient.request.medicine"),
		MedicineHelp:      t("patient.request.medicine_help"),
		Note:              t("patient.request.note"),
		Send:              t("patient.request.send"),
		Sent:              t("patient.request.sent"),
		ReplyElectronic:   t("patient.request.reply_electronic"),
		ReplyByPhone:      t("patient.request.reply_by_phone"),
		Urgent:            t("patient.request.urgent"),
		BackToProfile:     t("patient.request.back_to_profile"),
		NoRightTitle:      t("patient.request.no_right_title"),
		Consultation:      t("patient.request.consultation"),
		Booking:           t("patient.request.booking"),
		Renewal:           t("patient.request.renewal"),
		Your:              t("patient.request.your"),
	}
}
