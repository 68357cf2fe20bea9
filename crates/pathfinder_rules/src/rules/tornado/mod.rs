//! Rules for Tornado applications.

pub(crate) mod insecure_cookie_write;
pub(crate) mod insecure_xsrf_cookie;
