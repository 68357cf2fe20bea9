//! Building fixes: edits driven by the call's own layout.

pub(crate) mod edits;
