//! Rules for aiohttp applications.

pub(crate) mod insecure_cookie_write;
