//! Records for the workbench tests, built here (not from the bundled fixtures): two projects,
//! partners with accented names, practices at every stage (one with a CJK title), meetings that
//! present them, an action plan with an overdue report, actions inspired by practices, a
//! voucher scheme with applications, and an evaluation.

#![allow(dead_code)]

use taskforce::model::*;
use taskforce::tui::{App, Options};

pub fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

pub fn eur(units: i64) -> Money {
    Money::from_units(units)
}

pub fn project(id: &str, acronym: &str, title: &str, start: &str, end: &str) -> Record {
    Record::from(Project {
        source: String::new(),
        id: id.into(),
        acronym: acronym.into(),
        title: title.into(),
        programme: "Interreg Europe".into(),
        start: Some(d(start)),
        end: Some(d(end)),
        phases: vec![],
        total_budget: None,
        erdf_amount: None,
        erdf_rate: None,
        lead_partner: None,
        summary: String::new(),
        website: String::new(),
    })
}

fn partner(
    id: &str,
    project: &str,
    organisation: &str,
    short: &str,
    country: &str,
    role: PartnerRole,
) -> Record {
    Record::from(Partner {
        source: String::new(),
        id: id.into(),
        project: project.into(),
        organisation: organisation.into(),
        short_name: short.into(),
        country: country.into(),
        region: String::new(),
        nuts2: String::new(),
        city: String::new(),
        role,
        policy_instrument: String::new(),
        website: String::new(),
    })
}

pub fn practice(
    id: &str,
    project: &str,
    title: &str,
    country: &str,
    status: PracticeStatus,
    partner: Option<&str>,
) -> Practice {
    Practice {
        source: String::new(),
        id: id.into(),
        project: project.into(),
        title: title.into(),
        owner: "Slovene Enterprise Fund".into(),
        partner: partner.map(PartnerId::from),
        country: country.into(),
        region: String::new(),
        city: String::new(),
        level: Some(ImplementationLevel::National),
        sub_theme: Some(SubTheme::Finance),
        summary: "Small grants that cover part of the cost of a first step abroad.".into(),
        description: "The fund co-finances up to 60% of eligible costs, up to EUR 10,000 a voucher and EUR 30,000 a year per SME. ".repeat(6).into(),
        website: String::new(),
        resources: Prose::default(),
        evidence: "1,946 projects supported in 2019.".into(),
        transfer_potential: Prose::default(),
        difficulties: Prose::default(),
        start: None,
        end: None,
        keywords: vec!["vouchers".into()],
        status,
        history: vec![],
        web_status: None,
    }
}

pub fn meeting(
    id: &str,
    project: &str,
    title: &str,
    kind: MeetingKind,
    (city, country): (&str, &str),
    start: &str,
    practices: &[&str],
) -> Meeting {
    Meeting {
        source: String::new(),
        id: id.into(),
        project: project.into(),
        title: title.into(),
        kind,
        mode: MeetingMode::InPerson,
        host: None,
        city: city.into(),
        country: country.into(),
        start: d(start),
        end: None,
        agenda: vec![],
        attendance: vec![],
        minutes: Default::default(),
        practices: practices.iter().map(|p| PracticeId::from(*p)).collect(),
        decisions: vec![],
        follow_ups: vec![],
    }
}

pub fn voucher(
    id: &str,
    type_code: &str,
    sme: &str,
    requested: i64,
    status: VoucherStatus,
) -> Voucher {
    let approved = matches!(
        status,
        VoucherStatus::Approved
            | VoucherStatus::Paid
            | VoucherStatus::ClaimSubmitted
            | VoucherStatus::Closed
    );
    let paid = matches!(status, VoucherStatus::Paid | VoucherStatus::Closed);
    Voucher {
        participants: Vec::new(),
        id: id.into(),
        scheme: "si-vouchers".into(),
        voucher_type: type_code.into(),
        sme: sme.into(),
        service: format!("Fair stand {id}"),
        eligible_cost: eur(requested * 2),
        requested: eur(requested),
        approved: approved.then(|| eur(requested)),
        paid: paid.then(|| eur(requested)),
        submitted_on: (status != VoucherStatus::Draft).then(|| d("2020-03-01")),
        contract_start: approved.then(|| d("2020-04-01")),
        contract_end: approved.then(|| d("2020-12-31")),
        costs_from: None,
        costs_to: None,
        claim_on: (paid || status == VoucherStatus::ClaimSubmitted).then(|| d("2020-10-01")),
        paid_on: paid.then(|| d("2020-11-01")),
        status,
        status_reason: String::new(),
    }
}

/// Every record of the test corpus, in an order where references point back.
pub fn records() -> Vec<Record> {
    let mut out = vec![
        project(
            "intra",
            "INTRA",
            "Internationalisation of regional SMEs",
            "2016-04-01",
            "2021-03-31",
        ),
        project(
            "interventures",
            "InterVentures",
            "Interregional ventures",
            "2019-08-01",
            "2022-07-31",
        ),
        partner(
            "mra",
            "intra",
            "Maribor Development Agency",
            "MRA",
            "SI",
            PartnerRole::Lead,
        ),
        partner(
            "varna",
            "intra",
            "Regional Agency for Entrepreneurship and Innovations – Varna",
            "RAPIV",
            "BG",
            PartnerRole::Partner,
        ),
        partner(
            "klaipeda-id",
            "interventures",
            "Klaipėda ID",
            "KID",
            "LT",
            PartnerRole::Partner,
        ),
        partner(
            "rzeszow",
            "interventures",
            "Rzeszów Regional Development Agency",
            "RARR",
            "PL",
            PartnerRole::Partner,
        ),
    ];
    let mut vouchers = practice(
        "gp-vouchers",
        "intra",
        "Small-scale incentives for SMEs – vouchers",
        "SI",
        PracticeStatus::Validated,
        Some("mra"),
    );
    vouchers.history = vec![
        StatusChange {
            at: Timestamp::parse("2016-09-01T10:00:00Z").unwrap(),
            by: "ana".into(),
            from: None,
            to: PracticeStatus::Identified,
            reason: "found".into(),
            session: None,
        },
        StatusChange {
            at: Timestamp::parse("2016-09-13T10:00:00Z").unwrap(),
            by: "ana".into(),
            from: Some(PracticeStatus::Identified),
            to: PracticeStatus::Presented,
            reason: "study visit Varna".into(),
            session: None,
        },
        StatusChange {
            at: Timestamp::parse("2016-09-14T10:00:00Z").unwrap(),
            by: "itf".into(),
            from: Some(PracticeStatus::Presented),
            to: PracticeStatus::Validated,
            reason: "ITF meeting".into(),
            session: None,
        },
    ];
    out.push(Record::from(vouchers));
    out.push(Record::from(practice(
        "gp-clubs",
        "intra",
        "Slovenian business clubs – a public call for tenders",
        "SI",
        PracticeStatus::Presented,
        Some("mra"),
    )));
    out.push(Record::from(practice(
        "gp-bootcamp",
        "intra",
        "Internationalisation Business Bootcamp",
        "PT",
        PracticeStatus::InHandbook,
        None,
    )));
    out.push(Record::from(practice(
        "gp-tokyo",
        "interventures",
        "東京 trade desk for Klaipėda exporters",
        "LT",
        PracticeStatus::Identified,
        Some("klaipeda-id"),
    )));
    out.push(Record::from(practice(
        "gp-rzeszow",
        "interventures",
        "Rzeszów export academy",
        "PL",
        PracticeStatus::Rejected,
        Some("rzeszow"),
    )));
    let mut varna = meeting(
        "sv-varna",
        "intra",
        "Study visit Varna",
        MeetingKind::StudyVisit,
        ("Varna", "BG"),
        "2016-09-12",
        &["gp-vouchers", "gp-clubs"],
    );
    varna.end = Some(d("2016-09-16"));
    varna.decisions = vec!["Vouchers go to the ITF".into()];
    varna.follow_ups = vec![
        FollowUp {
            action: "Send the evaluation grid".into(),
            owner: "MRA".into(),
            due: Some(d("2016-10-01")),
            done: false,
        },
        FollowUp {
            action: "Book the rooms".into(),
            owner: "RAPIV".into(),
            due: Some(d("2016-08-01")),
            done: true,
        },
    ];
    out.push(Record::from(varna));
    out.push(Record::from(meeting(
        "ko-maribor",
        "intra",
        "Kick-off Maribor",
        MeetingKind::KickOff,
        ("Maribor", "SI"),
        "2016-05-18",
        &[],
    )));
    out.push(Record::from(meeting(
        "tv-klaipeda",
        "interventures",
        "Thematic visit Klaipėda",
        MeetingKind::ThematicVisit,
        ("Klaipėda", "LT"),
        "2021-10-05",
        &["gp-tokyo"],
    )));
    out.push(Record::from(ActionPlan {
        source: String::new(),
        id: "ap-si".into(),
        project: "intra".into(),
        partner: "mra".into(),
        title: "Slovenian action plan".into(),
        instrument: "Operational Programme for the Implementation of the EU Cohesion Policy".into(),
        instrument_kind: InstrumentKind::GrowthAndJobs,
        validated_on: Some(d("2019-02-28")),
        validated_by: "RSG".into(),
        summary: String::new(),
        reports: vec![MonitoringReport {
            period_start: d("2019-04-01"),
            period_end: d("2019-09-30"),
            due: d("2019-12-31"),
            submitted_on: None,
            summary: String::new(),
            progress: vec![],
            indicators: vec![],
        }],
    }));
    out.push(Record::from(Action {
        source: String::new(),
        id: "act-vouchers".into(),
        plan: "ap-si".into(),
        title: "Internationalisation vouchers".into(),
        background: String::new(),
        inspired_by: vec!["gp-vouchers".into()],
        activities: String::new(),
        players: String::new(),
        start: Some(d("2019-03-01")),
        end: None,
        costs: Some(eur(10_900_000)),
        funding: String::new(),
        indicators: vec![],
        status: ActionStatus::InProgress,
        status_reason: String::new(),
    }));
    out.push(Record::from(VoucherScheme {
        source: String::new(),
        id: "si-vouchers".into(),
        project: Some("intra".into()),
        name: "Slovene internationalisation vouchers".into(),
        issuer: "Slovene Enterprise Fund".into(),
        country: "SI".into(),
        opens: Some(d("2019-01-01")),
        closes: None,
        rate: Percent(6000),
        min_amount: Money(30_000),
        max_amount: Money(999_999),
        max_vouchers_per_year: Some(3),
        max_total_per_year: Some(eur(30_000)),
        budget: Some(eur(20_000)),
        eligible_costs: String::new(),
        vat_eligible: false,
        aid_regime: "de minimis".into(),
        notes: String::new(),
        types: vec![
            VoucherType {
                code: "fairs".into(),
                name: "Joint presentations at fairs".into(),
                description: String::new(),
                min_amount: None,
                max_amount: None,
                max_participants: None,
            },
            VoucherType {
                code: "research".into(),
                name: "Foreign market research".into(),
                description: String::new(),
                min_amount: None,
                max_amount: None,
                max_participants: None,
            },
        ],
    }));
    out.push(Record::from(Sme {
        id: "sme-lesnina".into(),
        name: "Lesnina d.o.o.".into(),
        registration_number: String::new(),
        size: SmeSize::Small,
        country: "SI".into(),
        region: String::new(),
        city: String::new(),
    }));
    out.push(Record::from(Sme {
        id: "sme-zito".into(),
        name: "Žito d.d.".into(),
        registration_number: String::new(),
        size: SmeSize::Medium,
        country: "SI".into(),
        region: String::new(),
        city: String::new(),
    }));
    out.push(Record::from(voucher(
        "v1",
        "fairs",
        "sme-lesnina",
        5_000,
        VoucherStatus::Paid,
    )));
    out.push(Record::from(voucher(
        "v2",
        "fairs",
        "sme-zito",
        4_000,
        VoucherStatus::Approved,
    )));
    out.push(Record::from(voucher(
        "v3",
        "research",
        "sme-zito",
        3_000,
        VoucherStatus::Submitted,
    )));
    out
}

/// The records as a replica, each at revision 1.
pub fn replica() -> Replica {
    let mut r = Replica::new();
    for record in records() {
        r.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "test".into(),
            record,
        });
    }
    r.seq = 1;
    r
}

pub fn options() -> Options {
    Options {
        ascii: false,
        color: true,
        mouse: false,
    }
}

/// An app over the test corpus, with a fixed today (2020-01-15).
pub fn app() -> App {
    let mut app = App::new(replica(), "ana", "/tmp/db", options());
    app.today = d("2020-01-15");
    app
}

/// Opens the list of `kind` from the navigation pane, as the keys do.
pub fn open_kind(app: &mut App, kind: Kind) {
    use taskforce::tui::app::nav_targets;
    use taskforce::tui::{Action, Pane, Target, update};
    let i = nav_targets()
        .iter()
        .position(|t| *t == Target::Kind(kind))
        .unwrap();
    while app.focus() != Pane::Nav {
        update(app, Action::NextPane);
    }
    update(app, Action::Top);
    for _ in 0..i {
        update(app, Action::Down);
    }
    update(app, Action::Open);
    assert_eq!(app.focus(), Pane::List);
}

/// The text of a drawn screen, its rows joined by line breaks.
pub fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// `app` laid out and drawn at `width`×`height`, as text.
pub fn drawn(app: &mut App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal.draw(|f| taskforce::tui::render(f, app)).unwrap();
    screen_text(terminal.backend().buffer())
}
