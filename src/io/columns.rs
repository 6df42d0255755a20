//! The columns that describe each kind in a listing, id first so that scripts can use it.

use crate::model::*;

/// One column of a listing: its header and how to read it from a record.
pub struct Column {
    pub header: &'static str,
    pub cell: fn(&Record) -> String,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), |v| v.to_string())
}

macro_rules! col {
    ($header:literal, $variant:ident, |$r:ident| $body:expr) => {
        Column {
            header: $header,
            cell: |record| match record {
                Record::$variant($r) => $body,
                _ => String::new(),
            },
        }
    };
}

/// The columns for `kind`; the first is always the id.
pub fn columns(kind: Kind) -> Vec<Column> {
    let id = Column {
        header: "id",
        cell: |r| r.id().to_string(),
    };
    let mut cols = vec![id];
    cols.extend(match kind {
        Kind::Project => vec![
            col!("acronym", Project, |r| r.acronym.clone()),
            col!("start", Project, |r| opt(&r.start)),
            col!("end", Project, |r| opt(&r.end)),
            col!("lead_partner", Project, |r| opt(&r.lead_partner)),
            col!("title", Project, |r| r.title.clone()),
        ],
        Kind::Partner => vec![
            col!("project", Partner, |r| r.project.to_string()),
            col!("country", Partner, |r| r.country.clone()),
            col!("role", Partner, |r| r.role.key().into()),
            col!("short_name", Partner, |r| r.short_name.clone()),
            col!("organisation", Partner, |r| r.organisation.clone()),
        ],
        Kind::Practice => vec![
            col!("project", Practice, |r| r.project.to_string()),
            col!("status", Practice, |r| r.status.key().into()),
            col!("country", Practice, |r| r.country.clone()),
            col!("sub_theme", Practice, |r| r
                .sub_theme
                .map_or(String::new(), |s| s.key().into())),
            col!("owner", Practice, |r| r.owner.clone()),
            col!("title", Practice, |r| r.title.clone()),
        ],
        Kind::Meeting => vec![
            col!("project", Meeting, |r| r.project.to_string()),
            col!("start", Meeting, |r| r.start.to_string()),
            col!("kind", Meeting, |r| r.kind.key().into()),
            col!("city", Meeting, |r| r.city.clone()),
            col!("title", Meeting, |r| r.title.clone()),
        ],
        Kind::CriteriaSet => vec![
            col!("criteria", CriteriaSet, |r| r
                .criteria
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            col!("pass_mark", CriteriaSet, |r| opt(&r.pass_mark)),
            col!("name", CriteriaSet, |r| r.name.clone()),
        ],
        Kind::Session => vec![
            col!("meeting", Session, |r| r.meeting.to_string()),
            col!("state", Session, |r| r.state.key().into()),
            col!("practices", Session, |r| r.practices.len().to_string()),
            col!("evaluators", Session, |r| r.evaluators.len().to_string()),
            col!("title", Session, |r| r.title.clone()),
        ],
        Kind::Score => vec![
            col!("session", Score, |r| r.session.to_string()),
            col!("practice", Score, |r| r.practice.to_string()),
            col!("evaluator", Score, |r| r.evaluator.clone()),
            col!("criterion", Score, |r| r.criterion.clone()),
            col!("value", Score, |r| r
                .value
                .map_or_else(|| "abstain".into(), |v| v.to_string())),
        ],
        Kind::ActionPlan => vec![
            col!("project", ActionPlan, |r| r.project.to_string()),
            col!("partner", ActionPlan, |r| r.partner.to_string()),
            col!("validated_on", ActionPlan, |r| opt(&r.validated_on)),
            col!("title", ActionPlan, |r| r.title.clone()),
        ],
        Kind::Action => vec![
            col!("plan", Action, |r| r.plan.to_string()),
            col!("status", Action, |r| r.status.key().into()),
            col!("title", Action, |r| r.title.clone()),
        ],
        Kind::Scheme => vec![
            col!("country", Scheme, |r| r.country.clone()),
            col!("rate", Scheme, |r| format!("{}%", r.rate)),
            col!("min", Scheme, |r| r.min_amount.to_string()),
            col!("max", Scheme, |r| r.max_amount.to_string()),
            col!("types", Scheme, |r| r.types.len().to_string()),
            col!("name", Scheme, |r| r.name.clone()),
        ],
        Kind::Sme => vec![
            col!("size", Sme, |r| r.size.key().into()),
            col!("country", Sme, |r| r.country.clone()),
            col!("region", Sme, |r| r.region.clone()),
            col!("name", Sme, |r| r.name.clone()),
        ],
        Kind::Voucher => vec![
            col!("scheme", Voucher, |r| r.scheme.to_string()),
            col!("type", Voucher, |r| r.voucher_type.clone()),
            col!("sme", Voucher, |r| r.sme.to_string()),
            col!("status", Voucher, |r| r.status.key().into()),
            col!("requested", Voucher, |r| r.requested.to_string()),
            col!("approved", Voucher, |r| opt(&r.approved)),
            col!("paid", Voucher, |r| opt(&r.paid)),
            col!("service", Voucher, |r| r.service.clone()),
        ],
        Kind::Member => vec![
            col!("facilitator", Member, |r| if r.facilitator {
                "yes".into()
            } else {
                "no".into()
            }),
            col!("organisation", Member, |r| r.organisation.clone()),
            col!("name", Member, |r| r.name.clone()),
        ],
    });
    cols
}
