#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pathfinder_fuzz::set_cookie_header(data));
