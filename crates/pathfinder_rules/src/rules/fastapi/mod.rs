//! Rules for FastAPI or Starlette applications.

pub(crate) mod insecure_cookie_write;
