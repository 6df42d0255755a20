//! The documents the partnership hands out, built from the records as [`Document`]s (rendered to
//! Markdown by [`Document::markdown`] and to Word by [`super::docx::docx`]): the Good Practice
//! Handbook of a project, the minutes of a meeting, the semester monitoring report of an action
//! plan and the evaluation report of a session.

use super::documents::{
    Align, Document, Line, TitlePage, bold, given, italic, labelled, line, plain,
};
use crate::model::kinds::{self, Show};
use crate::model::*;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "18 May 2016"; "December 2016", "2018", "March–May 2018" for a date known less precisely.
pub fn long_date(d: Date) -> String {
    if !d.is_exact() {
        return d.spelled(&MONTHS);
    }
    let (y, m, day) = d.ymd();
    format!(
        "{day} {} {y}",
        MONTHS[(m as usize).saturating_sub(1).min(11)]
    )
}

/// "18–19 May 2016", "30 May – 2 June 2018", or one day; approximate dates as they are known.
pub fn date_range(start: Date, end: Option<Date>) -> String {
    match end {
        None => long_date(start),
        Some(e) if e == start => long_date(start),
        Some(e) if !start.is_exact() || !e.is_exact() => {
            format!("{} – {}", long_date(start), long_date(e))
        }
        Some(e) => {
            let ((y1, m1, d1), (y2, m2, _)) = (start.ymd(), e.ymd());
            if y1 == y2 && m1 == m2 {
                format!("{d1}–{}", long_date(e))
            } else if y1 == y2 {
                format!("{d1} {} – {}", MONTHS[m1 as usize - 1], long_date(e))
            } else {
                format!("{} – {}", long_date(start), long_date(e))
            }
        }
    }
}

/// ", "-joined parts that are given.
fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter_map(|p| given(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A record's fields as its declaration shows them in the detail (`.shown` rows, in their
/// order), as a document lists them: references by the name of the record they name, spans of
/// dates written out.
fn declared_fields(replica: &Replica, record: &Record) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (field, shown) in &kinds::shown(record.kind()).rows {
        let label = shown.label.unwrap_or(field.name());
        match shown.how {
            Show::Text(value) | Show::Strong(value) => out.push((label, value(replica, record))),
            Show::Link(kind, id) => {
                if let Some(id) = id(record) {
                    let name = replica
                        .record(kind, id)
                        .map_or_else(|| id.to_string(), Record::title);
                    out.push((label, name));
                }
            }
            Show::Day(day) => {
                let (on, then) = day(record);
                out.push((label, kinds::day_and(on, &then, long_date)));
            }
            Show::Period(span) => {
                let text = match span(record) {
                    (Some(s), e) => match e {
                        Some(e) => date_range(s, Some(e)),
                        None => format!("from {}", long_date(s)),
                    },
                    (None, Some(e)) => format!("until {}", long_date(e)),
                    (None, None) => String::new(),
                };
                out.push((label, text));
            }
            Show::Periods(spans) => {
                for (name, start, end) in spans(record) {
                    out.push((label, format!("{name}: {}", date_range(start, Some(end)))));
                }
            }
            Show::Block(_) | Show::Lines(_) => {}
        }
    }
    out
}

fn partner_name(replica: &Replica, id: Option<&PartnerId>) -> String {
    match id.and_then(|p| replica.record(Kind::Partner, p.as_str())) {
        Some(Record::Partner(p)) => p.organisation.clone(),
        _ => id.map(|p| p.to_string()).unwrap_or_default(),
    }
}

fn project_name(p: &Project) -> String {
    if p.title.trim().is_empty() || p.title == p.acronym {
        p.acronym.clone()
    } else {
        format!("{} — {}", p.acronym, p.title)
    }
}

/// The ITF sub-themes as INTRA's task force named them.
pub fn sub_theme_name(t: SubTheme) -> &'static str {
    match t {
        SubTheme::Leadership => {
            "Leadership, organisation and management of internationalisation policies"
        }
        SubTheme::Training => "Training, human resources needed for internationalisation",
        SubTheme::Finance => "Financial resources for internationalisation",
    }
}

// ---------------------------------------------------------------------------------------------
// The Good Practice Handbook

/// Whether a practice belongs in the handbook: validated by the partnership or already in it.
pub fn in_handbook(p: &Practice) -> bool {
    matches!(
        p.status,
        PracticeStatus::Validated | PracticeStatus::InHandbook
    )
}

/// How and when the practice was validated: the status change naming a session (its title and
/// meeting), else the last change to validated or in the handbook.
fn validation(replica: &Replica, p: &Practice) -> Option<Line> {
    let validated =
        |h: &&StatusChange| matches!(h.to, PracticeStatus::Validated | PracticeStatus::InHandbook);
    let h = p
        .history
        .iter()
        .rev()
        .filter(validated)
        .find(|h| h.session.is_some())
        .or_else(|| p.history.iter().rev().find(validated))?;
    let mut text = format!(
        "{} on {}",
        capitalised(h.to.label()),
        long_date(h.at.date())
    );
    if let Some(s) = &h.session {
        match replica.record(Kind::Session, s.as_str()) {
            Some(Record::Session(session)) => {
                text.push_str(&format!(", in the evaluation session “{}”", session.title));
                if let Some(Record::Meeting(m)) =
                    replica.record(Kind::Meeting, session.meeting.as_str())
                {
                    text.push_str(&format!(
                        " at the {} ({})",
                        m.title,
                        date_range(m.start, m.end)
                    ));
                }
            }
            _ => text.push_str(&format!(", in the evaluation session {s}")),
        }
    }
    text.push('.');
    if let Some(reason) = given(&h.reason) {
        text.push(' ');
        text.push_str(reason);
    }
    Some(vec![bold("Validation"), plain(format!(": {text}"))])
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The Good Practice Handbook of a project: a title page, contents, then the practices grouped
/// by ITF sub-theme (1., 2., 3., then those without one) and numbered within it (1.1, 1.2 …).
/// Only validated and in-handbook practices unless `all`.
pub fn handbook(replica: &Replica, project: &Project, all: bool, written: Date) -> Document {
    let practices: Vec<&Practice> = replica
        .rows(Kind::Practice)
        .filter_map(|r| match &r.record {
            Record::Practice(p) if p.project == project.id && (all || in_handbook(p)) => Some(&**p),
            _ => None,
        })
        .collect();
    let mut doc = Document {
        title_page: Some(TitlePage {
            title: "Good Practice Handbook".into(),
            subtitle: project_name(project),
            lines: [
                given(&project.programme).map(str::to_string),
                Some(match (all, practices.len()) {
                    (false, 1) => "1 good practice validated by the partnership".to_string(),
                    (false, n) => format!("{n} good practices validated by the partnership"),
                    (true, 1) => "1 good practice".to_string(),
                    (true, n) => format!("{n} good practices, validated or not"),
                }),
                Some(format!("Written {}", long_date(written))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }),
        contents: true,
        blocks: vec![],
    };
    if practices.is_empty() {
        doc.paragraph(line(format!(
            "No practice of {} is validated yet.",
            project.acronym
        )));
        return doc;
    }
    let mut groups: Vec<(String, Vec<&Practice>)> = Vec::new();
    for t in SubTheme::ALL {
        let of: Vec<&Practice> = practices
            .iter()
            .copied()
            .filter(|p| p.sub_theme == Some(*t))
            .collect();
        if !of.is_empty() {
            groups.push((sub_theme_name(*t).to_string(), of));
        }
    }
    let other: Vec<&Practice> = practices
        .iter()
        .copied()
        .filter(|p| p.sub_theme.is_none())
        .collect();
    if !other.is_empty() {
        let title = if groups.is_empty() {
            "Good practices"
        } else {
            "Other good practices"
        };
        groups.push((title.to_string(), other));
    }
    for (g, (theme, list)) in groups.iter().enumerate() {
        if g > 0 {
            doc.page_break();
        }
        doc.heading(2, format!("{}. {theme}", g + 1));
        for (i, p) in list.iter().enumerate() {
            doc.heading(3, format!("{}.{} {}", g + 1, i + 1, p.title));
            let timescale = match (p.start, p.end) {
                (Some(s), Some(e)) => format!("{} – {}", long_date(s), long_date(e)),
                (Some(s), None) => format!("since {}", long_date(s)),
                (None, Some(e)) => format!("until {}", long_date(e)),
                (None, None) => String::new(),
            };
            doc.fields(&[
                ("Owner", p.owner.clone()),
                ("Partner", partner_name(replica, p.partner.as_ref())),
                (
                    "Location",
                    joined(&[p.city.as_str(), p.region.as_str(), p.country.as_str()]),
                ),
                (
                    "Level",
                    p.level.map(|l| l.label().to_string()).unwrap_or_default(),
                ),
                ("Timescale", timescale),
                ("Contact", p.website.clone()),
                (
                    "Status",
                    if all {
                        p.status.label().to_string()
                    } else {
                        String::new()
                    },
                ),
            ]);
            // Its long texts, as its declaration shows them (in the programme's order).
            let record = Record::from((*p).clone());
            for (field, shown) in &kinds::shown(Kind::Practice).texts {
                let Show::Block(text) = shown.how else {
                    continue;
                };
                let body = text(&record);
                if given(&body).is_some() {
                    doc.heading(4, shown.label.unwrap_or(field.name()));
                    doc.prose(&body);
                }
            }
            if let Some(v) = validation(replica, p) {
                doc.paragraph(v);
            }
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Minutes of a meeting

/// A meeting's attendees grouped by organisation (as the minutes list them, a line each, and
/// the people without one after them), organisations in alphabetical order with the group
/// without one last, each with its people in the order of the attendance. Stakeholders and members on record are named from their records — an erased
/// stakeholder as "(erased)" — and a guest without an organisation by their partner's name.
pub fn attendance_by_organisation(replica: &Replica, m: &Meeting) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for a in &m.attendance {
        let seen = a.seen(|k, id| replica.record(k, id));
        let org = given(seen.organisation)
            .map(str::to_string)
            .or_else(|| seen.partner.map(|p| partner_name(replica, Some(p))))
            .unwrap_or_default();
        // An organisation taking part as such is its own line, without a name.
        let name = (seen.name != org).then(|| seen.name.to_string());
        match groups.iter_mut().find(|(o, _)| *o == org) {
            Some((_, names)) => names.extend(name),
            None => groups.push((org, name.into_iter().collect())),
        }
    }
    groups.sort_by_key(|(org, _)| (org.is_empty(), crate::model::kinds::sort_text(org)));
    groups
}

pub fn minutes(replica: &Replica, m: &Meeting) -> Document {
    let mut doc = Document::default();
    doc.heading(1, format!("Minutes: {}", m.title));
    doc.fields(&declared_fields(replica, &Record::from(m.clone())));
    if !m.attendance.is_empty() {
        doc.heading(2, format!("Attendance ({})", m.attendance.len()));
        doc.bullets(
            attendance_by_organisation(replica, m)
                .into_iter()
                .flat_map(|(org, names)| {
                    if org.is_empty() {
                        names.into_iter().map(line).collect()
                    } else if names.is_empty() {
                        vec![line(org)]
                    } else {
                        vec![line(format!("{org}: {}", names.join(", ")))]
                    }
                })
                .collect(),
        );
    }
    if !m.agenda.is_empty() {
        doc.heading(2, "Agenda");
        // The time and presenter columns only where some item has them.
        let times = m.agenda.iter().any(|a| given(&a.time).is_some());
        let presenters = m.agenda.iter().any(|a| given(&a.presenter).is_some());
        let mut header = vec!["No.", "Item"];
        if times {
            header.insert(1, "Time");
        }
        if presenters {
            header.push("Presenter");
        }
        let mut align = vec![Align::Left; header.len()];
        align[0] = Align::Right;
        doc.table(
            &header,
            &align,
            m.agenda
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let mut row = vec![line((i + 1).to_string())];
                    if times {
                        row.push(line(a.time.clone()));
                    }
                    row.push(line(a.title.clone()));
                    if presenters {
                        row.push(line(a.presenter.clone()));
                    }
                    row
                })
                .collect(),
        );
    }
    let minutes = m.minutes.text();
    if given(&minutes).is_some() {
        doc.heading(2, "Minutes");
        doc.prose(&minutes);
    }
    if !m.decisions.is_empty() {
        doc.heading(2, "Decisions");
        doc.bullets(m.decisions.iter().map(|d| line(d.clone())).collect());
    }
    if !m.follow_ups.is_empty() {
        doc.heading(2, "Follow-ups");
        doc.table(
            &["Action", "Owner", "Due", "Done"],
            &[Align::Left, Align::Left, Align::Left, Align::Left],
            m.follow_ups
                .iter()
                .map(|f| {
                    vec![
                        line(f.action.clone()),
                        line(f.owner.clone()),
                        line(f.due.map(long_date).unwrap_or_default()),
                        line(if f.done { "done" } else { "open" }),
                    ]
                })
                .collect(),
        );
    }
    if !m.practices.is_empty() {
        doc.heading(2, "Good practices presented");
        doc.bullets(
            m.practices
                .iter()
                .map(|id| match replica.record(Kind::Practice, id.as_str()) {
                    Some(Record::Practice(p)) => {
                        let about = joined(&[p.owner.as_str(), p.country.as_str()]);
                        let mut l = vec![plain(p.title.clone())];
                        if !about.is_empty() {
                            l.push(plain(format!(" ({about})")));
                        }
                        l.push(italic(format!(" — {}", p.status.label())));
                        l
                    }
                    _ => line(id.to_string()),
                })
                .collect(),
        );
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Semester monitoring report

/// The transfers an action carries, each with the stage it had reached by the period's end
/// (`to`): what the programme judges the plan by.
fn transfers_carried(doc: &mut Document, replica: &Replica, action: &Action, to: Date) {
    let carried: Vec<&Transfer> = replica
        .rows(Kind::Transfer)
        .filter_map(|r| match &r.record {
            Record::Transfer(t) if t.action.as_ref() == Some(&action.id) => Some(&**t),
            _ => None,
        })
        .collect();
    if carried.is_empty() {
        return;
    }
    doc.heading(4, "Transfers");
    doc.table(
        &["Practice", "Stage by the period's end", "Since", "Result"],
        &[Align::Left; 4],
        carried
            .iter()
            .map(|t| {
                let practice = match replica.record(Kind::Practice, t.practice.as_str()) {
                    Some(Record::Practice(p)) => p.title.clone(),
                    _ => t.practice.to_string(),
                };
                // Only what had certainly happened by then (a stage known as "2019" had not by
                // the end of March 2019).
                let reached = t
                    .stages
                    .iter()
                    .rev()
                    .find(|s| s.on.last().days() <= to.last().days());
                vec![
                    line(practice),
                    line(
                        reached.map_or_else(
                            || "not begun".to_string(),
                            |s| s.stage.label().to_string(),
                        ),
                    ),
                    line(reached.map(|s| long_date(s.on)).unwrap_or_default()),
                    line(t.result.map(|r| r.label().to_string()).unwrap_or_default()),
                ]
            })
            .collect(),
    );
}

/// The monitoring report of an action plan for a period: the reports on semesters within it
/// (submitted or overdue as of `today`), then each action with its status, its progress notes
/// and its indicators, target against the value last reported.
pub fn monitoring(
    replica: &Replica,
    plan: &ActionPlan,
    from: Date,
    to: Date,
    today: Date,
) -> Document {
    let mut doc = Document::default();
    doc.heading(1, format!("Monitoring report: {}", plan.title));
    let mut fields = vec![("Period", format!("{} – {}", long_date(from), long_date(to)))];
    fields.extend(declared_fields(replica, &Record::from(plan.clone())));
    doc.fields(&fields);
    let reports: Vec<&MonitoringReport> = plan
        .reports
        .iter()
        .filter(|r| !r.period_start.after(to) && !r.period_end.before(from))
        .collect();
    doc.heading(2, "Semester reports");
    if reports.is_empty() {
        doc.paragraph(line("No semester report of this plan falls in the period."));
    } else {
        doc.table(
            &["Semester", "Due", "Submitted", "State"],
            &[Align::Left; 4],
            reports
                .iter()
                .map(|r| {
                    let state = match r.submitted_on {
                        Some(_) => "submitted".to_string(),
                        None if r.overdue(today) => {
                            format!("overdue by {} days", today.days() - r.due.last().days())
                        }
                        None => "not yet due".to_string(),
                    };
                    vec![
                        line(format!(
                            "{} – {}",
                            long_date(r.period_start),
                            long_date(r.period_end)
                        )),
                        line(long_date(r.due)),
                        line(r.submitted_on.map(long_date).unwrap_or_default()),
                        if r.overdue(today) {
                            vec![bold(state)]
                        } else {
                            line(state)
                        },
                    ]
                })
                .collect(),
        );
        for r in &reports {
            if let Some(s) = given(&r.summary) {
                doc.paragraph(vec![
                    bold(format!(
                        "{} – {}",
                        long_date(r.period_start),
                        long_date(r.period_end)
                    )),
                    plain(format!(": {s}")),
                ]);
            }
        }
    }
    let overdue: Vec<&MonitoringReport> =
        plan.reports.iter().filter(|r| r.overdue(today)).collect();
    if !overdue.is_empty() {
        doc.heading(2, "Reports overdue");
        doc.bullets(
            overdue
                .iter()
                .map(|r| {
                    labelled(
                        &format!(
                            "{} – {}",
                            long_date(r.period_start),
                            long_date(r.period_end)
                        ),
                        format!(
                            "due {}, not submitted as of {}",
                            long_date(r.due),
                            long_date(today)
                        ),
                    )
                })
                .collect(),
        );
    }
    doc.heading(2, "Actions");
    let actions: Vec<&Action> = replica
        .rows(Kind::Action)
        .filter_map(|r| match &r.record {
            Record::Action(a) if a.plan == plan.id => Some(&**a),
            _ => None,
        })
        .collect();
    if actions.is_empty() {
        doc.paragraph(line("The plan has no actions yet."));
    }
    for (n, a) in actions.iter().enumerate() {
        doc.heading(3, format!("{}. {}", n + 1, a.title));
        let timeframe = match (a.start, a.end) {
            (Some(s), Some(e)) => format!("{} – {}", long_date(s), long_date(e)),
            (Some(s), None) => format!("from {}", long_date(s)),
            (None, Some(e)) => format!("until {}", long_date(e)),
            (None, None) => String::new(),
        };
        let status = match given(&a.status_reason) {
            Some(why) => format!("{} ({why})", a.status.label()),
            None => a.status.label().to_string(),
        };
        doc.fields(&[
            ("Status", status),
            ("Timeframe", timeframe),
            ("Players", a.players.clone()),
            ("Costs", a.costs.map(|c| c.eur()).unwrap_or_default()),
            ("Funding", a.funding.clone()),
        ]);
        let progress: Vec<Line> = reports
            .iter()
            .flat_map(|r| {
                r.progress.iter().filter(|p| p.action == a.id).map(|p| {
                    let mut l = vec![
                        bold(format!(
                            "{} – {}",
                            long_date(r.period_start),
                            long_date(r.period_end)
                        )),
                        plain(format!(": {}", p.status.label())),
                    ];
                    if let Some(note) = given(&p.note) {
                        l.push(plain(format!(" — {note}")));
                    }
                    l
                })
            })
            .collect();
        if progress.is_empty() {
            doc.paragraph(vec![italic("No progress reported in the period.")]);
        } else {
            doc.heading(4, "Progress");
            doc.bullets(progress);
        }
        transfers_carried(&mut doc, replica, a, to);
        if !a.indicators.is_empty() {
            doc.heading(4, "Indicators");
            doc.table(
                &["Indicator", "Target", "Value", "Reported"],
                &[Align::Left, Align::Right, Align::Right, Align::Left],
                a.indicators
                    .iter()
                    .map(|i| {
                        let last = reports.iter().rev().find_map(|r| {
                            r.indicators
                                .iter()
                                .find(|v| v.action == a.id && v.indicator == i.name)
                                .map(|v| (r, v))
                        });
                        vec![
                            line(i.name.clone()),
                            line(i.target.clone()),
                            line(last.map(|(_, v)| v.value.clone()).unwrap_or_default()),
                            line(
                                last.map(|(r, _)| {
                                    format!(
                                        "{} – {}",
                                        long_date(r.period_start),
                                        long_date(r.period_end)
                                    )
                                })
                                .unwrap_or_else(|| "not reported".into()),
                            ),
                        ]
                    })
                    .collect(),
            );
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Evaluation report

use super::results::num;

/// The evaluation report of one session, for the minutes and the programme: the session and
/// its criteria, the results table, then each practice's card with every evaluator's scores,
/// the statistics and disagreements, the comments, and the consensus and decision with their
/// reasons (an override said as such).
pub fn evaluation(replica: &Replica, session: &EvaluationSession) -> Document {
    let mut board = crate::scoring::board_of(replica, session);
    board.sort(crate::scoring::SortBy::Rank);
    let mut doc = Document::default();
    doc.heading(1, format!("Evaluation report: {}", session.title));
    let mut about = Vec::new();
    if let Some(Record::Meeting(m)) = replica.record(Kind::Meeting, session.meeting.as_str()) {
        let place = joined(&[m.city.as_str(), m.country.as_str()]);
        about.push(labelled(
            "Meeting",
            format!(
                "{}, {}{}",
                m.title,
                m.start,
                if place.is_empty() {
                    String::new()
                } else {
                    format!(", {place}")
                }
            ),
        ));
    }
    about.push(labelled(
        "Session",
        format!("{} ({})", session.id, session.state),
    ));
    about.push(labelled("Evaluators", session.evaluators.join(", ")));
    about.push(labelled(
        "Pass mark",
        session
            .pass_mark
            .map_or("none (the ranking only)".to_string(), |m| m.to_string()),
    ));
    about.push(line(format!(
        "{} of {} practices have every score in.",
        board.complete_practices,
        board.practices.len()
    )));
    doc.bullets(about);
    doc.heading(2, "Criteria");
    let weights: f64 = session.criteria.iter().map(|c| c.weight.as_f64()).sum();
    doc.table(
        &["Criterion", "Weight", "Scale", "Threshold"],
        &[Align::Left, Align::Right, Align::Left, Align::Left],
        session
            .criteria
            .iter()
            .map(|c| {
                vec![
                    line(format!("{} {}", c.code, c.label)),
                    line(format!(
                        "{:.0}%",
                        if weights > 0.0 {
                            c.weight.as_f64() / weights * 100.0
                        } else {
                            0.0
                        }
                    )),
                    line(format!("{}–{}", c.scale.min, c.scale.max)),
                    line(match (c.pass_threshold, c.eliminatory) {
                        (Some(t), true) => format!("{t} (eliminatory)"),
                        (Some(t), false) => t.to_string(),
                        (None, _) => String::new(),
                    }),
                ]
            })
            .collect(),
    );
    doc.heading(2, "Results");
    doc.table(
        &[
            "Rank",
            "Practice",
            "Scored",
            "Mean",
            "Median",
            "Min–max",
            "SD",
            "Disagreement",
            "Verdict",
            "Final",
            "Decision",
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
        ],
        board
            .practices
            .iter()
            .map(|p| {
                let decision = p
                    .consensus
                    .as_ref()
                    .and_then(|c| c.decision)
                    .map_or_else(String::new, |d| d.key().to_string());
                vec![
                    line(p.rank.map_or("–".into(), |r| r.to_string())),
                    line(p.title.clone()),
                    line(format!("{}/{}", p.complete, p.expected)),
                    line(num(p.stats.mean)),
                    line(num(p.stats.median)),
                    line(format!("{}–{}", num(p.stats.min), num(p.stats.max))),
                    line(num(p.stats.std_dev)),
                    if p.disagreement {
                        vec![bold("yes")]
                    } else {
                        line("no")
                    },
                    line(p.verdict.to_string()),
                    line(num(p.final_value)),
                    line(format!(
                        "{decision}{}",
                        if p.overridden().is_some() {
                            " (override)"
                        } else {
                            ""
                        }
                    )),
                ]
            })
            .collect(),
    );
    let prefix = format!("{}:", session.id);
    let scores: Vec<&Score> = replica
        .rows_with_prefix(Kind::Score, &prefix)
        .filter_map(|r| match &r.record {
            Record::Score(s) => Some(&**s),
            _ => None,
        })
        .collect();
    for (n, p) in board.practices.iter().enumerate() {
        doc.heading(2, format!("{}. {}", n + 1, p.title));
        if let Some(Record::Practice(gp)) = replica.record(Kind::Practice, p.practice.as_str()) {
            doc.fields(&[
                ("Owner", gp.owner.clone()),
                (
                    "Location",
                    joined(&[gp.city.as_str(), gp.region.as_str(), gp.country.as_str()]),
                ),
            ]);
        }
        // Every evaluator's scores, a row each.
        let mut header = vec!["Evaluator"];
        header.extend(session.criteria.iter().map(|c| c.code.as_str()));
        let mut align = vec![Align::Left];
        align.extend(session.criteria.iter().map(|_| Align::Right));
        doc.table(
            &header,
            &align,
            session
                .evaluators
                .iter()
                .map(|e| {
                    let mut row = vec![line(e.clone())];
                    for c in &session.criteria {
                        row.push(line(
                            scores
                                .iter()
                                .find(|s| {
                                    s.practice == p.practice
                                        && &s.evaluator == e
                                        && s.criterion == c.code
                                })
                                .map_or("–".to_string(), |s| match s.value {
                                    Some(v) => v.to_string(),
                                    None => "abstained".to_string(),
                                }),
                        ));
                    }
                    row
                })
                .collect(),
        );
        if !p.abstaining.is_empty() {
            doc.paragraph(line(format!(
                "Abstained (left out of the averages): {}.",
                p.abstaining.join(", ")
            )));
        }
        doc.table(
            &[
                "Criterion",
                "n",
                "Mean",
                "Min–max",
                "Spread",
                "Disagreement",
            ],
            &[
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Left,
                Align::Left,
                Align::Left,
            ],
            p.criteria
                .iter()
                .map(|c| {
                    let spread: Vec<String> = c
                        .histogram
                        .iter()
                        .map(|(v, n)| format!("{v}×{n}"))
                        .collect();
                    let flags: Vec<&str> = c
                        .disagreement
                        .iter()
                        .map(|d| match d {
                            crate::scoring::Disagreement::Spread => "spread",
                            crate::scoring::Disagreement::RandUcla => "RAND/UCLA",
                        })
                        .collect();
                    vec![
                        line(c.code.clone()),
                        line(c.stats.n.to_string()),
                        line(num(c.stats.mean)),
                        line(format!("{}–{}", num(c.stats.min), num(c.stats.max))),
                        line(spread.join(" ")),
                        line(flags.join(", ")),
                    ]
                })
                .collect(),
        );
        let comments: Vec<Line> = p
            .comments
            .iter()
            .map(|(who, t)| line(format!("on the practice ({who}): {t}")))
            .chain(p.criteria.iter().flat_map(|c| {
                c.comments
                    .iter()
                    .map(move |(who, t)| line(format!("{} ({who}): {t}", c.code)))
            }))
            .collect();
        if !comments.is_empty() {
            doc.paragraph(line("Comments:"));
            doc.bullets(comments);
        }
        match &p.consensus {
            Some(c) => {
                doc.paragraph(labelled(
                    "Consensus",
                    format!(
                        "{}{}{}{}",
                        c.decision
                            .map_or("no decision yet".into(), |d| d.to_string()),
                        c.value
                            .map_or(String::new(), |v| format!(", agreed value {v}")),
                        match (c.by.is_empty(), c.at) {
                            (false, Some(at)) => format!(" (by {}, {})", c.by, at.date()),
                            _ => String::new(),
                        },
                        if c.comment.trim().is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", c.comment)
                        }
                    ),
                ));
                if let Some(why) = p.overridden() {
                    doc.paragraph(labelled("Override", why));
                }
            }
            None => doc.paragraph(line("No decision yet.")),
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// The document of a record (the workbench's `w`)

/// The document that fits a record, with the file name it is offered under (without its
/// extension): the minutes of a meeting, the handbook of a project, the monitoring report of an
/// action plan for its latest period, the evaluation report of a session.
/// The records whose long texts [`for_record`]'s document of `kind`/`id` reads: a project's
/// handbook reads its practices', minutes their meeting's (a workbench, whose copy leaves texts
/// out, reads them first).
pub fn texts_read(replica: &Replica, kind: Kind, id: &str) -> Vec<(Kind, String)> {
    match kind {
        Kind::Project => replica
            .rows(Kind::Practice)
            .filter_map(|r| match &r.record {
                Record::Practice(p) if p.project.as_str() == id => {
                    Some((Kind::Practice, p.id.to_string()))
                }
                _ => None,
            })
            .collect(),
        _ => vec![(kind, id.to_string())],
    }
}

pub fn for_record(
    replica: &Replica,
    kind: Kind,
    id: &str,
    today: Date,
) -> Result<(Document, String), String> {
    let record = replica
        .record(kind, id)
        .ok_or_else(|| format!("the {} '{id}' is no longer there", kind.singular()))?;
    Ok(match record {
        Record::Meeting(m) => (minutes(replica, m), format!("minutes-{id}")),
        Record::Project(p) => (handbook(replica, p, false, today), format!("handbook-{id}")),
        Record::ActionPlan(plan) => {
            let latest = plan
                .reports
                .iter()
                .max_by(|a, b| {
                    a.period_end
                        .chrono(&b.period_end)
                        .then(a.period_start.chrono(&b.period_start))
                })
                .ok_or_else(|| {
                    format!(
                        "the action plan '{id}' has no monitoring periods yet: add one in its form (e)"
                    )
                })?;
            (
                monitoring(replica, plan, latest.period_start, latest.period_end, today),
                format!("monitoring-{id}-{}", latest.period_end.last()),
            )
        }
        Record::Session(s) => (evaluation(replica, s), format!("evaluation-{id}")),
        other => {
            return Err(format!(
                "{} has no document: minutes are written from a meeting, the handbook from a \
                 project, the monitoring report from an action plan, the evaluation report from \
                 a session",
                kinds_phrase(other.kind())
            ));
        }
    })
}

fn kinds_phrase(kind: Kind) -> String {
    let singular = kind.singular();
    let article = if singular.starts_with(['a', 'e', 'i', 'o', 'u', 'S']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {singular}")
}

/// Writes a document to `path`, as Word when the extension is `.docx` and as Markdown
/// otherwise: atomically, replacing what is there and following no symbolic link.
pub fn write_document(doc: &Document, path: &std::path::Path) -> Result<(), String> {
    let word = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let bytes = if word {
        super::docx::docx(doc)?
    } else {
        doc.markdown().into_bytes()
    };
    crate::sys::write_replacing(path, &bytes, 0o666)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
