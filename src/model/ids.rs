//! Typed record ids: a practice id cannot be passed where a partner id is wanted.
//!
//! Ids are short, readable slugs (`gp-si-vouchers`, `intra`) so that scripts and people can type
//! them; [`check_id`] says what is allowed.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Checks an id's form; the error says what is wrong in words.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the id is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "the id is {} characters long; at most {MAX_ID_LEN} are allowed",
            id.len()
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "the id '{id}' contains {c:?}: use letters a–z, digits, '-', '_' and '.' only"
        ));
    }
    Ok(())
}

/// Turns any text into an id-safe slug (ASCII, lower case, dashes), at most `max` bytes.
pub fn slugify(text: &str, max: usize) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.nfd() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c.is_ascii_punctuation())
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub compact_str::CompactString);

        impl $name {
            pub fn new(id: impl Into<compact_str::CompactString>) -> Self {
                $name(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.into())
            }
        }
    )*};
}

id_type! {
    /// An Interreg Europe project (`intra`).
    ProjectId;
    /// A project partner organisation.
    PartnerId;
    /// A good practice.
    PracticeId;
    /// A meeting (study visit, ITF meeting, …).
    MeetingId;
    /// A set of evaluation criteria.
    CriteriaSetId;
    /// An evaluation session.
    SessionId;
    /// One evaluator's score of one criterion of one practice in one session.
    ScoreId;
    /// A regional action plan.
    ActionPlanId;
    /// An action of an action plan.
    ActionId;
    /// A voucher scheme.
    SchemeId;
    /// A small or medium-sized enterprise.
    SmeId;
    /// A voucher application.
    VoucherId;
    /// A user of the database (their login name).
    MemberId;
    /// The transfer of a good practice into a region's policy instrument.
    TransferId;
    /// A member of a partner's regional stakeholder group.
    StakeholderId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_slugs_are_safe() {
        assert!(check_id("gp-si-vouchers").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("a b").unwrap_err().contains("' '"));
        assert!(check_id(&"x".repeat(65)).is_err());
        assert_eq!(
            slugify("Klaipėda ID — thematic visit", 64),
            "klaipeda-id-thematic-visit"
        );
        assert!(check_id(&slugify("Rzeszów: Regional Development Agency!", 20)).is_ok());
    }
}
