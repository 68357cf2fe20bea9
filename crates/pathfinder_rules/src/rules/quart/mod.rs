//! Rules for Quart applications.

pub(crate) mod insecure_cookie_write;
