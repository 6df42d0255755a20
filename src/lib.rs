pub mod backend;
pub mod cli;
pub mod fixtures;
pub mod io;
pub mod model;
pub mod progress;
pub mod store;
pub mod sys;
