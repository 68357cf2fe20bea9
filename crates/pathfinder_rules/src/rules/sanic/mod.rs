//! Rules for Sanic applications.

pub(crate) mod insecure_cookie_write;
