//! Rules for Pyramid or WebOb applications.

pub(crate) mod insecure_cookie_config;
pub(crate) mod insecure_cookie_write;
