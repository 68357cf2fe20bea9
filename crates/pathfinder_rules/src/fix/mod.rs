//! Building fixes: edits driven by the code's own layout.

pub(crate) mod edits;
pub(crate) mod settings;
