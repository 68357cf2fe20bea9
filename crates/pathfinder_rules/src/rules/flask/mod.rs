//! Rules for Flask applications.

pub(crate) mod insecure_cookie_write;
