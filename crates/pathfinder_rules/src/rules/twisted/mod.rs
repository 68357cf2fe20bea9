//! Rules for Twisted Web and Klein applications.

pub(crate) mod insecure_cookie_write;
