//! Rules for cookies written as raw headers.

pub(crate) mod insecure_set_cookie_header;
pub(crate) mod insecure_simple_cookie;
