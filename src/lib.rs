pub mod backend;
pub mod fixtures;
pub mod generate;
pub mod model;
pub mod store;
pub mod sys;
