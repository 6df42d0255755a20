//! Plain data and rules: records, ids, enumerations, lifecycles and validation. No I/O.

pub mod board;
pub mod choices;
pub mod command;
pub mod evaluation;
pub mod ids;
pub mod kinds;
pub mod prose;
pub mod record;
pub mod records;
pub mod replica;
pub mod text;
pub mod validate;
pub mod values;

pub use choices::*;
pub use command::*;
pub use evaluation::{Evaluate, Mark};
pub use ids::*;
pub use prose::Prose;
pub use record::*;
pub use records::*;
pub use replica::{Replica, Row, Texts};
pub use validate::{
    FieldError, Lookup, audit, check_record, replacement_rules, rule_breakers, validate,
    validate_restored,
};
pub use values::*;
