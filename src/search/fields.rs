//! What of each record is searched, and how much it counts.
//!
//! Every record (and every voucher type inside a voucher scheme) becomes one search entry with
//! four groups of fields, matched and weighted separately:
//! - **title**: the record's title or name, as lists show it;
//! - **keys**: short fields that name or place it (id, owner, city, country, kind of meeting,
//!   keywords, status…);
//! - **context**: the names of the records it refers to (a practice's partner and project, a
//!   voucher's scheme, voucher type and SME…), kept current when those are renamed;
//! - **long**: descriptions, summaries, minutes, agendas: matched by whole words only.

use std::borrow::Cow;

use crate::model::*;

/// A reference whose name is searched with the record (the context group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefTo<'a> {
    Record(Kind, &'a str),
    /// A voucher type: its scheme's id and its code.
    Type(&'a str, &'a str),
}

/// The searchable text of one entry, before folding.
pub struct Source<'a> {
    pub kind: Kind,
    /// The voucher type's code, for an entry that is a voucher type of the scheme.
    pub sub: Option<&'a str>,
    pub title: Cow<'a, str>,
    /// In the order of [`key_labels`].
    pub keys: Vec<Cow<'a, str>>,
    pub refs: Vec<RefTo<'a>>,
    /// In the order of [`long_labels`].
    pub long: Vec<Cow<'a, str>>,
}

/// At most this many practices that inspired an action are searched with it.
const MAX_INSPIRED: usize = 8;

/// What one entry is called in results ("practice", "voucher type").
pub fn label(kind: Kind, is_type: bool) -> &'static str {
    if is_type {
        "voucher type"
    } else {
        kind.singular()
    }
}

/// Words that describe the kind, matched with low weight: "vouch" finds vouchers.
pub fn kind_words(kind: Kind, is_type: bool) -> &'static str {
    if is_type {
        return "voucher type";
    }
    match kind {
        Kind::Practice => "good practice",
        Kind::Session => "evaluation session",
        Kind::ActionPlan => "action plan",
        Kind::Scheme => "voucher scheme",
        Kind::Voucher => "voucher application",
        other => other.singular(),
    }
}

/// The labels of the key fields of an entry.
pub fn key_labels(kind: Kind, is_type: bool) -> &'static [&'static str] {
    if is_type {
        return &["id", "code", "scheme", "issuer", "country"];
    }
    match kind {
        Kind::Project => &["id", "programme", "period"],
        Kind::Partner => &[
            "id",
            "short name",
            "city",
            "region",
            "NUTS 2",
            "country",
            "role",
        ],
        Kind::Practice => &[
            "id",
            "owner",
            "city",
            "region",
            "country",
            "level",
            "sub-theme",
            "status",
            "keywords",
        ],
        Kind::Meeting => &["id", "kind", "mode", "city", "country", "dates"],
        Kind::CriteriaSet => &["id", "criteria"],
        Kind::Session => &["id", "state", "evaluators"],
        Kind::Score => &["id", "evaluator", "criterion", "value"],
        Kind::ActionPlan => &["id", "instrument kind", "validated by", "validated on"],
        Kind::Action => &["id", "status", "period"],
        Kind::Scheme => &["id", "issuer", "country", "aid regime"],
        Kind::Sme => &[
            "id",
            "registration number",
            "size",
            "country",
            "region",
            "city",
        ],
        Kind::Voucher => &["id", "voucher type", "status", "submitted on"],
        Kind::Member => &["id", "organisation", "role"],
    }
}

/// The labels of the long fields of an entry.
pub fn long_labels(kind: Kind, is_type: bool) -> &'static [&'static str] {
    if is_type {
        return &["description"];
    }
    match kind {
        Kind::Project => &["summary"],
        Kind::Partner => &["policy instrument"],
        Kind::Practice => &[
            "summary",
            "description",
            "resources",
            "evidence",
            "transfer potential",
            "difficulties",
            "status history",
        ],
        Kind::Meeting => &["agenda", "attendance", "minutes", "decisions", "follow-ups"],
        Kind::CriteriaSet => &["description", "criteria"],
        Kind::Session => &["consensus comments"],
        Kind::Score => &["comment", "abstention"],
        Kind::ActionPlan => &["instrument", "summary", "monitoring reports"],
        Kind::Action => &[
            "background",
            "activities",
            "players",
            "funding",
            "indicators",
            "status reason",
        ],
        Kind::Scheme => &["eligible costs", "notes"],
        Kind::Sme => &[],
        Kind::Voucher => &["status reason", "participants"],
        Kind::Member => &[],
    }
}

/// English names of the countries the programme covers, so that "slovenia" finds `SI`.
pub fn country_name(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "AT" => "Austria",
        "BE" => "Belgium",
        "BG" => "Bulgaria",
        "CH" => "Switzerland",
        "CY" => "Cyprus",
        "CZ" => "Czechia",
        "DE" => "Germany",
        "DK" => "Denmark",
        "EE" => "Estonia",
        "EL" | "GR" => "Greece",
        "ES" => "Spain",
        "FI" => "Finland",
        "FR" => "France",
        "HR" => "Croatia",
        "HU" => "Hungary",
        "IE" => "Ireland",
        "IS" => "Iceland",
        "IT" => "Italy",
        "LI" => "Liechtenstein",
        "LT" => "Lithuania",
        "LU" => "Luxembourg",
        "LV" => "Latvia",
        "MT" => "Malta",
        "NL" => "Netherlands",
        "NO" => "Norway",
        "PL" => "Poland",
        "PT" => "Portugal",
        "RO" => "Romania",
        "SE" => "Sweden",
        "SI" => "Slovenia",
        "SK" => "Slovakia",
        "UK" | "GB" => "United Kingdom",
        _ => return None,
    })
}

fn country(code: &str) -> Cow<'_, str> {
    match country_name(code) {
        Some(name) => Cow::Owned(format!("{code} {name}")),
        None => Cow::Borrowed(code),
    }
}

fn text(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

fn owned(s: impl Into<String>) -> Cow<'static, str> {
    Cow::Owned(s.into())
}

fn opt<T: ToString>(v: &Option<T>) -> Cow<'static, str> {
    v.as_ref()
        .map_or(Cow::Borrowed(""), |v| owned(v.to_string()))
}

fn label_of<T: std::fmt::Display>(v: &Option<T>) -> Cow<'static, str> {
    opt(v)
}

/// Joins pieces of text with `sep`, leaving out empty ones.
fn join<'a, I: IntoIterator<Item = &'a str>>(items: I, sep: &str) -> Cow<'static, str> {
    let mut out = String::new();
    for item in items {
        if item.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    Cow::Owned(out)
}

fn period(start: &Option<Date>, end: &Option<Date>) -> Cow<'static, str> {
    match (start, end) {
        (None, None) => Cow::Borrowed(""),
        (Some(s), None) => owned(s.to_string()),
        (None, Some(e)) => owned(format!("until {e}")),
        (Some(s), Some(e)) => owned(format!("{s} {e}")),
    }
}

/// The record's title as lists show it ([`Record::title`]), borrowed where it is one field.
pub fn title_of(record: &Record) -> Cow<'_, str> {
    match record {
        Record::Partner(r) => Cow::Borrowed(&r.organisation),
        Record::Practice(r) => Cow::Borrowed(&r.title),
        Record::Meeting(r) => Cow::Borrowed(&r.title),
        Record::CriteriaSet(r) => Cow::Borrowed(&r.name),
        Record::Session(r) => Cow::Borrowed(&r.title),
        Record::ActionPlan(r) => Cow::Borrowed(&r.title),
        Record::Action(r) => Cow::Borrowed(&r.title),
        Record::Scheme(r) => Cow::Borrowed(&r.name),
        Record::Sme(r) => Cow::Borrowed(&r.name),
        other => Cow::Owned(other.title()),
    }
}

/// The name other records show for this one: a project's acronym, otherwise its title.
pub fn name_of(record: &Record) -> Cow<'_, str> {
    match record {
        Record::Project(p) => Cow::Borrowed(p.acronym.as_str()),
        other => title_of(other),
    }
}

/// The entries of one record: the record itself and, for a voucher scheme, each voucher type.
pub fn sources(record: &Record) -> Vec<Source<'_>> {
    let kind = record.kind();
    let id = record.id();
    let mut source = Source {
        kind,
        sub: None,
        title: title_of(record),
        keys: vec![text(id)],
        refs: Vec::new(),
        long: Vec::new(),
    };
    let mut types = Vec::new();
    match record {
        Record::Project(r) => {
            source
                .keys
                .extend([text(&r.programme), period(&r.start, &r.end)]);
            if let Some(p) = &r.lead_partner {
                source.refs.push(RefTo::Record(Kind::Partner, p.as_str()));
            }
            source.long.push(text(&r.summary));
        }
        Record::Partner(r) => {
            source.keys.extend([
                text(&r.short_name),
                text(&r.city),
                text(&r.region),
                text(&r.nuts2),
                country(&r.country),
                text(r.role.label()),
            ]);
            source
                .refs
                .push(RefTo::Record(Kind::Project, r.project.as_str()));
            source.long.push(text(&r.policy_instrument));
        }
        Record::Practice(r) => {
            source.keys.extend([
                text(&r.owner),
                text(&r.city),
                text(&r.region),
                country(&r.country),
                r.level.map_or(Cow::Borrowed(""), |l| text(l.label())),
                r.sub_theme.map_or(Cow::Borrowed(""), |s| text(s.label())),
                text(r.status.label()),
                join(r.keywords.iter().map(|k| k.as_str()), ", "),
            ]);
            if let Some(p) = &r.partner {
                source.refs.push(RefTo::Record(Kind::Partner, p.as_str()));
            }
            source
                .refs
                .push(RefTo::Record(Kind::Project, r.project.as_str()));
            source.long.extend([
                r.summary.text(),
                r.description.text(),
                r.resources.text(),
                r.evidence.text(),
                r.transfer_potential.text(),
                r.difficulties.text(),
                join(r.history.iter().map(|h| h.reason.as_str()), "; "),
            ]);
        }
        Record::Meeting(r) => {
            source.keys.extend([
                text(r.kind.label()),
                text(r.mode.label()),
                text(&r.city),
                country(&r.country),
                period(&Some(r.start), &r.end),
            ]);
            if let Some(h) = &r.host {
                source.refs.push(RefTo::Record(Kind::Partner, h.as_str()));
            }
            source
                .refs
                .push(RefTo::Record(Kind::Project, r.project.as_str()));
            source.long.extend([
                join(
                    r.agenda
                        .iter()
                        .flat_map(|a| [a.title.as_str(), a.presenter.as_str()]),
                    "; ",
                ),
                join(
                    r.attendance
                        .iter()
                        .flat_map(|a| [a.name.as_str(), a.organisation.as_str()]),
                    "; ",
                ),
                text(&r.minutes),
                join(r.decisions.iter().map(|d| d.as_str()), "; "),
                join(
                    r.follow_ups
                        .iter()
                        .flat_map(|f| [f.action.as_str(), f.owner.as_str()]),
                    "; ",
                ),
            ]);
        }
        Record::CriteriaSet(r) => {
            source.keys.push(join(
                r.criteria
                    .iter()
                    .flat_map(|c| [c.code.as_str(), c.label.as_str()]),
                " ",
            ));
            source.long.extend([
                text(&r.description),
                join(r.criteria.iter().map(|c| c.description.as_str()), "; "),
            ]);
        }
        Record::Session(r) => {
            source.keys.extend([
                text(r.state.label()),
                join(r.evaluators.iter().map(|e| e.as_str()), ", "),
            ]);
            source
                .refs
                .push(RefTo::Record(Kind::Meeting, r.meeting.as_str()));
            source
                .refs
                .push(RefTo::Record(Kind::CriteriaSet, r.criteria_set.as_str()));
            source
                .long
                .push(join(r.consensus.iter().map(|c| c.comment.as_str()), "; "));
        }
        Record::Score(r) => {
            source
                .keys
                .extend([text(&r.evaluator), text(&r.criterion), opt(&r.value)]);
            source
                .refs
                .push(RefTo::Record(Kind::Practice, r.practice.as_str()));
            source
                .refs
                .push(RefTo::Record(Kind::Session, r.session.as_str()));
            source
                .long
                .extend([text(&r.comment), text(&r.abstain_reason)]);
        }
        Record::ActionPlan(r) => {
            source.keys.extend([
                text(r.instrument_kind.label()),
                text(&r.validated_by),
                opt(&r.validated_on),
            ]);
            source
                .refs
                .push(RefTo::Record(Kind::Partner, r.partner.as_str()));
            source
                .refs
                .push(RefTo::Record(Kind::Project, r.project.as_str()));
            source.long.extend([
                text(&r.instrument),
                text(&r.summary),
                join(r.reports.iter().map(|m| m.summary.as_str()), "; "),
            ]);
        }
        Record::Action(r) => {
            source
                .keys
                .extend([text(r.status.label()), period(&r.start, &r.end)]);
            source
                .refs
                .push(RefTo::Record(Kind::ActionPlan, r.plan.as_str()));
            for p in r.inspired_by.iter().take(MAX_INSPIRED) {
                source.refs.push(RefTo::Record(Kind::Practice, p.as_str()));
            }
            source.long.extend([
                text(&r.background),
                text(&r.activities),
                text(&r.players),
                text(&r.funding),
                join(r.indicators.iter().map(|i| i.name.as_str()), "; "),
                text(&r.status_reason),
            ]);
        }
        Record::Scheme(r) => {
            source
                .keys
                .extend([text(&r.issuer), country(&r.country), text(&r.aid_regime)]);
            if let Some(p) = &r.project {
                source.refs.push(RefTo::Record(Kind::Project, p.as_str()));
            }
            source
                .long
                .extend([text(&r.eligible_costs), text(&r.notes)]);
            for t in &r.types {
                types.push(Source {
                    kind,
                    sub: Some(t.code.as_str()),
                    title: text(&t.name),
                    keys: vec![
                        text(id),
                        text(&t.code),
                        text(&r.name),
                        text(&r.issuer),
                        country(&r.country),
                    ],
                    refs: Vec::new(),
                    long: vec![text(&t.description)],
                });
            }
        }
        Record::Sme(r) => {
            source.keys.extend([
                text(&r.registration_number),
                text(r.size.label()),
                country(&r.country),
                text(&r.region),
                text(&r.city),
            ]);
        }
        Record::Member(r) => {
            source.keys.extend([
                text(&r.organisation),
                text(if r.facilitator {
                    "facilitator"
                } else {
                    "member"
                }),
            ]);
        }
        Record::Voucher(r) => {
            source.keys.extend([
                text(&r.voucher_type),
                text(r.status.label()),
                label_of(&r.submitted_on),
            ]);
            source
                .refs
                .push(RefTo::Record(Kind::Scheme, r.scheme.as_str()));
            source
                .refs
                .push(RefTo::Type(r.scheme.as_str(), r.voucher_type.as_str()));
            source.refs.push(RefTo::Record(Kind::Sme, r.sme.as_str()));
            source.long.push(text(&r.status_reason));
            source
                .long
                .push(join(r.participants.iter().map(String::as_str), ", "));
        }
    }
    let mut out = Vec::with_capacity(1 + types.len());
    out.push(source);
    out.extend(types);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Record> {
        let json = include_str!("../../tests/data/sample.json");
        crate::io::json::parse(json, "sample.json")
            .unwrap()
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    #[test]
    fn every_kind_has_its_fields_in_the_order_of_its_labels() {
        let records = sample();
        for kind in Kind::ALL {
            assert!(
                records.iter().any(|r| r.kind() == *kind),
                "the sample has a {kind}"
            );
        }
        let mut types = 0;
        for r in &records {
            for s in sources(r) {
                let is_type = s.sub.is_some();
                types += usize::from(is_type);
                assert_eq!(
                    s.keys.len(),
                    key_labels(s.kind, is_type).len(),
                    "{}",
                    r.id()
                );
                assert_eq!(
                    s.long.len(),
                    long_labels(s.kind, is_type).len(),
                    "{}",
                    r.id()
                );
                assert_eq!(s.keys[0], r.id());
            }
        }
        assert_eq!(types, 2, "the sample scheme has two voucher types");
    }

    #[test]
    fn references_and_names() {
        let records = sample();
        let voucher = records.iter().find(|r| r.id() == "v-1").unwrap();
        let s = &sources(voucher)[0];
        assert_eq!(
            s.refs,
            [
                RefTo::Record(Kind::Scheme, "si-vouchers"),
                RefTo::Type("si-vouchers", "fairs"),
                RefTo::Record(Kind::Sme, "sme-1"),
            ]
        );
        let project = records.iter().find(|r| r.kind() == Kind::Project).unwrap();
        assert_eq!(name_of(project), "INTRA");
        let partner = records.iter().find(|r| r.id() == "kid").unwrap();
        assert_eq!(name_of(partner), "Klaipėda ID");
        for r in &records {
            assert_eq!(title_of(r), r.title(), "{}", r.id());
        }
        assert!(sources(partner)[0].keys.iter().any(|k| k == "LT Lithuania"));
    }
}
