//! One module per framework, one file per rule.

pub(crate) mod aiohttp;
pub(crate) mod bottle;
pub(crate) mod cherrypy;
pub(crate) mod django;
pub(crate) mod falcon;
pub(crate) mod fastapi;
pub(crate) mod flask;
pub(crate) mod headers;
pub(crate) mod litestar;
pub(crate) mod pyramid;
pub(crate) mod quart;
pub(crate) mod sanic;
pub(crate) mod tornado;
pub(crate) mod twisted;
