//! Changes the workbench asks for: the state queues them (no I/O in `update`), the event loop
//! sends each to the backend without waiting (`App::exchange`) and hands the result back when it
//! comes, and only then is anything shown as saved.

use crate::model::{Command, Committed};
use crate::store::CommandError;

pub use super::feature::Purpose;

/// A change waiting to be sent.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub command: Command,
    /// The evaluator a facilitator types in for (proxy scoring).
    pub on_behalf_of: Option<String>,
    pub purpose: Purpose,
}

/// The result of a sent change, as the loop hands it back.
pub type Outcome = Result<Committed, CommandError>;
