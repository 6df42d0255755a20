//! The bundled fixtures load into an empty database and hold the facts the domain names.

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
        source: "fixtures".into(),
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
// The facts the fixtures must keep (DOMAIN.md and the seed documents).

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
    assert_eq!(r.count(Kind::Project), 2);
    assert_eq!(r.count(Kind::Partner), 14);
    assert_eq!(r.count(Kind::Practice), 11);
    assert_eq!(r.count(Kind::Meeting), 18);
    assert_eq!(r.count(Kind::CriteriaSet), 4);
    assert_eq!(r.count(Kind::ActionPlan), 2);
    assert_eq!(r.count(Kind::Action), 4);
    assert_eq!(r.count(Kind::Scheme), 3);
    assert!((3..=4).contains(&r.count(Kind::Sme)));
    assert!((6..=8).contains(&r.count(Kind::Voucher)));
    let ps = partners(&r);
    assert_eq!(
        ps.iter().filter(|p| p.project.as_str() == "intra").count(),
        6
    );
    assert_eq!(
        ps.iter()
            .filter(|p| p.project.as_str() == "interventures")
            .count(),
        8
    );
    let in_project = |id: &str| {
        r.rows(Kind::Meeting)
            .filter(|row| matches!(&row.record, Record::Meeting(m) if m.project.as_str() == id))
            .count()
    };
    assert_eq!(in_project("intra"), 11);
    assert_eq!(in_project("interventures"), 7);
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
    assert_eq!(iv.end, Some(date("2019-08-01").add_months(36).add_days(-1)));
    assert_eq!(iv.phases.len(), 2);
    assert_eq!(
        iv.phases[0].end,
        date("2019-08-01").add_months(24).add_days(-1)
    );
    assert_eq!(iv.phases[1].start, date("2019-08-01").add_months(24));
    assert_eq!(iv.phases[1].end, iv.end.unwrap());
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
    let ps = partners(&r);
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
    assert!(
        actions.iter().all(|a| !a.inspired_by.is_empty()),
        "every Slovenian action names its practice"
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

    // Dec 2016 in Extremadura: four events, no day in the sources, and the minutes say so.
    for id in [
        "intra-workshop-extremadura",
        "intra-sv2-extremadura",
        "intra-itf2-extremadura",
        "intra-sc2-extremadura",
    ] {
        let m = meeting(&r, id);
        assert_eq!(m.start, date("2016-12-01"), "{id}");
        assert_eq!(m.city, "Badajoz", "{id}");
        assert!(
            m.minutes.contains("Exact dates not given in the sources"),
            "{id}"
        );
    }
    let sv2 = meeting(&r, "intra-sv2-extremadura");
    assert!(
        sv2.practices
            .iter()
            .any(|p| p.as_str() == "gp-es-ecommerce-support")
    );
    assert!(
        sv2.practices
            .iter()
            .any(|p| p.as_str() == "gp-es-outsourced-export-services")
    );
    assert!(
        meeting(&r, "intra-sv-maribor-2017")
            .minutes
            .contains("21 study cases")
    );

    // InterVentures: placeholder dates, inside the project, in the order the sources list them.
    let iv = project(&r, "interventures");
    let order = [
        "iv-irm1-pecs",
        "iv-irm2-online",
        "iv-irm3-rzeszow",
        "iv-irm4-milan",
        "iv-tv-burgos",
        "iv-tv-klaipeda",
    ];
    let starts: Vec<Date> = order.iter().map(|id| meeting(&r, id).start).collect();
    assert!(starts.windows(2).all(|w| w[0].before(w[1])), "{starts:?}");
    for id in order {
        let m = meeting(&r, id);
        assert!(
            !m.start.before(iv.start.unwrap()) && !m.start.after(iv.end.unwrap()),
            "{id}"
        );
        assert!(
            m.minutes.contains("not the date"),
            "{id} must say its date is a placeholder"
        );
    }
}

#[test]
fn the_coventry_minutes_keep_their_decision_and_follow_ups() {
    let r = load();
    let m = meeting(&r, "intra-rsg-coventry-2018");
    assert_eq!(m.kind, MeetingKind::RsgMeeting);
    assert_eq!(m.start.year(), 2018);
    assert!(m.minutes.contains("Date not given in the sources"));
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
    assert_eq!(practice_titled(&r, "Abruzzo4Export").region, "Abruzzo");

    for p in practices(&r) {
        assert_eq!(p.history.last().map(|h| h.to), Some(p.status), "{}", p.id);
        assert!(
            p.history
                .iter()
                .all(|h| h.by == "fixtures" && !h.reason.trim().is_empty()),
            "{}",
            p.id
        );
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
    assert_eq!(s.opens.map(Date::year), Some(2019));
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
    assert!(set("intra-itf-grid").description.contains("unconfirmed"));
}
