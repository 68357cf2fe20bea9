//! Rules for Bottle applications.

pub(crate) mod insecure_cookie_write;
