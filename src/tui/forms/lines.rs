//! Nested lists edited as text, one item a line, fields separated by `|`: a meeting's
//! follow-ups, a project's phases, an action plan's monitoring reports (with their progress and
//! indicator values on indented lines), an action's indicators and a scheme's voucher types.
//!
//! Each list has a format ([`Nested::format`]) that the form shows under the field; a line that
//! does not parse is refused with its number, and the model's errors about the n-th item are
//! placed on the line that holds it ([`Nested::line_of_item`]).

use serde_json::{Map, Value};

use crate::model::*;

pub use crate::model::kinds::Nested;

/// Words that mean "not set" in an optional column.
fn blank(s: &str) -> bool {
    matches!(s.trim(), "" | "-" | "—")
}

fn s(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    }
}

fn money(value: Option<&Value>) -> String {
    value
        .and_then(|v| serde_json::from_value::<Money>(v.clone()).ok())
        .map(|m| m.to_string())
        .unwrap_or_default()
}

/// Joins columns with " | ", leaving out empty columns at the end.
fn join(parts: &[String]) -> String {
    let keep = parts
        .iter()
        .rposition(|p| !p.is_empty())
        .map_or(1, |i| i + 1);
    parts[..keep].join(" | ")
}

/// The columns of a line, at most `n` (the last one takes the rest, `|` included).
fn columns(line: &str, n: usize) -> Vec<&str> {
    line.splitn(n, '|').map(str::trim).collect()
}

fn date(text: &str, what: &str, required: bool) -> Result<Value, String> {
    if blank(text) {
        return if required {
            Err(format!(
                "the {what} is missing (a day YYYY-MM-DD, a month YYYY-MM or a year YYYY)"
            ))
        } else {
            Ok(Value::Null)
        };
    }
    Date::parse(text)
        .map(|d| Value::String(d.to_string()))
        .map_err(|e| format!("the {what}: {e}"))
}

fn amount(text: &str, what: &str) -> Result<Value, String> {
    if blank(text) {
        return Ok(Value::Null);
    }
    let m = Money::parse(text).map_err(|e| format!("the {what}: {e}"))?;
    serde_json::to_value(m).map_err(|e| e.to_string())
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

impl Nested {
    /// The line format, shown under the field.
    pub fn format(self) -> &'static str {
        match self {
            Nested::FollowUps => {
                "one a line: [ ] action | owner | due — Ctrl-t ticks the line done ([x])"
            }
            Nested::Agenda => "one a line: time | title | presenter",
            Nested::Attendance => {
                "one a line: name | organisation | partner id for a guest; stakeholder: ID or \
                 member: ID for someone on record (their name and organisation come from it)"
            }
            Nested::Phases => "one a line: name | start | end",
            Nested::Reports => {
                "one a line: start | end | due (blank: 3 months after the end) | submitted | summary; \
                 below it '  > action | status | note' for progress and \
                 '  # action | indicator | value' for indicator values"
            }
            Nested::Indicators => "one a line: name | target",
            Nested::Stages => {
                "one a line, oldest first: date | stage | note — stages: interest, studied, \
                 adapted, adopted, or dropped (with the reason)"
            }
            Nested::VoucherTypes => {
                "one a line: code | name | min € | max € | max participants | description \
                 (blank min/max: the scheme's)"
            }
        }
    }

    /// The stored list as lines.
    pub fn to_text(self, value: &Value) -> String {
        let items: &[Value] = value.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut lines = Vec::new();
        for f in items {
            let g = |k: &str| s(f.get(k));
            match self {
                Nested::FollowUps => {
                    let done = f.get("done").and_then(Value::as_bool).unwrap_or(false);
                    let mark = if done { "[x]" } else { "[ ]" };
                    let rest = join(&[g("action"), g("owner"), g("due")]);
                    lines.push(format!("{mark} {rest}"));
                }
                Nested::Agenda => lines.push(join(&[g("time"), g("title"), g("presenter")])),
                Nested::Attendance => lines.push(match (g("stakeholder"), g("member")) {
                    (s, _) if !s.is_empty() => format!("stakeholder: {s}"),
                    (_, m) if !m.is_empty() => format!("member: {m}"),
                    _ => join(&[g("name"), g("organisation"), g("partner")]),
                }),
                Nested::Phases => lines.push(join(&[g("name"), g("start"), g("end")])),
                Nested::Indicators => lines.push(join(&[g("name"), g("target")])),
                Nested::Stages => lines.push(join(&[g("on"), g("stage"), g("note")])),
                Nested::VoucherTypes => lines.push(join(&[
                    g("code"),
                    g("name"),
                    money(f.get("min_amount")),
                    money(f.get("max_amount")),
                    g("max_participants"),
                    g("description"),
                ])),
                Nested::Reports => {
                    let submitted = g("submitted_on");
                    let summary = g("summary");
                    let mut cols = vec![g("period_start"), g("period_end"), g("due")];
                    if !submitted.is_empty() || !summary.is_empty() {
                        cols.push(if submitted.is_empty() {
                            "-".into()
                        } else {
                            submitted
                        });
                        cols.push(summary);
                    }
                    lines.push(join(&cols));
                    for p in f
                        .get("progress")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let q = |k: &str| s(p.get(k));
                        lines.push(format!(
                            "  > {}",
                            join(&[q("action"), q("status"), q("note")])
                        ));
                    }
                    for v in f
                        .get("indicators")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let q = |k: &str| s(v.get(k));
                        lines.push(format!(
                            "  # {}",
                            join(&[q("action"), q("indicator"), q("value")])
                        ));
                    }
                }
            }
        }
        lines.join("\n")
    }

    /// Reads the lines back into the stored list; the error names the line.
    pub fn parse(self, text: &str) -> Result<Value, String> {
        let mut out: Vec<Value> = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let at = |e: String| format!("line {}: {e}", n + 1);
            match self {
                Nested::FollowUps => out.push(follow_up(line).map_err(at)?),
                Nested::Agenda => {
                    let c = columns(line, 3);
                    let col = |i: usize| c.get(i).copied().unwrap_or("");
                    if col(1).is_empty() {
                        return Err(at("the title (the second column) is empty".into()));
                    }
                    out.push(obj(vec![
                        ("time", Value::String(col(0).into())),
                        ("title", Value::String(col(1).into())),
                        ("presenter", Value::String(col(2).into())),
                    ]));
                }
                Nested::Attendance => {
                    let on_record = ["stakeholder", "member"].into_iter().find_map(|k| {
                        let (word, id) = line.split_once(':')?;
                        word.trim().eq_ignore_ascii_case(k).then(|| (k, id.trim()))
                    });
                    if let Some((k, id)) = on_record {
                        if id.is_empty() {
                            return Err(at(format!("the {k}'s id is missing after '{k}:'")));
                        }
                        out.push(obj(vec![(k, Value::String(id.into()))]));
                        continue;
                    }
                    let c = columns(line, 3);
                    let col = |i: usize| c.get(i).copied().unwrap_or("");
                    if col(0).is_empty() {
                        return Err(at("the name is empty".into()));
                    }
                    let partner = if blank(col(2)) {
                        Value::Null
                    } else {
                        Value::String(col(2).into())
                    };
                    out.push(obj(vec![
                        ("name", Value::String(col(0).into())),
                        ("organisation", Value::String(col(1).into())),
                        ("partner", partner),
                    ]));
                }
                Nested::Phases => {
                    let c = columns(line, 3);
                    if c[0].is_empty() {
                        return Err(at("the name is empty".into()));
                    }
                    out.push(obj(vec![
                        ("name", Value::String(c[0].into())),
                        (
                            "start",
                            date(c.get(1).copied().unwrap_or(""), "start", true).map_err(at)?,
                        ),
                        (
                            "end",
                            date(c.get(2).copied().unwrap_or(""), "end", true).map_err(at)?,
                        ),
                    ]));
                }
                Nested::Indicators => {
                    let c = columns(line, 2);
                    if c[0].is_empty() {
                        return Err(at("the name is empty".into()));
                    }
                    out.push(obj(vec![
                        ("name", Value::String(c[0].into())),
                        (
                            "target",
                            Value::String(c.get(1).copied().unwrap_or("").into()),
                        ),
                    ]));
                }
                Nested::VoucherTypes => out.push(voucher_type(line).map_err(at)?),
                Nested::Stages => {
                    let c = columns(line, 3);
                    let on = date(c[0], "date", true).map_err(at)?;
                    let stage = TransferStage::parse(c.get(1).copied().unwrap_or(""))
                        .map_err(|e| at(format!("the stage: {e}")))?;
                    out.push(obj(vec![
                        ("on", on),
                        ("stage", Value::String(stage.key().into())),
                        (
                            "note",
                            Value::String(c.get(2).copied().unwrap_or("").into()),
                        ),
                    ]));
                }
                Nested::Reports => {
                    if let Some(rest) = line.strip_prefix('>') {
                        let report = out.last_mut().ok_or_else(|| {
                            at("a progress line ('>') must come below its report's line".into())
                        })?;
                        let c = columns(rest, 3);
                        if c[0].is_empty() {
                            return Err(at("the action is empty".into()));
                        }
                        let status_text = c.get(1).copied().unwrap_or("");
                        let status = ActionStatus::parse(status_text)
                            .map_err(|e| at(format!("the status: {e}")))?;
                        push(
                            report,
                            "progress",
                            obj(vec![
                                ("action", Value::String(c[0].into())),
                                ("status", Value::String(status.key().into())),
                                (
                                    "note",
                                    Value::String(c.get(2).copied().unwrap_or("").into()),
                                ),
                            ]),
                        );
                    } else if let Some(rest) = line.strip_prefix('#') {
                        let report = out.last_mut().ok_or_else(|| {
                            at("an indicator line ('#') must come below its report's line".into())
                        })?;
                        let c = columns(rest, 3);
                        if c.len() < 3 || c.iter().any(|x| x.is_empty()) {
                            return Err(at(
                                "an indicator line needs action | indicator | value".into()
                            ));
                        }
                        push(
                            report,
                            "indicators",
                            obj(vec![
                                ("action", Value::String(c[0].into())),
                                ("indicator", Value::String(c[1].into())),
                                ("value", Value::String(c[2].into())),
                            ]),
                        );
                    } else {
                        out.push(report(line).map_err(at)?);
                    }
                }
            }
        }
        Ok(Value::Array(out))
    }

    /// The line (from 1) that holds the list's item `index`, in the field's text.
    pub fn line_of_item(self, text: &str, index: usize) -> Option<usize> {
        let reports = self == Nested::Reports;
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

fn push(report: &mut Value, key: &str, item: Value) {
    if let Some(Value::Array(a)) = report.get_mut(key) {
        a.push(item);
    }
}

fn follow_up(line: &str) -> Result<Value, String> {
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
    let c = columns(rest, 3);
    if c[0].is_empty() {
        return Err("the action is empty".into());
    }
    Ok(obj(vec![
        ("action", Value::String(c[0].into())),
        (
            "owner",
            Value::String(c.get(1).copied().unwrap_or("").into()),
        ),
        (
            "due",
            date(c.get(2).copied().unwrap_or(""), "due date", false)?,
        ),
        ("done", Value::Bool(done)),
    ]))
}

fn voucher_type(line: &str) -> Result<Value, String> {
    let c = columns(line, 6);
    let col = |i: usize| c.get(i).copied().unwrap_or("");
    if c[0].is_empty() {
        return Err("the code is empty".into());
    }
    if col(1).is_empty() {
        return Err(format!("the name of '{}' is empty", c[0]));
    }
    let participants = if blank(col(4)) {
        Value::Null
    } else {
        let n: u32 = col(4)
            .parse()
            .map_err(|_| format!("the max participants: '{}' is not a whole number", col(4)))?;
        Value::from(n)
    };
    Ok(obj(vec![
        ("code", Value::String(c[0].into())),
        ("name", Value::String(col(1).into())),
        ("min_amount", amount(col(2), "minimum")?),
        ("max_amount", amount(col(3), "maximum")?),
        ("max_participants", participants),
        ("description", Value::String(col(5).into())),
    ]))
}

fn report(line: &str) -> Result<Value, String> {
    let c = columns(line, 5);
    let col = |i: usize| c.get(i).copied().unwrap_or("");
    let start = date(col(0), "period's start", true)?;
    let end = date(col(1), "period's end", true)?;
    let due = if blank(col(2)) {
        let end = Date::parse(col(1))?;
        Value::String(MonitoringReport::due_for(end).to_string())
    } else {
        date(col(2), "due date", true)?
    };
    Ok(obj(vec![
        ("period_start", start),
        ("period_end", end),
        ("due", due),
        ("submitted_on", date(col(3), "submission date", false)?),
        ("summary", Value::String(col(4).into())),
        ("progress", Value::Array(Vec::new())),
        ("indicators", Value::Array(Vec::new())),
    ]))
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
            let r: MonitoringReport = serde_json::from_value(report(t).ok()?).ok()?;
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
        let v = Nested::Reports.parse(text).unwrap();
        let a = v.as_array().unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0]["due"], "2019-12-30");
        assert_eq!(a[0]["progress"][0]["status"], "in_progress");
        assert_eq!(a[0]["indicators"][0]["value"], "12");
        let back = Nested::Reports.to_text(&v);
        assert_eq!(Nested::Reports.parse(&back).unwrap(), v, "{back}");
        assert_eq!(Nested::Reports.line_of_item(text, 1), Some(4));
    }

    #[test]
    fn errors_name_the_line() {
        let e = Nested::Reports.parse("  > act | planned").unwrap_err();
        assert!(e.starts_with("line 1:"), "{e}");
        let e = Nested::Reports
            .parse("2019-04-01 | 2019-09-30\n  > act | maybe")
            .unwrap_err();
        assert!(e.starts_with("line 2: the status"), "{e}");
        let e = Nested::VoucherTypes
            .parse("fairs | Fairs\nforums | Forums | 300 | 3,000 | two")
            .unwrap_err();
        assert!(e.starts_with("line 2: the max participants"), "{e}");
        let e = Nested::Phases
            .parse("Phase 1 | 2016-04-01 | 2019-13-01")
            .unwrap_err();
        assert!(e.starts_with("line 1: the end"), "{e}");
    }

    #[test]
    fn agenda_and_attendance_round_trip() {
        let text = "09:00 | Welcome | MRA\n | Site visit";
        let v = Nested::Agenda.parse(text).unwrap();
        assert_eq!(v[1]["title"], "Site visit");
        assert_eq!(
            Nested::Agenda.parse(&Nested::Agenda.to_text(&v)).unwrap(),
            v
        );
        let e = Nested::Agenda.parse("10:00").unwrap_err();
        assert!(e.starts_with("line 1: the title"), "{e}");
        let text = "Ana Novak | Maribor Development Agency | mra\nJo Smith | Coventry University\n\
                    stakeholder: sh-mra-1\nMember:alice";
        let v = Nested::Attendance.parse(text).unwrap();
        assert_eq!(v[0]["partner"], "mra");
        assert!(v[1]["partner"].is_null());
        assert_eq!(v[2]["stakeholder"], "sh-mra-1");
        assert_eq!(v[3]["member"], "alice");
        assert!(v[2].get("name").is_none());
        let e = Nested::Attendance
            .parse("Ana | MRA\nstakeholder: ")
            .unwrap_err();
        assert!(
            e.starts_with("line 2: the stakeholder's id is missing"),
            "{e}"
        );
        assert_eq!(
            Nested::Attendance
                .parse(&Nested::Attendance.to_text(&v))
                .unwrap(),
            v
        );
    }

    #[test]
    fn voucher_types_round_trip() {
        let text =
            "forums | International forums | 300 | 3000 | 2 | up to two people\nfairs | Fairs";
        let v = Nested::VoucherTypes.parse(text).unwrap();
        assert_eq!(v[0]["max_participants"], 2);
        assert!(v[1]["min_amount"].is_null());
        let back = Nested::VoucherTypes.to_text(&v);
        assert_eq!(Nested::VoucherTypes.parse(&back).unwrap(), v, "{back}");
    }

    #[test]
    fn an_unsubmitted_report_past_its_due_date_is_overdue() {
        let text = "2019-04-01 | 2019-09-30 | 2019-12-31\n2019-10-01 | 2020-03-31";
        let found = overdue_reports(text, Date::parse("2020-01-15").unwrap());
        assert_eq!(found, vec![(0, Date::parse("2019-12-31").unwrap())]);
    }
}
