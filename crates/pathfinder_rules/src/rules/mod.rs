//! One module per framework, one file per rule.

pub(crate) mod django;
pub(crate) mod flask;
