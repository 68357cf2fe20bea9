//! Rules for Flask applications.

pub(crate) mod config_cookie;
pub(crate) mod insecure_cookie_write;
pub(crate) mod insecure_session_config;
pub(crate) mod remember_cookie_config;
