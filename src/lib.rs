pub mod backend;
pub mod fixtures;
pub mod model;
pub mod store;
pub mod sys;
pub mod tui;
