//! Rules for CherryPy applications.

pub(crate) mod insecure_cookie_morsel;
pub(crate) mod insecure_session_config;
