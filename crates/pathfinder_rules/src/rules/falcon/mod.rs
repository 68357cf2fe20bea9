//! Rules for Falcon applications.

pub(crate) mod insecure_cookie_write;
