//! Rules for Django applications.

pub(crate) mod cookie_samesite_disabled;
pub(crate) mod csrf_cookie_not_secure;
pub(crate) mod insecure_cookie_write;
pub(crate) mod language_cookie_insecure;
pub(crate) mod package_cookie_insecure;
pub(crate) mod session_cookie_httponly_disabled;
pub(crate) mod session_cookie_not_secure;
