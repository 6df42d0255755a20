//! The evaluation session the scoring and shared-load benchmarks score.

use taskforce::model::*;

/// A project, an ITF meeting, a criteria set, `practices` practices and an open session over them
/// with `criteria` criteria (scale 1–5, equal weights) and evaluators `e00`, `e01`, ….
pub fn records(practices: usize, criteria: usize, evaluators: usize) -> Vec<Record> {
    let project = Project {
        source: String::new(),
        id: ProjectId::new("load"),
        acronym: "LOAD".into(),
        title: "Load test".into(),
        programme: String::new(),
        start: None,
        end: None,
        phases: vec![],
        total_budget: None,
        erdf_amount: None,
        erdf_rate: None,
        lead_partner: None,
        summary: String::new(),
        website: String::new(),
    };
    let meeting = Meeting {
        source: String::new(),
        id: MeetingId::new("load-itf"),
        project: project.id.clone(),
        title: "Load ITF".into(),
        kind: MeetingKind::ItfMeeting,
        mode: MeetingMode::Hybrid,
        host: None,
        city: "Pécs".into(),
        country: "HU".into(),
        start: Date::parse("2022-11-03").unwrap(),
        end: None,
        agenda: vec![],
        attendance: vec![],
        minutes: Default::default(),
        practices: vec![],
        decisions: vec![],
        follow_ups: vec![],
    };
    let criteria: Vec<Criterion> = (0..criteria)
        .map(|i| Criterion {
            code: format!("c{i}"),
            label: format!("Criterion {i}"),
            description: String::new(),
            weight: Percent::from_units(1),
            scale: Scale {
                min: Decimal1::from_units(1),
                max: Decimal1::from_units(5),
                step: Decimal1::from_units(1),
                points: vec![],
            },
            pass_threshold: None,
            eliminatory: false,
        })
        .collect();
    let set = CriteriaSet {
        id: CriteriaSetId::new("load-set"),
        name: "Load".into(),
        description: String::new(),
        criteria: criteria.clone(),
        pass_mark: None,
    };
    let practices: Vec<Practice> = (0..practices)
        .map(|i| Practice {
            source: String::new(),
            id: PracticeId::new(format!("load-gp-{i}")),
            project: project.id.clone(),
            title: format!("Load practice {i}"),
            owner: "Owner".into(),
            partner: None,
            country: "HU".into(),
            region: String::new(),
            city: String::new(),
            level: None,
            sub_theme: None,
            summary: Prose::default(),
            description: Prose::default(),
            website: String::new(),
            resources: Prose::default(),
            evidence: Prose::default(),
            transfer_potential: Prose::default(),
            difficulties: Prose::default(),
            start: None,
            end: None,
            keywords: vec![],
            status: PracticeStatus::Presented,
            history: vec![],
            web_status: None,
        })
        .collect();
    let session = EvaluationSession {
        id: SessionId::new("load-session"),
        meeting: meeting.id.clone(),
        title: "Load session".into(),
        state: SessionState::Open,
        criteria_set: set.id.clone(),
        criteria,
        pass_mark: None,
        practices: practices.iter().map(|p| p.id.clone()).collect(),
        evaluators: (0..evaluators).map(|i| format!("e{i:02}")).collect(),
        max_spread: None,
        consensus: vec![],
    };
    let mut out: Vec<Record> = vec![project.into(), meeting.into(), set.into()];
    out.extend(practices.into_iter().map(Record::from));
    out.push(session.into());
    out
}
