//! Rules for Flask applications.

pub(crate) mod insecure_session_config;
