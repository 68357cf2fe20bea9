//! Rules for Litestar applications.

pub(crate) mod insecure_cookie_write;
pub(crate) mod insecure_session_config;
