//! Rules for Django applications.

pub(crate) mod insecure_cookie_write;
