//! Rules for Litestar applications.

pub(crate) mod insecure_cookie_write;
