//! A member's record as lines of text: the roster's record pane, its full-screen view at
//! 80×24, and the member's own profile all draw it.

use super::places::Places;
pub use super::places::{prefecture_name, prefecture_short};
use crate::i18n::T;
use crate::theme::Theme;
use crate::widgets::text::{clean, clean_lines, wrap};
use chrono::NaiveDate;
use ouen_shared::api::{Availability, Member, MemberSummary, Membership};
use ouen_shared::roster::join_labels;
use ouen_shared::time::format_jst;
use ouen_shared::{Lang, MembershipStatus, RegistrationCode};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A registration code as shown: `123-456-7890`, or a dash when none was issued yet.
pub fn code_text(code: Option<&str>) -> String {
    match code {
        Some(c) => RegistrationCode::parse(c)
            .map(|c| c.display())
            .unwrap_or_else(|| clean(c)),
        None => "—".to_string(),
    }
}

/// A status as a word, in the language.
pub fn status_text(status: MembershipStatus, lang: Lang) -> &'static str {
    status.label(lang)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `2026-01-01〜2026-12-31 現地派遣、電話対応`
pub fn availability_text(a: &Availability, lang: Lang) -> String {
    format!(
        "{}〜{} {}",
        date(a.from),
        date(a.to),
        join_labels(&a.ways, |w| w.label(lang), lang)
    )
}

/// Builds lines of at most `width` columns.
struct Out<'t> {
    lines: Vec<Line<'static>>,
    width: usize,
    theme: &'t Theme,
}

impl Out<'_> {
    fn heading(&mut self, text: &str) {
        self.lines.push(Line::from(""));
        self.lines
            .push(Line::styled(format!("── {text}"), self.theme.header));
    }

    fn styled(&mut self, text: &str, style: Style) {
        for l in wrap(text, self.width) {
            self.lines.push(Line::styled(l, style));
        }
    }

    fn text(&mut self, text: &str) {
        self.styled(text, Style::new());
    }

    /// `label: value`, the value wrapped under itself.
    fn field(&mut self, label: &str, value: &str) {
        let label = format!("{label}: ");
        let lw = crate::widgets::text::width(&label);
        let rest = self.width.saturating_sub(lw).max(8);
        for (i, l) in wrap(value, rest).into_iter().enumerate() {
            if i == 0 {
                self.lines.push(Line::from(vec![
                    Span::styled(label.clone(), self.theme.dim),
                    Span::raw(l),
                ]));
            } else {
                self.lines
                    .push(Line::from(format!("{}{l}", " ".repeat(lw))));
            }
        }
    }
}

/// Membership lines: status, managed, re-check, reason, availability, history.
fn membership(out: &mut Out, ms: &Membership, lang: Lang) {
    let mut spans = vec![
        Span::styled(prefecture_name(&ms.prefecture_code, lang), out.theme.title),
        Span::raw("  "),
        Span::styled(status_text(ms.status, lang), out.theme.key),
    ];
    if ms.managed {
        spans.push(Span::raw(format!("  [{}]", T::Managed.get(lang))));
    }
    if ms.recheck_needed {
        spans.push(Span::styled(
            format!("  [{}]", T::RecheckNeeded.get(lang)),
            out.theme.error,
        ));
    }
    out.lines.push(Line::from(spans));
    if let Some(r) = &ms.reason {
        out.field(&format!("  {}", T::Reason.get(lang)), &clean(r));
    }
    if ms.availability.is_empty() {
        out.field(&format!("  {}", T::Availability.get(lang)), "—");
    }
    for a in &ms.availability {
        out.field(
            &format!("  {}", T::Availability.get(lang)),
            &availability_text(a, lang),
        );
    }
    // History: one event a line, aligned under the first.
    let label = format!("  {}: ", T::History.get(lang));
    let indent = crate::widgets::text::width(&label);
    for (i, e) in ms.history.iter().enumerate() {
        let mut text = format!("{} {}", format_jst(e.at), status_text(e.status, lang));
        if let Some(who) = &e.actor_login {
            text.push_str(&format!(" ({})", clean(who)));
        }
        if let Some(r) = &e.reason {
            text.push_str(&format!(" — {}", clean(r)));
        }
        let rest = out.width.saturating_sub(indent).max(8);
        for (j, l) in wrap(&text, rest).into_iter().enumerate() {
            if i == 0 && j == 0 {
                out.lines.push(Line::from(vec![
                    Span::styled(label.clone(), out.theme.dim),
                    Span::raw(l),
                ]));
            } else {
                out.lines
                    .push(Line::from(format!("{}{l}", " ".repeat(indent))));
            }
        }
    }
}

/// Every line of a member's record, wrapped to `width` columns.
pub fn member_lines(m: &Member, lang: Lang, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Out {
        lines: Vec::new(),
        width: width.max(10),
        theme,
    };
    out.styled(
        &format!("{}（{}）", clean(&m.name), clean(&m.name_kana)),
        theme.title,
    );
    out.field(
        T::ColCode.get(lang),
        &code_text(m.registration_code.as_deref()),
    );
    if let Some(l) = &m.login {
        out.field(T::LoginId.get(lang), &clean(l));
    }
    if m.private_hidden {
        out.styled(T::PrivateHidden.get(lang), theme.dim);
    }
    if m.withdrawn_at.is_some() || m.anonymised {
        let at = m.withdrawn_at.map(format_jst).unwrap_or_default();
        out.styled(
            &format!("{} {at}", T::WithdrawnFromBank.get(lang)),
            theme.error,
        );
    }

    out.heading(T::SectionBasics.get(lang));
    let hidden = T::Hidden.get(lang);
    out.field(
        T::FieldBirthDate.get(lang),
        &m.birth_date.map(date).unwrap_or_else(|| hidden.to_string()),
    );
    out.field(T::FieldEmail.get(lang), &or_dash(&m.email));
    out.field(T::FieldPhone.get(lang), &or_dash(&m.phone));
    let street = match &m.street {
        Some(s) => clean(s),
        None => format!("（{}）", T::StreetHidden.get(lang)),
    };
    let town = match lang {
        Lang::Ja => format!(
            "{}{} {street}",
            prefecture_name(&m.prefecture_code, lang),
            clean(&m.municipality_name)
        ),
        Lang::En => format!(
            "{street}, {}, {}",
            clean(&m.municipality_name),
            prefecture_name(&m.prefecture_code, lang)
        ),
    };
    out.field(T::FieldAddress.get(lang), town.trim());

    out.heading(T::SectionLicences.get(lang));
    if m.licences.is_empty() {
        out.text("—");
    }
    for l in &m.licences {
        out.text(&format!(
            "{}  {} {}  {}",
            l.profession.label(lang),
            T::LicenceNo.get(lang),
            clean(&l.number),
            date(l.licensed_on)
        ));
    }

    out.heading(T::SectionExperience.get(lang));
    out.field(
        T::FieldExperienceYears.get(lang),
        &format!("{}{}", m.experience_years, T::Years.get(lang)),
    );
    out.field(
        T::FieldExperienceFields.get(lang),
        &or_dash(&join_labels(&m.experience_fields, |f| f.label(lang), lang)),
    );
    out.field(
        T::FieldLanguages.get(lang),
        &or_dash(&join_labels(&m.languages, |f| f.label(lang), lang)),
    );

    out.heading(T::SectionMemberships.get(lang));
    if m.memberships.is_empty() {
        out.text("—");
    }
    for ms in &m.memberships {
        membership(&mut out, ms, lang);
    }

    out.heading(T::SectionTrainings.get(lang));
    if m.trainings.is_empty() {
        out.text("—");
    }
    for t in &m.trainings {
        let mut text = format!("{}  {}", date(t.completed_on), clean(&t.title));
        if let Some(c) = &t.certificate_number {
            text.push_str(&format!("  {} {}", T::Certificate.get(lang), clean(c)));
        }
        out.text(&text);
    }

    out.heading(T::SectionDispatch.get(lang));
    out.field(
        T::ColLastDispatch.get(lang),
        &m.last_dispatch_on
            .map(date)
            .unwrap_or_else(|| T::Never.get(lang).to_string()),
    );

    out.heading(T::SectionNotes.get(lang));
    // One screen line (or more, wrapped) per line of the notes.
    out.text(&or_dash(&clean_lines(&m.notes)));

    out.lines.push(Line::from(""));
    if let (Some(v), Some(at)) = (&m.terms_version, m.terms_accepted_at) {
        out.styled(
            &format!(
                "{} {} ({})",
                T::TermsAccepted.get(lang),
                clean(v),
                format_jst(at)
            ),
            theme.dim,
        );
    }
    out.styled(
        &format!("{} {}", T::ColCreated.get(lang), format_jst(m.created_at)),
        theme.dim,
    );
    out.styled(
        &format!("{} {}", T::ColUpdated.get(lang), format_jst(m.updated_at)),
        theme.dim,
    );
    out.lines
}

/// What the list row already tells about a member, before the record is opened.
pub fn summary_lines(
    s: &MemberSummary,
    places: &Places,
    lang: Lang,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let mut out = Out {
        lines: Vec::new(),
        width: width.max(10),
        theme,
    };
    out.styled(
        &format!("{}（{}）", clean(&s.name), clean(&s.name_kana)),
        theme.title,
    );
    out.field(
        T::ColCode.get(lang),
        &code_text(s.registration_code.as_deref()),
    );
    out.field(
        T::ColProfessions.get(lang),
        &or_dash(&join_labels(&s.professions, |p| p.label(lang), lang)),
    );
    out.field(
        T::ColHome.get(lang),
        &places.home(&s.prefecture_code, &s.municipality_code, lang),
    );
    out.field(
        T::FieldExperienceYears.get(lang),
        &format!("{}{}", s.experience_years, T::Years.get(lang)),
    );
    for ms in &s.memberships {
        let mut text = status_text(ms.status, lang).to_string();
        if ms.managed {
            text.push_str(&format!(" [{}]", T::Managed.get(lang)));
        }
        if ms.recheck_needed {
            text.push_str(&format!(" [{}]", T::RecheckNeeded.get(lang)));
        }
        out.field(&prefecture_name(&ms.prefecture_code, lang), &text);
    }
    out.field(
        T::ColLastDispatch.get(lang),
        &s.last_dispatch_on
            .map(date)
            .unwrap_or_else(|| T::Never.get(lang).to_string()),
    );
    out.lines.push(Line::from(""));
    out.styled(T::OpenForDetails.get(lang), theme.dim);
    out.lines
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".to_string()
    } else {
        s.to_string()
    }
}
