package patientweb

import "resepsjon/messages"

// texts are the patient's pages' words in one language.
type texts struct {
	Lang, OtherLang, OtherLangName                                         string
	Portal, PortalOf                                                       string
	Login, LoginTitle, Email, Password, Forgot, LoginIntro                 string
	ActivateTitle, ActivateIntro, ActivateButton                           string
	ResetTitle, ResetIntro, ResetButton                                    string
	NewPassword, RepeatPassword, PasswordRules                             string
	ForgotTitle, ForgotIntro, ForgotButton, BackToLogin                    string
	ProfileTitle, Name, Rights, NoRights, NoRightsNote                     string
	Consultation, Booking, Renewal, Given, NotGiven                        string
	WantsReply, WantsReplyHelp, Language, SavePreferences                  string
	Preferences, Saved, ChangePasswordTitle, CurrentPassword, ChangeButton string
	PasswordChanged, Logout, LinkInvalidTitle, NotFound                    string
	NotFoundText, Refused, Activated, ResetDone, Error                     string
	Norwegian, English                                                     string
}

// catalogueIn looks texts up in the message catalogue in lang ("en", else
// bokmål); TestPageTextsComplete checks that no field is left empty.
func catalogueIn(lang string) func(code string) string {
	return func(code string) string {
		t, _ := messages.Lookup(code)
		return t.In(lang)
	}
}

// textsFor is the page words in lang, from the catalogue (patient.page.*).
func textsFor(lang string) texts {
	t := catalogueIn(lang)
	tx := texts{
		OtherLangName:       t("patient.page.other_lang_name"),
		Portal:              t("patient.page.portal"),
		PortalOf:            t("patient.page.portal_of"),
		Login:               t("patient.page.login"),
		LoginTitle:          t("patient.page.login_title"),
		Email:               t("patient.page.email"),
		Password:            t("patient.page.password"),
		Forgot:              t("patient.page.forgot"),
		LoginIntro:          t("patient.page.login_intro"),
		ActivateTitle:       t("patient.page.activate_title"),
		ActivateIntro:       t("patient.page.activate_intro"),
		ActivateButton:      t("patient.page.activate_button"),
		ResetTitle:          t("patient.page.reset_title"),
		ResetIntro:          t("patient.page.reset_intro"),
		ResetButton:         t("patient.page.reset_button"),
		NewPassword:         t("patient.page.new_password"),
		RepeatPassword:      t("patient.page.repeat_password"),
		PasswordRules:       t("patient.page.password_rules"),
		ForgotTitle:         t("patient.page.forgot_title"),
		ForgotIntro:         t("patient.page.forgot_intro"),
		ForgotButton:        t("patient.page.forgot_button"),
		BackToLogin:         t("patient.page.back_to_login"),
		ProfileTitle:        t("patient.page.profile_title"),
		Name:                t("patient.page.name"),
		Rights:              t("patient.page.rights"),
		NoRights:            t("patient.page.no_rights"),
		NoRightsNote:        t("patient.page.no_rights_note"),
		Consultation:        t("patient.page.consultation"),
		Booking:             t("patient.page.booking"),
		Renewal:             t("patient.page.renewal"),
		Given:               t("patient.page.given"),
		NotGiven:            t("patient.page.not_given"),
		WantsReply:          t("patient.page.wants_reply"),
		WantsReplyHelp:      t("patient.page.wants_reply_help"),
		Language:            t("patient.page.language"),
		SavePreferences:     t("patient.page.save_preferences"),
		Preferences:         t("patient.page.preferences"),
		Saved:               t("patient.page.saved"),
		ChangePasswordTitle: t("patient.page.change_password_title"),
		CurrentPassword:     t("patient.page.current_password"),
		ChangeButton:        t("patient.page.change_button"),
		PasswordChanged:     t("patient.page.password_changed"),
		Logout:              t("patient.page.logout"),
		LinkInvalidTitle:    t("patient.page.link_invalid_title"),
		NotFound:            t("patient.page.not_found"),
		NotFoundText:        t("patient.page.not_found_text"),
		Refused:             t("patient.page.refused"),
		Activated:           t("patient.page.activated"),
		ResetDone:           t("patient.page.reset_done"),
		Error:               t("patient.page.error"),
		Norwegian:           t("patient.page.norwegian"),
		English:             t("patient.page.english"),
	}
	tx.Lang, tx.OtherLang = "nb", "en"
	if lang == "en" {
		tx.Lang, tx.OtherLang = "en", "nb"
	}
	return tx
}
