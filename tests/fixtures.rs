//! The bundled records load into an empty database, hold the facts their sources give, with dates
//! as precise as the sources, and keep the example project apart from the real records.

mod common;

use std::collections::HashSet;

use serde_json::Value;
use taskforce::fixtures;
use taskforce::model::*;
use taskforce::store::Store;

fn load() -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let records = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let command = Command::Import {
        records,
        on_conflict: OnConflict::Fail,
        source: "the bundled records".into(),
    };
    if let Err(e) = store.apply(&Actor::user("test"), command) {
        panic!("the bundled fixtures are refused:\n{e}");
    }
    store.load().unwrap().0
}

#[test]
fn bundled_fixtures_import_cleanly() {
    let replica = load();
    assert!(replica.count(Kind::Project) >= 1);
}

// ---------------------------------------------------------------------------------------------
// The facts the bundled records must keep, from the sources each record names.

fn project(r: &Replica, id: &str) -> Project {
    match r.record(Kind::Project, id) {
        Some(Record::Project(p)) => (**p).clone(),
        other => panic!("project '{id}' is missing: {other:?}"),
    }
}

fn partners(r: &Replica) -> Vec<Partner> {
    r.rows(Kind::Partner)
        .filter_map(|row| match &row.record {
            Record::Partner(p) => Some((**p).clone()),
            _ => None,
        })
        .collect()
}

fn meeting(r: &Replica, id: &str) -> Meeting {
    match r.record(Kind::Meeting, id) {
        Some(Record::Meeting(m)) => (**m).clone(),
        other => panic!("meeting '{id}' is missing: {other:?}"),
    }
}

fn practices(r: &Replica) -> Vec<Practice> {
    r.rows(Kind::Practice)
        .filter_map(|row| match &row.record {
            Record::Practice(p) => Some((**p).clone()),
            _ => None,
        })
        .collect()
}

fn practice_titled(r: &Replica, title: &str) -> Practice {
    practices(r)
        .into_iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("no practice titled '{title}'"))
}

fn scheme(r: &Replica, id: &str) -> VoucherScheme {
    match r.record(Kind::Scheme, id) {
        Some(Record::Scheme(s)) => (**s).clone(),
        other => panic!("scheme '{id}' is missing: {other:?}"),
    }
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn fixtures_hold_the_expected_number_of_records() {
    let r = load();
    assert_eq!(r.count(Kind::Project), 3);
    assert_eq!(r.count(Kind::Partner), 16);
    assert_eq!(r.count(Kind::Practice), 16);
    assert_eq!(r.count(Kind::Meeting), 22);
    assert_eq!(r.count(Kind::CriteriaSet), 4);
    assert_eq!(r.count(Kind::ActionPlan), 2);
    assert_eq!(r.count(Kind::Action), 4);
    assert_eq!(r.count(Kind::Scheme), 4);
    assert!((3..=4).contains(&r.count(Kind::Sme)));
    assert!((6..=8).contains(&r.count(Kind::Voucher)));
    let ps = partners(&r);
    let partners_of = |id: &str| ps.iter().filter(|p| p.project.as_str() == id).count();
    assert_eq!(partners_of("intra"), 6);
    assert_eq!(partners_of("interventures"), 8);
    let in_project = |id: &str| {
        r.rows(Kind::Meeting)
            .filter(|row| matches!(&row.record, Record::Meeting(m) if m.project.as_str() == id))
            .count()
    };
    assert_eq!(in_project("intra"), 13);
    assert_eq!(in_project("interventures"), 7);
    assert_eq!(in_project("example-project"), 2);
    // The example partners' stakeholder groups, one of them at an RSG meeting.
    assert_eq!(r.count(Kind::Stakeholder), 4);
    let Some(Record::Meeting(rsg)) = r.record(Kind::Meeting, "example-rsg-a-1") else {
        panic!("no example RSG meeting")
    };
    assert_eq!(rsg.kind, MeetingKind::RsgMeeting);
    assert_eq!(
        rsg.attendance
            .iter()
            .filter(|a| a.stakeholder.is_some())
            .count(),
        3
    );
}

#[test]
fn projects_keep_their_dates_budget_and_leads() {
    let r = load();
    let intra = project(&r, "intra");
    assert_eq!(intra.acronym, "INTRA");
    assert_eq!(intra.title, "Internationalisation of regional SMEs");
    assert_eq!(intra.programme, "Interreg Europe");
    assert_eq!(intra.start, Some(date("2016-04-01")));
    assert_eq!(intra.end, Some(date("2021-03-31")));
    assert_eq!(
        intra.total_budget, None,
        "INTRA's budget is not in the sources"
    );
    assert_eq!(intra.erdf_amount, None);
    assert_eq!(
        intra.lead_partner.as_ref().map(|p| p.as_str()),
        Some("intra-mra")
    );
    assert_eq!(intra.phases.len(), 2);
    assert_eq!(
        (intra.phases[0].start, intra.phases[0].end),
        (date("2016-04-01"), date("2019-03-31"))
    );
    assert_eq!(
        (intra.phases[1].start, intra.phases[1].end),
        (date("2019-04-01"), date("2021-03-31"))
    );

    let iv = project(&r, "interventures");
    assert_eq!(iv.erdf_amount, Some(Money(115_195_530)));
    assert_eq!(iv.erdf_rate, Some(Percent(8367)));
    assert_eq!(iv.total_budget, Some(Money(137_670_800)));
    assert_eq!(iv.start, Some(date("2019-08-01")));
    // Planned for 36 months; phase 2 (12 months) began in February 2022, so the project ends in
    // January 2023, and the closing event of 3 Nov 2022 lies within it.
    assert_eq!(iv.end, Some(date("2023-01")));
    assert_eq!(iv.end.unwrap().precision(), Precision::Month);
    assert!(iv.summary.contains("36 months from 1 Aug 2019"));
    assert_eq!(iv.phases.len(), 2);
    assert_eq!(iv.phases[0].start, date("2019-08-01"));
    assert_eq!(iv.phases[0].end, date("2022-01"));
    assert_eq!(iv.phases[1].start, date("2022-02"));
    assert_eq!(iv.phases[1].end, iv.end.unwrap());
    let closing = meeting(&r, "iv-closing-pecs");
    assert!(!closing.start.after(iv.end.unwrap()) && !closing.start.before(iv.start.unwrap()));
    assert!(iv.source.contains("Final partner meeting and conference"));
    assert_eq!(
        iv.lead_partner.as_ref().map(|p| p.as_str()),
        Some("iv-egtc-pannon")
    );
    assert!(
        iv.summary
            .contains("Association of the Carpathian Euroregion Poland")
    );
    assert!(
        partners(&r)
            .iter()
            .all(|p| !p.organisation.contains("Carpathian")),
        "the Carpathian Euroregion association is mentioned, not added as a partner"
    );
}

#[test]
fn partners_keep_their_roles_and_countries() {
    let r = load();
    let mut ps = partners(&r);
    ps.retain(|p| !fixtures::is_example(p.id.as_str()));
    let find = |org: &str| {
        ps.iter()
            .find(|p| p.organisation == org)
            .unwrap_or_else(|| panic!("no partner '{org}'"))
    };
    assert_eq!(find("Maribor Development Agency").role, PartnerRole::Lead);
    assert_eq!(find("Maribor Development Agency").country, "SI");
    assert_eq!(find("Coventry University Enterprises Ltd").country, "UK");
    assert_eq!(find("CAPITANK scarl").region, "Abruzzo");
    assert_eq!(
        find("European Grouping of Territorial Cooperation Pannon").role,
        PartnerRole::Lead
    );
    assert_eq!(
        find("Association of European Border Regions").role,
        PartnerRole::Advisory
    );
    assert_eq!(find("Rzeszów Regional Development Agency").country, "PL");
    assert_eq!(find("Klaipėda ID").country, "LT");
    assert_eq!(find("Klaipėda Municipal Administration").country, "LT");
    for country in ["BG", "ES", "PT", "IT", "HU"] {
        assert!(
            ps.iter().any(|p| p.country == country),
            "no partner in {country}"
        );
    }
    assert_eq!(ps.iter().filter(|p| p.role == PartnerRole::Lead).count(), 2);
    assert_eq!(
        ps.iter()
            .filter(|p| p.role == PartnerRole::Advisory)
            .count(),
        1
    );
}

#[test]
fn names_with_diacritics_are_byte_exact() {
    let json = fixtures::FIXTURES_JSON;
    for name in [
        "Klaip\u{117}da",
        "Rzesz\u{f3}w",
        "P\u{e9}cs",
        "Poto\u{10d}nik",
        "Juri\u{161}i\u{107}",
    ] {
        assert!(
            json.contains(name),
            "{name} is missing from the fixture file"
        );
    }
    assert!(
        taskforce::model::text::is_nfc(json),
        "the fixture file is not in Unicode NFC"
    );
    assert!(!json.contains("Klaipeda ID"), "Klaipėda lost its diacritic");

    let r = load();
    let cities: Vec<String> = r
        .rows(Kind::Meeting)
        .filter_map(|row| match &row.record {
            Record::Meeting(m) => Some(m.city.clone()),
            _ => None,
        })
        .collect();
    for city in ["Klaip\u{117}da", "Rzesz\u{f3}w", "P\u{e9}cs"] {
        assert!(cities.iter().any(|c| c == city), "no meeting in {city}");
    }
    match r.record(Kind::ActionPlan, "ap-si-intra") {
        Some(Record::ActionPlan(p)) => {
            assert!(p.summary.contains("Amna Poto\u{10d}nik"));
            assert!(p.summary.contains("Borut Juri\u{161}i\u{107}"));
        }
        other => panic!("the Slovenian action plan is missing: {other:?}"),
    }
}

#[test]
fn the_slovenian_action_plan_was_validated_at_the_6th_rsg_meeting() {
    let r = load();
    let rsg6 = meeting(&r, "intra-rsg6-maribor");
    assert_eq!(rsg6.kind, MeetingKind::RsgMeeting);
    assert_eq!(rsg6.start, date("2019-02-28"));
    assert_eq!(rsg6.city, "Maribor");
    let Some(Record::ActionPlan(plan)) = r.record(Kind::ActionPlan, "ap-si-intra") else {
        panic!("the Slovenian action plan is missing")
    };
    assert_eq!(plan.validated_on, Some(rsg6.start));
    assert_eq!(plan.partner.as_str(), "intra-mra");
    assert!(plan.validated_by.contains("Regional Stakeholder Group"));
    let actions: Vec<Action> = r
        .rows(Kind::Action)
        .filter_map(|row| match &row.record {
            Record::Action(a) if a.plan == plan.id => Some((**a).clone()),
            _ => None,
        })
        .collect();
    assert_eq!(actions.len(), 3);
}

/// An action may only be inspired by a practice that came from elsewhere: never one of its own
/// plan's outputs or another practice of the plan's own partner or country.
#[test]
fn no_action_is_inspired_by_its_own_plan() {
    let r = load();
    for row in r.rows(Kind::Action) {
        let Record::Action(a) = &row.record else {
            continue;
        };
        let Some(Record::ActionPlan(plan)) = r.record(Kind::ActionPlan, a.plan.as_str()) else {
            panic!("{}: no plan", a.id)
        };
        let Some(Record::Partner(own)) = r.record(Kind::Partner, plan.partner.as_str()) else {
            panic!("{}: no partner", plan.id)
        };
        for id in &a.inspired_by {
            let Some(Record::Practice(p)) = r.record(Kind::Practice, id.as_str()) else {
                panic!("{}: no practice {id}", a.id)
            };
            assert_ne!(p.partner.as_ref(), Some(&plan.partner), "{} <- {id}", a.id);
            assert_ne!(p.country, own.country, "{} <- {id}", a.id);
        }
    }
    let Some(Record::Action(a)) = r.record(Kind::Action, "a-uk-ecommerce-support") else {
        panic!("the Coventry action is missing")
    };
    assert_eq!(
        a.inspired_by.len(),
        1,
        "Coventry's action keeps its transfer"
    );
}

#[test]
fn dated_meetings_keep_their_dates() {
    let r = load();
    let cases = [
        (
            "intra-kickoff-maribor",
            MeetingKind::KickOff,
            "2016-05-18",
            Some("2016-05-19"),
        ),
        (
            "intra-sv1-varna",
            MeetingKind::StudyVisit,
            "2016-09-12",
            Some("2016-09-16"),
        ),
        (
            "intra-sv-coventry-2017",
            MeetingKind::StudyVisit,
            "2017-12-12",
            Some("2017-12-14"),
        ),
        (
            "intra-pm-faro-2018",
            MeetingKind::PartnerMeeting,
            "2018-05-29",
            Some("2018-05-30"),
        ),
        (
            "intra-sv-round2-faro-2018",
            MeetingKind::StudyVisit,
            "2018-05-30",
            Some("2018-05-31"),
        ),
        (
            "iv-closing-pecs",
            MeetingKind::FinalConference,
            "2022-11-03",
            None,
        ),
    ];
    for (id, kind, start, end) in cases {
        let m = meeting(&r, id);
        assert_eq!(m.kind, kind, "{id}");
        assert_eq!(m.start, date(start), "{id}");
        assert_eq!(m.end, end.map(date), "{id}");
    }
    assert_eq!(meeting(&r, "iv-closing-pecs").mode, MeetingMode::Hybrid);
    assert_eq!(meeting(&r, "iv-irm2-online").mode, MeetingMode::Online);

    // Dec 2016 in Extremadura: four events whose day the sources do not give: a month.
    for id in [
        "intra-workshop-extremadura",
        "intra-sv2-extremadura",
        "intra-itf2-extremadura",
        "intra-sc2-extremadura",
    ] {
        let m = meeting(&r, id);
        assert_eq!(m.start, date("2016-12"), "{id}");
        assert_eq!(m.start.human(), "Dec 2016", "{id}");
        assert_eq!(m.city, "Badajoz", "{id}");
        assert!(m.source.contains("Extremadura"), "{id}");
    }
    assert_eq!(meeting(&r, "intra-sv-maribor-2017").start, date("2017-03"));
    let sv = meeting(&r, "intra-sv2-extremadura");
    assert_eq!(
        sv.practices.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["gp-es-outsourced-export-services"]
    );
    assert!(
        meeting(&r, "intra-sv-maribor-2017")
            .minutes
            .text()
            .contains("21 study cases")
    );

    // InterVentures: the sources plan the meetings and visits in phase 1 without dates.
    let iv = project(&r, "interventures");
    for id in [
        "iv-irm1-pecs",
        "iv-irm2-online",
        "iv-irm3-rzeszow",
        "iv-irm4-milan",
        "iv-tv-burgos",
        "iv-tv-klaipeda",
    ] {
        let m = meeting(&r, id);
        assert_eq!(
            m.start,
            Date::between(iv.phases[0].start, iv.phases[0].end).unwrap(),
            "{id}"
        );
        assert_eq!(m.start.human(), "Aug 2019 – Jan 2022", "{id}");
    }
}

/// Every meeting lies within its project's period and is hosted, where a host is named, by one
/// of its partners.
#[test]
fn meetings_lie_within_their_projects() {
    let r = load();
    for row in r.rows(Kind::Meeting) {
        let Record::Meeting(m) = &row.record else {
            continue;
        };
        let p = project(&r, m.project.as_str());
        let (start, end) = (p.start.unwrap(), p.end.unwrap());
        assert!(
            !m.start.before(start) && !m.last_day().after(end),
            "{}: {} is outside {}..{}",
            m.id,
            m.start,
            start,
            end
        );
        if let Some(host) = &m.host {
            let Some(Record::Partner(h)) = r.record(Kind::Partner, host.as_str()) else {
                panic!("{}: no host {host}", m.id)
            };
            assert_eq!(h.project, m.project, "{}", m.id);
        }
    }
}

/// INTRA's events in the order of the sources: the kick-off, the first-round study visits
/// (Varna, Badajoz, Maribor, Coventry), the second round (Faro, then Badajoz: SV2), the Coventry
/// RSG meeting that thanks the stakeholders for SV2, and the 6th RSG meeting in Feb 2019.
#[test]
fn intras_timeline_follows_the_sources() {
    let r = load();
    let mut ms: Vec<Meeting> = r
        .rows(Kind::Meeting)
        .filter_map(|row| match &row.record {
            Record::Meeting(m) if m.project.as_str() == "intra" => Some((**m).clone()),
            _ => None,
        })
        .collect();
    ms.sort_by(|a, b| a.start.chrono(&b.start));
    let order: Vec<&str> = ms
        .iter()
        .map(|m| m.id.as_str())
        .filter(|id| !id.ends_with("-extremadura") || *id == "intra-sv2-extremadura")
        .collect();
    assert_eq!(order, TIMELINE, "{order:#?}");
    // Each certainly begins before the next, but around the Coventry RSG meeting, whose date is
    // a span: from the month of SV2 (which it follows) to Feb 2019 (the 6th RSG meeting in
    // Maribor may have come before or after it).
    for w in TIMELINE.windows(2) {
        let (a, b) = (meeting(&r, w[0]), meeting(&r, w[1]));
        if w.contains(&"intra-rsg-coventry") {
            assert!(!a.start.after(b.start), "{} then {}", w[0], w[1]);
            assert_eq!(a.start.chrono(&b.start), std::cmp::Ordering::Less);
        } else {
            assert!(a.start.before(b.start), "{} then {}", w[0], w[1]);
        }
    }
    let sv2 = meeting(&r, "intra-sv2-badajoz-2018");
    assert_eq!(sv2.start, date("2018-06"));
    let rsg = meeting(&r, "intra-rsg-coventry");
    assert_eq!(sv2.start.first(), rsg.start.first());
    assert!(
        !rsg.start.before(sv2.start) && !rsg.start.after(meeting(&r, "intra-rsg6-maribor").start)
    );
    assert_eq!(sv2.kind, MeetingKind::StudyVisit);
    assert_eq!(
        sv2.host.as_ref().map(|h| h.as_str()),
        Some("intra-fundecyt")
    );
    assert_eq!(
        sv2.practices.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["gp-es-ecommerce-support"]
    );
    let rsg6 = meeting(&r, "intra-rsg6-maribor");
    assert_eq!((rsg6.start.year(), rsg6.start.ymd().1), (2019, 2));
}

const TIMELINE: [&str; 10] = [
    "intra-kickoff-maribor",
    "intra-sv1-varna",
    "intra-sv2-extremadura",
    "intra-sv-maribor-2017",
    "intra-sv-coventry-2017",
    "intra-pm-faro-2018",
    "intra-sv-round2-faro-2018",
    "intra-sv2-badajoz-2018",
    "intra-rsg-coventry",
    "intra-rsg6-maribor",
];

#[test]
fn the_coventry_minutes_keep_their_decision_and_follow_ups() {
    let r = load();
    let m = meeting(&r, "intra-rsg-coventry");
    assert_eq!(m.kind, MeetingKind::RsgMeeting);
    // After SV2 (June 2018), before the ERDF calls of March 2019.
    assert_eq!(m.start, date("2018-06/2019-02"));
    assert_eq!(m.start.human(), "Jun 2018 – Feb 2019");
    assert!(m.source.contains("Minutes of the Coventry RSG meeting"));
    assert!(
        m.minutes
            .text()
            .contains("second-round study visit (SV2) to Badajoz")
    );
    assert!(m.decisions.iter().any(|d| d.contains("e-commerce support")));
    assert!(
        m.follow_ups
            .iter()
            .any(|f| f.action.contains("ERDF calls in March 2019"))
    );
    let Some(Record::Action(a)) = r.record(Kind::Action, "a-uk-ecommerce-support") else {
        panic!("the Coventry action is missing")
    };
    assert_eq!(a.status, ActionStatus::InProgress);
    assert_eq!(
        a.inspired_by.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["gp-es-ecommerce-support"]
    );
}

#[test]
fn practices_keep_their_facts_and_honest_statuses() {
    let r = load();
    let sef = practice_titled(&r, "Small-scale incentives for SMEs – vouchers");
    assert_eq!(sef.owner, "Slovene Enterprise Fund");
    assert_eq!(sef.sub_theme, Some(SubTheme::Finance));
    assert!(sef.evidence.text().contains("1,946 projects"));
    assert!(sef.evidence.text().contains("EUR 10.9 million"));
    assert_eq!(sef.start, Some(date("2019")));
    assert!(sef.source.contains("Policy Learning Platform"));
    assert_eq!(
        practice_titled(&r, "Slovenian business clubs – a public call for tenders").owner,
        "SPIRIT Slovenia"
    );
    assert_eq!(
        practice_titled(&r, "Internationalisation Business Bootcamp").sub_theme,
        Some(SubTheme::Training)
    );
    for title in [
        "Internationalisation Voucher",
        "Incentive to the Internationalisation of SMEs",
        "Support Incentives to Collective Actions – Internationalisation",
        "Internationalisation Business Bootcamp",
    ] {
        let p = practice_titled(&r, title);
        assert_eq!(
            (p.country.as_str(), p.region.as_str()),
            ("PT", "Algarve"),
            "{title}"
        );
    }
    // An owner the sources do not give is empty.
    assert_eq!(
        practice_titled(&r, "Internationalisation Business Bootcamp").owner,
        ""
    );
    assert_eq!(practice_titled(&r, "Abruzzo4Export").region, "Abruzzo");

    for p in practices(&r) {
        // A status history records moments; the sources give no time at which a real practice
        // changed status, so real practices carry their status and its sources, no history.
        if !fixtures::is_example(p.id.as_str()) {
            assert!(p.history.is_empty(), "{}", p.id);
            assert!(
                !p.source.is_empty() || p.status == PracticeStatus::Identified,
                "{}",
                p.id
            );
        }
        if !p.history.is_empty() {
            assert_eq!(p.history.last().map(|h| h.to), Some(p.status), "{}", p.id);
        }
        for h in &p.history {
            assert!(!h.reason.trim().is_empty(), "{}", p.id);
            assert!(
                !h.by.to_lowercase().contains("fixtures"),
                "{}: history by '{}'",
                p.id,
                h.by
            );
        }
        assert!(
            !p.status.reached(PracticeStatus::Validated),
            "{}: no source validates a named practice",
            p.id
        );
    }
    // Practices presented at a meeting are at least presented.
    for row in r.rows(Kind::Meeting) {
        let Record::Meeting(m) = &row.record else {
            continue;
        };
        for id in &m.practices {
            let p = practices(&r).into_iter().find(|p| &p.id == id).unwrap();
            assert!(
                p.status.reached(PracticeStatus::Presented),
                "{} is linked to {} but not presented",
                p.id,
                m.id
            );
        }
    }
}

#[test]
fn the_slovenian_voucher_scheme_keeps_its_rules() {
    let r = load();
    let s = scheme(&r, "si-internationalisation-vouchers");
    assert_eq!(s.issuer, "Slovene Enterprise Fund");
    assert_eq!(s.rate, Percent(6000));
    assert_eq!(s.min_amount, Money(30_000));
    assert_eq!(s.max_amount, Money(999_999));
    assert_eq!(s.max_vouchers_per_year, Some(3));
    assert_eq!(s.max_total_per_year, Some(Money(3_000_000)));
    assert!(!s.vat_eligible);
    assert_eq!(s.aid_regime, "de minimis");
    // "From 2019": the year, not an invented first of January.
    assert_eq!(s.opens, Some(date("2019")));
    assert_eq!(s.opens.unwrap().precision(), Precision::Year);
    assert_eq!(s.types.len(), 6);
    for code in ["forums", "delegations"] {
        assert_eq!(s.bounds(code), (Money(30_000), Money(300_000)), "{code}");
        assert_eq!(
            s.voucher_type(code).unwrap().max_participants,
            Some(2),
            "{code}"
        );
    }
    for fact in [
        "EUR 4,500",
        "EUR 8,000",
        "EUR 15,000",
        "EUR 5,400",
        "Cheque Exporta",
        "Lombardy",
    ] {
        assert!(s.notes.contains(fact), "the notes lost '{fact}'");
    }
    assert_eq!(
        scheme(&r, "pt-internationalisation-voucher").max_amount,
        Money(1_500_000)
    );
    assert_eq!(scheme(&r, "es-cheque-exporta").rate, Percent(9000));
}

// ---------------------------------------------------------------------------------------------
// Sources, not notes; examples apart from the real records.

/// Every string of every bundled record, with the record's kind and id.
fn strings() -> Vec<(String, String, String)> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push(k.clone());
                walk(v, out)
            }),
            _ => {}
        }
    }
    let mut all = Vec::new();
    for (_, record) in fixtures::dataset().into_records() {
        let value = serde_json::to_value(&record).unwrap();
        let mut texts = Vec::new();
        walk(&value, &mut texts);
        for t in texts {
            all.push((record.kind().key().to_string(), record.id().to_string(), t));
        }
    }
    all
}

#[test]
fn no_text_refers_to_this_repository_or_apologises() {
    for (kind, id, text) in strings() {
        let lower = text.to_lowercase();
        for word in [
            "seed",
            "domain",
            "fixtures",
            "not given",
            "placeholder",
            "not the date",
        ] {
            assert!(!lower.contains(word), "{kind} '{id}' says '{word}': {text}");
        }
    }
}

fn ids_of(dataset_examples: bool) -> HashSet<String> {
    fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r.id().to_string())
        .filter(|id| fixtures::is_example(id) == dataset_examples)
        .collect()
}

#[test]
fn examples_are_labelled_and_apart_from_the_real_records() {
    let (examples, real) = (ids_of(true), ids_of(false));
    assert!(examples.len() > 40, "{}", examples.len());
    let labelled = |t: &str| t.starts_with("Example");
    for (_, record) in fixtures::dataset().into_records() {
        let id = record.id().to_string();
        if !fixtures::is_example(&id) {
            continue;
        }
        let label = match &record {
            Record::Project(p) => p.title.clone(),
            Record::Partner(p) => p.organisation.clone(),
            Record::Practice(p) => p.title.clone(),
            Record::Meeting(m) => m.title.clone(),
            Record::Session(s) => s.title.clone(),
            Record::Scheme(s) => s.name.clone(),
            Record::Sme(s) => s.name.clone(),
            Record::Voucher(v) => v.service.clone(),
            Record::Transfer(t) => t.title.clone(),
            Record::Stakeholder(s) => s.display_name().to_string(),
            Record::Score(s) => {
                assert!(fixtures::is_example(s.session.as_str()), "{id}");
                continue;
            }
            other => panic!("an example {} has no label: {id}", other.kind().key()),
        };
        assert!(labelled(&label), "{id} is not labelled: {label}");
    }
    // No real record refers to an example one, and no example record to a real practice,
    // meeting or scheme (an example session uses a real criteria set).
    let real_practices: HashSet<String> = real
        .iter()
        .filter(|id| id.starts_with("gp-"))
        .cloned()
        .collect();
    for (kind, id, text) in strings() {
        if fixtures::is_example(&id) {
            assert!(
                !real_practices.contains(&text),
                "example {kind} '{id}' refers to {text}"
            );
            assert!(
                !text.starts_with("intra-")
                    && !text.starts_with("iv-")
                    && text != "si-internationalisation-vouchers",
                "example {kind} '{id}' refers to {text}"
            );
        } else {
            assert!(
                !examples.contains(&text),
                "real {kind} '{id}' refers to the example {text}"
            );
        }
    }
}

#[test]
fn no_real_practice_carries_scores() {
    let r = load();
    assert!(r.count(Kind::Score) > 0);
    for row in r.rows(Kind::Score) {
        let Record::Score(s) = &row.record else {
            continue;
        };
        assert!(fixtures::is_example(s.practice.as_str()), "{}", s.id);
    }
    for row in r.rows(Kind::Session) {
        let Record::Session(s) = &row.record else {
            continue;
        };
        assert!(fixtures::is_example(s.meeting.as_str()), "{}", s.id);
        assert!(s.practices.iter().all(|p| fixtures::is_example(p.as_str())));
    }
}

#[test]
fn examples_are_labelled_as_examples() {
    let r = load();
    for row in r.rows(Kind::Sme) {
        let Record::Sme(s) = &row.record else {
            continue;
        };
        assert!(
            s.name.starts_with("Example"),
            "SME '{}' is not labelled as an example",
            s.name
        );
    }
    let mut statuses = std::collections::HashSet::new();
    for row in r.rows(Kind::Voucher) {
        let Record::Voucher(v) = &row.record else {
            continue;
        };
        assert!(
            v.service.starts_with("Example"),
            "voucher '{}' is not labelled as an example",
            v.id
        );
        assert_eq!(v.scheme.as_str(), "example-vouchers", "{}", v.id);
        if !v.status_reason.is_empty() {
            assert!(v.status_reason.starts_with("Example"), "voucher '{}'", v.id);
        }
        statuses.insert(v.status);
    }
    use VoucherStatus::*;
    for s in [Draft, Submitted, Approved, ClaimSubmitted, Paid, Rejected] {
        assert!(statuses.contains(&s), "no example voucher is {s}");
    }
}

#[test]
fn the_example_session_lists_whoever_creates_the_database() {
    let me = Actor::user("newcomer");
    let records = fixtures::records(fixtures::Bundle::WithExamples, &me);
    let session = records
        .iter()
        .find_map(|r| match r {
            Record::Session(s) => Some(s),
            _ => None,
        })
        .expect("the example session");
    assert!(session.evaluators.contains(&"newcomer".to_string()));
    let real = fixtures::records(fixtures::Bundle::Real, &me);
    assert!(real.iter().all(|r| !fixtures::is_example(r.id())));
    assert_eq!(real.len() + ids_of(true).len(), records.len());
    assert!(fixtures::records(fixtures::Bundle::Nothing, &me).is_empty());
}

// ---------------------------------------------------------------------------------------------
// The real binary: --no-examples, approximate dates through export, import, CSV, list and due.

fn cli(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    let out = common::taskforce(&all);
    assert!(
        matches!(out.status.code(), Some(0) | Some(6)),
        "taskforce {args:?}: {}",
        common::stderr(&out)
    );
    out
}

#[test]
fn no_examples_creates_a_database_with_the_real_records_only() {
    let (_dir, db) = common::temp_db();
    let db = db.to_str().unwrap();
    let out = cli(db, &["--no-examples", "init"]);
    assert_eq!(out.status.code(), Some(0));
    let export: Value = serde_json::from_str(&common::stdout(&cli(db, &["export"]))).unwrap();
    let text = export.to_string();
    assert!(!text.contains("example-"), "an example record was created");
    assert!(!text.contains("\"Example"), "an example record was created");
    assert_eq!(export["projects"].as_array().unwrap().len(), 2);
    assert!(
        export
            .get("scores")
            .is_none_or(|s| s.as_array().unwrap().is_empty())
    );
    let out = cli(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stdout(&out));
    assert!(common::stdout(&out).contains("no problems found"));
    // --empty and --no-examples together make no sense.
    let (_dir2, db2) = common::temp_db();
    let both = common::taskforce(&[
        "--db",
        db2.to_str().unwrap(),
        "--empty",
        "--no-examples",
        "init",
    ]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn approximate_dates_survive_every_format_sort_and_are_never_overdue_by_accident() {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap();
    cli(db, &["init"]);
    let out = cli(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stdout(&out));
    let exported = common::stdout(&cli(db, &["export"]));
    let v: Value = serde_json::from_str(&exported).unwrap();
    let start = |v: &Value, id: &str| {
        v["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["start"]
            .clone()
    };
    assert_eq!(start(&v, "intra-sv2-extremadura"), "2016-12");
    assert_eq!(start(&v, "intra-rsg-coventry"), "2018-06/2019-02");
    assert_eq!(start(&v, "iv-tv-burgos"), "2019-08/2022-01");
    let scheme = v["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "si-internationalisation-vouchers")
        .unwrap();
    assert_eq!(scheme["opens"], "2019");

    // JSON: a new database imports the export and exports it again unchanged.
    let file = dir.path().join("all.json");
    std::fs::write(&file, &exported).unwrap();
    let copy = dir.path().join("copy");
    let copy = copy.to_str().unwrap();
    cli(copy, &["import", file.to_str().unwrap()]);
    assert_eq!(common::stdout(&cli(copy, &["export"])), exported);

    // CSV: the meetings, replaced from their own CSV, are unchanged.
    let csv = dir.path().join("meetings.csv");
    cli(
        copy,
        &[
            "export",
            "--format",
            "csv",
            "--kind",
            "meetings",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("2018-06/2019-02"), "{text}");
    assert!(text.contains(",2016-12,"), "{text}");
    cli(
        copy,
        &["import", csv.to_str().unwrap(), "--on-conflict", "replace"],
    );
    assert_eq!(common::stdout(&cli(copy, &["export"])), exported);

    // `list meetings` in the order of the timeline.
    let listed = common::stdout(&cli(
        db,
        &["list", "meetings", "--project", "intra", "--format", "tsv"],
    ));
    let ids: Vec<&str> = listed
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .filter(|id| !id.ends_with("-extremadura") || *id == "intra-sv2-extremadura")
        .collect();
    assert_eq!(ids, TIMELINE, "{listed}");

    // Nothing is overdue because a date is approximate: neither on the first day a span may be
    // nor just after the bundled records' dates.
    for today in ["2016-12-01", "2018-06-01", "2019-02-01", "2022-11-04"] {
        let out = cli(db, &["due", "--today", today, "--format", "tsv"]);
        let text = common::stdout(&out);
        assert!(
            text.lines()
                .all(|l| !l.starts_with("overdue") || l.contains("example-")),
            "{today}: {text}"
        );
    }
}

#[test]
fn criteria_presets_are_complete() {
    let r = load();
    let set = |id: &str| match r.record(Kind::CriteriaSet, id) {
        Some(Record::CriteriaSet(c)) => (**c).clone(),
        other => panic!("criteria set '{id}' is missing: {other:?}"),
    };
    let tram = set("tram");
    assert_eq!(tram.name, "TRAM (Interreg Europe)");
    let codes: Vec<&str> = tram.criteria.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "sustainability",
            "transferability",
            "effectiveness",
            "innovation"
        ]
    );
    assert!(
        tram.criteria
            .iter()
            .all(|c| c.weight == tram.criteria[0].weight && c.scale.points.len() == 5)
    );
    let merit = set("weighted-merit");
    let weights: Vec<i64> = merit.criteria.iter().map(|c| c.weight.0).collect();
    assert_eq!(weights, [4000, 3000, 3000]);
    assert_eq!(merit.pass_mark, Some(Decimal1(30)));
    let descriptive = set("descriptive-0-5");
    assert_eq!(descriptive.criteria.len(), 1);
    assert_eq!(descriptive.criteria[0].scale.step, Decimal1(1));
    assert_eq!(
        (
            descriptive.criteria[0].scale.min,
            descriptive.criteria[0].scale.max
        ),
        (Decimal1(0), Decimal1(50))
    );
    // Values that are not the programme's are labelled for what they are.
    for id in [
        "tram",
        "weighted-merit",
        "descriptive-0-5",
        "intra-itf-grid",
    ] {
        assert!(set(id).description.contains("example"), "{id}");
    }
    assert!(tram.description.contains("not the programme's grid"));
    assert!(
        set("intra-itf-grid")
            .description
            .contains("not INTRA's own grid")
    );
}
