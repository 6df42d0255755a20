//! Nested lists edited as text, one item a line, fields separated by `|`: a meeting's
//! follow-ups, agenda and attendance, a project's phases, an action plan's monitoring reports
//! (with their progress and indicator values on indented lines), an action's indicators, a
//! scheme's voucher types and a transfer's stage history.
//!
//! Each list has a format ([`Nested::format`]) that the form shows under the field; a line that
//! does not parse is refused with its number, and the model's errors about the n-th item are
//! placed on the line that holds it ([`Nested::line_of_item`]). The lists are read from the
//! record and written back through their typed slots.

use crate::model::*;

pub use crate::model::kinds::Nested;

/// Words that mean "not set" in an optional column.
fn blank(s: &str) -> bool {
    matches!(s.trim(), "" | "-" | "—")
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// Joins columns with " | ", leaving out empty columns at the end.
fn join(parts: &[String]) -> String {
    let keep = parts
        .iter()
        .rposition(|p| !p.is_empty())
        .map_or(1, |i| i + 1);
    parts[..keep].join(" | ")
}

/// The columns of a line, at most `n` (the last one takes the rest, `|` included); missing
/// columns read as empty.
struct Columns<'a>(Vec<&'a str>);

impl<'a> Columns<'a> {
    fn of(line: &'a str, n: usize) -> Columns<'a> {
        Columns(line.splitn(n, '|').map(str::trim).collect())
    }

    fn get(&self, i: usize) -> &'a str {
        self.0.get(i).copied().unwrap_or("")
    }

    fn text(&self, i: usize) -> String {
        self.get(i).to_string()
    }
}

fn date(text: &str, what: &str, required: bool) -> Result<Option<Date>, String> {
    if blank(text) {
        return if required {
            Err(format!(
                "the {what} is missing (a day YYYY-MM-DD, a month YYYY-MM or a year YYYY)"
            ))
        } else {
            Ok(None)
        };
    }
    Date::parse(text)
        .map(Some)
        .map_err(|e| format!("the {what}: {e}"))
}

/// A date that must be there.
fn day(text: &str, what: &str) -> Result<Date, String> {
    date(text, what, true).map(|d| d.unwrap_or_default())
}

fn amount(text: &str, what: &str) -> Result<Option<Money>, String> {
    if blank(text) {
        return Ok(None);
    }
    Money::parse(text)
        .map(Some)
        .map_err(|e| format!("the {what}: {e}"))
}

/// Reads each non-blank line with `item`, which adds it to the list (or to the item above it);
/// an error names the line.
fn each_line<T>(
    text: &str,
    mut item: impl FnMut(&str, &mut Vec<T>) -> Result<(), String>,
) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        item(line, &mut out).map_err(|e| format!("line {}: {e}", n + 1))?;
    }
    Ok(out)
}

impl Nested {
    /// The line format, shown under the field.
    pub fn format(self) -> &'static str {
        match self {
            Nested::FollowUps(_) => {
                "one a line: [ ] action | owner | due — Ctrl-t ticks the line done ([x])"
            }
            Nested::Agenda(_) => "one a line: time | title | presenter",
            Nested::Attendance(_) => {
                "one a line: name | organisation | partner id for a guest; stakeholder: ID or \
                 member: ID for someone on record (their name and organisation come from it)"
            }
            Nested::Phases(_) => "one a line: name | start | end",
            Nested::Reports(_) => {
                "one a line: start | end | due (blank: 3 months after the end) | submitted | summary; \
                 below it '  > action | status | note' for progress and \
                 '  # action | indicator | value' for indicator values"
            }
            Nested::Indicators(_) => "one a line: name | target",
            Nested::Stages(_) => {
                "one a line, oldest first: date | stage | note — stages: interest, studied, \
                 adapted, adopted, or dropped (with the reason)"
            }
            Nested::VoucherTypes(_) => {
                "one a line: code | name | min € | max € | max participants | description \
                 (blank min/max: the scheme's)"
            }
        }
    }

    /// The record's list as lines.
    pub fn to_text(self, record: &Record) -> String {
        match self {
            Nested::FollowUps(at) => follow_ups_text(&(at.get)(record)),
            Nested::Agenda(at) => agenda_text(&(at.get)(record)),
            Nested::Attendance(at) => attendance_text(&(at.get)(record)),
            Nested::Phases(at) => phases_text(&(at.get)(record)),
            Nested::Reports(at) => reports_text(&(at.get)(record)),
            Nested::Indicators(at) => indicators_text(&(at.get)(record)),
            Nested::VoucherTypes(at) => voucher_types_text(&(at.get)(record)),
            Nested::Stages(at) => stages_text(&(at.get)(record)),
        }
    }

    /// Reads the lines back into the record's list; the error names the line.
    pub fn write(self, text: &str, record: &mut Record) -> Result<(), String> {
        match self {
            Nested::FollowUps(at) => (at.set)(record, follow_ups(text)?),
            Nested::Agenda(at) => (at.set)(record, agenda(text)?),
            Nested::Attendance(at) => (at.set)(record, attendance(text)?),
            Nested::Phases(at) => (at.set)(record, phases(text)?),
            Nested::Reports(at) => (at.set)(record, reports(text)?),
            Nested::Indicators(at) => (at.set)(record, indicators(text)?),
            Nested::VoucherTypes(at) => (at.set)(record, voucher_types(text)?),
            Nested::Stages(at) => (at.set)(record, stages(text)?),
        }
        Ok(())
    }

    /// The line (from 1) that holds the list's item `index`, in the field's text.
    pub fn line_of_item(self, text: &str, index: usize) -> Option<usize> {
        let reports = matches!(self, Nested::Reports(_));
        nth_item_line(text, index, |t| {
            !(reports && (t.starts_with('>') || t.starts_with('#')))
        })
    }
}

/// The line (from 1) of the `index`-th non-blank line that `counts`.
pub fn nth_item_line(text: &str, index: usize, counts: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && counts(l.trim()))
        .nth(index)
        .map(|(n, _)| n + 1)
}

fn follow_ups_text(items: &[FollowUp]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|f| {
            let mark = if f.done { "[x]" } else { "[ ]" };
            let rest = join(&[f.action.clone(), f.owner.clone(), opt(f.due)]);
            format!("{mark} {rest}")
        })
        .collect();
    lines.join("\n")
}

fn follow_ups(text: &str) -> Result<Vec<FollowUp>, String> {
    each_line(text, |line, out| {
        let (done, rest) = if let Some(r) = line.strip_prefix("[x]") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("[X]") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("[ ]") {
            (false, r)
        } else if let Some(r) = line.strip_prefix("[]") {
            (false, r)
        } else {
            (false, line)
        };
        let c = Columns::of(rest, 3);
        if c.get(0).is_empty() {
            return Err("the action is empty".into());
        }
        out.push(FollowUp {
            action: c.text(0),
            owner: c.text(1),
            due: date(c.get(2), "due date", false)?,
            done,
        });
        Ok(())
    })
}

fn agenda_text(items: &[AgendaItem]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|a| join(&[a.time.clone(), a.title.clone(), a.presenter.clone()]))
        .collect();
    lines.join("\n")
}

fn agenda(text: &str) -> Result<Vec<AgendaItem>, String> {
    each_line(text, |line, out| {
        let c = Columns::of(line, 3);
        if c.get(1).is_empty() {
            return Err("the title (the second column) is empty".into());
        }
        out.push(AgendaItem {
            time: c.text(0),
            title: c.text(1),
            presenter: c.text(2),
        });
        Ok(())
    })
}

fn attendance_text(items: &[Attendee]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|a| match (&a.stakeholder, &a.member) {
            (Some(s), _) => format!("stakeholder: {s}"),
            (None, Some(m)) => format!("member: {m}"),
            (None, None) => join(&[
                a.name.clone(),
                a.organisation.clone(),
                opt(a.partner.as_ref()),
            ]),
        })
        .collect();
    lines.join("\n")
}

/// A guest's line (`name | organisation | partner id`), or `stakeholder: ID` / `member: ID`
/// for someone on record, whose name and organisation come from their record.
fn attendance(text: &str) -> Result<Vec<Attendee>, String> {
    each_line(text, |line, out| {
        let on_record = ["stakeholder", "member"].into_iter().find_map(|k| {
            let (word, id) = line.split_once(':')?;
            word.trim().eq_ignore_ascii_case(k).then(|| (k, id.trim()))
        });
        if let Some((k, id)) = on_record {
            if id.is_empty() {
                return Err(format!("the {k}'s id is missing after '{k}:'"));
            }
            let mut a = Attendee::guest("", "", None);
            match k {
                "stakeholder" => a.stakeholder = Some(StakeholderId::from(id)),
                _ => a.member = Some(MemberId::from(id)),
            }
            out.push(a);
            return Ok(());
        }
        let c = Columns::of(line, 3);
        if c.get(0).is_empty() {
            return Err("the name is empty".into());
        }
        out.push(Attendee::guest(
            &c.text(0),
            &c.text(1),
            (!blank(c.get(2))).then(|| PartnerId::from(c.get(2))),
        ));
        Ok(())
    })
}

fn phases_text(items: &[Phase]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|p| join(&[p.name.clone(), p.start.to_string(), p.end.to_string()]))
        .collect();
    lines.join("\n")
}

fn phases(text: &str) -> Result<Vec<Phase>, String> {
    each_line(text, |line, out| {
        let c = Columns::of(line, 3);
        if c.get(0).is_empty() {
            return Err("the name is empty".into());
        }
        out.push(Phase {
            name: c.text(0),
            start: day(c.get(1), "start")?,
            end: day(c.get(2), "end")?,
        });
        Ok(())
    })
}

fn indicators_text(items: &[Indicator]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|i| join(&[i.name.clone(), i.target.clone()]))
        .collect();
    lines.join("\n")
}

fn indicators(text: &str) -> Result<Vec<Indicator>, String> {
    each_line(text, |line, out| {
        let c = Columns::of(line, 2);
        if c.get(0).is_empty() {
            return Err("the name is empty".into());
        }
        out.push(Indicator {
            name: c.text(0),
            target: c.text(1),
        });
        Ok(())
    })
}

fn stages_text(items: &[StageStep]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|s| join(&[s.on.to_string(), s.stage.key().to_string(), s.note.clone()]))
        .collect();
    lines.join("\n")
}

fn stages(text: &str) -> Result<Vec<StageStep>, String> {
    each_line(text, |line, out| {
        let c = Columns::of(line, 3);
        let on = day(c.get(0), "date")?;
        let stage = TransferStage::parse(c.get(1)).map_err(|e| format!("the stage: {e}"))?;
        out.push(StageStep {
            on,
            stage,
            note: c.text(2),
        });
        Ok(())
    })
}

fn voucher_types_text(items: &[VoucherType]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|t| {
            join(&[
                t.code.clone(),
                t.name.clone(),
                opt(t.min_amount),
                opt(t.max_amount),
                opt(t.max_participants),
                t.description.clone(),
            ])
        })
        .collect();
    lines.join("\n")
}

fn voucher_types(text: &str) -> Result<Vec<VoucherType>, String> {
    each_line(text, |line, out| {
        let c = Columns::of(line, 6);
        if c.get(0).is_empty() {
            return Err("the code is empty".into());
        }
        if c.get(1).is_empty() {
            return Err(format!("the name of '{}' is empty", c.get(0)));
        }
        let max_participants = if blank(c.get(4)) {
            None
        } else {
            Some(c.get(4).parse::<u32>().map_err(|_| {
                format!("the max participants: '{}' is not a whole number", c.get(4))
            })?)
        };
        out.push(VoucherType {
            code: c.text(0),
            name: c.text(1),
            min_amount: amount(c.get(2), "minimum")?,
            max_amount: amount(c.get(3), "maximum")?,
            max_participants,
            description: c.text(5),
        });
        Ok(())
    })
}

fn reports_text(items: &[MonitoringReport]) -> String {
    let mut lines = Vec::new();
    for r in items {
        let submitted = opt(r.submitted_on);
        let mut cols = vec![
            r.period_start.to_string(),
            r.period_end.to_string(),
            r.due.to_string(),
        ];
        if !submitted.is_empty() || !r.summary.is_empty() {
            cols.push(if submitted.is_empty() {
                "-".into()
            } else {
                submitted
            });
            cols.push(r.summary.clone());
        }
        lines.push(join(&cols));
        for p in &r.progress {
            lines.push(format!(
                "  > {}",
                join(&[
                    p.action.to_string(),
                    p.status.key().to_string(),
                    p.note.clone()
                ])
            ));
        }
        for v in &r.indicators {
            lines.push(format!(
                "  # {}",
                join(&[v.action.to_string(), v.indicator.clone(), v.value.clone()])
            ));
        }
    }
    lines.join("\n")
}

fn reports(text: &str) -> Result<Vec<MonitoringReport>, String> {
    each_line(text, |line, out: &mut Vec<MonitoringReport>| {
        if let Some(rest) = line.strip_prefix('>') {
            let report = out.last_mut().ok_or_else(|| {
                "a progress line ('>') must come below its report's line".to_string()
            })?;
            let c = Columns::of(rest, 3);
            if c.get(0).is_empty() {
                return Err("the action is empty".into());
            }
            let status = ActionStatus::parse(c.get(1)).map_err(|e| format!("the status: {e}"))?;
            report.progress.push(ActionProgress {
                action: ActionId::from(c.get(0)),
                status,
                note: c.text(2),
            });
        } else if let Some(rest) = line.strip_prefix('#') {
            let report = out.last_mut().ok_or_else(|| {
                "an indicator line ('#') must come below its report's line".to_string()
            })?;
            let c = Columns::of(rest, 3);
            if c.0.len() < 3 || c.0.iter().any(|x| x.is_empty()) {
                return Err("an indicator line needs action | indicator | value".into());
            }
            report.indicators.push(IndicatorValue {
                action: ActionId::from(c.get(0)),
                indicator: c.text(1),
                value: c.text(2),
            });
        } else {
            out.push(report(line)?);
        }
        Ok(())
    })
}

fn report(line: &str) -> Result<MonitoringReport, String> {
    let c = Columns::of(line, 5);
    let period_start = day(c.get(0), "period's start")?;
    let period_end = day(c.get(1), "period's end")?;
    let due = if blank(c.get(2)) {
        MonitoringReport::due_for(period_end)
    } else {
        day(c.get(2), "due date")?
    };
    Ok(MonitoringReport {
        period_start,
        period_end,
        due,
        submitted_on: date(c.get(3), "submission date", false)?,
        summary: c.text(4),
        progress: Vec::new(),
        indicators: Vec::new(),
    })
}

/// The lines (from 0) of a reports field that hold a report overdue on `today`, with its due date.
pub fn overdue_reports(text: &str, today: Date) -> Vec<(usize, Date)> {
    text.lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let t = l.trim();
            if t.is_empty() || t.starts_with('>') || t.starts_with('#') {
                return None;
            }
            let r = report(t).ok()?;
            r.overdue(today).then_some((n, r.due))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_round_trip_with_progress_and_indicators() {
        let text = "2019-04-01 | 2019-09-30 |  | - | first semester\n  > act-1 | in progress | started\n  # act-1 | SMEs | 12\n2019-10-01 | 2020-03-31 | 2020-06-30";
        let v = reports(text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].due.to_string(), "2019-12-30");
        assert_eq!(v[0].progress[0].status, ActionStatus::InProgress);
        assert_eq!(v[0].indicators[0].value, "12");
        let back = reports_text(&v);
        assert_eq!(reports(&back).unwrap(), v, "{back}");
        assert_eq!(
            Nested::Reports(crate::model::kinds::slot!(ActionPlan.reports)).line_of_item(text, 1),
            Some(4)
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = reports("  > act | planned").unwrap_err();
        assert!(e.starts_with("line 1:"), "{e}");
        let e = reports("2019-04-01 | 2019-09-30\n  > act | maybe").unwrap_err();
        assert!(e.starts_with("line 2: the status"), "{e}");
        let e = voucher_types("fairs | Fairs\nforums | Forums | 300 | 3,000 | two").unwrap_err();
        assert!(e.starts_with("line 2: the max participants"), "{e}");
        let e = phases("Phase 1 | 2016-04-01 | 2019-13-01").unwrap_err();
        assert!(e.starts_with("line 1: the end"), "{e}");
        let e = stages("2020-01 | interest\n2020-03 | maybe").unwrap_err();
        assert!(e.starts_with("line 2: the stage"), "{e}");
    }

    #[test]
    fn agenda_and_attendance_round_trip() {
        let text = "09:00 | Welcome | MRA\n | Site visit";
        let v = agenda(text).unwrap();
        assert_eq!(v[1].title, "Site visit");
        assert_eq!(agenda(&agenda_text(&v)).unwrap(), v);
        let e = agenda("10:00").unwrap_err();
        assert!(e.starts_with("line 1: the title"), "{e}");
        let text = "Ana Novak | Maribor Development Agency | mra\nJo Smith | Coventry University\n\
                    stakeholder: sh-mra-1\nMember:alice";
        let v = attendance(text).unwrap();
        assert_eq!(v[0].partner, Some(PartnerId::from("mra")));
        assert!(v[1].partner.is_none());
        assert_eq!(v[2].stakeholder, Some(StakeholderId::from("sh-mra-1")));
        assert_eq!(v[3].member, Some(MemberId::from("alice")));
        assert!(v[2].name.is_empty());
        let e = attendance("Ana | MRA\nstakeholder: ").unwrap_err();
        assert!(
            e.starts_with("line 2: the stakeholder's id is missing"),
            "{e}"
        );
        assert_eq!(attendance(&attendance_text(&v)).unwrap(), v);
    }

    #[test]
    fn voucher_types_round_trip() {
        let text =
            "forums | International forums | 300 | 3000 | 2 | up to two people\nfairs | Fairs";
        let v = voucher_types(text).unwrap();
        assert_eq!(v[0].max_participants, Some(2));
        assert!(v[1].min_amount.is_none());
        let back = voucher_types_text(&v);
        assert_eq!(voucher_types(&back).unwrap(), v, "{back}");
    }

    #[test]
    fn stages_and_follow_ups_round_trip() {
        let text = "2020-01 | interest\n2020-03-12 | studied | site visit | Maribor";
        let v = stages(text).unwrap();
        assert_eq!(v[1].stage, TransferStage::Studied);
        assert_eq!(v[1].note, "site visit | Maribor");
        assert_eq!(stages(&stages_text(&v)).unwrap(), v);
        let v = follow_ups("[x] Send the grid | MRA | 2020-02\nCall back").unwrap();
        assert!(v[0].done && !v[1].done);
        assert_eq!(follow_ups(&follow_ups_text(&v)).unwrap(), v);
    }

    #[test]
    fn an_unsubmitted_report_past_its_due_date_is_overdue() {
        let text = "2019-04-01 | 2019-09-30 | 2019-12-31\n2019-10-01 | 2020-03-31";
        let found = overdue_reports(text, Date::parse("2020-01-15").unwrap());
        assert_eq!(found, vec![(0, Date::parse("2019-12-31").unwrap())]);
    }
}
