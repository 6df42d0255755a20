//! Shared mode: `taskforce serve`, its clients, and starting a server for the workbench.

pub mod client;
pub mod protocol;
pub mod serve;
pub mod spawn;

pub use client::{ConnectError, Connection, Incoming};
pub use protocol::{Presence, Reply, Request};
pub use serve::{ServeOptions, serve, socket_path};
